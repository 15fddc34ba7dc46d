/*
 * dma_engine: register file (AXI4-Lite slave)
 *
 * Implements docs/register-map.md: id, cap, cap2, csr/err, the command
 * registers (dma_ctl, dma_addr, dma_addr_hi, dma_size, dev_block, sg_count
 * and the scatter-gather list sglist[SGLLEN], locked while BUSY), the
 * result registers (resid, fault_addr, fault_addr_hi, xfer_count), the
 * interrupt causes and mask, and the protection window (lockable until
 * rst).
 *
 * It also owns the command life cycle seen by software: START_TRANSFER
 * validates the command here (a bad one completes at once with CODE 5, one
 * outside the protection window with CODE 6; neither reaches the bus or
 * the device), sets BUSY and pulses cmd_start, then hands the datapath
 * one segment after another (seg_*) straight from the registers, which
 * cannot change while BUSY. The list is kept in RAM-style arrays and
 * checked by one checker, an entry per cycle, while idle (scan_*), so that
 * START normally finds the check done. done from dma_ctrl clears BUSY and sets the
 * DONE or ERROR cause, DEVICE_ERROR and err. INTERRUPTING is any cause
 * that is not masked; irq is a register equal to INTERRUPTING &
 * ENABLE_INTERRUPTS.
 *
 * Command blocks (register map version 3): the doorbell (iopb_addr),
 * iopb_addr_hi, queue_status, cq_status, cq_resid, queue_ctl POP and
 * irq_coalesce are decoded here and passed to dma_cmdq (q_*), which owns
 * the queue; the QUEUE cause is its level. START is refused while the
 * queue has work, and SOFT_RESET waits for the queue to be quiet.
 *
 * AXI4-Lite: AW and W are taken independently, in either order; the write
 * is done and B (OKAY) sent once both are in. One read at a time, R data
 * registered. Every access answers OKAY; unassigned offsets read 0.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_regs #
(
    // Width of the memory address in bits (32..64)
    parameter ADDR_WIDTH = 32,
    // Width of the byte length (13..32)
    parameter LEN_WIDTH = 32,
    // Bytes per data beat of the memory bus
    parameter STRB_WIDTH = 4,
    // Longest burst, in beats (for cap)
    parameter MAX_BURST_LEN = 16,
    // Width of the AXI4-Lite address (12 or more)
    parameter AXIL_ADDR_WIDTH = 12,
    // Entries of the register scatter-gather list (1..240)
    parameter SGLLEN = 16,
    // Bursts in flight per direction (for cap2)
    parameter MAX_OUTSTANDING = 4,
    // Command-block submission/completion FIFO depth (0: no queue)
    parameter QUEUE_DEPTH = 4
)
(
    input  wire                       clk,
    input  wire                       rst,

    /*
     * AXI4-Lite slave
     */
    input  wire [AXIL_ADDR_WIDTH-1:0] s_axil_awaddr,
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
    input  wire                       s_axil_arvalid,
    output wire                       s_axil_arready,
    output wire [31:0]                s_axil_rdata,
    output wire [1:0]                 s_axil_rresp,
    output wire                       s_axil_rvalid,
    input  wire                       s_axil_rready,

    /*
     * Command (to dma_ctrl and the datapaths); stable while cmd_start is
     * high, and the registers behind them are locked until done
     */
    output wire                       cmd_start,
    output wire                       cmd_write,
    output wire [LEN_WIDTH-1:0]       cmd_len,         // total of all segments
    output wire [31:0]                cmd_block,
    output wire                       cmd_abort,       // ABORT while BUSY (pulse)

    /*
     * Segments of the running command, in order
     */
    output wire                       seg_valid,
    output wire [ADDR_WIDTH-1:0]      seg_addr,
    output wire [LEN_WIDTH-1:0]       seg_len,
    input  wire                       seg_ready,

    /*
     * Completion (from dma_ctrl)
     */
    input  wire                       done,
    input  wire                       done_err_rd,
    input  wire                       done_err_wr,
    input  wire                       done_err_dev,
    input  wire                       done_aborted,
    input  wire [LEN_WIDTH-1:0]       done_resid,
    input  wire [ADDR_WIDTH-1:0]      done_fault_addr,
    input  wire [LEN_WIDTH-1:0]       xfer_bytes,
    // the completion will come next cycle (DDI_DMA_READ, last B response):
    // irq may rise with it, the result registers follow
    input  wire                       done_early,
    input  wire                       done_early_err,
    output wire                       reg_busy,        // a register-mode command owns the data path

    /*
     * Command-block queue (dma_cmdq)
     */
    output wire                       q_db_valid,      // doorbell
    output wire [63:0]                q_db_addr,
    output wire                       q_pop,
    output wire                       q_abort,
    output wire                       q_halt,          // SOFT_RESET waits for the queue
    output wire                       q_clear,         // SOFT_RESET: empty the queue
    output wire                       q_prot_on,
    output wire [63:0]                q_prot_base,
    output wire [63:0]                q_prot_limit,
    output wire [31:0]                q_coalesce,
    input  wire                       q_sq_full,
    input  wire [7:0]                 q_sq_count,
    input  wire [7:0]                 q_cq_count,
    input  wire                       q_active,
    input  wire                       q_pending,
    input  wire                       q_quiet,
    input  wire                       q_irq,
    input  wire                       q_cq_valid,
    input  wire [63:0]                q_cq_addr,
    input  wire [3:0]                 q_cq_code,
    input  wire                       q_cq_not_started,
    input  wire                       q_cq_no_writeback,
    input  wire [31:0]                q_cq_resid,

    /*
     * Interrupt (level)
     */
    output wire                       irq
);

/*
 * The register map, public so that a test can check the C driver's
 * constants against it (docs/register-map.md, driver/xx/xxreg.h).
 */
localparam [11:0] REG_ID            /*verilator public*/ = 12'h000;
localparam [11:0] REG_CAP           /*verilator public*/ = 12'h004;
localparam [11:0] REG_CSR           /*verilator public*/ = 12'h008;
localparam [11:0] REG_ERR           /*verilator public*/ = 12'h009;
localparam [11:0] REG_DMA_CTL       /*verilator public*/ = 12'h00c;
localparam [11:0] REG_DMA_ADDR      /*verilator public*/ = 12'h010;
localparam [11:0] REG_DMA_ADDR_HI   /*verilator public*/ = 12'h014;
localparam [11:0] REG_DMA_SIZE      /*verilator public*/ = 12'h018;
localparam [11:0] REG_DEV_BLOCK     /*verilator public*/ = 12'h01c;
localparam [11:0] REG_RESID         /*verilator public*/ = 12'h020;
localparam [11:0] REG_FAULT_ADDR    /*verilator public*/ = 12'h024;
localparam [11:0] REG_FAULT_ADDR_HI /*verilator public*/ = 12'h028;
localparam [11:0] REG_XFER_COUNT    /*verilator public*/ = 12'h02c;
localparam [11:0] REG_CAP2          /*verilator public*/ = 12'h030;
localparam [11:0] REG_SG_COUNT      /*verilator public*/ = 12'h034;
localparam [11:0] REG_IRQ_STATUS    /*verilator public*/ = 12'h038;
localparam [11:0] REG_IRQ_MASK      /*verilator public*/ = 12'h03c;
localparam [11:0] REG_PROT_BASE     /*verilator public*/ = 12'h040;
localparam [11:0] REG_PROT_BASE_HI  /*verilator public*/ = 12'h044;
localparam [11:0] REG_PROT_LIMIT    /*verilator public*/ = 12'h048;
localparam [11:0] REG_PROT_LIMIT_HI /*verilator public*/ = 12'h04c;
localparam [11:0] REG_PROT_CTL      /*verilator public*/ = 12'h050;
localparam [11:0] REG_IOPB_ADDR     /*verilator public*/ = 12'h054;
localparam [11:0] REG_IOPB_ADDR_HI  /*verilator public*/ = 12'h058;
localparam [11:0] REG_QUEUE_STATUS  /*verilator public*/ = 12'h05c;
localparam [11:0] REG_CQ_STATUS     /*verilator public*/ = 12'h060;
localparam [11:0] REG_CQ_RESID      /*verilator public*/ = 12'h064;
localparam [11:0] REG_QUEUE_CTL     /*verilator public*/ = 12'h068;
localparam [11:0] REG_IRQ_COALESCE  /*verilator public*/ = 12'h06c;
// sglist[i] at REG_SGLIST + i*SG_STRIDE: addr, addr_hi, size, reserved
localparam [11:0] REG_SGLIST        /*verilator public*/ = 12'h100;
localparam [11:0] SG_STRIDE         /*verilator public*/ = 12'h010;
localparam [11:0] SG_ADDR           /*verilator public*/ = 12'h000;
localparam [11:0] SG_ADDR_HI        /*verilator public*/ = 12'h004;
localparam [11:0] SG_SIZE           /*verilator public*/ = 12'h008;

