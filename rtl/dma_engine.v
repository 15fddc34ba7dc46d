/*
 * dma_engine: top level
 *
 * A block-device DMA engine: software programs a command through the
 * AXI4-Lite register file (docs/register-map.md); the engine sends one
 * command to the device, moves the data between memory (AXI4 master) and
 * the device (AXI4-Stream), takes the device's one status, and raises irq.
 *
 *   dma_regs   register file, command validation, BUSY/INTERRUPTING, irq
 *   dma_ctrl   device command and status, completion and residue
 *   dma_mm2s   DDI_DMA_WRITE: AR/R -> m_axis_dev
 *   dma_s2mm   DDI_DMA_READ: s_axis_dev -> AW/W/B
 *   dma_cmdq   command blocks in memory: submission FIFO, block and list
 *              fetch (prefetched), status write-back, completion FIFO
 *   dma_axi_rd_arb  AR/R shared by dma_mm2s and the block fetcher
 *   dma_axi_wr_arb  AW/W/B shared by dma_s2mm and the status write-back
 *
 * Register mode: one segment (dma_addr/dma_size) or a scatter-gather list
 * of up to SGLLEN segments in registers, all one device command. Segments
 * start and end at any byte; the datapaths realign between the memory
 * lanes and the packed device stream. Command blocks (QUEUE_DEPTH > 0):
 * each block is one device command on the same datapath, its segments
 * from dma_cmdq's entry store instead of the register list; the two
 * sources take turns (a block waits for a register-mode command, START
 * is refused while the queue has work).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_engine #
(
    // Width of the memory data bus in bits (32, 64, 128, ...)
    parameter DATA_WIDTH = 32,
    // Width of the memory address in bits (32..64)
    parameter ADDR_WIDTH = 32,
    // Width of the AXI4 ID signals (the engine uses ID 0 only)
    parameter ID_WIDTH = 4,
    // Longest AXI4 burst, in beats (1..256)
    parameter MAX_BURST_LEN = 16,
    // Width of the AXI4-Lite address (12 or more)
    parameter AXIL_ADDR_WIDTH = 12,
    // Width of dma_size and of the device command length (13..32)
    parameter LEN_WIDTH = 32,
    // Entries of the register scatter-gather list (1..240)
    parameter SGLLEN = 16,
    // Command-block submission and completion FIFO depth (0..16; 0: no
    // command blocks, none of their logic)
    parameter QUEUE_DEPTH = 4,
    // Width of wstrb/tkeep (bytes per beat)
    parameter STRB_WIDTH = (DATA_WIDTH/8)
)
(
    input  wire                       clk,
    input  wire                       rst,

    /*
     * AXI4-Lite slave: registers
     */
    input  wire [AXIL_ADDR_WIDTH-1:0] s_axil_awaddr,
    input  wire [2:0]                 s_axil_awprot,
    input  wire                       s_axil_awvalid,
    output wire                       s_axil_awready,
    input  wire [31:0]                s_axil_wdata,
    input  wire [3:0]                 s_axil_wstrb,
    input  wire                       s_axil_wvalid,
    output wire                       s_axil_wready,
    output wire [1:0]                 s_axil_bresp,
    output wire                       s_axil_bvalid,
    input  wire                       s_axil_bready,
    input  wire [AXIL_ADDR_WIDTH-1:0] s_axil_araddr,
    input  wire [2:0]                 s_axil_arprot,
    input  wire                       s_axil_arvalid,
    output wire                       s_axil_arready,
    output wire [31:0]                s_axil_rdata,
    output wire [1:0]                 s_axil_rresp,
    output wire                       s_axil_rvalid,
    input  wire                       s_axil_rready,

    /*
     * AXI4 master: memory
     */
    output wire [ID_WIDTH-1:0]        m_axi_awid,
    output wire [ADDR_WIDTH-1:0]      m_axi_awaddr,
    output wire [7:0]                 m_axi_awlen,
    output wire [2:0]                 m_axi_awsize,
    output wire [1:0]                 m_axi_awburst,
    output wire                       m_axi_awlock,
    output wire [3:0]                 m_axi_awcache,
    output wire [2:0]                 m_axi_awprot,
    output wire                       m_axi_awvalid,
    input  wire                       m_axi_awready,
    output wire [DATA_WIDTH-1:0]      m_axi_wdata,
    output wire [STRB_WIDTH-1:0]      m_axi_wstrb,
    output wire                       m_axi_wlast,
    output wire                       m_axi_wvalid,
    input  wire                       m_axi_wready,
    input  wire [ID_WIDTH-1:0]        m_axi_bid,
    input  wire [1:0]                 m_axi_bresp,
    input  wire                       m_axi_bvalid,
    output wire                       m_axi_bready,
    output wire [ID_WIDTH-1:0]        m_axi_arid,
    output wire [ADDR_WIDTH-1:0]      m_axi_araddr,
    output wire [7:0]                 m_axi_arlen,
    output wire [2:0]                 m_axi_arsize,
    output wire [1:0]                 m_axi_arburst,
    output wire                       m_axi_arlock,
    output wire [3:0]                 m_axi_arcache,
    output wire [2:0]                 m_axi_arprot,
    output wire                       m_axi_arvalid,
    input  wire                       m_axi_arready,
    input  wire [ID_WIDTH-1:0]        m_axi_rid,
    input  wire [DATA_WIDTH-1:0]      m_axi_rdata,
    input  wire [1:0]                 m_axi_rresp,
    input  wire                       m_axi_rlast,
    input  wire                       m_axi_rvalid,
    output wire                       m_axi_rready,

    /*
     * Device command (one per engine command, before any data)
     */
    output wire                       m_dev_cmd_valid,
    input  wire                       m_dev_cmd_ready,
    output wire                       m_dev_cmd_write,   // 1: DDI_DMA_WRITE (memory to device), 0: DDI_DMA_READ
    output wire [31:0]                m_dev_cmd_block,
    output wire [LEN_WIDTH-1:0]       m_dev_cmd_len,

    /*
     * Device status (one per command, after its data)
     */
    input  wire                       s_dev_sts_valid,
    output wire                       s_dev_sts_ready,
    input  wire                       s_dev_sts_error,

    /*
     * Data memory -> device
     */
    output wire [DATA_WIDTH-1:0]      m_axis_dev_tdata,
    output wire [STRB_WIDTH-1:0]      m_axis_dev_tkeep,
    output wire                       m_axis_dev_tvalid,
    input  wire                       m_axis_dev_tready,
    output wire                       m_axis_dev_tlast,
    output wire                       m_axis_dev_tuser,  // abort beat: no data, tkeep 0, tlast 1

    /*
     * Data device -> memory
     */
    input  wire [DATA_WIDTH-1:0]      s_axis_dev_tdata,
    input  wire [STRB_WIDTH-1:0]      s_axis_dev_tkeep,
    input  wire                       s_axis_dev_tvalid,
    output wire                       s_axis_dev_tready,
    input  wire                       s_axis_dev_tlast,

    /*
     * Interrupt: level, INTERRUPTING & ENABLE_INTERRUPTS
     */
    output wire                       irq
);

