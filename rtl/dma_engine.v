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
 *
 * Register mode: one segment (dma_addr/dma_size) or a scatter-gather list
 * of up to SGLLEN segments in registers, all one device command. Segments
 * start and end at any byte; the datapaths realign between the memory
 * lanes and the packed device stream.
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
end
`endif

wire                  cmd_start;
wire                  cmd_write;
wire [LEN_WIDTH-1:0]  cmd_len;
wire [31:0]           cmd_block;
wire                  cmd_abort;

wire                  seg_valid;
wire [ADDR_WIDTH-1:0] seg_addr;
wire [LEN_WIDTH-1:0]  seg_len;
wire                  mm2s_seg_ready;
wire                  s2mm_seg_ready;
wire                  abort;

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
wire                  s2mm_busy;
wire                  s2mm_err;
wire [ADDR_WIDTH-1:0] s2mm_err_addr;
wire                  s2mm_dev_err;
wire [LEN_WIDTH-1:0]  s2mm_xfer_bytes;

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
    .MAX_OUTSTANDING(MAX_OUTSTANDING)
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
    .cmd_start(cmd_start),
    .cmd_write(cmd_write),
    .cmd_len(cmd_len),
    .cmd_block(cmd_block),
    .cmd_abort(cmd_abort),
    .seg_valid(seg_valid),
    .seg_addr(seg_addr),
    .seg_len(seg_len),
    // only the datapath of the command's direction takes segments
    .seg_ready(mm2s_seg_ready || s2mm_seg_ready),
    .done(done),
    .done_err_rd(done_err_rd),
    .done_err_wr(done_err_wr),
    .done_err_dev(done_err_dev),
    .done_aborted(done_aborted),
    .done_resid(done_resid),
    .done_fault_addr(done_fault_addr),
    .xfer_bytes(xfer_bytes),
    .irq(irq)
);

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
    .mm2s_start(mm2s_start),
    .s2mm_start(s2mm_start),
    .stream_enable(stream_enable),
    .abort(abort),
    .mm2s_busy(mm2s_busy),
    .mm2s_err(mm2s_err),
    .mm2s_err_addr(mm2s_err_addr),
    .mm2s_xfer_bytes(mm2s_xfer_bytes),
    .s2mm_busy(s2mm_busy),
    .s2mm_err(s2mm_err),
    .s2mm_err_addr(s2mm_err_addr),
    .s2mm_dev_err(s2mm_dev_err),
    .s2mm_xfer_bytes(s2mm_xfer_bytes),
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
    .xfer_bytes(xfer_bytes)
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
    .m_axi_araddr(m_axi_araddr),
    .m_axi_arlen(m_axi_arlen),
    .m_axi_arvalid(m_axi_arvalid),
    .m_axi_arready(m_axi_arready),
    .m_axi_rdata(m_axi_rdata),
    .m_axi_rresp(m_axi_rresp),
    .m_axi_rlast(m_axi_rlast),
    .m_axi_rvalid(m_axi_rvalid),
    .m_axi_rready(m_axi_rready),
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
    .m_axi_awaddr(m_axi_awaddr),
    .m_axi_awlen(m_axi_awlen),
    .m_axi_awvalid(m_axi_awvalid),
    .m_axi_awready(m_axi_awready),
    .m_axi_wdata(m_axi_wdata),
    .m_axi_wstrb(m_axi_wstrb),
    .m_axi_wlast(m_axi_wlast),
    .m_axi_wvalid(m_axi_wvalid),
    .m_axi_wready(m_axi_wready),
    .m_axi_bresp(m_axi_bresp),
    .m_axi_bvalid(m_axi_bvalid),
    .m_axi_bready(m_axi_bready),
    .s_axis_tdata(s_axis_dev_tdata),
    .s_axis_tkeep(s_axis_dev_tkeep),
    .s_axis_tvalid(s_axis_dev_tvalid),
    .s_axis_tready(s_axis_dev_tready),
    .s_axis_tlast(s_axis_dev_tlast)
);

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
 *   - AXI4-Lite B and R held until ready.
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