// csr (byte at REG_CSR)
localparam [7:0] CSR_ENABLE_INTERRUPTS /*verilator public*/ = 8'h01;
localparam [7:0] CSR_START_TRANSFER    /*verilator public*/ = 8'h02;
localparam [7:0] CSR_INTERRUPTING      /*verilator public*/ = 8'h04;
localparam [7:0] CSR_DEVICE_ERROR      /*verilator public*/ = 8'h08;
localparam [7:0] CSR_CLEAR_INTERRUPT   /*verilator public*/ = 8'h10;
localparam [7:0] CSR_BUSY              /*verilator public*/ = 8'h20;
localparam [7:0] CSR_ABORT             /*verilator public*/ = 8'h40;
localparam [7:0] CSR_SOFT_RESET        /*verilator public*/ = 8'h80;

// irq_status, irq_mask
localparam [31:0] IRQ_DONE  /*verilator public*/ = 32'h00000001;  // a command completed without error
localparam [31:0] IRQ_ERROR /*verilator public*/ = 32'h00000002;  // a command completed with an error
localparam [31:0] IRQ_QUEUE /*verilator public*/ = 32'h00000004;  // completions waiting (coalescing rule), a level

// queue_status, cq_status, queue_ctl
localparam [31:0] QS_ACTIVE       /*verilator public*/ = 32'h00010000;
localparam [31:0] CQ_NOT_STARTED  /*verilator public*/ = 32'h00000100;
localparam [31:0] CQ_NO_WRITEBACK /*verilator public*/ = 32'h00000200;
localparam [31:0] CQ_VALID        /*verilator public*/ = 32'h80000000;
localparam [31:0] QUEUE_POP       /*verilator public*/ = 32'h00000001;

// the command block in memory (dma_cmdq implements it; here for the test
// against the driver's struct xx_iopb)
localparam [7:0]  IOPB_CTL         /*verilator public*/ = 8'h00;
localparam [7:0]  IOPB_DEV_BLOCK   /*verilator public*/ = 8'h04;
localparam [7:0]  IOPB_BYTE_COUNT  /*verilator public*/ = 8'h08;
localparam [7:0]  IOPB_NEXT        /*verilator public*/ = 8'h10;
localparam [7:0]  IOPB_LIST        /*verilator public*/ = 8'h18;
localparam [7:0]  IOPB_RESID       /*verilator public*/ = 8'h20;
localparam [7:0]  IOPB_FAULT       /*verilator public*/ = 8'h24;
localparam [7:0]  IOPB_STATUS      /*verilator public*/ = 8'h2c;
localparam [7:0]  IOPB_ENTRIES     /*verilator public*/ = 8'h40;
localparam [7:0]  IOPB_ALIGN       /*verilator public*/ = 8'd64;
localparam [31:0] IOPB_DONE        /*verilator public*/ = 32'h80000000;
localparam [31:0] IOPB_NOT_STARTED /*verilator public*/ = 32'h00000100;

// prot_ctl
localparam [31:0] PROT_ENABLE /*verilator public*/ = 32'h00000001;
localparam [31:0] PROT_LOCK   /*verilator public*/ = 32'h00000002;

// err (byte at REG_ERR); names follow driver/xx/xxreg.h
localparam [7:0] ERR_CODE_MASK       /*verilator public*/ = 8'h0f;
localparam [7:0] ERR_IGNORED         /*verilator public*/ = 8'h80;
localparam [3:0] ERR_CODE_NONE       /*verilator public*/ = 4'd0;
localparam [3:0] ERR_CODE_DATA_READ  /*verilator public*/ = 4'd1;  // RRESP not OKAY
localparam [3:0] ERR_CODE_DATA_WRITE /*verilator public*/ = 4'd2;  // BRESP not OKAY
localparam [3:0] ERR_CODE_DESC_FETCH /*verilator public*/ = 4'd3;  // reserved (command blocks)
localparam [3:0] ERR_CODE_DEVICE     /*verilator public*/ = 4'd4;  // device status error, wrong stream length
localparam [3:0] ERR_CODE_BAD_CMD    /*verilator public*/ = 4'd5;  // zero size, misaligned, bad direction or count
localparam [3:0] ERR_CODE_PROTECTION /*verilator public*/ = 4'd6;  // a segment outside the protection window
localparam [3:0] ERR_CODE_ABORTED    /*verilator public*/ = 4'd7;  // stopped by ABORT or SOFT_RESET

// dma_ctl
localparam [31:0] DMA_CTL_DIR_MASK  /*verilator public*/ = 32'h00000003;
localparam [1:0]  DMA_CTL_DIR_WRITE /*verilator public*/ = 2'd1;  // DDI_DMA_WRITE, memory to device
localparam [1:0]  DMA_CTL_DIR_READ  /*verilator public*/ = 2'd2;  // DDI_DMA_READ, device to memory

// id
localparam [23:0] ID_MAGIC   /*verilator public*/ = 24'h444d41;  // "DMA"
localparam [7:0]  ID_VERSION /*verilator public*/ = 8'h03;
localparam [31:0] ID_VALUE   /*verilator public*/ = {ID_MAGIC, ID_VERSION};

