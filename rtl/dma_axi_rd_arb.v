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
 * register stage and no cycle. The arbitration and the owner FIFO are
 * dma_axi_addr_arb's (shared with dma_axi_wr_arb); the owner at the FIFO's
 * head is a register.
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

wire head_valid;
wire head;

dma_axi_addr_arb #(
    .ADDR_WIDTH(ADDR_WIDTH),
    .FIFO_DEPTH(FIFO_DEPTH),
    .TWO_HEADS(0)
)
ar_arb_inst (
    .clk(clk),
    .rst(rst),
    .s0_addr(s0_araddr),
    .s0_len(s0_arlen),
    .s0_valid(s0_arvalid),
    .s0_ready(s0_arready),
    .s1_addr(s1_araddr),
    .s1_len(s1_arlen),
    .s1_valid(s1_arvalid),
    .s1_ready(s1_arready),
    .m_addr(m_axi_araddr),
    .m_len(m_axi_arlen),
    .m_valid(m_axi_arvalid),
    .m_ready(m_axi_arready),
    .a_valid(head_valid),
    .a_sel(head),
    .a_pop(m_axi_rvalid && m_axi_rready && m_axi_rlast),
    /* verilator lint_off PINCONNECTEMPTY */
    .b_valid(),
    .b_sel(),
    /* verilator lint_on PINCONNECTEMPTY */
    .b_pop(1'b0)
);

assign s0_rvalid = m_axi_rvalid && head_valid && !head;
assign s1_rvalid = m_axi_rvalid && head_valid && head;
assign m_axi_rready = head_valid && (head ? s1_rready : s0_rready);

endmodule

`resetall
`default_nettype wire