// bursts in flight per direction: enough to hide a few cycles of memory
// latency behind 16-beat bursts
localparam MAX_OUTSTANDING = 4;

localparam OFFSET = $clog2(STRB_WIDTH);
localparam [2:0] AXI_SIZE = OFFSET[2:0];

`ifndef SYNTHESIS
// parameter checks (simulation and lint only)
initial begin
    if (STRB_WIDTH * 8 != DATA_WIDTH || STRB_WIDTH < 2 || (STRB_WIDTH & (STRB_WIDTH - 1)) != 0) begin
        $display("Error: DATA_WIDTH must be a power of two of 16 bits or more (instance %m)");
        $finish;
    end
    if (ADDR_WIDTH < 32 || ADDR_WIDTH > 64) begin
        $display("Error: ADDR_WIDTH must be 32..64 (instance %m)");
        $finish;
    end
    if (MAX_BURST_LEN < 1 || MAX_BURST_LEN > 256) begin
        $display("Error: MAX_BURST_LEN must be 1..256 (instance %m)");
        $finish;
    end
    if (AXIL_ADDR_WIDTH < 12) begin
        $display("Error: AXIL_ADDR_WIDTH must be 12 or more (instance %m)");
        $finish;
    end
    if (SGLLEN < 1 || SGLLEN > 240) begin
        $display("Error: SGLLEN must be 1..240 (instance %m)");
        $finish;
    end
    if (LEN_WIDTH < 13 || LEN_WIDTH > 32) begin
        $display("Error: LEN_WIDTH must be 13..32 (instance %m)");
        $finish;
    end
    if (QUEUE_DEPTH < 0 || QUEUE_DEPTH > 16) begin
        $display("Error: QUEUE_DEPTH must be 0..16 (instance %m)");
        $finish;
    end
end
`endif

// the command on the datapath: from the register file or from dma_cmdq
wire                  cmd_start;
wire                  cmd_write;
wire [LEN_WIDTH-1:0]  cmd_len;
wire [31:0]           cmd_block;
wire                  cmd_abort;
wire                  reg_cmd_start;
wire                  reg_cmd_write;
wire                  reg_cmd_start_wr;
wire                  reg_cmd_start_rd;
wire [LEN_WIDTH-1:0]  reg_cmd_len;
wire [31:0]           reg_cmd_block;
wire                  reg_cmd_abort;
wire                  reg_busy;

wire                  seg_valid;
wire [ADDR_WIDTH-1:0] seg_addr;
wire [LEN_WIDTH-1:0]  seg_len;
// (the datapaths take a segment at start too: seg_ready says the other
// cycles, from their registers, and cmd_start is the source's register)
wire                  seg_ready = cmd_start || mm2s_seg_ready || s2mm_seg_ready;
wire                  reg_seg_valid;
wire [ADDR_WIDTH-1:0] reg_seg_addr;
wire [LEN_WIDTH-1:0]  reg_seg_len;
wire                  mm2s_seg_ready;
wire                  s2mm_seg_ready;
wire                  abort;

// dma_cmdq's side (constants when QUEUE_DEPTH is 0)
wire                  q_dp_start;
wire                  q_dp_sel;
wire                  q_dp_write;
wire [LEN_WIDTH-1:0]  q_dp_len;
wire [31:0]           q_dp_block;
wire                  q_dp_abort;
wire                  q_seg_valid;
wire [ADDR_WIDTH-1:0] q_seg_addr;
wire [LEN_WIDTH-1:0]  q_seg_len;
wire                  q_db_valid;
wire [63:0]           q_db_addr;
wire                  q_pop;
wire                  q_abort;
wire                  q_halt;
wire                  q_clear;
wire                  q_prot_on;
wire [63:0]           q_prot_base;
wire [63:0]           q_prot_limit;
wire [31:0]           q_coalesce;
wire                  q_sq_full;
wire [7:0]            q_sq_count;
wire [7:0]            q_cq_count;
wire                  q_active;
wire                  q_pending;
wire                  q_quiet;
wire                  q_irq;
wire                  q_cq_valid;
wire [63:0]           q_cq_addr;
wire [3:0]            q_cq_code;
wire                  q_cq_not_started;
wire                  q_cq_no_writeback;
wire [31:0]           q_cq_resid;

