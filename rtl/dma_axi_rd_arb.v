/*
 * dma_engine: AXI4 read channel sharing (AR/R)
 *
 * Two read masters on the engine's one AXI4 master port: port 0 is the
 * data path (dma_mm2s), port 1 the command-block fetcher (dma_cmdq). Every
 * transaction uses ID 0, so memory answers in order; the owner of every
 * burst accepted on AR is pushed into a small in-order FIFO, and R beats
 * go to the owner at its head, which is popped on RLAST.
 *
 * AR: port 1 wins when both ask (its bursts are short and rare, and the
 * data path is ahead by several bursts anyway). An AR on the bus that has
 * not been accepted keeps its owner until arready, so a handshake is never
 * broken and the payload never changes under a held valid. No AR is
 * granted while the owner FIFO is full (FIFO_DEPTH covers both masters'
 * outstanding bursts, so in practice it never is).
 *
 * Both masters' valid and payload outputs are registers; the mux adds no
 * register stage and no cycle.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_axi_rd_arb #
(
    // Width of address bus in bits
    parameter ADDR_WIDTH = 32,
    // Bursts in flight, both masters together (a power of two)
    parameter FIFO_DEPTH = 8
)
(
    input  wire                   clk,
    input  wire                   rst,

    /*
     * Port 0: data path
     */
    input  wire [ADDR_WIDTH-1:0]  s0_araddr,
    input  wire [7:0]             s0_arlen,
    input  wire                   s0_arvalid,
    output wire                   s0_arready,
    output wire                   s0_rvalid,
    input  wire                   s0_rready,

    /*
     * Port 1: command-block fetcher
     */
    input  wire [ADDR_WIDTH-1:0]  s1_araddr,
    input  wire [7:0]             s1_arlen,
    input  wire                   s1_arvalid,
    output wire                   s1_arready,
    output wire                   s1_rvalid,
    input  wire                   s1_rready,

    /*
     * AXI4 master (R data, resp and last go to both ports unchanged;
     * only valid and ready are routed)
     */
    output wire [ADDR_WIDTH-1:0]  m_axi_araddr,
    output wire [7:0]             m_axi_arlen,
    output wire                   m_axi_arvalid,
    input  wire                   m_axi_arready,
    input  wire                   m_axi_rlast,
    input  wire                   m_axi_rvalid,
    output wire                   m_axi_rready
);

localparam PTR_WIDTH = FIFO_DEPTH > 1 ? $clog2(FIFO_DEPTH) : 1;

// owner of each burst in flight, in AR order (1: port 1)
reg [FIFO_DEPTH-1:0] own_mem = {FIFO_DEPTH{1'b0}};
reg [PTR_WIDTH:0] wr_ptr_reg = {PTR_WIDTH+1{1'b0}};
reg [PTR_WIDTH:0] rd_ptr_reg = {PTR_WIDTH+1{1'b0}};
// an AR on the bus not yet accepted, and whose it is
reg hold_reg = 1'b0;
reg hold_sel_reg = 1'b0;

wire empty = wr_ptr_reg == rd_ptr_reg;
wire full = wr_ptr_reg[PTR_WIDTH-1:0] == rd_ptr_reg[PTR_WIDTH-1:0] && !empty;
wire head = own_mem[rd_ptr_reg[PTR_WIDTH-1:0]];

wire sel = hold_reg ? hold_sel_reg : s1_arvalid;

assign m_axi_araddr = sel ? s1_araddr : s0_araddr;
assign m_axi_arlen = sel ? s1_arlen : s0_arlen;
assign m_axi_arvalid = hold_reg || (!full && (s0_arvalid || s1_arvalid));
assign s0_arready = m_axi_arvalid && m_axi_arready && !sel;
assign s1_arready = m_axi_arvalid && m_axi_arready && sel;

assign s0_rvalid = m_axi_rvalid && !empty && !head;
assign s1_rvalid = m_axi_rvalid && !empty && head;
assign m_axi_rready = !empty && (head ? s1_rready : s0_rready);

always @(posedge clk) begin
    hold_reg <= m_axi_arvalid && !m_axi_arready;
    hold_sel_reg <= sel;
    if (m_axi_arvalid && m_axi_arready) begin
        own_mem[wr_ptr_reg[PTR_WIDTH-1:0]] <= sel;
        wr_ptr_reg <= wr_ptr_reg + 1'b1;
    end
    if (m_axi_rvalid && m_axi_rready && m_axi_rlast) begin
        rd_ptr_reg <= rd_ptr_reg + 1'b1;
    end

    if (rst) begin
        hold_reg <= 1'b0;
        hold_sel_reg <= 1'b0;
        wr_ptr_reg <= {PTR_WIDTH+1{1'b0}};
        rd_ptr_reg <= {PTR_WIDTH+1{1'b0}};
    end
end

endmodule

`resetall
`default_nettype wire