// cap
localparam OFFSET = $clog2(STRB_WIDTH);
localparam BURST_LOG2 = $clog2(MAX_BURST_LEN+1)-1;  // floor(log2): a safe claim
localparam [7:0]  CAP_SGLLEN = 8'd0;
localparam [3:0]  CAP_DW_LOG2 = OFFSET[3:0];
localparam [0:0]  CAP_ADDR64 = ADDR_WIDTH > 32;
localparam [7:0]  CAP_BURST_LOG2 = BURST_LOG2[7:0];
localparam [7:0]  CAP_ALIGN_LOG2 = 8'd0;   // any byte address and length
localparam [31:0] CAP_VALUE = {CAP_ALIGN_LOG2, CAP_BURST_LOG2, 3'b000, CAP_ADDR64, CAP_DW_LOG2, CAP_SGLLEN};

// cap2: what cap has no room for
localparam [7:0]  CAP2_SGLLEN = SGLLEN[7:0];
localparam [7:0]  CAP2_OUTSTANDING = MAX_OUTSTANDING[7:0];
localparam [7:0]  CAP2_QUEUE_DEPTH = QUEUE_DEPTH[7:0];
localparam [31:0] CAP2_VALUE = {8'd0, CAP2_QUEUE_DEPTH, CAP2_OUTSTANDING, CAP2_SGLLEN};

localparam [31:0] SG_COUNT_MASK = 32'h000000ff;
localparam [31:0] IRQ_MASK_BITS = IRQ_DONE | IRQ_ERROR | IRQ_QUEUE;
localparam HAS_QUEUE = QUEUE_DEPTH > 0;
localparam [31:0] PROT_CTL_MASK = PROT_ENABLE | PROT_LOCK;
localparam [31:0] SGLLEN_32 = SGLLEN;
// the sglist window: SGLLEN entries of SG_STRIDE bytes from REG_SGLIST
// (13 bits: with SGLLEN 240 the list ends at 0x1000, the end of the map)
localparam [12:0] SG_END = {1'b0, REG_SGLIST} + {1'b0, SGLLEN_32[7:0] * SG_STRIDE};
localparam SG_IDX_WIDTH = $clog2(SGLLEN+1);
// index of the list RAM, and its depth (a power of two)
localparam SG_MEM_IDX_WIDTH = SGLLEN > 1 ? $clog2(SGLLEN) : 1;
localparam SG_MEM_DEPTH = 1 << SG_MEM_IDX_WIDTH;
// sum of up to SGLLEN sizes, with room to see it overflow LEN_WIDTH
localparam SUM_WIDTH = 40;   // SGLLEN <= 240 sizes of LEN_WIDTH <= 32 bits

// implemented bits of dma_addr/dma_addr_hi and dma_size: the others read 0
localparam [63:0] ADDR_MASK = (ADDR_WIDTH >= 64) ? {64{1'b1}} : ((64'd1 << ADDR_WIDTH) - 64'd1);
localparam [31:0] SIZE_MASK = (LEN_WIDTH >= 32) ? 32'hffffffff : ((32'd1 << LEN_WIDTH) - 32'd1);

/*
 * AXI4-Lite write side
 */
reg s_axil_awready_reg = 1'b0, s_axil_awready_next;
reg s_axil_wready_reg = 1'b0, s_axil_wready_next;
reg s_axil_bvalid_reg = 1'b0, s_axil_bvalid_next;
reg aw_full_reg = 1'b0, aw_full_next;
reg w_full_reg = 1'b0, w_full_next;
reg [AXIL_ADDR_WIDTH-1:0] wr_addr_reg = {AXIL_ADDR_WIDTH{1'b0}}, wr_addr_next;
reg [31:0] wr_data_reg = 32'd0, wr_data_next;
reg [3:0] wr_strb_reg = 4'd0, wr_strb_next;

/*
 * AXI4-Lite read side
 */
reg s_axil_arready_reg = 1'b0, s_axil_arready_next;
reg s_axil_rvalid_reg = 1'b0, s_axil_rvalid_next;
reg [31:0] s_axil_rdata_reg = 32'd0, s_axil_rdata_next;

/*
 * Registers
 */
reg enable_reg = 1'b0, enable_next;           // ENABLE_INTERRUPTS
reg intr_reg = 1'b0, intr_next;               // INTERRUPTING
reg dev_err_reg = 1'b0, dev_err_next;         // DEVICE_ERROR
reg busy_reg = 1'b0, busy_next;               // BUSY
reg [3:0] err_code_reg = 4'd0, err_code_next; // err CODE
reg ignored_reg = 1'b0, ignored_next;         // err IGNORED
reg [31:0] dma_ctl_reg = 32'd0, dma_ctl_next;
reg [31:0] dma_addr_reg = 32'd0, dma_addr_next;
reg [31:0] dma_addr_hi_reg = 32'd0, dma_addr_hi_next;
reg [31:0] dma_size_reg = 32'd0, dma_size_next;
reg [31:0] dev_block_reg = 32'd0, dev_block_next;
reg [31:0] resid_reg = 32'd0, resid_next;
reg [31:0] fault_addr_reg = 32'd0, fault_addr_next;
reg [31:0] fault_addr_hi_reg = 32'd0, fault_addr_hi_next;
reg [31:0] xfer_count_reg = 32'd0, xfer_count_next;
reg [31:0] sg_count_reg = 32'd0, sg_count_next;
reg done_sts_reg = 1'b0, done_sts_next;       // irq_status DONE (ERROR is dev_err_reg)
reg [31:0] irq_mask_reg = IRQ_MASK_BITS, irq_mask_next;
reg [31:0] prot_base_reg = 32'd0, prot_base_next;
reg [31:0] prot_base_hi_reg = 32'd0, prot_base_hi_next;
reg [31:0] prot_limit_reg = 32'd0, prot_limit_next;
reg [31:0] prot_limit_hi_reg = 32'd0, prot_limit_hi_next;
reg [31:0] prot_ctl_reg = 32'd0, prot_ctl_next;
// the scatter-gather list: RAM-style arrays (distributed RAM on Xilinx),
// written only by the AXI4-Lite write path and read by index, so that
// nothing copies them every cycle. A word reads 0 until written after rst
// or SOFT_RESET (its valid bit), which is their reset value without
// clearing the RAM; the first write of a word writes 0 to the bytes it
// does not strobe.
reg [31:0] sg_addr_mem [0:SG_MEM_DEPTH-1];
reg [LEN_WIDTH-1:0] sg_size_mem [0:SG_MEM_DEPTH-1];
reg [SG_MEM_DEPTH-1:0] sg_addr_vld_reg = {SG_MEM_DEPTH{1'b0}}, sg_addr_vld_next;
reg [SG_MEM_DEPTH-1:0] sg_addr_hi_vld_reg = {SG_MEM_DEPTH{1'b0}}, sg_addr_hi_vld_next;
reg [SG_MEM_DEPTH-1:0] sg_size_vld_reg = {SG_MEM_DEPTH{1'b0}}, sg_size_vld_next;
reg sg_addr_we;
reg sg_addr_hi_we;
reg sg_size_we;
// The command is checked by a scan of its entries in use, one per cycle,
// while idle. For each n, scan_mem[n] holds the check of entries 0..n-1
// (their total, an entry of size 0 or wrapping, one outside the window and
// the first such), known for n up to scan_idx_reg; a write to entry j
// takes scan_idx_reg back to j (to 0 for dma_addr/dma_size, the window,
// a new sg_count), so that after a driver has written the list in order
// only its last entry is left. START uses scan_mem[n] at once when the
// scan is through; otherwise it waits for it (chk_reg), with the AXI4-Lite
// accesses that follow, so software sees the check as done at once and
// nothing reaches the bus before it.
localparam SCAN_WIDTH = ADDR_WIDTH + 2 + SUM_WIDTH;
localparam SCAN_DEPTH = 1 << SG_IDX_WIDTH;
reg chk_reg = 1'b0, chk_next;
reg [SG_IDX_WIDTH-1:0] scan_idx_reg = {SG_IDX_WIDTH{1'b0}}, scan_idx_next;
reg [SCAN_WIDTH-1:0] scan_mem [0:SCAN_DEPTH-1];
reg scan_we;
reg [SCAN_WIDTH-1:0] scan_wdata;
reg scan_rewind;
// the list entry of the write, as a scan position
wire [SG_IDX_WIDTH-1:0] sg_idx_wr_scan = wr_addr_reg[4 +: SG_IDX_WIDTH] - REG_SGLIST[4 +: SG_IDX_WIDTH];
reg [SG_IDX_WIDTH-1:0] scan_rewind_to;
reg chk_finish;
// next segment to hand to the datapath, segments in the command
reg [SG_IDX_WIDTH-1:0] seg_idx_reg = {SG_IDX_WIDTH{1'b0}}, seg_idx_next;
reg [SG_IDX_WIDTH-1:0] seg_num_reg = {SG_IDX_WIDTH{1'b0}}, seg_num_next;
reg [LEN_WIDTH-1:0] cmd_len_reg = {LEN_WIDTH{1'b0}}, cmd_len_next;
reg abort_reg = 1'b0, abort_next;
// SOFT_RESET while BUSY: abort now, reset when the command has ended
reg soft_reset_pending_reg = 1'b0, soft_reset_pending_next;

reg start_reg = 1'b0, start_next;
reg irq_reg = 1'b0, irq_next;
// command-block queue registers
reg [31:0] iopb_hi_reg = 32'd0, iopb_hi_next;
reg [31:0] coalesce_reg = 32'd0, coalesce_next;
// pulses to dma_cmdq in the cycle of the write (it registers them)
reg q_db_now;
reg q_pop_now;
reg q_abort_now;
reg q_clear_now;

reg do_write;
reg [31:0] wr_mask;
reg [31:0] wr_merged;
reg [7:0] csr_wr;
reg cmd_bad;
reg cmd_prot;
reg soft_reset;
// list entry of the write and of the read (within the list window, so
// the RAM index bits are enough)
reg [SG_MEM_IDX_WIDTH-1:0] sg_idx_wr;
wire [SG_MEM_IDX_WIDTH-1:0] sg_idx_rd = s_axil_araddr[4 +: SG_MEM_IDX_WIDTH] - REG_SGLIST[4 +: SG_MEM_IDX_WIDTH];
reg [7:0] csr_rd;
reg [7:0] err_rd;

/*
 * Width adaptation between the parameterised widths and the 32-bit
 * registers (generate, so that no width is ever 0)
 */
wire wr_addr_in_window;
wire rd_addr_in_window;
wire [63:0] done_fault_addr_64;
wire [31:0] done_resid_32;
wire [31:0] xfer_bytes_32;
wire [ADDR_WIDTH-1:0] dma_addr_full;
wire [63:0] chk_fault_64;
wire [ADDR_WIDTH-1:0] sg_addr_rd;    // the entry at ent_idx
wire [31:0] sg_addr_hi_rd;           // the entry at sg_idx_rd (AXI4-Lite read)
wire [31:0] sg_addr_lo_axil_rd = sg_addr_vld_reg[sg_idx_rd] ? sg_addr_mem[sg_idx_rd] : 32'd0;
wire [31:0] sg_size_ent_32;          // the entry at ent_idx
wire [31:0] sg_size_rd;              // the entry at sg_idx_rd (AXI4-Lite read)
integer k;

/*
 * The entry at ent_idx (the one under check, then the segment the datapath
 * is on): entry i of the list, or with sg_count 0 the single segment
 * dma_addr/dma_size as entry 0. One read port serves both, as the check
 * ends before BUSY.
 */
wire [SG_MEM_IDX_WIDTH-1:0] ent_idx = busy_reg ? seg_idx_reg[SG_MEM_IDX_WIDTH-1:0] : scan_idx_reg[SG_MEM_IDX_WIDTH-1:0];
wire [ADDR_WIDTH-1:0] ent_addr;
wire [31:0] ent_size;
wire [31:0] sg_addr_lo_rd = sg_addr_vld_reg[ent_idx] ? sg_addr_mem[ent_idx] : 32'd0;
wire [LEN_WIDTH-1:0] sg_size_ent = sg_size_vld_reg[ent_idx] ? sg_size_mem[ent_idx] : {LEN_WIDTH{1'b0}};
wire [LEN_WIDTH-1:0] sg_size_rd_len = sg_size_vld_reg[sg_idx_rd] ? sg_size_mem[sg_idx_rd] : {LEN_WIDTH{1'b0}};

wire sg_mode = sg_count_reg != 32'd0;
wire [31:0] seg_num_32 = sg_mode ? sg_count_reg : 32'd1;
wire [64:0] prot_base_65 = {1'b0, prot_base_hi_reg, prot_base_reg};
wire [64:0] prot_limit_65 = {1'b0, prot_limit_hi_reg, prot_limit_reg};
wire prot_on = (prot_ctl_reg & PROT_ENABLE) != 32'd0;
wire prot_locked = (prot_ctl_reg & PROT_LOCK) != 32'd0;

/*
 * The check of the entry at scan_idx_reg, accumulated over the entries in
 * use: size 0 or wrapping the address space, outside the enabled window
 * (the first such entry is the fault address), and the total.
 */
// one past the last byte, with the carry out of the address space
wire [64:0] ent_end_65 = {1'b0, {(64-ADDR_WIDTH){1'b0}}, ent_addr} + {33'd0, ent_size};
wire [64:0] ent_start_65 = {1'b0, {(64-ADDR_WIDTH){1'b0}}, ent_addr};
wire ent_bad = ent_size == 32'd0 || ent_end_65[ADDR_WIDTH];
wire ent_prot = prot_on && (ent_start_65 < prot_base_65 || ent_end_65 > prot_limit_65);
// the last entry in use: sg_count of them, at most SGLLEN
wire [31:0] scan_idx_32 = {{(32-SG_IDX_WIDTH){1'b0}}, scan_idx_reg};
wire scan_done = scan_idx_32 >= seg_num_32 || scan_idx_32 >= SGLLEN_32;
// the check of entries 0..scan_idx_reg-1 (nothing for 0)
wire [SCAN_WIDTH-1:0] scan_rd = (scan_idx_reg == {SG_IDX_WIDTH{1'b0}}) ? {SCAN_WIDTH{1'b0}} : scan_mem[scan_idx_reg];
wire [ADDR_WIDTH-1:0] scan_fault = scan_rd[SUM_WIDTH+2 +: ADDR_WIDTH];   // the first entry outside
wire scan_prot = scan_rd[SUM_WIDTH+1];                                   // an entry outside the window
wire scan_bad = scan_rd[SUM_WIDTH];                                      // an entry of size 0 or wrapping
wire [SUM_WIDTH-1:0] scan_sum = scan_rd[SUM_WIDTH-1:0];                  // total of the sizes

generate
    if (AXIL_ADDR_WIDTH > 12) begin : g_axil_hi
        // the map is 4 KiB; above it everything reads 0
        assign wr_addr_in_window = ~|wr_addr_reg[AXIL_ADDR_WIDTH-1:12];
        assign rd_addr_in_window = ~|s_axil_araddr[AXIL_ADDR_WIDTH-1:12];
    end else begin : g_axil_hi
        assign wr_addr_in_window = 1'b1;
        assign rd_addr_in_window = 1'b1;
    end

    if (ADDR_WIDTH > 32) begin : g_addr
        assign dma_addr_full = {dma_addr_hi_reg[ADDR_WIDTH-33:0], dma_addr_reg};
    end else begin : g_addr
        assign dma_addr_full = dma_addr_reg[ADDR_WIDTH-1:0];
    end

    if (ADDR_WIDTH < 64) begin : g_fault
        assign done_fault_addr_64 = {{(64-ADDR_WIDTH){1'b0}}, done_fault_addr};
        assign chk_fault_64 = {{(64-ADDR_WIDTH){1'b0}}, scan_fault};
    end else begin : g_fault
        assign done_fault_addr_64 = done_fault_addr;
        assign chk_fault_64 = scan_fault;
    end

    if (ADDR_WIDTH > 32) begin : g_sg_hi
        reg [ADDR_WIDTH-33:0] sg_addr_hi_mem [0:SG_MEM_DEPTH-1];
        integer j;
        always @(posedge clk) begin
            for (j = 0; j < ADDR_WIDTH-32; j = j + 1) begin
                if (sg_addr_hi_we && (wr_strb_reg[j/8] || !sg_addr_hi_vld_reg[sg_idx_wr])) begin
                    sg_addr_hi_mem[sg_idx_wr][j] <= wr_data_reg[j] && wr_strb_reg[j/8];
                end
            end
        end
        wire [ADDR_WIDTH-33:0] hi_ent = sg_addr_hi_vld_reg[ent_idx] ? sg_addr_hi_mem[ent_idx] : {(ADDR_WIDTH-32){1'b0}};
        wire [ADDR_WIDTH-33:0] hi_rd = sg_addr_hi_vld_reg[sg_idx_rd] ? sg_addr_hi_mem[sg_idx_rd] : {(ADDR_WIDTH-32){1'b0}};
        assign sg_addr_rd = {hi_ent, sg_addr_lo_rd};
        if (ADDR_WIDTH < 64) begin : g_pad
            assign sg_addr_hi_rd = {{(64-ADDR_WIDTH){1'b0}}, hi_rd};
        end else begin : g_pad
            assign sg_addr_hi_rd = hi_rd;
        end
    end else begin : g_sg_hi
        assign sg_addr_rd = sg_addr_lo_rd;
        assign sg_addr_hi_rd = 32'd0;
    end

    // the list RAM, with byte strobes (a bit at a time, so that any width
    // works; synthesis groups the bits of a strobe into one write enable)
    always @(posedge clk) begin
        for (k = 0; k < 32; k = k + 1) begin
            if (sg_addr_we && (wr_strb_reg[k/8] || !sg_addr_vld_reg[sg_idx_wr])) begin
                sg_addr_mem[sg_idx_wr][k] <= wr_data_reg[k] && wr_strb_reg[k/8];
            end
        end
        for (k = 0; k < LEN_WIDTH; k = k + 1) begin
            if (sg_size_we && (wr_strb_reg[k/8] || !sg_size_vld_reg[sg_idx_wr])) begin
                sg_size_mem[sg_idx_wr][k] <= wr_data_reg[k] && wr_strb_reg[k/8];
            end
        end
    end

    assign ent_addr = sg_mode ? sg_addr_rd : dma_addr_full;
    assign ent_size = sg_mode ? sg_size_ent_32 : (dma_size_reg & SIZE_MASK);

    if (LEN_WIDTH < 32) begin : g_len
        assign done_resid_32 = {{(32-LEN_WIDTH){1'b0}}, done_resid};
        assign xfer_bytes_32 = {{(32-LEN_WIDTH){1'b0}}, xfer_bytes};
        assign sg_size_ent_32 = {{(32-LEN_WIDTH){1'b0}}, sg_size_ent};
        assign sg_size_rd = {{(32-LEN_WIDTH){1'b0}}, sg_size_rd_len};
    end else begin : g_len
        assign done_resid_32 = done_resid;
        assign xfer_bytes_32 = xfer_bytes;
        assign sg_size_ent_32 = sg_size_ent;
        assign sg_size_rd = sg_size_rd_len;
    end
endgenerate

assign s_axil_awready = s_axil_awready_reg;
assign s_axil_wready = s_axil_wready_reg;
assign s_axil_bresp = 2'b00;
assign s_axil_bvalid = s_axil_bvalid_reg;
assign s_axil_arready = s_axil_arready_reg;
assign s_axil_rdata = s_axil_rdata_reg;
assign s_axil_rresp = 2'b00;
assign s_axil_rvalid = s_axil_rvalid_reg;

assign cmd_start = start_reg;
assign cmd_write = dma_ctl_reg[1:0] == DMA_CTL_DIR_WRITE;
assign cmd_len = cmd_len_reg;
assign cmd_block = dev_block_reg;
assign cmd_abort = abort_reg;

// straight from the registers: locked while BUSY
assign seg_valid = busy_reg && seg_idx_reg < seg_num_reg;
assign seg_addr = ent_addr;
assign seg_len = ent_size[LEN_WIDTH-1:0];

assign irq = irq_reg;

assign reg_busy = busy_reg;
assign q_db_valid = q_db_now;
assign q_db_addr = {iopb_hi_reg, wr_data_reg};
assign q_pop = q_pop_now;
assign q_abort = q_abort_now;
assign q_halt = soft_reset_pending_reg || soft_reset;
assign q_clear = q_clear_now;
assign q_prot_on = prot_on;
assign q_prot_base = prot_base_65[63:0];
assign q_prot_limit = prot_limit_65[63:0];
assign q_coalesce = coalesce_reg;

// a register-mode DDI_DMA_READ's completion seen one cycle early (its last
// B response): irq rises with it if its cause is not masked
wire early_intr = done_early && (done_early_err ? (irq_mask_reg & IRQ_ERROR) != 32'd0
                                                : (irq_mask_reg & IRQ_DONE) != 32'd0);

always @* begin
    s_axil_bvalid_next = s_axil_bvalid_reg && !s_axil_bready;
    aw_full_next = aw_full_reg;
    w_full_next = w_full_reg;
    wr_addr_next = wr_addr_reg;
    wr_data_next = wr_data_reg;
    wr_strb_next = wr_strb_reg;

    enable_next = enable_reg;
    intr_next = intr_reg;
    dev_err_next = dev_err_reg;
    busy_next = busy_reg;
    err_code_next = err_code_reg;
    ignored_next = ignored_reg;
    dma_ctl_next = dma_ctl_reg;
    dma_addr_next = dma_addr_reg;
    dma_addr_hi_next = dma_addr_hi_reg;
    dma_size_next = dma_size_reg;
    dev_block_next = dev_block_reg;
    resid_next = resid_reg;
    fault_addr_next = fault_addr_reg;
    fault_addr_hi_next = fault_addr_hi_reg;
    xfer_count_next = xfer_count_reg;
    sg_count_next = sg_count_reg;
    done_sts_next = done_sts_reg;
    irq_mask_next = irq_mask_reg;
    prot_base_next = prot_base_reg;
    prot_base_hi_next = prot_base_hi_reg;
    prot_limit_next = prot_limit_reg;
    prot_limit_hi_next = prot_limit_hi_reg;
    prot_ctl_next = prot_ctl_reg;
    sg_addr_vld_next = sg_addr_vld_reg;
    sg_addr_hi_vld_next = sg_addr_hi_vld_reg;
    sg_size_vld_next = sg_size_vld_reg;
    sg_addr_we = 1'b0;
    sg_addr_hi_we = 1'b0;
    sg_size_we = 1'b0;
    chk_next = chk_reg;
    scan_idx_next = scan_idx_reg;
    scan_we = 1'b0;
    scan_rewind = 1'b0;
    scan_rewind_to = {SG_IDX_WIDTH{1'b0}};
    // a START waiting for the scan goes on once it is through
    chk_finish = chk_reg && scan_done;

    // the scan: one entry per cycle while idle (the datapath has the read
    // port while BUSY, and the registers cannot change then)
    scan_wdata = {scan_prot ? scan_fault : ent_addr,
                  scan_prot || ent_prot,
                  scan_bad || ent_bad,
                  scan_sum + {{(SUM_WIDTH-LEN_WIDTH){1'b0}}, ent_size[LEN_WIDTH-1:0]}};
    if (!busy_reg && !scan_done) begin
        scan_we = 1'b1;
        scan_idx_next = scan_idx_reg + 1'b1;
    end
    seg_idx_next = seg_idx_reg;
    seg_num_next = seg_num_reg;
    cmd_len_next = cmd_len_reg;
    abort_next = 1'b0;
    soft_reset_pending_next = soft_reset_pending_reg;
    soft_reset = 1'b0;
    start_next = 1'b0;
    iopb_hi_next = iopb_hi_reg;
    coalesce_next = coalesce_reg;
    q_db_now = 1'b0;
    q_pop_now = 1'b0;
    q_abort_now = 1'b0;
    q_clear_now = 1'b0;

    if (seg_valid && seg_ready) begin
        seg_idx_next = seg_idx_reg + 1'b1;
    end

    // AW and W are held independently until both are in
    if (s_axil_awready_reg && s_axil_awvalid) begin
        aw_full_next = 1'b1;
        wr_addr_next = s_axil_awaddr;
    end
    if (s_axil_wready_reg && s_axil_wvalid) begin
        w_full_next = 1'b1;
        wr_data_next = s_axil_wdata;
        wr_strb_next = s_axil_wstrb;
    end

    // (not while START checks the command: it sees the registers as written)
    do_write = aw_full_reg && w_full_reg && (!s_axil_bvalid_reg || s_axil_bready) && !chk_reg;

    // a write that may change what the scan looks at takes it back: to
    // the entry written for the list, to the start for dma_addr,
    // dma_addr_hi, dma_size, the protection window and anything else; not
    // for the csr, dma_ctl, dev_block and interrupt registers, nor sg_count
    // written with the value it has (a driver rewrites it every command)
    if (do_write && !(wr_addr_in_window &&
                      (wr_addr_reg[11:2] == REG_CSR[11:2] ||
                       wr_addr_reg[11:2] == REG_SG_COUNT[11:2] ||
                       wr_addr_reg[11:2] == REG_DMA_CTL[11:2] ||
                       wr_addr_reg[11:2] == REG_DEV_BLOCK[11:2] ||
                       wr_addr_reg[11:2] == REG_IRQ_STATUS[11:2] ||
                       wr_addr_reg[11:2] == REG_IRQ_MASK[11:2]))) begin
        scan_rewind = 1'b1;
    end

    wr_mask = {{8{wr_strb_reg[3]}}, {8{wr_strb_reg[2]}}, {8{wr_strb_reg[1]}}, {8{wr_strb_reg[0]}}};
    csr_wr = wr_data_reg[7:0];

    // checked at START: the command registers cannot change while BUSY
    // the command, once the scan is through (the registers cannot change
    // during the wait nor while BUSY)
    cmd_bad = (dma_ctl_reg[1:0] != DMA_CTL_DIR_WRITE && dma_ctl_reg[1:0] != DMA_CTL_DIR_READ) ||
              sg_count_reg > SGLLEN_32 ||
              scan_bad ||
              scan_sum[SUM_WIDTH-1:LEN_WIDTH] != {(SUM_WIDTH-LEN_WIDTH){1'b0}};
    cmd_prot = scan_prot;

    sg_idx_wr = wr_addr_reg[4 +: SG_MEM_IDX_WIDTH] - REG_SGLIST[4 +: SG_MEM_IDX_WIDTH];

    // xfer_count follows the command while it runs
    if (busy_reg) begin
        xfer_count_next = xfer_bytes_32;
    end

    // which register a merged write goes to is decided by the case below
    wr_merged = 32'd0;

    if (do_write) begin
        aw_full_next = 1'b0;
        w_full_next = 1'b0;
        s_axil_bvalid_next = 1'b1;

        if (wr_addr_in_window && wr_addr_reg[11:0] >= REG_SGLIST && {1'b0, wr_addr_reg[11:0]} < SG_END) begin
            // an entry of the scatter-gather list
            scan_rewind_to = sg_idx_wr_scan;
            if (busy_reg) begin
                ignored_next = ignored_reg || wr_strb_reg != 4'd0;
            end else begin
                // the RAM write itself is in the always block of the list
                case (wr_addr_reg[3:2])
                    SG_ADDR[3:2]: begin
                        sg_addr_we = 1'b1;
                        sg_addr_vld_next[sg_idx_wr] = 1'b1;
                    end
                    SG_ADDR_HI[3:2]: begin
                        sg_addr_hi_we = 1'b1;
                        sg_addr_hi_vld_next[sg_idx_wr] = 1'b1;
                    end
                    SG_SIZE[3:2]: begin
                        sg_size_we = 1'b1;
                        sg_size_vld_next[sg_idx_wr] = 1'b1;
                    end
                    default: begin
                        // reserved word of the entry
                    end
                endcase
            end
        end else if (wr_addr_in_window) begin
            case (wr_addr_reg[11:2])
                REG_CSR[11:2]: begin
                    // only the csr byte is writable; err and pad are read only
                    if (wr_strb_reg[0]) begin
                        // clear first, then start
                        if ((csr_wr & CSR_CLEAR_INTERRUPT) != 8'h00) begin
                            dev_err_next = 1'b0;
                            err_code_next = ERR_CODE_NONE;
                            ignored_next = 1'b0;
                        end
                        if ((csr_wr & CSR_CLEAR_INTERRUPT) != 8'h00) begin
                            done_sts_next = 1'b0;
                        end
                        enable_next = (csr_wr & CSR_ENABLE_INTERRUPTS) != 8'h00;
                        if ((csr_wr & (CSR_ABORT | CSR_SOFT_RESET)) != 8'h00 && busy_reg) begin
                            // stops after the bursts already on the bus
                            abort_next = 1'b1;
                        end
                        if ((csr_wr & CSR_ABORT) != 8'h00 && (csr_wr & CSR_SOFT_RESET) == 8'h00 && q_pending) begin
                            // the queued block running and all waiting ones
                            q_abort_now = 1'b1;
                        end
                        if ((csr_wr & CSR_SOFT_RESET) != 8'h00) begin
                            if (busy_reg || !q_quiet) begin
                                soft_reset_pending_next = 1'b1;
                            end else begin
                                soft_reset = 1'b1;
                            end
                        end else if ((csr_wr & CSR_START_TRANSFER) != 8'h00) begin
                            // refused while BUSY, and while the queue has
                            // a block running or waiting
                            if (busy_reg || q_pending) begin
                                ignored_next = 1'b1;
                            end else begin
                                // at once, or when the scan is through
                                if (scan_done) begin
                                    chk_finish = 1'b1;
                                end else begin
                                    chk_next = 1'b1;
                                end
                            end
                        end
                    end
                end
                REG_DMA_CTL[11:2]: begin
                    wr_merged = (dma_ctl_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (busy_reg) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        dma_ctl_next = wr_merged & DMA_CTL_DIR_MASK;
                    end
                end
                REG_DMA_ADDR[11:2]: begin
                    wr_merged = (dma_addr_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (busy_reg) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        dma_addr_next = wr_merged & ADDR_MASK[31:0];
                    end
                end
                REG_DMA_ADDR_HI[11:2]: begin
                    wr_merged = (dma_addr_hi_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (busy_reg) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        dma_addr_hi_next = wr_merged & ADDR_MASK[63:32];
                    end
                end
                REG_DMA_SIZE[11:2]: begin
                    wr_merged = (dma_size_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (busy_reg) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        dma_size_next = wr_merged & SIZE_MASK;
                    end
                end
                REG_DEV_BLOCK[11:2]: begin
                    wr_merged = (dev_block_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (busy_reg) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        dev_block_next = wr_merged;
                    end
                end
                REG_SG_COUNT[11:2]: begin
                    wr_merged = (sg_count_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (busy_reg) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        sg_count_next = wr_merged & SG_COUNT_MASK;
                        if (sg_count_next != sg_count_reg) begin
                            scan_rewind = 1'b1;
                        end
                    end
                end
                REG_IRQ_STATUS[11:2]: begin
                    // write one to clear
                    if (wr_strb_reg[0]) begin
                        if ((wr_data_reg & IRQ_DONE) != 32'd0) begin
                            done_sts_next = 1'b0;
                        end
                        if ((wr_data_reg & IRQ_ERROR) != 32'd0) begin
                            dev_err_next = 1'b0;
                        end
                    end
                end
                REG_IRQ_MASK[11:2]: begin
                    wr_merged = (irq_mask_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    irq_mask_next = wr_merged & IRQ_MASK_BITS;
                end
                REG_PROT_BASE[11:2]: begin
                    wr_merged = (prot_base_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (prot_locked || busy_reg || q_pending) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        prot_base_next = wr_merged;
                    end
                end
                REG_PROT_BASE_HI[11:2]: begin
                    wr_merged = (prot_base_hi_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (prot_locked || busy_reg || q_pending) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        prot_base_hi_next = wr_merged;
                    end
                end
                REG_PROT_LIMIT[11:2]: begin
                    wr_merged = (prot_limit_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (prot_locked || busy_reg || q_pending) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        prot_limit_next = wr_merged;
                    end
                end
                REG_PROT_LIMIT_HI[11:2]: begin
                    wr_merged = (prot_limit_hi_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (prot_locked || busy_reg || q_pending) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        prot_limit_hi_next = wr_merged;
                    end
                end
                REG_PROT_CTL[11:2]: begin
                    wr_merged = (prot_ctl_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (prot_locked || busy_reg || q_pending) begin
                        ignored_next = ignored_reg || wr_strb_reg != 4'd0;
                    end else begin
                        prot_ctl_next = wr_merged & PROT_CTL_MASK;
                    end
                end
                REG_IOPB_ADDR[11:2]: begin
                    // the doorbell: never locked, refused when SQ is full
                    if (HAS_QUEUE) begin
                        if (q_sq_full) begin
                            ignored_next = 1'b1;
                        end else begin
                            q_db_now = 1'b1;
                        end
                    end
                end
                REG_IOPB_ADDR_HI[11:2]: begin
                    wr_merged = (iopb_hi_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (HAS_QUEUE) begin
                        iopb_hi_next = wr_merged & ADDR_MASK[63:32];
                    end
                end
                REG_QUEUE_CTL[11:2]: begin
                    if (HAS_QUEUE && wr_strb_reg[0] && (wr_data_reg & QUEUE_POP) != 32'd0) begin
                        q_pop_now = 1'b1;
                    end
                end
                REG_IRQ_COALESCE[11:2]: begin
                    wr_merged = (coalesce_reg & ~wr_mask) | (wr_data_reg & wr_mask);
                    if (HAS_QUEUE) begin
                        coalesce_next = wr_merged;
                    end
                end
                default: begin
                    // read only or unassigned: ignored
                end
            endcase
        end
    end

    // START with the scan's result: it goes to the registers as the START
    // write itself did, after the csr byte's other bits (clear first, then
    // start)
    if (chk_finish) begin
        chk_next = 1'b0;
        resid_next = scan_sum[31:0];
        fault_addr_next = 32'd0;
        fault_addr_hi_next = 32'd0;
        xfer_count_next = 32'd0;
        if (cmd_bad || cmd_prot) begin
            // never reaches the bus or the device
            dev_err_next = 1'b1;
            done_sts_next = 1'b0;
            err_code_next = cmd_bad ? ERR_CODE_BAD_CMD : ERR_CODE_PROTECTION;
            if (!cmd_bad) begin
                fault_addr_next = chk_fault_64[31:0];
                fault_addr_hi_next = chk_fault_64[63:32];
            end
        end else begin
            busy_next = 1'b1;
            start_next = 1'b1;
            seg_idx_next = {SG_IDX_WIDTH{1'b0}};
            seg_num_next = seg_num_32[SG_IDX_WIDTH-1:0];
            cmd_len_next = scan_sum[LEN_WIDTH-1:0];
        end
    end

    // Completion comes after the write so that it wins over a
    // CLEAR_INTERRUPT in the same cycle: an interrupt is never lost.
    if (done) begin
        busy_next = 1'b0;
        // the causes say how the last command ended: one set, the other clear
        dev_err_next = done_err_rd || done_err_wr || done_err_dev || done_aborted;
        done_sts_next = !(done_err_rd || done_err_wr || done_err_dev || done_aborted);
        if (done_err_rd) begin
            err_code_next = ERR_CODE_DATA_READ;
        end else if (done_err_wr) begin
            err_code_next = ERR_CODE_DATA_WRITE;
        end else if (done_aborted) begin
            // the device's complaint about an abandoned command is the
            // abort's doing
            err_code_next = ERR_CODE_ABORTED;
        end else if (done_err_dev) begin
            err_code_next = ERR_CODE_DEVICE;
        end else begin
            err_code_next = ERR_CODE_NONE;
        end
        resid_next = done_resid_32;
        fault_addr_next = done_fault_addr_64[31:0];
        fault_addr_hi_next = done_fault_addr_64[63:32];
        xfer_count_next = xfer_bytes_32;
    end

    // SOFT_RESET: every register back to its reset value, except the
    // protection window once locked (only rst unlocks it) and the AXI4-Lite
    // handshakes in progress. While BUSY it waits for the aborted command.
    if (soft_reset || (soft_reset_pending_reg && !busy_next && q_quiet)) begin
        soft_reset_pending_next = 1'b0;
        q_clear_now = 1'b1;
        iopb_hi_next = 32'd0;
        coalesce_next = 32'd0;
        enable_next = 1'b0;
        dev_err_next = 1'b0;
        busy_next = 1'b0;
        err_code_next = ERR_CODE_NONE;
        ignored_next = 1'b0;
        dma_ctl_next = 32'd0;
        dma_addr_next = 32'd0;
        dma_addr_hi_next = 32'd0;
        dma_size_next = 32'd0;
        dev_block_next = 32'd0;
        resid_next = 32'd0;
        fault_addr_next = 32'd0;
        fault_addr_hi_next = 32'd0;
        xfer_count_next = 32'd0;
        sg_count_next = 32'd0;
        done_sts_next = 1'b0;
        irq_mask_next = IRQ_MASK_BITS;
        sg_addr_vld_next = {SG_MEM_DEPTH{1'b0}};
        sg_addr_hi_vld_next = {SG_MEM_DEPTH{1'b0}};
        sg_size_vld_next = {SG_MEM_DEPTH{1'b0}};
        scan_rewind = 1'b1;
        scan_rewind_to = {SG_IDX_WIDTH{1'b0}};
        if (!prot_locked) begin
            prot_base_next = 32'd0;
            prot_base_hi_next = 32'd0;
            prot_limit_next = 32'd0;
            prot_limit_hi_next = 32'd0;
            prot_ctl_next = 32'd0;
        end
    end

    // back to the first entry written (a step of the scan in the same
    // cycle read it before the write)
    if (scan_rewind && scan_rewind_to < scan_idx_next) begin
        scan_idx_next = scan_rewind_to;
    end

    // INTERRUPTING is derived here, once, from the causes and the mask
    // (so CLEAR_INTERRUPT, W1C, completion, a mask change and SOFT_RESET
    // all reach it the same way)
    intr_next = (done_sts_next && (irq_mask_next & IRQ_DONE) != 32'd0) ||
                (dev_err_next && (irq_mask_next & IRQ_ERROR) != 32'd0) ||
                (q_irq && (irq_mask_next & IRQ_QUEUE) != 32'd0);

    // registered, and equal to the register bits from the same edge on
    // (but for an early completion, whose registers follow one cycle later;
    // reads wait for them, below)
    irq_next = (intr_next || early_intr) && enable_next;

    s_axil_awready_next = !aw_full_next;
    s_axil_wready_next = !w_full_next;
end

/*
 * Read side: one read at a time, data registered
 */
always @* begin
    s_axil_rvalid_next = s_axil_rvalid_reg && !s_axil_rready;
    s_axil_rdata_next = s_axil_rdata_reg;

    csr_rd = (enable_reg ? CSR_ENABLE_INTERRUPTS : 8'h00) |
             (busy_reg ? (CSR_START_TRANSFER | CSR_BUSY) : 8'h00) |
             (q_active ? CSR_BUSY : 8'h00) |
             (intr_reg ? CSR_INTERRUPTING : 8'h00) |
             (dev_err_reg ? CSR_DEVICE_ERROR : 8'h00);
    err_rd = (ignored_reg ? ERR_IGNORED : 8'h00) | ({4'd0, err_code_reg} & ERR_CODE_MASK);

    if (s_axil_arready_reg && s_axil_arvalid) begin
        s_axil_rvalid_next = 1'b1;
        s_axil_rdata_next = 32'd0;
        if (rd_addr_in_window && s_axil_araddr[11:0] >= REG_SGLIST && {1'b0, s_axil_araddr[11:0]} < SG_END) begin
            case (s_axil_araddr[3:2])
                SG_ADDR[3:2]:    s_axil_rdata_next = sg_addr_lo_axil_rd;
                SG_ADDR_HI[3:2]: s_axil_rdata_next = sg_addr_hi_rd;
                SG_SIZE[3:2]:    s_axil_rdata_next = sg_size_rd;
                default:         s_axil_rdata_next = 32'd0;
            endcase
        end else if (rd_addr_in_window) begin
            case (s_axil_araddr[11:2])
                REG_ID[11:2]:            s_axil_rdata_next = ID_VALUE;
                REG_CAP[11:2]:           s_axil_rdata_next = CAP_VALUE;
                // err sits in the byte lane of its offset in the csr word
                REG_CSR[11:2]:           s_axil_rdata_next = ({24'd0, err_rd} << (8*REG_ERR[1:0])) |
                                                             ({24'd0, csr_rd} << (8*REG_CSR[1:0]));
                REG_DMA_CTL[11:2]:       s_axil_rdata_next = dma_ctl_reg;
                REG_DMA_ADDR[11:2]:      s_axil_rdata_next = dma_addr_reg;
                REG_DMA_ADDR_HI[11:2]:   s_axil_rdata_next = dma_addr_hi_reg;
                REG_DMA_SIZE[11:2]:      s_axil_rdata_next = dma_size_reg;
                REG_DEV_BLOCK[11:2]:     s_axil_rdata_next = dev_block_reg;
                REG_RESID[11:2]:         s_axil_rdata_next = resid_reg;
                REG_FAULT_ADDR[11:2]:    s_axil_rdata_next = fault_addr_reg;
                REG_FAULT_ADDR_HI[11:2]: s_axil_rdata_next = fault_addr_hi_reg;
                REG_XFER_COUNT[11:2]:    s_axil_rdata_next = xfer_count_reg;
                REG_CAP2[11:2]:          s_axil_rdata_next = CAP2_VALUE;
                REG_SG_COUNT[11:2]:      s_axil_rdata_next = sg_count_reg;
                REG_IRQ_STATUS[11:2]:    s_axil_rdata_next = (done_sts_reg ? IRQ_DONE : 32'd0) |
                                                             (dev_err_reg ? IRQ_ERROR : 32'd0) |
                                                             (q_irq ? IRQ_QUEUE : 32'd0);
                REG_IRQ_MASK[11:2]:      s_axil_rdata_next = irq_mask_reg;
                REG_PROT_BASE[11:2]:     s_axil_rdata_next = prot_base_reg;
                REG_PROT_BASE_HI[11:2]:  s_axil_rdata_next = prot_base_hi_reg;
                REG_PROT_LIMIT[11:2]:    s_axil_rdata_next = prot_limit_reg;
                REG_PROT_LIMIT_HI[11:2]: s_axil_rdata_next = prot_limit_hi_reg;
                REG_PROT_CTL[11:2]:      s_axil_rdata_next = prot_ctl_reg;
                REG_IOPB_ADDR[11:2]:     s_axil_rdata_next = q_cq_addr[31:0];
                REG_IOPB_ADDR_HI[11:2]:  s_axil_rdata_next = q_cq_addr[63:32];
                REG_QUEUE_STATUS[11:2]:  s_axil_rdata_next = (q_active ? QS_ACTIVE : 32'd0) | {16'd0, q_sq_count, q_cq_count};
                REG_CQ_STATUS[11:2]:     s_axil_rdata_next = (q_cq_valid ? CQ_VALID : 32'd0) |
                                                             (q_cq_no_writeback ? CQ_NO_WRITEBACK : 32'd0) |
                                                             (q_cq_not_started ? CQ_NOT_STARTED : 32'd0) |
                                                             {28'd0, q_cq_code};
                REG_CQ_RESID[11:2]:      s_axil_rdata_next = q_cq_resid;
                REG_IRQ_COALESCE[11:2]:  s_axil_rdata_next = coalesce_reg;
                default:                 s_axil_rdata_next = 32'd0;
            endcase
        end
    end

    // reads wait while START checks the command, so that they see its result
    // and in the cycle after an early completion, until its registers are in
    s_axil_arready_next = !s_axil_rvalid_next && !chk_next && !done_early;
end

always @(posedge clk) begin
    s_axil_awready_reg <= s_axil_awready_next;
    s_axil_wready_reg <= s_axil_wready_next;
    s_axil_bvalid_reg <= s_axil_bvalid_next;
    aw_full_reg <= aw_full_next;
    w_full_reg <= w_full_next;
    wr_addr_reg <= wr_addr_next;
    wr_data_reg <= wr_data_next;
    wr_strb_reg <= wr_strb_next;

    s_axil_arready_reg <= s_axil_arready_next;
    s_axil_rvalid_reg <= s_axil_rvalid_next;
    s_axil_rdata_reg <= s_axil_rdata_next;

    enable_reg <= enable_next;
    intr_reg <= intr_next;
    dev_err_reg <= dev_err_next;
    busy_reg <= busy_next;
    err_code_reg <= err_code_next;
    ignored_reg <= ignored_next;
    dma_ctl_reg <= dma_ctl_next;
    dma_addr_reg <= dma_addr_next;
    dma_addr_hi_reg <= dma_addr_hi_next;
    dma_size_reg <= dma_size_next;
    dev_block_reg <= dev_block_next;
    resid_reg <= resid_next;
    fault_addr_reg <= fault_addr_next;
    fault_addr_hi_reg <= fault_addr_hi_next;
    xfer_count_reg <= xfer_count_next;
    sg_count_reg <= sg_count_next;
    done_sts_reg <= done_sts_next;
    irq_mask_reg <= irq_mask_next;
    prot_base_reg <= prot_base_next;
    prot_base_hi_reg <= prot_base_hi_next;
    prot_limit_reg <= prot_limit_next;
    prot_limit_hi_reg <= prot_limit_hi_next;
    prot_ctl_reg <= prot_ctl_next;
    sg_addr_vld_reg <= sg_addr_vld_next;
    sg_addr_hi_vld_reg <= sg_addr_hi_vld_next;
    sg_size_vld_reg <= sg_size_vld_next;
    chk_reg <= chk_next;
    scan_idx_reg <= scan_idx_next;
    if (scan_we) begin
        scan_mem[scan_idx_reg + 1'b1] <= scan_wdata;
    end
    seg_idx_reg <= seg_idx_next;
    seg_num_reg <= seg_num_next;
    cmd_len_reg <= cmd_len_next;
    abort_reg <= abort_next;
    soft_reset_pending_reg <= soft_reset_pending_next;

    start_reg <= start_next;
    irq_reg <= irq_next;
    iopb_hi_reg <= iopb_hi_next;
    coalesce_reg <= coalesce_next;

    if (rst) begin
        s_axil_awready_reg <= 1'b0;
        s_axil_wready_reg <= 1'b0;
        s_axil_bvalid_reg <= 1'b0;
        aw_full_reg <= 1'b0;
        w_full_reg <= 1'b0;
        s_axil_arready_reg <= 1'b0;
        s_axil_rvalid_reg <= 1'b0;

        enable_reg <= 1'b0;
        intr_reg <= 1'b0;
        dev_err_reg <= 1'b0;
        busy_reg <= 1'b0;
        err_code_reg <= 4'd0;
        ignored_reg <= 1'b0;
        dma_ctl_reg <= 32'd0;
        dma_addr_reg <= 32'd0;
        dma_addr_hi_reg <= 32'd0;
        dma_size_reg <= 32'd0;
        dev_block_reg <= 32'd0;
        resid_reg <= 32'd0;
        fault_addr_reg <= 32'd0;
        fault_addr_hi_reg <= 32'd0;
        xfer_count_reg <= 32'd0;
        sg_count_reg <= 32'd0;
        done_sts_reg <= 1'b0;
        irq_mask_reg <= IRQ_MASK_BITS;
        prot_base_reg <= 32'd0;
        prot_base_hi_reg <= 32'd0;
        prot_limit_reg <= 32'd0;
        prot_limit_hi_reg <= 32'd0;
        prot_ctl_reg <= 32'd0;
        sg_addr_vld_reg <= {SG_MEM_DEPTH{1'b0}};
        sg_addr_hi_vld_reg <= {SG_MEM_DEPTH{1'b0}};
        sg_size_vld_reg <= {SG_MEM_DEPTH{1'b0}};
        chk_reg <= 1'b0;
        scan_idx_reg <= {SG_IDX_WIDTH{1'b0}};
        seg_idx_reg <= {SG_IDX_WIDTH{1'b0}};
        seg_num_reg <= {SG_IDX_WIDTH{1'b0}};
        abort_reg <= 1'b0;
        soft_reset_pending_reg <= 1'b0;

        start_reg <= 1'b0;
        irq_reg <= 1'b0;
        iopb_hi_reg <= 32'd0;
        coalesce_reg <= 32'd0;
    end
end

endmodule

`resetall
`default_nettype wire