// the datapaths' own AXI ports, before sharing
wire [ADDR_WIDTH-1:0] mm2s_araddr;
wire [7:0]            mm2s_arlen;
wire                  mm2s_arvalid;
wire                  mm2s_arready;
wire                  mm2s_rvalid;
wire                  mm2s_rready;
wire [ADDR_WIDTH-1:0] s2mm_awaddr;
wire [7:0]            s2mm_awlen;
wire                  s2mm_awvalid;
wire                  s2mm_awready;
wire [DATA_WIDTH-1:0] s2mm_wdata;
wire [STRB_WIDTH-1:0] s2mm_wstrb;
wire                  s2mm_wlast;
wire                  s2mm_wvalid;
wire                  s2mm_wready;
wire                  s2mm_bvalid;
wire                  s2mm_bready;

wire                  done_early;
wire                  done_early_err;
wire                  s2mm_last_b;

wire                  done;
wire                  done_err_rd;
wire                  done_err_wr;
wire                  done_err_dev;
wire                  done_aborted;
wire [LEN_WIDTH-1:0]  done_resid;
wire [ADDR_WIDTH-1:0] done_fault_addr;
wire [LEN_WIDTH-1:0]  xfer_bytes;

wire                  mm2s_start;
wire                  s2mm_start;
wire                  stream_enable;
wire                  mm2s_busy;
wire                  mm2s_err;
wire [ADDR_WIDTH-1:0] mm2s_err_addr;
wire [LEN_WIDTH-1:0]  mm2s_xfer_bytes;
wire [LEN_WIDTH-1:0]  mm2s_resid;
wire                  s2mm_busy;
wire                  s2mm_err;
wire [ADDR_WIDTH-1:0] s2mm_err_addr;
wire                  s2mm_dev_err;
wire [LEN_WIDTH-1:0]  s2mm_xfer_bytes;
wire [LEN_WIDTH-1:0]  s2mm_resid;

