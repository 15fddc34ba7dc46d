/*
 * dma_board: everything the board carries, without pins or clocking:
 * the UART, the bridge, dma_engine (32-bit), the host memory on its AXI4
 * master and the RAM disk on its device port. The board tops
 * (icebreaker/, hx8k/) add reset, pins and LEDs; the simulation
 * (fpga/sim/) tests this module with the same parameters.
 *
 *   PC --UART--> uart_bridge --AXI4-Lite--> dma_engine --AXI4--> host_mem
 *                     |                         |                   ^
 *                     +--------word port--------|-------------------+
 *                                               +--device--> ram_disk
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_board #
(
    parameter CLKS_PER_BIT = 12,
    parameter TIMEOUT = 1200000,
    parameter USE_SPRAM = 1,
    parameter MEM_WORDS = 4096,
    parameter DISK_BLOCKS = 16
)
(
    input  wire clk,
    input  wire rst,
    input  wire rxd,
    output wire txd,
    output wire irq,
    output wire busy
);

localparam DATA_WIDTH = 32;
// Bytes a command may move, as a width: 256 KiB - 1, more than host memory
// (128 KiB) and the disk hold, so every command the board can carry out
// fits; the engine's length counters, the disk's and the register list's
// sizes are this wide instead of 32 bits (about 300 cells fewer).
localparam LEN_WIDTH = 18;
localparam ID_WIDTH = 4;

wire [7:0] rx_tdata, tx_tdata;
wire rx_tvalid, rx_tready, rx_overrun, tx_tvalid, tx_tready;

wire [11:0] axil_awaddr, axil_araddr;
wire [2:0]  axil_awprot, axil_arprot;
wire        axil_awvalid, axil_awready, axil_wvalid, axil_wready;
wire        axil_bvalid, axil_bready, axil_arvalid, axil_arready;
wire        axil_rvalid, axil_rready;
wire [31:0] axil_wdata, axil_rdata;
wire [3:0]  axil_wstrb;
wire [1:0]  axil_bresp, axil_rresp;

wire        mem_req, mem_we, mem_ack, mem_err;
wire [31:0] mem_addr, mem_wdata, mem_rdata;
wire [3:0]  mem_wstrb;

wire [ID_WIDTH-1:0] awid, bid, arid, rid;
wire [31:0] awaddr, araddr, wdata, rdata;
wire [7:0]  awlen, arlen;
wire [2:0]  awsize, arsize, awprot, arprot;
wire [1:0]  awburst, arburst, bresp, rresp;
wire [3:0]  awcache, arcache, wstrb;
wire        awlock, arlock;
wire        awvalid, awready, wlast, wvalid, wready, bvalid, bready;
wire        arvalid, arready, rlast, rvalid, rready;

wire        cmd_valid, cmd_ready, cmd_write;
wire [31:0] cmd_block;
wire [LEN_WIDTH-1:0] cmd_len;
wire        sts_valid, sts_ready, sts_error;
wire [31:0] tx_dev_tdata, rx_dev_tdata;
wire [3:0]  tx_dev_tkeep, rx_dev_tkeep;
wire        tx_dev_tvalid, tx_dev_tready, tx_dev_tlast, tx_dev_tuser;
wire        rx_dev_tvalid, rx_dev_tready, rx_dev_tlast;

// activity for an LED: the engine is moving data or talking to the disk
assign busy = arvalid || awvalid || rvalid || wvalid || cmd_valid || tx_dev_tvalid || rx_dev_tvalid;

uart_rx #(.CLKS_PER_BIT(CLKS_PER_BIT)) uart_rx_inst (
    .clk(clk), .rst(rst), .rxd(rxd),
    .m_axis_tdata(rx_tdata), .m_axis_tvalid(rx_tvalid), .m_axis_tready(rx_tready),
    .overrun(rx_overrun)
);

uart_tx #(.CLKS_PER_BIT(CLKS_PER_BIT)) uart_tx_inst (
    .clk(clk), .rst(rst),
    .s_axis_tdata(tx_tdata), .s_axis_tvalid(tx_tvalid), .s_axis_tready(tx_tready),
    .txd(txd)
);

uart_bridge #(.AXIL_ADDR_WIDTH(12), .TIMEOUT(TIMEOUT)) bridge_inst (
    .clk(clk), .rst(rst),
    .s_rx_tdata(rx_tdata), .s_rx_tvalid(rx_tvalid), .s_rx_tready(rx_tready),
    .rx_overrun(rx_overrun),
    .m_tx_tdata(tx_tdata), .m_tx_tvalid(tx_tvalid), .m_tx_tready(tx_tready),
    .m_axil_awaddr(axil_awaddr), .m_axil_awprot(axil_awprot),
    .m_axil_awvalid(axil_awvalid), .m_axil_awready(axil_awready),
    .m_axil_wdata(axil_wdata), .m_axil_wstrb(axil_wstrb),
    .m_axil_wvalid(axil_wvalid), .m_axil_wready(axil_wready),
    .m_axil_bresp(axil_bresp), .m_axil_bvalid(axil_bvalid), .m_axil_bready(axil_bready),
    .m_axil_araddr(axil_araddr), .m_axil_arprot(axil_arprot),
    .m_axil_arvalid(axil_arvalid), .m_axil_arready(axil_arready),
    .m_axil_rdata(axil_rdata), .m_axil_rresp(axil_rresp),
    .m_axil_rvalid(axil_rvalid), .m_axil_rready(axil_rready),
    .mem_req(mem_req), .mem_we(mem_we), .mem_addr(mem_addr),
    .mem_wdata(mem_wdata), .mem_wstrb(mem_wstrb),
    .mem_ack(mem_ack), .mem_rdata(mem_rdata), .mem_err(mem_err),
    .irq(irq)
);

// only parameters every version of the engine has, so that the board
// builds with the RTL of the day; SGLLEN (issue 3) only when the build
// scripts found it in rtl/ and defined DMA_SGLLEN: the default list does
// not fit an iCE40 beside the rest.
dma_engine #(
    .DATA_WIDTH(DATA_WIDTH),
    .ADDR_WIDTH(32),
    .ID_WIDTH(ID_WIDTH),
    .AXIL_ADDR_WIDTH(12),
`ifdef DMA_SGLLEN
    .SGLLEN(`DMA_SGLLEN),
`endif
    // No command-block queue on the boards (DMA_QUEUE_DEPTH to try one):
    // on an iCE40 it costs more cells than the UP5K has left; the driver
    // sees cap2.QUEUE_DEPTH 0 and runs in simple mode.
`ifdef DMA_QUEUE_DEPTH
    .QUEUE_DEPTH(`DMA_QUEUE_DEPTH),
`else
    .QUEUE_DEPTH(0),
`endif
    .LEN_WIDTH(LEN_WIDTH)
)
engine_inst (
    .clk(clk), .rst(rst),
    .s_axil_awaddr(axil_awaddr), .s_axil_awprot(axil_awprot),
    .s_axil_awvalid(axil_awvalid), .s_axil_awready(axil_awready),
    .s_axil_wdata(axil_wdata), .s_axil_wstrb(axil_wstrb),
    .s_axil_wvalid(axil_wvalid), .s_axil_wready(axil_wready),
    .s_axil_bresp(axil_bresp), .s_axil_bvalid(axil_bvalid), .s_axil_bready(axil_bready),
    .s_axil_araddr(axil_araddr), .s_axil_arprot(axil_arprot),
    .s_axil_arvalid(axil_arvalid), .s_axil_arready(axil_arready),
    .s_axil_rdata(axil_rdata), .s_axil_rresp(axil_rresp),
    .s_axil_rvalid(axil_rvalid), .s_axil_rready(axil_rready),
    .m_axi_awid(awid), .m_axi_awaddr(awaddr), .m_axi_awlen(awlen),
    .m_axi_awsize(awsize), .m_axi_awburst(awburst), .m_axi_awlock(awlock),
    .m_axi_awcache(awcache), .m_axi_awprot(awprot),
    .m_axi_awvalid(awvalid), .m_axi_awready(awready),
    .m_axi_wdata(wdata), .m_axi_wstrb(wstrb), .m_axi_wlast(wlast),
    .m_axi_wvalid(wvalid), .m_axi_wready(wready),
    .m_axi_bid(bid), .m_axi_bresp(bresp), .m_axi_bvalid(bvalid), .m_axi_bready(bready),
    .m_axi_arid(arid), .m_axi_araddr(araddr), .m_axi_arlen(arlen),
    .m_axi_arsize(arsize), .m_axi_arburst(arburst), .m_axi_arlock(arlock),
    .m_axi_arcache(arcache), .m_axi_arprot(arprot),
    .m_axi_arvalid(arvalid), .m_axi_arready(arready),
    .m_axi_rid(rid), .m_axi_rdata(rdata), .m_axi_rresp(rresp),
    .m_axi_rlast(rlast), .m_axi_rvalid(rvalid), .m_axi_rready(rready),
    .m_dev_cmd_valid(cmd_valid), .m_dev_cmd_ready(cmd_ready),
    .m_dev_cmd_write(cmd_write), .m_dev_cmd_block(cmd_block), .m_dev_cmd_len(cmd_len),
    .s_dev_sts_valid(sts_valid), .s_dev_sts_ready(sts_ready), .s_dev_sts_error(sts_error),
    .m_axis_dev_tdata(tx_dev_tdata), .m_axis_dev_tkeep(tx_dev_tkeep),
    .m_axis_dev_tvalid(tx_dev_tvalid), .m_axis_dev_tready(tx_dev_tready),
    .m_axis_dev_tlast(tx_dev_tlast), .m_axis_dev_tuser(tx_dev_tuser),
    .s_axis_dev_tdata(rx_dev_tdata), .s_axis_dev_tkeep(rx_dev_tkeep),
    .s_axis_dev_tvalid(rx_dev_tvalid), .s_axis_dev_tready(rx_dev_tready),
    .s_axis_dev_tlast(rx_dev_tlast),
    .irq(irq)
);

host_mem #(.ID_WIDTH(ID_WIDTH), .USE_SPRAM(USE_SPRAM), .MEM_WORDS(MEM_WORDS)) mem_inst (
    .clk(clk), .rst(rst),
    .s_axi_awid(awid), .s_axi_awaddr(awaddr), .s_axi_awlen(awlen),
    .s_axi_awvalid(awvalid), .s_axi_awready(awready),
    .s_axi_wdata(wdata), .s_axi_wstrb(wstrb), .s_axi_wlast(wlast),
    .s_axi_wvalid(wvalid), .s_axi_wready(wready),
    .s_axi_bid(bid), .s_axi_bresp(bresp), .s_axi_bvalid(bvalid), .s_axi_bready(bready),
    .s_axi_arid(arid), .s_axi_araddr(araddr), .s_axi_arlen(arlen),
    .s_axi_arvalid(arvalid), .s_axi_arready(arready),
    .s_axi_rid(rid), .s_axi_rdata(rdata), .s_axi_rresp(rresp),
    .s_axi_rlast(rlast), .s_axi_rvalid(rvalid), .s_axi_rready(rready),
    .mem_req(mem_req), .mem_we(mem_we), .mem_addr(mem_addr),
    .mem_wdata(mem_wdata), .mem_wstrb(mem_wstrb),
    .mem_ack(mem_ack), .mem_rdata(mem_rdata), .mem_err(mem_err)
);

ram_disk #(.DATA_WIDTH(DATA_WIDTH), .LEN_WIDTH(LEN_WIDTH), .BLOCKS(DISK_BLOCKS)) disk_inst (
    .clk(clk), .rst(rst),
    .s_cmd_valid(cmd_valid), .s_cmd_ready(cmd_ready), .s_cmd_write(cmd_write),
    .s_cmd_block(cmd_block), .s_cmd_len(cmd_len),
    .m_sts_valid(sts_valid), .m_sts_ready(sts_ready), .m_sts_error(sts_error),
    .s_axis_tdata(tx_dev_tdata), .s_axis_tkeep(tx_dev_tkeep),
    .s_axis_tvalid(tx_dev_tvalid), .s_axis_tready(tx_dev_tready),
    .s_axis_tlast(tx_dev_tlast), .s_axis_tuser(tx_dev_tuser),
    .m_axis_tdata(rx_dev_tdata), .m_axis_tkeep(rx_dev_tkeep),
    .m_axis_tvalid(rx_dev_tvalid), .m_axis_tready(rx_dev_tready),
    .m_axis_tlast(rx_dev_tlast)
);

endmodule

`resetall
`default_nettype wire
