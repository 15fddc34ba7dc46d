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
 * masters' outputs are registers; the mux adds no cycle. The arbitration
 * and the owner FIFO with its two pointers are dma_axi_addr_arb's (shared
 * with dma_axi_rd_arb); the owners at the W and B heads are registers, so
 * W's routing and its WLAST pop are a LUT or two from registers.
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

// the oldest burst not fully written (W) and not answered (B), and whose
wire w_valid;
wire w_head;
wire b_valid;
wire b_head;

dma_axi_addr_arb #(
    .ADDR_WIDTH(ADDR_WIDTH),
    .FIFO_DEPTH(FIFO_DEPTH),
    .TWO_HEADS(1)
)
aw_arb_inst (
    .clk(clk),
    .rst(rst),
    .s0_addr(s0_awaddr),
    .s0_len(s0_awlen),
    .s0_valid(s0_awvalid),
    .s0_ready(s0_awready),
    .s1_addr(s1_awaddr),
    .s1_len(s1_awlen),
    .s1_valid(s1_awvalid),
    .s1_ready(s1_awready),
    .m_addr(m_axi_awaddr),
    .m_len(m_axi_awlen),
    .m_valid(m_axi_awvalid),
    .m_ready(m_axi_awready),
    .a_valid(w_valid),
    .a_sel(w_head),
    .a_pop(m_axi_wvalid && m_axi_wready && m_axi_wlast),
    .b_valid(b_valid),
    .b_sel(b_head),
    .b_pop(m_axi_bvalid && m_axi_bready)
);

assign m_axi_wdata = w_head ? s1_wdata : s0_wdata;
assign m_axi_wstrb = w_head ? s1_wstrb : s0_wstrb;
assign m_axi_wlast = w_head ? s1_wlast : s0_wlast;
assign m_axi_wvalid = w_valid && (w_head ? s1_wvalid : s0_wvalid);
assign s0_wready = m_axi_wready && w_valid && !w_head;
assign s1_wready = m_axi_wready && w_valid && w_head;

assign s0_bvalid = m_axi_bvalid && b_valid && !b_head;
assign s1_bvalid = m_axi_bvalid && b_valid && b_head;
assign m_axi_bready = b_valid && (b_head ? s1_bready : s0_bready);

endmodule

`resetall
`default_nettype wire