// fixed AXI4 attributes: ID 0 (responses in order), INCR, full-width
// beats, normal non-cacheable bufferable, unprivileged secure data
assign m_axi_awid = {ID_WIDTH{1'b0}};
assign m_axi_awsize = AXI_SIZE;
assign m_axi_awburst = 2'b01;
assign m_axi_awlock = 1'b0;
assign m_axi_awcache = 4'b0011;
assign m_axi_awprot = 3'b000;
assign m_axi_arid = {ID_WIDTH{1'b0}};
assign m_axi_arsize = AXI_SIZE;
assign m_axi_arburst = 2'b01;
assign m_axi_arlock = 1'b0;
assign m_axi_arcache = 4'b0011;
assign m_axi_arprot = 3'b000;

dma_regs #(
    .ADDR_WIDTH(ADDR_WIDTH),
    .LEN_WIDTH(LEN_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN),
    .AXIL_ADDR_WIDTH(AXIL_ADDR_WIDTH),
    .SGLLEN(SGLLEN),
    .MAX_OUTSTANDING(MAX_OUTSTANDING),
    .QUEUE_DEPTH(QUEUE_DEPTH)
)
regs_inst (
    .clk(clk),
    .rst(rst),
    .s_axil_awaddr(s_axil_awaddr),
    .s_axil_awvalid(s_axil_awvalid),
    .s_axil_awready(s_axil_awready),
    .s_axil_wdata(s_axil_wdata),
    .s_axil_wstrb(s_axil_wstrb),
    .s_axil_wvalid(s_axil_wvalid),
    .s_axil_wready(s_axil_wready),
    .s_axil_bresp(s_axil_bresp),
    .s_axil_bvalid(s_axil_bvalid),
    .s_axil_bready(s_axil_bready),
    .s_axil_araddr(s_axil_araddr),
    .s_axil_arvalid(s_axil_arvalid),
    .s_axil_arready(s_axil_arready),
    .s_axil_rdata(s_axil_rdata),
    .s_axil_rresp(s_axil_rresp),
    .s_axil_rvalid(s_axil_rvalid),
    .s_axil_rready(s_axil_rready),
    .cmd_start(reg_cmd_start),
    .cmd_write(reg_cmd_write),
    .cmd_start_wr(reg_cmd_start_wr),
    .cmd_start_rd(reg_cmd_start_rd),
    .cmd_len(reg_cmd_len),
    .cmd_block(reg_cmd_block),
    .cmd_abort(reg_cmd_abort),
    .seg_valid(reg_seg_valid),
    .seg_addr(reg_seg_addr),
    .seg_len(reg_seg_len),
    // only the datapath of the command's direction takes segments
    .seg_ready(seg_ready && !q_dp_sel),
    .done(done && !q_dp_sel),
    .done_err_rd(done_err_rd),
    .done_err_wr(done_err_wr),
    .done_err_dev(done_err_dev),
    .done_aborted(done_aborted),
    .done_resid(done_resid),
    .done_fault_addr(done_fault_addr),
    .xfer_bytes(xfer_bytes),
    .done_early(done_early && !q_dp_sel),
    .done_early_err(done_early_err),
    .reg_busy(reg_busy),
    .q_db_valid(q_db_valid),
    .q_db_addr(q_db_addr),
    .q_pop(q_pop),
    .q_abort(q_abort),
    .q_halt(q_halt),
    .q_clear(q_clear),
    .q_prot_on(q_prot_on),
    .q_prot_base(q_prot_base),
    .q_prot_limit(q_prot_limit),
    .q_coalesce(q_coalesce),
    .q_sq_full(q_sq_full),
    .q_sq_count(q_sq_count),
    .q_cq_count(q_cq_count),
    .q_active(q_active),
    .q_pending(q_pending),
    .q_quiet(q_quiet),
    .q_irq(q_irq),
    .q_cq_valid(q_cq_valid),
    .q_cq_addr(q_cq_addr),
    .q_cq_code(q_cq_code),
    .q_cq_not_started(q_cq_not_started),
    .q_cq_no_writeback(q_cq_no_writeback),
    .q_cq_resid(q_cq_resid),
    .irq(irq)
);

// the datapath runs one command at a time, from either source
assign cmd_start = reg_cmd_start || q_dp_start;
assign cmd_write = q_dp_sel ? q_dp_write : reg_cmd_write;
// each datapath's start (the register file's are registers of their own)
assign mm2s_start = reg_cmd_start_wr || (q_dp_start && q_dp_write);
assign s2mm_start = reg_cmd_start_rd || (q_dp_start && !q_dp_write);
assign cmd_len = q_dp_sel ? q_dp_len : reg_cmd_len;
assign cmd_block = q_dp_sel ? q_dp_block : reg_cmd_block;
assign cmd_abort = reg_cmd_abort || q_dp_abort;
assign seg_valid = q_dp_sel ? q_seg_valid : reg_seg_valid;
assign seg_addr = q_dp_sel ? q_seg_addr : reg_seg_addr;
assign seg_len = q_dp_sel ? q_seg_len : reg_seg_len;

dma_ctrl #(
    .ADDR_WIDTH(ADDR_WIDTH),
    .LEN_WIDTH(LEN_WIDTH)
)
ctrl_inst (
    .clk(clk),
    .rst(rst),
    .start(cmd_start),
    .start_write(cmd_write),
    .start_len(cmd_len),
    .abort_req(cmd_abort),
    .start_block(cmd_block),
    .stream_enable(stream_enable),
    .abort(abort),
    .mm2s_busy(mm2s_busy),
    .mm2s_err(mm2s_err),
    .mm2s_err_addr(mm2s_err_addr),
    .mm2s_xfer_bytes(mm2s_xfer_bytes),
    .mm2s_resid(mm2s_resid),
    .s2mm_busy(s2mm_busy),
    .s2mm_err(s2mm_err),
    .s2mm_err_addr(s2mm_err_addr),
    .s2mm_dev_err(s2mm_dev_err),
    .s2mm_xfer_bytes(s2mm_xfer_bytes),
    .s2mm_resid(s2mm_resid),
    .s2mm_last_b(s2mm_last_b),
    .s2mm_b_err(m_axi_bresp != 2'b00),
    .m_dev_cmd_valid(m_dev_cmd_valid),
    .m_dev_cmd_ready(m_dev_cmd_ready),
    .m_dev_cmd_write(m_dev_cmd_write),
    .m_dev_cmd_block(m_dev_cmd_block),
    .m_dev_cmd_len(m_dev_cmd_len),
    .s_dev_sts_valid(s_dev_sts_valid),
    .s_dev_sts_ready(s_dev_sts_ready),
    .s_dev_sts_error(s_dev_sts_error),
    .done(done),
    .done_err_rd(done_err_rd),
    .done_err_wr(done_err_wr),
    .done_err_dev(done_err_dev),
    .done_aborted(done_aborted),
    .done_resid(done_resid),
    .done_fault_addr(done_fault_addr),
    .xfer_bytes(xfer_bytes),
    .done_early(done_early),
    .done_early_err(done_early_err)
);

dma_mm2s #(
    .DATA_WIDTH(DATA_WIDTH),
    .ADDR_WIDTH(ADDR_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .LEN_WIDTH(LEN_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN),
    .MAX_OUTSTANDING(MAX_OUTSTANDING)
)
mm2s_inst (
    .clk(clk),
    .rst(rst),
    .start(mm2s_start),
    .start_len(cmd_len),
    .cmd_len(m_dev_cmd_len),
    .stream_enable(stream_enable),
    .abort(abort),
    // segments go to the command's direction only
    .seg_valid(seg_valid && cmd_write),
    .seg_addr(seg_addr),
    .seg_len(seg_len),
    .seg_ready(mm2s_seg_ready),
    .busy(mm2s_busy),
    .err(mm2s_err),
    .err_addr(mm2s_err_addr),
    .xfer_bytes(mm2s_xfer_bytes),
    .resid(mm2s_resid),
    .m_axi_araddr(mm2s_araddr),
    .m_axi_arlen(mm2s_arlen),
    .m_axi_arvalid(mm2s_arvalid),
    .m_axi_arready(mm2s_arready),
    .m_axi_rdata(m_axi_rdata),
    .m_axi_rresp(m_axi_rresp),
    .m_axi_rlast(m_axi_rlast),
    .m_axi_rvalid(mm2s_rvalid),
    .m_axi_rready(mm2s_rready),
    .m_axis_tdata(m_axis_dev_tdata),
    .m_axis_tkeep(m_axis_dev_tkeep),
    .m_axis_tvalid(m_axis_dev_tvalid),
    .m_axis_tready(m_axis_dev_tready),
    .m_axis_tlast(m_axis_dev_tlast),
    .m_axis_tuser(m_axis_dev_tuser)
);

dma_s2mm #(
    .DATA_WIDTH(DATA_WIDTH),
    .ADDR_WIDTH(ADDR_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .LEN_WIDTH(LEN_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN),
    .MAX_OUTSTANDING(MAX_OUTSTANDING)
)
s2mm_inst (
    .clk(clk),
    .rst(rst),
    .start(s2mm_start),
    .start_len(cmd_len),
    .abort(abort),
    .seg_valid(seg_valid && !cmd_write),
    .seg_addr(seg_addr),
    .seg_len(seg_len),
    .seg_ready(s2mm_seg_ready),
    .busy(s2mm_busy),
    .err(s2mm_err),
    .err_addr(s2mm_err_addr),
    .dev_err(s2mm_dev_err),
    .xfer_bytes(s2mm_xfer_bytes),
    .resid(s2mm_resid),
    .m_axi_awaddr(s2mm_awaddr),
    .m_axi_awlen(s2mm_awlen),
    .m_axi_awvalid(s2mm_awvalid),
    .m_axi_awready(s2mm_awready),
    .m_axi_wdata(s2mm_wdata),
    .m_axi_wstrb(s2mm_wstrb),
    .m_axi_wlast(s2mm_wlast),
    .m_axi_wvalid(s2mm_wvalid),
    .m_axi_wready(s2mm_wready),
    .m_axi_bresp(m_axi_bresp),
    .m_axi_bvalid(s2mm_bvalid),
    .m_axi_bready(s2mm_bready),
    .s_axis_tdata(s_axis_dev_tdata),
    .s_axis_tkeep(s_axis_dev_tkeep),
    .s_axis_tvalid(s_axis_dev_tvalid),
    .s_axis_tready(s_axis_dev_tready),
    .s_axis_tlast(s_axis_dev_tlast)
);

/*
 * The last B response of a DDI_DMA_READ, seen as it happens (for
 * done_early): dma_s2mm's AW bursts not yet answered, its bursts not yet
 * fully written, and whether the device stream has ended, counted on its
 * own ports. When the one burst left is answered, every W beat is out,
 * nothing more is asked on AW or W and the stream is over, dma_s2mm drops
 * busy in the next cycle. (The counts and the stream's end are looked at
 * through one register worked out from their next values, s2mm_arm_reg:
 * the B handshake's path to irq is a LUT shorter.)
 */
reg [2:0] s2mm_aw_out_reg = 3'd0, s2mm_aw_out_next;
reg [2:0] s2mm_w_open_reg = 3'd0, s2mm_w_open_next;
reg s2mm_tlast_reg = 1'b0, s2mm_tlast_next;
// one burst not answered, every burst fully written, the stream ended
reg s2mm_arm_reg = 1'b0;
wire s2mm_aw_hs = s2mm_awvalid && s2mm_awready;
wire s2mm_wlast_hs = s2mm_wvalid && s2mm_wready && s2mm_wlast;
wire s2mm_b_hs = s2mm_bvalid && s2mm_bready;

assign s2mm_last_b = s2mm_b_hs && s2mm_arm_reg && !s2mm_awvalid && !s2mm_wvalid;

always @* begin
    s2mm_aw_out_next = s2mm_aw_out_reg + {2'd0, s2mm_aw_hs} - {2'd0, s2mm_b_hs};
    s2mm_w_open_next = s2mm_w_open_reg + {2'd0, s2mm_aw_hs} - {2'd0, s2mm_wlast_hs};
    s2mm_tlast_next = s2mm_tlast_reg;
    if (s_axis_dev_tvalid && s_axis_dev_tready && s_axis_dev_tlast) begin
        s2mm_tlast_next = 1'b1;
    end
    if (s2mm_start) begin
        s2mm_tlast_next = 1'b0;
    end
end

always @(posedge clk) begin
    s2mm_aw_out_reg <= s2mm_aw_out_next;
    s2mm_w_open_reg <= s2mm_w_open_next;
    s2mm_tlast_reg <= s2mm_tlast_next;
    s2mm_arm_reg <= s2mm_aw_out_next == 3'd1 && s2mm_w_open_next == 3'd0 && s2mm_tlast_next;
    if (rst) begin
        s2mm_aw_out_reg <= 3'd0;
        s2mm_w_open_reg <= 3'd0;
        s2mm_tlast_reg <= 1'b0;
        s2mm_arm_reg <= 1'b0;
    end
end

generate
    if (QUEUE_DEPTH > 0) begin : g_queue
        wire [ADDR_WIDTH-1:0] fetch_araddr;
        wire [7:0]            fetch_arlen;
        wire                  fetch_arvalid;
        wire                  fetch_arready;
        wire                  fetch_rvalid;
        wire                  fetch_rready;
        wire [ADDR_WIDTH-1:0] wb_awaddr;
        wire [7:0]            wb_awlen;
        wire                  wb_awvalid;
        wire                  wb_awready;
        wire [DATA_WIDTH-1:0] wb_wdata;
        wire [STRB_WIDTH-1:0] wb_wstrb;
        wire                  wb_wlast;
        wire                  wb_wvalid;
        wire                  wb_wready;
        wire                  wb_bvalid;
        wire                  wb_bready;

        dma_cmdq #(
            .DATA_WIDTH(DATA_WIDTH),
            .ADDR_WIDTH(ADDR_WIDTH),
            .STRB_WIDTH(STRB_WIDTH),
            .LEN_WIDTH(LEN_WIDTH),
            .MAX_BURST_LEN(MAX_BURST_LEN),
            .SGLLEN(SGLLEN),
            .QUEUE_DEPTH(QUEUE_DEPTH)
        )
        cmdq_inst (
            .clk(clk),
            .rst(rst),
            .db_valid(q_db_valid),
            .db_addr(q_db_addr),
            .pop(q_pop),
            .abort(q_abort),
            .halt(q_halt),
            .clear(q_clear),
            .reg_busy(reg_busy),
            .prot_on(q_prot_on),
            .prot_base(q_prot_base),
            .prot_limit(q_prot_limit),
            .coalesce(q_coalesce),
            .sq_full(q_sq_full),
            .sq_count(q_sq_count),
            .cq_count(q_cq_count),
            .q_active(q_active),
            .q_pending(q_pending),
            .q_quiet(q_quiet),
            .q_irq(q_irq),
            .cq_valid(q_cq_valid),
            .cq_addr(q_cq_addr),
            .cq_code(q_cq_code),
            .cq_not_started(q_cq_not_started),
            .cq_no_writeback(q_cq_no_writeback),
            .cq_resid(q_cq_resid),
            .dp_start(q_dp_start),
            .dp_sel(q_dp_sel),
            .dp_write(q_dp_write),
            .dp_len(q_dp_len),
            .dp_block(q_dp_block),
            .dp_abort(q_dp_abort),
            .seg_valid(q_seg_valid),
            .seg_addr(q_seg_addr),
            .seg_len(q_seg_len),
            .seg_ready(seg_ready && q_dp_sel),
            .done(done),
            .done_err_rd(done_err_rd),
            .done_err_wr(done_err_wr),
            .done_err_dev(done_err_dev),
            .done_aborted(done_aborted),
            .done_resid(done_resid),
            .done_fault_addr(done_fault_addr),
            .m_axi_araddr(fetch_araddr),
            .m_axi_arlen(fetch_arlen),
            .m_axi_arvalid(fetch_arvalid),
            .m_axi_arready(fetch_arready),
            .m_axi_rdata(m_axi_rdata),
            .m_axi_rresp(m_axi_rresp),
            .m_axi_rlast(m_axi_rlast),
            .m_axi_rvalid(fetch_rvalid),
            .m_axi_rready(fetch_rready),
            .m_axi_awaddr(wb_awaddr),
            .m_axi_awlen(wb_awlen),
            .m_axi_awvalid(wb_awvalid),
            .m_axi_awready(wb_awready),
            .m_axi_wdata(wb_wdata),
            .m_axi_wstrb(wb_wstrb),
            .m_axi_wlast(wb_wlast),
            .m_axi_wvalid(wb_wvalid),
            .m_axi_wready(wb_wready),
            .m_axi_bresp(m_axi_bresp),
            .m_axi_bvalid(wb_bvalid),
            .m_axi_bready(wb_bready)
        );

        dma_axi_rd_arb #(
            .ADDR_WIDTH(ADDR_WIDTH),
            .FIFO_DEPTH(8)
        )
        rd_arb_inst (
            .clk(clk),
            .rst(rst),
            .s0_araddr(mm2s_araddr),
            .s0_arlen(mm2s_arlen),
            .s0_arvalid(mm2s_arvalid),
            .s0_arready(mm2s_arready),
            .s0_rvalid(mm2s_rvalid),
            .s0_rready(mm2s_rready),
            .s1_araddr(fetch_araddr),
            .s1_arlen(fetch_arlen),
            .s1_arvalid(fetch_arvalid),
            .s1_arready(fetch_arready),
            .s1_rvalid(fetch_rvalid),
            .s1_rready(fetch_rready),
            .m_axi_araddr(m_axi_araddr),
            .m_axi_arlen(m_axi_arlen),
            .m_axi_arvalid(m_axi_arvalid),
            .m_axi_arready(m_axi_arready),
            .m_axi_rlast(m_axi_rlast),
            .m_axi_rvalid(m_axi_rvalid),
            .m_axi_rready(m_axi_rready)
        );

        dma_axi_wr_arb #(
            .DATA_WIDTH(DATA_WIDTH),
            .ADDR_WIDTH(ADDR_WIDTH),
            .STRB_WIDTH(STRB_WIDTH),
            .FIFO_DEPTH(8)
        )
        wr_arb_inst (
            .clk(clk),
            .rst(rst),
            .s0_awaddr(s2mm_awaddr),
            .s0_awlen(s2mm_awlen),
            .s0_awvalid(s2mm_awvalid),
            .s0_awready(s2mm_awready),
            .s0_wdata(s2mm_wdata),
            .s0_wstrb(s2mm_wstrb),
            .s0_wlast(s2mm_wlast),
            .s0_wvalid(s2mm_wvalid),
            .s0_wready(s2mm_wready),
            .s0_bvalid(s2mm_bvalid),
            .s0_bready(s2mm_bready),
            .s1_awaddr(wb_awaddr),
            .s1_awlen(wb_awlen),
            .s1_awvalid(wb_awvalid),
            .s1_awready(wb_awready),
            .s1_wdata(wb_wdata),
            .s1_wstrb(wb_wstrb),
            .s1_wlast(wb_wlast),
            .s1_wvalid(wb_wvalid),
            .s1_wready(wb_wready),
            .s1_bvalid(wb_bvalid),
            .s1_bready(wb_bready),
            .m_axi_awaddr(m_axi_awaddr),
            .m_axi_awlen(m_axi_awlen),
            .m_axi_awvalid(m_axi_awvalid),
            .m_axi_awready(m_axi_awready),
            .m_axi_wdata(m_axi_wdata),
            .m_axi_wstrb(m_axi_wstrb),
            .m_axi_wlast(m_axi_wlast),
            .m_axi_wvalid(m_axi_wvalid),
            .m_axi_wready(m_axi_wready),
            .m_axi_bvalid(m_axi_bvalid),
            .m_axi_bready(m_axi_bready)
        );
    end else begin : g_queue
        // no queue: the datapaths own the AXI4 port, the queue reads idle
        assign m_axi_araddr = mm2s_araddr;
        assign m_axi_arlen = mm2s_arlen;
        assign m_axi_arvalid = mm2s_arvalid;
        assign mm2s_arready = m_axi_arready;
        assign mm2s_rvalid = m_axi_rvalid;
        assign m_axi_rready = mm2s_rready;
        assign m_axi_awaddr = s2mm_awaddr;
        assign m_axi_awlen = s2mm_awlen;
        assign m_axi_awvalid = s2mm_awvalid;
        assign s2mm_awready = m_axi_awready;
        assign m_axi_wdata = s2mm_wdata;
        assign m_axi_wstrb = s2mm_wstrb;
        assign m_axi_wlast = s2mm_wlast;
        assign m_axi_wvalid = s2mm_wvalid;
        assign s2mm_wready = m_axi_wready;
        assign s2mm_bvalid = m_axi_bvalid;
        assign m_axi_bready = s2mm_bready;

        assign q_dp_start = 1'b0;
        assign q_dp_sel = 1'b0;
        assign q_dp_write = 1'b0;
        assign q_dp_len = {LEN_WIDTH{1'b0}};
        assign q_dp_block = 32'd0;
        assign q_dp_abort = 1'b0;
        assign q_seg_valid = 1'b0;
        assign q_seg_addr = {ADDR_WIDTH{1'b0}};
        assign q_seg_len = {LEN_WIDTH{1'b0}};
        assign q_sq_full = 1'b1;
        assign q_sq_count = 8'd0;
        assign q_cq_count = 8'd0;
        assign q_active = 1'b0;
        assign q_pending = 1'b0;
        assign q_quiet = 1'b1;
        assign q_irq = 1'b0;
        assign q_cq_valid = 1'b0;
        assign q_cq_addr = 64'd0;
        assign q_cq_code = 4'd0;
        assign q_cq_not_started = 1'b0;
        assign q_cq_no_writeback = 1'b0;
        assign q_cq_resid = 32'd0;
        // what the register file offers the queue goes nowhere
        wire unused_q = ^{q_db_valid, q_db_addr, q_pop, q_abort, q_halt, q_clear, q_prot_on,
                          q_prot_base, q_prot_limit, q_coalesce, reg_busy, q_seg_len, q_seg_addr,
                          q_dp_len, q_dp_block};
    end
endgenerate

`ifdef VERILATOR
/*
 * Protocol assertions (Verilator only, so the RTL stays Verilog-2005 for
 * Icarus and Yosys; active in every simulation built with --assert, as
 * verilated/CMakeLists.txt does). They check the rules the engine must
 * keep as a master and as a stream source, not the models around it:
 *   - AR, AW, W, the device command and the device stream: valid held
 *     until ready, payload stable while held;
 *   - no AR or AW burst crosses a 4 KiB boundary;
 *   - W never leads AW, and WLAST is on the last beat of its burst, no
 *     earlier and no later (AW lengths kept in a small FIFO here);
 *   - AXI4-Lite B and R held until ready;
 *   - the datapath runs one command at a time: a queued block never starts
 *     while a register-mode command runs and the other way round;
 *   - done_early (irq before the registers) is always followed by done
 *     two cycles later, when dma_s2mm's busy is low; no AXI4-Lite read is
 *     taken in between, nor answered with data chosen before the result
 *     registers are in (R rising two or three cycles after done_early).
 * W beats of one burst never interleave with another's and the shared R/B
 * go to their owner: the WLAST check above would see it otherwise.
 */
localparam CHK_DEPTH = 16;

reg chk_ar_hold_reg = 1'b0;
reg [ADDR_WIDTH-1:0] chk_araddr_reg = {ADDR_WIDTH{1'b0}};
reg [7:0] chk_arlen_reg = 8'd0;
reg chk_aw_hold_reg = 1'b0;
reg [ADDR_WIDTH-1:0] chk_awaddr_reg = {ADDR_WIDTH{1'b0}};
reg [7:0] chk_awlen_reg = 8'd0;
reg chk_w_hold_reg = 1'b0;
reg [DATA_WIDTH-1:0] chk_wdata_reg = {DATA_WIDTH{1'b0}};
reg [STRB_WIDTH-1:0] chk_wstrb_reg = {STRB_WIDTH{1'b0}};
reg chk_wlast_reg = 1'b0;
reg chk_cmd_hold_reg = 1'b0;
reg [31:0] chk_cmd_block_reg = 32'd0;
reg [LEN_WIDTH-1:0] chk_cmd_len_reg = {LEN_WIDTH{1'b0}};
reg chk_tx_hold_reg = 1'b0;
reg [DATA_WIDTH-1:0] chk_tdata_reg = {DATA_WIDTH{1'b0}};
reg chk_tlast_reg = 1'b0;
reg chk_b_hold_reg = 1'b0;
reg chk_r_hold_reg = 1'b0;
reg [1:0] chk_early_reg = 2'b00;
// (a register-mode command's done_early, which the register file sees)
reg [2:0] chk_rearly_reg = 3'b000;
reg chk_rvalid_reg = 1'b0;
reg [31:0] chk_rdata_reg = 32'd0;

// AW lengths accepted and not yet written, W beat count in the open burst
reg [7:0] chk_awlen_mem[0:CHK_DEPTH-1];
reg [4:0] chk_aw_count_reg = 5'd0;
reg [3:0] chk_aw_wr_reg = 4'd0;
reg [3:0] chk_w_rd_reg = 4'd0;
reg [8:0] chk_w_beat_reg = 9'd0;

wire [12:0] chk_ar_end = {1'b0, m_axi_araddr[11:0]} + (({5'd0, m_axi_arlen} + 13'd1) << OFFSET);
wire [12:0] chk_aw_end = {1'b0, m_axi_awaddr[11:0]} + (({5'd0, m_axi_awlen} + 13'd1) << OFFSET);
wire chk_aw_hs = m_axi_awvalid && m_axi_awready;
wire chk_w_hs = m_axi_wvalid && m_axi_wready;
wire [7:0] chk_w_len = chk_awlen_mem[chk_w_rd_reg];

always @(posedge clk) begin
    if (!rst) begin
        if (chk_ar_hold_reg) begin
            assert (m_axi_arvalid && m_axi_araddr == chk_araddr_reg && m_axi_arlen == chk_arlen_reg)
                else $error("AR dropped or changed before arready");
        end
        if (chk_aw_hold_reg) begin
            assert (m_axi_awvalid && m_axi_awaddr == chk_awaddr_reg && m_axi_awlen == chk_awlen_reg)
                else $error("AW dropped or changed before awready");
        end
        if (chk_w_hold_reg) begin
            assert (m_axi_wvalid && m_axi_wdata == chk_wdata_reg && m_axi_wstrb == chk_wstrb_reg &&
                    m_axi_wlast == chk_wlast_reg)
                else $error("W dropped or changed before wready");
        end
        if (chk_cmd_hold_reg) begin
            assert (m_dev_cmd_valid && m_dev_cmd_block == chk_cmd_block_reg && m_dev_cmd_len == chk_cmd_len_reg)
                else $error("device command dropped or changed before ready");
        end
        if (chk_tx_hold_reg) begin
            assert (m_axis_dev_tvalid && m_axis_dev_tdata == chk_tdata_reg && m_axis_dev_tlast == chk_tlast_reg)
                else $error("device stream beat dropped or changed before tready");
        end
        if (chk_b_hold_reg) begin
            assert (s_axil_bvalid) else $error("AXI4-Lite B dropped before bready");
        end
        if (chk_r_hold_reg) begin
            assert (s_axil_rvalid && s_axil_rdata == chk_rdata_reg)
                else $error("AXI4-Lite R dropped or changed before rready");
        end
        if (chk_early_reg[1]) begin
            assert (done && !s2mm_busy) else $error("done_early not followed by done");
        end
        if (chk_rearly_reg[1:0] != 2'b00) begin
            assert (!(s_axil_arvalid && s_axil_arready))
                else $error("AXI4-Lite read taken between done_early and done");
        end
        if (chk_rearly_reg[2:1] != 2'b00) begin
            assert (!(s_axil_rvalid && !chk_rvalid_reg))
                else $error("AXI4-Lite read answered with registers from before done");
        end
        assert (!(q_dp_start && (reg_busy || reg_cmd_start)) && !(reg_cmd_start && q_dp_sel))
            else $error("a queued block and a register-mode command on the datapath at once");
        if (m_axi_arvalid) begin
            assert (chk_ar_end <= 13'h1000) else $error("AR burst crosses a 4 KiB boundary");
        end
        if (m_axi_awvalid) begin
            assert (chk_aw_end <= 13'h1000) else $error("AW burst crosses a 4 KiB boundary");
        end
        if (m_axi_wvalid) begin
            // the burst this beat belongs to was accepted on AW, at the
            // latest in this very cycle
            assert (chk_aw_count_reg != 5'd0 || chk_aw_hs) else $error("W leads AW");
        end
        if (chk_w_hs && chk_aw_count_reg != 5'd0) begin
            assert (m_axi_wlast == ({1'b0, chk_w_len} == chk_w_beat_reg))
                else $error("WLAST not on the last beat of its burst");
        end
    end

    chk_ar_hold_reg <= m_axi_arvalid && !m_axi_arready;
    chk_araddr_reg <= m_axi_araddr;
    chk_arlen_reg <= m_axi_arlen;
    chk_aw_hold_reg <= m_axi_awvalid && !m_axi_awready;
    chk_awaddr_reg <= m_axi_awaddr;
    chk_awlen_reg <= m_axi_awlen;
    chk_w_hold_reg <= m_axi_wvalid && !m_axi_wready;
    chk_wdata_reg <= m_axi_wdata;
    chk_wstrb_reg <= m_axi_wstrb;
    chk_wlast_reg <= m_axi_wlast;
    chk_cmd_hold_reg <= m_dev_cmd_valid && !m_dev_cmd_ready;
    chk_cmd_block_reg <= m_dev_cmd_block;
    chk_cmd_len_reg <= m_dev_cmd_len;
    chk_tx_hold_reg <= m_axis_dev_tvalid && !m_axis_dev_tready;
    chk_tdata_reg <= m_axis_dev_tdata;
    chk_tlast_reg <= m_axis_dev_tlast;
    chk_b_hold_reg <= s_axil_bvalid && !s_axil_bready;
    chk_r_hold_reg <= s_axil_rvalid && !s_axil_rready;
    chk_early_reg <= {chk_early_reg[0], done_early};
    chk_rearly_reg <= {chk_rearly_reg[1:0], done_early && !q_dp_sel};
    chk_rvalid_reg <= s_axil_rvalid;
    chk_rdata_reg <= s_axil_rdata;

    if (chk_aw_hs) begin
        chk_awlen_mem[chk_aw_wr_reg] <= m_axi_awlen;
        chk_aw_wr_reg <= chk_aw_wr_reg + 4'd1;
    end
    if (chk_w_hs) begin
        chk_w_beat_reg <= m_axi_wlast ? 9'd0 : chk_w_beat_reg + 9'd1;
        if (m_axi_wlast) begin
            chk_w_rd_reg <= chk_w_rd_reg + 4'd1;
        end
    end
    if (chk_aw_hs && !(chk_w_hs && m_axi_wlast)) begin
        chk_aw_count_reg <= chk_aw_count_reg + 5'd1;
    end else if (!chk_aw_hs && chk_w_hs && m_axi_wlast) begin
        chk_aw_count_reg <= chk_aw_count_reg - 5'd1;
    end

    if (rst) begin
        chk_ar_hold_reg <= 1'b0;
        chk_aw_hold_reg <= 1'b0;
        chk_w_hold_reg <= 1'b0;
        chk_cmd_hold_reg <= 1'b0;
        chk_tx_hold_reg <= 1'b0;
        chk_b_hold_reg <= 1'b0;
        chk_r_hold_reg <= 1'b0;
        chk_early_reg <= 2'b00;
        chk_rearly_reg <= 3'b000;
        chk_rvalid_reg <= 1'b0;
        chk_aw_count_reg <= 5'd0;
        chk_aw_wr_reg <= 4'd0;
        chk_w_rd_reg <= 4'd0;
        chk_w_beat_reg <= 9'd0;
    end
end
`endif

endmodule

`resetall
`default_nettype wire
