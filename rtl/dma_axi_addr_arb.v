/*
 * dma_engine: the address-channel arbitration shared by dma_axi_rd_arb
 * (AR) and dma_axi_wr_arb (AW)
 *
 * Two masters on one AXI4 address channel. Port 1 wins when both ask. An
 * address on the bus not yet accepted keeps its owner until ready (hold),
 * so a handshake is never broken and the payload never changes under a
 * held valid. The owner of every accepted burst goes into a small
 * in-order FIFO (every transaction uses ID 0, so the responses come in
 * that order), read by one or two pointers: `a` (R bursts, or W bursts)
 * and, with TWO_HEADS, `b` (B responses), each popped by its channel.
 * Nothing is granted while the FIFO is full (from the oldest pointer).
 *
 * Each pointer's head (not empty, owner) is a register, worked out from
 * the pointers and the FIFO in the cycle before, so the data channel's
 * routing (valid, ready, the W mux) is one LUT from registers and its
 * pop enables nothing deeper than a handshake.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_axi_addr_arb #
(
    // Width of address bus in bits
    parameter ADDR_WIDTH = 32,
    // Bursts in flight, both masters together (a power of two)
    parameter FIFO_DEPTH = 8,
    // 1: a second pointer (b) that bounds the FIFO
    parameter TWO_HEADS = 0
)
(
    input  wire                   clk,
    input  wire                   rst,

    input  wire [ADDR_WIDTH-1:0]  s0_addr,
    input  wire [7:0]             s0_len,
    input  wire                   s0_valid,
    output wire                   s0_ready,
    input  wire [ADDR_WIDTH-1:0]  s1_addr,
    input  wire [7:0]             s1_len,
    input  wire                   s1_valid,
    output wire                   s1_ready,

    output wire [ADDR_WIDTH-1:0]  m_addr,
    output wire [7:0]             m_len,
    output wire                   m_valid,
    input  wire                   m_ready,

    // the oldest burst not yet done on channel a (b): there is one, its owner (1: port 1)
    output wire                   a_valid,
    output wire                   a_sel,
    input  wire                   a_pop,
    output wire                   b_valid,
    output wire                   b_sel,
    input  wire                   b_pop
);

localparam PTR_WIDTH = FIFO_DEPTH > 1 ? $clog2(FIFO_DEPTH) : 1;

reg [FIFO_DEPTH-1:0] own_mem = {FIFO_DEPTH{1'b0}};
reg [PTR_WIDTH:0] wr_ptr_reg = {PTR_WIDTH+1{1'b0}};
reg [PTR_WIDTH:0] a_ptr_reg = {PTR_WIDTH+1{1'b0}};
reg [PTR_WIDTH:0] b_ptr_reg = {PTR_WIDTH+1{1'b0}};
reg a_valid_reg = 1'b0;
reg a_sel_reg = 1'b0;
reg b_valid_reg = 1'b0;
reg b_sel_reg = 1'b0;
reg full_reg = 1'b0;
// an address on the bus not yet accepted, and whose it is
reg hold_reg = 1'b0;
reg hold_sel_reg = 1'b0;

wire sel = hold_reg ? hold_sel_reg : s1_valid;

assign m_addr = sel ? s1_addr : s0_addr;
assign m_len = sel ? s1_len : s0_len;
assign m_valid = hold_reg || (!full_reg && (s0_valid || s1_valid));
assign s0_ready = m_valid && m_ready && !sel;
assign s1_ready = m_valid && m_ready && sel;

assign a_valid = a_valid_reg;
assign a_sel = a_sel_reg;
assign b_valid = TWO_HEADS ? b_valid_reg : 1'b0;
assign b_sel = TWO_HEADS ? b_sel_reg : 1'b0;

wire push = m_valid && m_ready;
wire a_pop_hs = a_pop && a_valid_reg;
wire b_pop_hs = b_pop && b_valid_reg && TWO_HEADS != 0;

localparam [PTR_WIDTH:0] CNT1 = 1;

// Each head's next state with the handshakes (push, pop) only in the last
// LUT: what it would be with a pop and without, from registers.
wire [PTR_WIDTH:0] a_cnt = wr_ptr_reg - a_ptr_reg;
wire [PTR_WIDTH:0] b_cnt = wr_ptr_reg - b_ptr_reg;
wire [PTR_WIDTH:0] a_ptr_p1 = a_ptr_reg + 1'b1;
wire [PTR_WIDTH:0] b_ptr_p1 = b_ptr_reg + 1'b1;
// after a pop: the entry after the head if there is one, else the burst pushed now
wire a_sel_pop = (a_cnt > CNT1) ? own_mem[a_ptr_p1[PTR_WIDTH-1:0]] : sel;
wire b_sel_pop = (b_cnt > CNT1) ? own_mem[b_ptr_p1[PTR_WIDTH-1:0]] : sel;
// without: the head, or the burst pushed now into an empty FIFO
wire a_sel_stay = a_valid_reg ? a_sel_reg : sel;
wire b_sel_stay = b_valid_reg ? b_sel_reg : sel;
wire a_valid_next = (a_cnt > CNT1) || (a_cnt == CNT1 && (!a_pop_hs || push)) || push;
wire b_valid_next = (b_cnt > CNT1) || (b_cnt == CNT1 && (!b_pop_hs || push)) || push;
// the oldest pointer bounds the FIFO
wire [PTR_WIDTH:0] old_cnt = TWO_HEADS ? b_cnt : a_cnt;
wire old_pop = TWO_HEADS ? b_pop_hs : a_pop_hs;
localparam [PTR_WIDTH:0] DEPTH_P = FIFO_DEPTH;
localparam [PTR_WIDTH:0] DEPTH_M1 = FIFO_DEPTH - 1;
wire full_next = ((old_cnt == DEPTH_P) || (old_cnt == DEPTH_M1 && push)) && !old_pop;

always @(posedge clk) begin
    hold_reg <= m_valid && !m_ready;
    hold_sel_reg <= sel;
    if (push) begin
        own_mem[wr_ptr_reg[PTR_WIDTH-1:0]] <= sel;
        wr_ptr_reg <= wr_ptr_reg + 1'b1;
    end
    if (a_pop_hs) begin
        a_ptr_reg <= a_ptr_p1;
    end
    if (b_pop_hs) begin
        b_ptr_reg <= b_ptr_p1;
    end
    a_valid_reg <= a_valid_next;
    a_sel_reg <= a_pop_hs ? a_sel_pop : a_sel_stay;
    b_valid_reg <= b_valid_next;
    b_sel_reg <= b_pop_hs ? b_sel_pop : b_sel_stay;
    full_reg <= full_next;

    if (rst) begin
        hold_reg <= 1'b0;
        hold_sel_reg <= 1'b0;
        wr_ptr_reg <= {PTR_WIDTH+1{1'b0}};
        a_ptr_reg <= {PTR_WIDTH+1{1'b0}};
        b_ptr_reg <= {PTR_WIDTH+1{1'b0}};
        a_valid_reg <= 1'b0;
        b_valid_reg <= 1'b0;
        full_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
