/*
 * dma_engine: AXI4 write channel sharing (AW/W/B)
 *
 * Two write masters on the engine's one AXI4 master port: port 0 is the
 * data path (dma_s2mm), port 1 the command-block status write-back
 * (dma_cmdq). Every transaction uses ID 0, so B responses come in AW
 * order. The owner of every burst accepted on AW goes into one small
 * FIFO read by two pointers: W takes its beats from the owner of the
 * oldest burst not yet fully written (popped on WLAST), so the W beats of
 * one burst are never interleaved with another's, and B goes to the owner
 * of the oldest burst not yet answered (popped on the B handshake).
 *
 * Both masters only present W for bursts already accepted on AW (W never
 * leads AW), so the W owner FIFO always has their burst at its head by
 * the time its first beat is valid; a beat of the other master waits
 * (wready low) and is held by it, as AXI requires.
 *
 * AW: port 1 wins when both ask (one short burst per command block). An
 * AW on the bus not yet accepted keeps its owner until awready. Both
 * masters' outputs are registers; the mux adds no cycle.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_axi_wr_arb #
(
    // Width of data bus in bits
    parameter DATA_WIDTH = 32,
    // Width of address bus in bits
    parameter ADDR_WIDTH = 32,
    // Width of wstrb (bytes per beat)
    parameter STRB_WIDTH = (DATA_WIDTH/8),
    // Bursts in flight, both masters together (a power of two)
    parameter FIFO_DEPTH = 8
)
(
    input  wire                   clk,
    input  wire                   rst,

    /*
     * Port 0: data path
     */
    input  wire [ADDR_WIDTH-1:0]  s0_awaddr,
    input  wire [7:0]             s0_awlen,
    input  wire                   s0_awvalid,
    output wire                   s0_awready,
    input  wire [DATA_WIDTH-1:0]  s0_wdata,
    input  wire [STRB_WIDTH-1:0]  s0_wstrb,
    input  wire                   s0_wlast,
    input  wire                   s0_wvalid,
    output wire                   s0_wready,
    output wire                   s0_bvalid,
    input  wire                   s0_bready,

    /*
     * Port 1: status write-back
     */
    input  wire [ADDR_WIDTH-1:0]  s1_awaddr,
    input  wire [7:0]             s1_awlen,
    input  wire                   s1_awvalid,
    output wire                   s1_awready,
    input  wire [DATA_WIDTH-1:0]  s1_wdata,
    input  wire [STRB_WIDTH-1:0]  s1_wstrb,
    input  wire                   s1_wlast,
    input  wire                   s1_wvalid,
    output wire                   s1_wready,
    output wire                   s1_bvalid,
    input  wire                   s1_bready,

    /*
     * AXI4 master (B resp goes to both ports unchanged; only valid and
     * ready are routed)
     */
    output wire [ADDR_WIDTH-1:0]  m_axi_awaddr,
    output wire [7:0]             m_axi_awlen,
    output wire                   m_axi_awvalid,
    input  wire                   m_axi_awready,
    output wire [DATA_WIDTH-1:0]  m_axi_wdata,
    output wire [STRB_WIDTH-1:0]  m_axi_wstrb,
    output wire                   m_axi_wlast,
    output wire                   m_axi_wvalid,
    input  wire                   m_axi_wready,
    input  wire                   m_axi_bvalid,
    output wire                   m_axi_bready
);

localparam PTR_WIDTH = FIFO_DEPTH > 1 ? $clog2(FIFO_DEPTH) : 1;

// owner of each burst in flight, in AW order (1: port 1)
reg [FIFO_DEPTH-1:0] own_mem = {FIFO_DEPTH{1'b0}};
reg [PTR_WIDTH:0] wr_ptr_reg = {PTR_WIDTH+1{1'b0}};
reg [PTR_WIDTH:0] w_ptr_reg = {PTR_WIDTH+1{1'b0}};
reg [PTR_WIDTH:0] b_ptr_reg = {PTR_WIDTH+1{1'b0}};
reg hold_reg = 1'b0;
reg hold_sel_reg = 1'b0;

// the B pointer is the oldest: it bounds the FIFO
wire full = wr_ptr_reg[PTR_WIDTH-1:0] == b_ptr_reg[PTR_WIDTH-1:0] && wr_ptr_reg != b_ptr_reg;
wire b_empty = wr_ptr_reg == b_ptr_reg;
// the W head (not empty, owner) as registers, worked out in the cycle
// before from the pointers and the FIFO, with the handshakes (AW push,
// WLAST pop) only in the last LUT: W's routing is one LUT from registers
reg w_valid_reg = 1'b0;
reg w_head_reg = 1'b0;
wire w_empty = !w_valid_reg;
wire w_head = w_head_reg;
localparam [PTR_WIDTH:0] CNT1 = 1;
wire [PTR_WIDTH:0] w_cnt = wr_ptr_reg - w_ptr_reg;
wire [PTR_WIDTH:0] w_ptr_p1 = w_ptr_reg + 1'b1;
wire b_head = own_mem[b_ptr_reg[PTR_WIDTH-1:0]];

wire sel = hold_reg ? hold_sel_reg : s1_awvalid;

assign m_axi_awaddr = sel ? s1_awaddr : s0_awaddr;
assign m_axi_awlen = sel ? s1_awlen : s0_awlen;
assign m_axi_awvalid = hold_reg || (!full && (s0_awvalid || s1_awvalid));
assign s0_awready = m_axi_awvalid && m_axi_awready && !sel;
assign s1_awready = m_axi_awvalid && m_axi_awready && sel;

assign m_axi_wdata = w_head ? s1_wdata : s0_wdata;
assign m_axi_wstrb = w_head ? s1_wstrb : s0_wstrb;
assign m_axi_wlast = w_head ? s1_wlast : s0_wlast;
assign m_axi_wvalid = !w_empty && (w_head ? s1_wvalid : s0_wvalid);
assign s0_wready = m_axi_wready && !w_empty && !w_head;
assign s1_wready = m_axi_wready && !w_empty && w_head;

assign s0_bvalid = m_axi_bvalid && !b_empty && !b_head;
assign s1_bvalid = m_axi_bvalid && !b_empty && b_head;
assign m_axi_bready = !b_empty && (b_head ? s1_bready : s0_bready);

wire aw_push = m_axi_awvalid && m_axi_awready;
wire w_pop = m_axi_wvalid && m_axi_wready && m_axi_wlast;

always @(posedge clk) begin
    hold_reg <= m_axi_awvalid && !m_axi_awready;
    hold_sel_reg <= sel;
    if (m_axi_awvalid && m_axi_awready) begin
        own_mem[wr_ptr_reg[PTR_WIDTH-1:0]] <= sel;
        wr_ptr_reg <= wr_ptr_reg + 1'b1;
    end
    if (w_pop) begin
        w_ptr_reg <= w_ptr_p1;
    end
    // after a pop: the burst after the head if there is one, else the one
    // accepted now; without: the head, or the one accepted now into an
    // empty FIFO
    w_valid_reg <= (w_cnt > CNT1) || (w_cnt == CNT1 && (!w_pop || aw_push)) || aw_push;
    if (w_pop) begin
        w_head_reg <= (w_cnt > CNT1) ? own_mem[w_ptr_p1[PTR_WIDTH-1:0]] : sel;
    end else if (!w_valid_reg) begin
        w_head_reg <= sel;
    end
    if (m_axi_bvalid && m_axi_bready) begin
        b_ptr_reg <= b_ptr_reg + 1'b1;
    end

    if (rst) begin
        hold_reg <= 1'b0;
        hold_sel_reg <= 1'b0;
        wr_ptr_reg <= {PTR_WIDTH+1{1'b0}};
        w_ptr_reg <= {PTR_WIDTH+1{1'b0}};
        w_valid_reg <= 1'b0;
        b_ptr_reg <= {PTR_WIDTH+1{1'b0}};
    end
end

endmodule

`resetall
`default_nettype wire
