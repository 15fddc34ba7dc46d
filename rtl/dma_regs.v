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
 * one segment after another (seg_*, registers: E, with the next entry
 * read ahead into R), the list being locked while BUSY. The list is kept
 * in RAM-style arrays with synchronous read ports (block RAM on iCE40) and
 * checked by one pipelined checker, an entry per cycle, while idle (see
 * "The command check" below), so that START normally finds the check
 * done. done from dma_ctrl clears BUSY and sets the
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
 * AXI4-Lite: AW and W are taken independently, in either order, their
 * address decoded as they are taken; the write is done in the cycle after
 * both are in (wr_go_reg) and B (OKAY) sent with it. One read at a time:
 * the address decoded (one-hot) when AR is taken, the data chosen in the
 * next cycle into four registers whose OR is R data. Every access answers
 * OKAY; unassigned offsets read 0. Timing: everything that decides a
 * register's next value starts from registers or from one input, so that
 * no cycle holds more than a 16-bit carry chain and a few LUTs (UP5K).
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
    output wire                       cmd_start_wr,    // cmd_start && cmd_write, a register
    output wire                       cmd_start_rd,    // cmd_start && !cmd_write, a register
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
localparam SG_IDX_WIDTH = $clog2(SGLLEN+1);
// index of the list RAM, and its depth (a power of two)
localparam SG_MEM_IDX_WIDTH = SGLLEN > 1 ? $clog2(SGLLEN) : 1;
localparam SG_MEM_DEPTH = 1 << SG_MEM_IDX_WIDTH;
// the RAM words in use: with one entry all accesses go to word 0, so that
// synthesis drops word 1 (a read of entry 1, the segment feed's lookahead,
// is masked by its valid bit, which is never set)
localparam [SG_MEM_IDX_WIDTH-1:0] SG_MEM_MASK = SGLLEN > 1 ? {SG_MEM_IDX_WIDTH{1'b1}} : {SG_MEM_IDX_WIDTH{1'b0}};
// the scan's result: the sizes' total (resid) and a carry out of it (with
// LEN_WIDTH < 32 the bits above LEN_WIDTH say too much as well). SGLLEN
// sizes of LEN_WIDTH bits add up to at most LEN_WIDTH + clog2(SGLLEN) bits,
// so the total is kept in those (at most 32: mod 2^32, with the carry out)
localparam TOT_RAW = LEN_WIDTH + $clog2(SGLLEN);
localparam TOT_WIDTH = TOT_RAW > 32 ? 32 : TOT_RAW;
// the total's high half (above the low 16 bits; 1 bit that stays 0 when
// the total fits 16 bits)
localparam HI_WIDTH = TOT_WIDTH > 16 ? TOT_WIDTH - 16 : 1;
localparam TOT_MEM_WIDTH = 16 + HI_WIDTH + 1;   // {carry out, total}

// implemented bits of dma_addr/dma_addr_hi and dma_size: the others read 0
localparam [63:0] ADDR_MASK = (ADDR_WIDTH >= 64) ? {64{1'b1}} : ((64'd1 << ADDR_WIDTH) - 64'd1);
localparam [31:0] SIZE_MASK = (LEN_WIDTH >= 32) ? 32'hffffffff : ((32'd1 << LEN_WIDTH) - 32'd1);

// an AXI4-Lite address (bits 11:4) inside the list: equalities with
// constants (a LUT function of 8 bits, no carry chain)
function sg_hit;
    input [7:0] a;
    integer i;
    begin
        sg_hit = 1'b0;
        for (i = 0; i < SGLLEN; i = i + 1) begin
            if ({a, 4'd0} == REG_SGLIST + i[11:0] * SG_STRIDE) begin
                sg_hit = 1'b1;
            end
        end
    end
endfunction

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
// decoded when AW is taken: an entry of the list; a register whose write
// leaves the scan where it is
reg wr_go_reg = 1'b0, wr_go_next;
reg wr_sg_reg = 1'b0, wr_sg_next;
reg wr_norew_reg = 1'b0, wr_norew_next;
reg wr_csr_reg = 1'b0, wr_csr_next;
reg wr_cls_cmd_reg = 1'b0, wr_cls_cmd_next;     // locked while BUSY
reg wr_cls_prot_reg = 1'b0, wr_cls_prot_next;   // the protection window
// the write's register is locked (evaluated in the cycle before the write)
reg wr_lock_reg = 1'b0;
// the register word written, one-hot (0x00..0x7c by offset/4)
reg [31:0] wr_sel_reg = 32'd0, wr_sel_next;

/*
 * AXI4-Lite read side: the address is registered first (rd_pend_reg), the
 * data is chosen from registers in the next cycle (the list's read port
 * is a synchronous RAM read in the cycle AR is taken)
 */
reg s_axil_arready_reg = 1'b0, s_axil_arready_next;
reg s_axil_rvalid_reg = 1'b0, s_axil_rvalid_next;
// R data: the OR of four registers (groups of the read mux)
reg [31:0] rd_grp0_reg = 32'd0, rd_grp0_next;
reg [31:0] rd_grp1_reg = 32'd0, rd_grp1_next;
reg [31:0] rd_grp2_reg = 32'd0, rd_grp2_next;
reg [31:0] rd_grp3_reg = 32'd0, rd_grp3_next;
reg rd_pend_reg = 1'b0, rd_pend_next;
// the cycle after done_early: done and its registers are still to come
// (and whether irq rose for it, which holds it up until they are in)
reg early_wait_reg = 1'b0;
reg early_intr_reg = 1'b0;
reg rd_sg;   // the AR address is an entry of the list
// decoded when AR is taken: the word read, one-hot (0x00..0x7c by
// offset/4, and the list entry's addr, addr_hi, size)
localparam RD_SG_ADDR = 32;
localparam RD_SG_ADDR_HI = 33;
localparam RD_SG_SIZE = 34;
localparam RD_SEL_WIDTH = 35;
reg [RD_SEL_WIDTH-1:0] rd_sel_reg = {RD_SEL_WIDTH{1'b0}}, rd_sel_next;

/*
 * Registers
 */
reg enable_reg = 1'b0, enable_next;           // ENABLE_INTERRUPTS
reg intr_reg = 1'b0, intr_next;               // INTERRUPTING
reg dev_err_reg = 1'b0, dev_err_next;         // DEVICE_ERROR
reg busy_reg = 1'b0, busy_next;               // BUSY
reg [3:0] err_code_reg = 4'd0, err_code_next; // err CODE
reg ignored_reg = 1'b0, ignored_next;         // err IGNORED
reg ign_set_reg = 1'b0, ign_set_next;
// decoded from the write registers a cycle ahead (see the write side)
reg pre_w1c_done_reg = 1'b0, pre_w1c_err_reg = 1'b0, pre_mask_wr_reg = 1'b0;
reg pre_clear_reg = 1'b0, pre_enable_wr_reg = 1'b0, pre_enable_val_reg = 1'b0;
reg [31:0] pre_mask_val_reg = 32'd0;
reg pre_rewind_reg = 1'b0, pre_start_reg = 1'b0;
reg [31:0] dma_ctl_reg = 32'd0, dma_ctl_next;
// dma_ctl's direction is DDI_DMA_WRITE, decoded as it is written (it goes
// with cmd_start to the datapaths' start, a wide fanout)
reg cmd_write_reg = 1'b0;
reg [31:0] dma_addr_reg = 32'd0, dma_addr_next;
reg [31:0] dma_addr_hi_reg = 32'd0, dma_addr_hi_next;
reg [31:0] dma_size_reg = 32'd0, dma_size_next;
reg [31:0] dev_block_reg = 32'd0, dev_block_next;
reg [TOT_WIDTH-1:0] resid_reg = {TOT_WIDTH{1'b0}}, resid_next;   // the bits a total has
reg [31:0] fault_addr_reg = 32'd0, fault_addr_next;
reg [31:0] fault_addr_hi_reg = 32'd0, fault_addr_hi_next;
reg [31:0] xfer_count_reg = 32'd0;
// xfer_count follows xfer_bytes while BUSY and reads 0 from START (or
// SOFT_RESET) on: its load and zero decided a cycle ahead, from the next
// state, so that its 32 enables come from one register
reg xfer_ld_reg = 1'b0, xfer_zero_reg = 1'b0;
reg [31:0] sg_count_reg = 32'd0, sg_count_next;
reg done_sts_reg = 1'b0, done_sts_next;       // irq_status DONE (ERROR is dev_err_reg)
reg [31:0] irq_mask_reg = IRQ_MASK_BITS, irq_mask_next;
reg [31:0] prot_base_reg = 32'd0, prot_base_next;
reg [31:0] prot_base_hi_reg = 32'd0, prot_base_hi_next;
reg [31:0] prot_limit_reg = 32'd0, prot_limit_next;
reg [31:0] prot_limit_hi_reg = 32'd0, prot_limit_hi_next;
// (the defined bits of prot_ctl only, ENABLE and LOCK: PROT_CTL_MASK; the
// rest read 0)
reg [1:0] prot_ctl_reg = 2'd0, prot_ctl_next;
wire [31:0] prot_ctl_32 = {30'd0, prot_ctl_reg};
// decoded from sg_count one cycle later (a new sg_count restarts the scan,
// whose first use of them is later than that): list mode, entries in use
// (sg_count, at most SGLLEN; 1 for dma_addr/dma_size), sg_count > SGLLEN
reg sg_mode_reg = 1'b0;
reg [SG_IDX_WIDTH-1:0] num_reg = {{(SG_IDX_WIDTH-1){1'b0}}, 1'b1};
reg [SG_IDX_WIDTH-1:0] num_m1_reg = {SG_IDX_WIDTH{1'b0}};   // num_reg - 1
reg sg_big_reg = 1'b0;
// the scatter-gather list: RAM-style arrays with synchronous read ports
// (block RAM on iCE40, distributed RAM on Xilinx), written only by the
// AXI4-Lite write path. A word reads 0 until written after rst or
// SOFT_RESET (its valid bit, which is not in the RAM), which is their reset
// value without clearing the RAM; the first write of a word writes 0 to the
// bytes it does not strobe. Two read ports: port B for the check and the
// datapath's segments, port A for AXI4-Lite reads.
reg [31:0] sg_addr_mem [0:SG_MEM_DEPTH-1];
reg [LEN_WIDTH-1:0] sg_size_mem [0:SG_MEM_DEPTH-1];
reg [SG_MEM_DEPTH-1:0] sg_addr_vld_reg = {SG_MEM_DEPTH{1'b0}}, sg_addr_vld_next;
reg [SG_MEM_DEPTH-1:0] sg_addr_hi_vld_reg = {SG_MEM_DEPTH{1'b0}}, sg_addr_hi_vld_next;
reg [SG_MEM_DEPTH-1:0] sg_size_vld_reg = {SG_MEM_DEPTH{1'b0}}, sg_size_vld_next;
reg sg_addr_we;
reg sg_addr_hi_we;
reg sg_size_we;
// the list write, registered: done in the cycle after the AXI4-Lite write
// (the scan's rewind acts in that cycle too); bytes written: those
// strobed, all of them on a word's first write (0 where not strobed).
// Its data and entry are the write's registers (wr_data_reg, wr_strb_reg,
// sg_idx_wr): the next AW or W is taken in that cycle at the earliest, so
// they change only after it
reg lw_addr_we_reg = 1'b0, lw_size_we_reg = 1'b0;
reg [3:0] lw_bytes_reg = 4'd0;
wire [31:0] lw_data = wr_data_reg & {{8{wr_strb_reg[3]}}, {8{wr_strb_reg[2]}}, {8{wr_strb_reg[1]}}, {8{wr_strb_reg[0]}}};
reg lw_first;
// (a cycle ahead: the valid bits do not change in the cycle before a write)
reg lw_first_reg = 1'b0;
// port B: read address, and the words read (R stage) with their valid bits
// (a register, worked out from the next state in the cycle before, so that
// nothing but the RAM's own read lies between it and R)
reg [SG_MEM_IDX_WIDTH-1:0] b_raddr_reg = {SG_MEM_IDX_WIDTH{1'b0}}, b_raddr_next;
// (r_lo_mem_reg, r_size_mem_reg, r_lo_vld_reg, r_size_vld_reg: in g_direct)
// port A: the words at the AXI4-Lite read address taken with AR (a_idx)
// (a_lo_mem_reg, a_size_mem_reg: in g_direct)

/*
 * The command check: a scan of the entries in use while idle, one entry
 * per cycle, in a pipeline (so that no cycle holds more than one carry
 * chain of 16 bits): issue (port B read) -> R (RAM word) -> E (the entry:
 * list word or dma_addr/dma_size, masked by its valid bit) -> C, D, G
 * (end = addr + size and the window compares in 16-bit pieces) -> F (the
 * entry's verdict) -> commit into the accumulator (the flags, the first
 * entry outside the window). The total is added up on the way, so that no
 * size goes down the pipeline: its low half as the entry leaves E, its high
 * half as it leaves C. tot_mem[n+1] keeps the total of entries 0..n
 * (written as entry n leaves D) and flg_mem[n+1] their flags (bad,
 * outside; written after its commit): word n is what a restart at n
 * reloads. So a write to entry j takes the scan
 * back to j only (to the start for dma_addr/dma_size, the window, a new
 * sg_count): the pipeline is flushed, the accumulator is reloaded from
 * them two cycles later, and the scan goes on from min(j, entries
 * committed) (an entry committed has its total written). A driver that
 * writes the list in order leaves only its last entry to check. The first
 * entry outside the window is kept in a register: if the reloaded state
 * says "outside", that entry lies before the restart point and is still
 * the first.
 * When the scan is through, port B "parks": E holds entry 0 and R entry 1
 * (pk_reg 3), which is what the datapath's segment feed needs when START
 * comes, so the segments come from registers (seg_*) with a one-entry
 * lookahead, and START takes its result at once. If the scan is not
 * through, START waits for it (chk_reg), with the AXI4-Lite accesses that
 * follow, so software sees the check as done at once and nothing reaches
 * the bus before it.
 */
reg chk_reg = 1'b0, chk_next;
reg chk_finish;
reg chk_fin_reg = 1'b0, chk_fin_next;
reg scan_rewind;
reg [SG_IDX_WIDTH-1:0] scan_rewind_to;
// the rewind acts in the next cycle (rw0), after the write is in the RAM
reg rw0_reg = 1'b0;
reg [SG_IDX_WIDTH-1:0] rw0_to_reg = {SG_IDX_WIDTH{1'b0}};
reg [SG_IDX_WIDTH-1:0] rewind_pos;
// the list entry of the write, as a scan position
// (worked out when AW is taken)
reg [SG_IDX_WIDTH-1:0] sg_idx_wr_scan = {SG_IDX_WIDTH{1'b0}}, sg_idx_wr_scan_next;
reg [SG_IDX_WIDTH-1:0] iss_idx_reg = {SG_IDX_WIDTH{1'b0}}, iss_idx_next;   // next entry to read
reg iss_more_reg = 1'b1, iss_more_next;                                     // iss_idx_reg < num_reg
reg [SG_MEM_IDX_WIDTH-1:0] iss_idx_adv;
reg iss_more_adv;
reg [1:0] pk_reg = 2'd0, pk_next;                                           // parking: 3 parked
// pipeline stages: valid (a scan entry; entries go in order, and the one
// committed is entry acc_pos_reg)
reg r_v_reg = 1'b0, r_v_next;
reg e_v_reg = 1'b0, e_v_next;
reg c_v_reg = 1'b0, c_v_next;
reg d_v_reg = 1'b0, d_v_next;
reg g_v_reg = 1'b0, g_v_next;
reg f_v_reg = 1'b0, f_v_next;
// E: the entry (also the segment on seg_* while BUSY)
reg e_load;
reg [ADDR_WIDTH-1:0] e_addr_reg = {ADDR_WIDTH{1'b0}};
reg [LEN_WIDTH-1:0] e_size_reg = {LEN_WIDTH{1'b0}};
// C: first halves
reg [16:0] c_s0_reg = 17'd0;          // addr[15:0] + size[15:0]
wire [15:0] c_a1;                     // addr[31:16] (g_c_a1)
reg [15:0] c_z1_reg = 16'd0;          // size[31:16]
reg c_lt0_reg = 1'b0, c_lt1_reg = 1'b0, c_eq1_reg = 1'b0;   // addr[31:0] against prot_base
reg c_bh_lt_reg = 1'b0, c_bh_eq_reg = 1'b0;                 // addr[63:32] against prot_base_hi
reg c_lh_gt_reg = 1'b0, c_lh_eq_reg = 1'b0, c_lh_eq1_reg = 1'b0;  // addr[63:32] (+1) against prot_limit_hi
reg c_hi_ones_reg = 1'b0;             // addr above bit 31 all ones (a carry into them wraps)
reg c_zero_reg = 1'b0;                // size 0
reg c_lc_reg = 1'b0;                  // carry out of the total's low half
// D
reg d_c_reg = 1'b0;                   // carry out of end[31:0]
reg [15:0] d_end1_reg = 16'd0;        // end[31:16]
reg d_g0_reg = 1'b0;                  // end[15:0] > prot_limit[15:0]
reg d_lt_base_reg = 1'b0;             // addr < prot_base
reg d_lh_gt_reg = 1'b0, d_lh_eq_reg = 1'b0, d_lh_eq1_reg = 1'b0, d_hi_ones_reg = 1'b0, d_zero_reg = 1'b0;
// G
reg g_g1_reg = 1'b0, g_e1_reg = 1'b0; // end[31:16] against prot_limit[31:16]
reg g_c_reg = 1'b0, g_g0_reg = 1'b0, g_lt_base_reg = 1'b0;
reg g_lh_gt_reg = 1'b0, g_lh_eq_reg = 1'b0, g_lh_eq1_reg = 1'b0, g_hi_ones_reg = 1'b0, g_zero_reg = 1'b0;
// F: the entry's verdict
reg f_bad_reg = 1'b0, f_prot_reg = 1'b0;
reg f_bad_next, f_prot_next;
// the total's low half with E's size, and its carry
wire [16:0] e_lo_sum;
reg lo_gt;
reg end_gt;
// the accumulator: entries 0..acc_pos_reg-1
reg [SG_IDX_WIDTH-1:0] acc_pos_reg = {SG_IDX_WIDTH{1'b0}}, acc_pos_next;
reg [15:0] acc_lo_reg = 16'd0, acc_lo_next;
reg [HI_WIDTH-1:0] acc_hi_reg = {HI_WIDTH{1'b0}}, acc_hi_next;
reg acc_ovf_reg = 1'b0, acc_ovf_next;
reg acc_bad_reg = 1'b0, acc_bad_next;
reg acc_prot_reg = 1'b0, acc_prot_next;
// the first entry outside, as an index (the committed entry is
// acc_pos_reg, so no address goes down the pipeline): its address is read
// again from the list (port F, a register a cycle later, like
// cmd_fail_reg), which cannot change without a rewind
reg [SG_MEM_IDX_WIDTH-1:0] acc_fault_reg = {SG_MEM_IDX_WIDTH{1'b0}}, acc_fault_next;
// (flt_lo_mem_reg, flt_lo_vld_reg: in g_direct)
reg scan_done_reg = 1'b0, scan_done_next;
reg [TOT_MEM_WIDTH-1:0] tot_mem [0:SG_MEM_DEPTH-1];
reg [1:0] flg_mem [0:SG_MEM_DEPTH-1];
reg sum_we;
reg [TOT_MEM_WIDTH-1:0] tot_rd_reg = {TOT_MEM_WIDTH{1'b0}};
reg [1:0] flg_rd_reg = 2'd0;
// the entry at D, for its write into tot_mem (entries go in order from the
// restart point)
reg [SG_IDX_WIDTH-1:0] tot_pos_reg = {SG_IDX_WIDTH{1'b0}}, tot_pos_next;
// restart: rw1 the cycle after the rewind (tot_mem, flg_mem read), rw2 the reload
reg rw1_reg = 1'b0, rw1_next;
reg rw2_reg = 1'b0;
reg [SG_IDX_WIDTH-1:0] rw_pos_reg = {SG_IDX_WIDTH{1'b0}}, rw_pos_next;
// (word n holds the state for a restart at n, so the read needs no subtracter)
wire [SG_MEM_IDX_WIDTH-1:0] sum_raddr = rw_pos_reg[SG_MEM_IDX_WIDTH-1:0];
// the scan's verdict, a cycle after the accumulator: bad (CODE 5), bad or
// outside (CODE 5 or 6)
reg cmd_bad_reg = 1'b0;
reg cmd_fail_reg = 1'b0;
reg chk_err_reg = 1'b0;
// the segment feed: E holds the segment, R the next entry
reg seg_valid_reg = 1'b0, seg_valid_next;
reg seg_gap_reg = 1'b0, seg_gap_next;                                       // a cycle between two
reg [SG_IDX_WIDTH-1:0] seg_rem_reg = {SG_IDX_WIDTH{1'b0}}, seg_rem_next;    // segments after E's
reg [SG_MEM_IDX_WIDTH-1:0] seg_rd_idx_reg = {SG_MEM_IDX_WIDTH{1'b0}}, seg_rd_idx_next;  // entry R reads
reg abort_reg = 1'b0, abort_next;
// SOFT_RESET while BUSY: abort now, reset when the command has ended
reg soft_reset_pending_reg = 1'b0, soft_reset_pending_next;
// the reset itself, registered: the cycle after the command and the queue
// are found stopped (AXI4-Lite accesses wait from then until it is done)
reg sr_go_reg = 1'b0;
// (a register: worked out from the next state)
reg sr_hold_reg = 1'b0;
wire sr_hold = sr_hold_reg;
wire sr_go_next = soft_reset_pending_reg && !busy_reg && q_quiet && !sr_go_reg;

reg start_reg = 1'b0, start_next;
// start_reg split by direction, registers of their own: each datapath's
// start fans out wide
reg start_wr_reg = 1'b0, start_rd_reg = 1'b0;
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
reg [7:0] csr_wr;
reg cmd_bad;
reg soft_reset;
// list entry of the write and of the read (within the list window, so
// the RAM index bits are enough)
reg [SG_MEM_IDX_WIDTH-1:0] sg_idx_wr = {SG_MEM_IDX_WIDTH{1'b0}}, sg_idx_wr_next;
wire [SG_MEM_IDX_WIDTH-1:0] sg_idx_rd = s_axil_araddr[4 +: SG_MEM_IDX_WIDTH] - REG_SGLIST[4 +: SG_MEM_IDX_WIDTH];
// port A's address: the AR address in the cycle AR is taken, held from then
// on (AXI4-Lite lets the master change ARADDR after the handshake, and a
// read held by a completion or a SOFT_RESET reads the RAM again)
reg [SG_MEM_IDX_WIDTH-1:0] a_idx_reg = {SG_MEM_IDX_WIDTH{1'b0}};
wire [SG_MEM_IDX_WIDTH-1:0] a_idx = (s_axil_arready_reg && s_axil_arvalid) ? sg_idx_rd : a_idx_reg;
reg [7:0] csr_rd;
reg [7:0] err_rd;

/*
 * Width adaptation between the parameterised widths and the 32-bit
 * registers (generate, so that no width is ever 0)
 */
wire aw_in_window;
wire ar_in_window;
wire [63:0] done_fault_addr_64;
wire [TOT_WIDTH-1:0] done_resid_tot;
wire [31:0] xfer_bytes_32;
wire [ADDR_WIDTH-1:0] dma_addr_full;
wire [63:0] chk_fault_64;
wire [ADDR_WIDTH-1:0] r_ent_addr;    // port B's entry, masked by the valid bits
wire [31:0] a_hi_32;                 // port A's addr_hi word, masked
// E's address bits 63:32 against the window's: < and == prot_base_hi,
// > and == prot_limit_hi, +1 == prot_limit_hi, all ones (within ADDR_WIDTH)
wire e_bh_lt, e_bh_eq, e_lh_gt, e_lh_eq, e_lh_eq1, e_hi_ones;
// (a word not written reads 0: its valid bit is in its read select)
// With SGLLEN 1 the list is one word of flip-flops: the ports read it
// directly, not through a copy a cycle later (it cannot change in between:
// the scan's rewind flushes what was read before a write, a read accepted
// with a write is answered before the RAM write, the list is locked while
// BUSY)
localparam SG_DIRECT = SGLLEN == 1;
wire [31:0] r_lo_mem;
wire [LEN_WIDTH-1:0] r_size_mem;
wire r_lo_vld;
wire r_size_vld;
wire [31:0] flt_lo_mem;
wire flt_lo_vld;
wire [31:0] a_lo_32;
wire [LEN_WIDTH-1:0] a_size_len;
generate
    if (SG_DIRECT) begin : g_direct
        // (port B's address is 0 too)
        assign r_lo_mem = sg_addr_mem[b_raddr_reg & SG_MEM_MASK];
        assign r_size_mem = sg_size_mem[b_raddr_reg & SG_MEM_MASK];
        assign r_lo_vld = sg_addr_vld_reg[b_raddr_reg & SG_MEM_MASK];
        assign r_size_vld = sg_size_vld_reg[b_raddr_reg & SG_MEM_MASK];
        assign flt_lo_mem = sg_addr_mem[0];
        assign flt_lo_vld = sg_addr_vld_reg[0];
        assign a_lo_32 = sg_addr_mem[0];
        assign a_size_len = sg_size_mem[0];
    end else begin : g_direct
        // the synchronous read ports (port B, port A, port F) and port B's
        // valid bits
        reg [31:0] r_lo_mem_reg = 32'd0;
        reg [LEN_WIDTH-1:0] r_size_mem_reg = {LEN_WIDTH{1'b0}};
        reg r_lo_vld_reg = 1'b0, r_size_vld_reg = 1'b0;
        reg [31:0] a_lo_mem_reg = 32'd0;
        reg [LEN_WIDTH-1:0] a_size_mem_reg = {LEN_WIDTH{1'b0}};
        reg [31:0] flt_lo_mem_reg = 32'd0;
        reg flt_lo_vld_reg = 1'b0;
        always @(posedge clk) begin
            r_lo_mem_reg <= sg_addr_mem[b_raddr_reg & SG_MEM_MASK];
            r_size_mem_reg <= sg_size_mem[b_raddr_reg & SG_MEM_MASK];
            a_lo_mem_reg <= sg_addr_mem[a_idx & SG_MEM_MASK];
            a_size_mem_reg <= sg_size_mem[a_idx & SG_MEM_MASK];
            flt_lo_mem_reg <= sg_addr_mem[acc_fault_reg & SG_MEM_MASK];
            flt_lo_vld_reg <= sg_addr_vld_reg[acc_fault_reg];
            r_lo_vld_reg <= sg_addr_vld_reg[b_raddr_reg];
            r_size_vld_reg <= sg_size_vld_reg[b_raddr_reg];
        end
        assign r_lo_mem = r_lo_mem_reg;
        assign r_size_mem = r_size_mem_reg;
        assign r_lo_vld = r_lo_vld_reg;
        assign r_size_vld = r_size_vld_reg;
        assign flt_lo_mem = flt_lo_mem_reg;
        assign flt_lo_vld = flt_lo_vld_reg;
        assign a_lo_32 = a_lo_mem_reg;
        assign a_size_len = a_size_mem_reg;
    end
endgenerate
wire [LEN_WIDTH-1:0] r_size_len = r_size_vld ? r_size_mem : {LEN_WIDTH{1'b0}};
wire [31:0] a_size_32;
wire [31:0] e_size_32;
integer k;
integer n;

wire [63:0] prot_base_64 = {prot_base_hi_reg, prot_base_reg};
wire [63:0] prot_limit_64 = {prot_limit_hi_reg, prot_limit_reg};
wire prot_on = (prot_ctl_32 & PROT_ENABLE) != 32'd0;
wire prot_locked = (prot_ctl_32 & PROT_LOCK) != 32'd0;

wire [ADDR_WIDTH-1:0] flt_ent_addr;  // port F's entry, masked by the valid bits
wire [ADDR_WIDTH-1:0] scan_fault = sg_mode_reg ? flt_ent_addr : dma_addr_full;  // the first entry outside
wire [31:0] scan_sum;                                          // total of the sizes (mod 2^32)
wire [31:0] resid_32;
// the command fails its check (CODE 5 or 6)
wire cmd_fail_d = (dma_ctl_reg[1:0] != DMA_CTL_DIR_WRITE && dma_ctl_reg[1:0] != DMA_CTL_DIR_READ) ||
                  sg_big_reg ||
                  acc_bad_reg ||
                  acc_ovf_reg ||
                  (scan_sum & ~SIZE_MASK) != 32'd0 ||
                  acc_prot_reg;

generate
    if (AXIL_ADDR_WIDTH > 12) begin : g_axil_hi
        // the map is 4 KiB; above it everything reads 0
        assign aw_in_window = ~|s_axil_awaddr[AXIL_ADDR_WIDTH-1:12];
        assign ar_in_window = ~|s_axil_araddr[AXIL_ADDR_WIDTH-1:12];
    end else begin : g_axil_hi
        assign aw_in_window = 1'b1;
        assign ar_in_window = 1'b1;
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
        reg lw_hi_we_reg = 1'b0;
        wire [31:0] e_hi_32;          // E's address bits 63:32
        integer j;
        always @(posedge clk) begin
            for (j = 0; j < ADDR_WIDTH-32; j = j + 1) begin
                if (lw_hi_we_reg && lw_bytes_reg[j/8]) begin
                    sg_addr_hi_mem[sg_idx_wr & SG_MEM_MASK][j] <= lw_data[j];
                end
            end
            lw_hi_we_reg <= sg_addr_hi_we && !rst;
        end
        assign e_bh_lt = e_hi_32 < prot_base_hi_reg;
        assign e_bh_eq = e_hi_32 == prot_base_hi_reg;
        assign e_lh_gt = e_hi_32 > prot_limit_hi_reg;
        assign e_lh_eq = e_hi_32 == prot_limit_hi_reg;
        assign e_lh_eq1 = {1'b0, e_hi_32} + 33'd1 == {1'b0, prot_limit_hi_reg};
        assign e_hi_ones = &e_addr_reg[ADDR_WIDTH-1:32];
        wire [ADDR_WIDTH-33:0] r_hi_mem, flt_hi_mem, a_hi;
        wire r_hi_vld, flt_hi_vld;
        if (SG_DIRECT) begin : g_direct_hi
            assign r_hi_mem = sg_addr_hi_mem[0];
            assign r_hi_vld = sg_addr_hi_vld_reg[0];
            assign flt_hi_mem = sg_addr_hi_mem[0];
            assign flt_hi_vld = sg_addr_hi_vld_reg[0];
            assign a_hi = sg_addr_hi_mem[0];
        end else begin : g_direct_hi
            reg [ADDR_WIDTH-33:0] r_hi_mem_reg = {(ADDR_WIDTH-32){1'b0}};
            reg [ADDR_WIDTH-33:0] a_hi_mem_reg = {(ADDR_WIDTH-32){1'b0}};
            reg r_hi_vld_reg = 1'b0;
            reg [ADDR_WIDTH-33:0] flt_hi_mem_reg = {(ADDR_WIDTH-32){1'b0}};
            reg flt_hi_vld_reg = 1'b0;
            always @(posedge clk) begin
                r_hi_mem_reg <= sg_addr_hi_mem[b_raddr_reg & SG_MEM_MASK];
                a_hi_mem_reg <= sg_addr_hi_mem[a_idx & SG_MEM_MASK];
                r_hi_vld_reg <= sg_addr_hi_vld_reg[b_raddr_reg];
                flt_hi_mem_reg <= sg_addr_hi_mem[acc_fault_reg & SG_MEM_MASK];
                flt_hi_vld_reg <= sg_addr_hi_vld_reg[acc_fault_reg];
            end
            assign r_hi_mem = r_hi_mem_reg;
            assign r_hi_vld = r_hi_vld_reg;
            assign flt_hi_mem = flt_hi_mem_reg;
            assign flt_hi_vld = flt_hi_vld_reg;
            assign a_hi = a_hi_mem_reg;
        end
        wire [ADDR_WIDTH-33:0] r_hi = r_hi_vld ? r_hi_mem : {(ADDR_WIDTH-32){1'b0}};
        assign r_ent_addr = {r_hi, r_lo_vld ? r_lo_mem : 32'd0};
        assign flt_ent_addr = {flt_hi_vld ? flt_hi_mem : {(ADDR_WIDTH-32){1'b0}},
                               flt_lo_vld ? flt_lo_mem : 32'd0};
        if (ADDR_WIDTH < 64) begin : g_pad
            assign a_hi_32 = {{(64-ADDR_WIDTH){1'b0}}, a_hi};
            assign e_hi_32 = {{(64-ADDR_WIDTH){1'b0}}, e_addr_reg[ADDR_WIDTH-1:32]};
        end else begin : g_pad
            assign a_hi_32 = a_hi;
            assign e_hi_32 = e_addr_reg[63:32];
        end
    end else begin : g_sg_hi
        assign r_ent_addr = r_lo_vld ? r_lo_mem : 32'd0;
        assign flt_ent_addr = flt_lo_vld ? flt_lo_mem : 32'd0;
        assign a_hi_32 = 32'd0;
        // (constants against the window: no carry chain)
        assign e_bh_lt = prot_base_hi_reg != 32'd0;
        assign e_bh_eq = prot_base_hi_reg == 32'd0;
        assign e_lh_gt = 1'b0;
        assign e_lh_eq = prot_limit_hi_reg == 32'd0;
        assign e_lh_eq1 = prot_limit_hi_reg == 32'd1;
        assign e_hi_ones = 1'b1;
    end

    // the list RAM, with byte strobes (a bit at a time, so that any width
    // works; synthesis groups the bits of a strobe into one write enable),
    // and its two synchronous read ports
    always @(posedge clk) begin
        for (k = 0; k < 32; k = k + 1) begin
            if (lw_addr_we_reg && lw_bytes_reg[k/8]) begin
                sg_addr_mem[sg_idx_wr & SG_MEM_MASK][k] <= lw_data[k];
            end
        end
        for (k = 0; k < LEN_WIDTH; k = k + 1) begin
            if (lw_size_we_reg && lw_bytes_reg[k/8]) begin
                sg_size_mem[sg_idx_wr & SG_MEM_MASK][k] <= lw_data[k];
            end
        end
    end

    if (TOT_WIDTH < 32) begin : g_tot
        assign resid_32 = {{(32-TOT_WIDTH){1'b0}}, resid_reg};
    end else begin : g_tot
        assign resid_32 = resid_reg;
    end
    if (TOT_WIDTH > LEN_WIDTH) begin : g_tot_len
        assign done_resid_tot = {{(TOT_WIDTH-LEN_WIDTH){1'b0}}, done_resid};
    end else begin : g_tot_len
        assign done_resid_tot = done_resid;
    end
    if (HI_WIDTH < 16) begin : g_sum
        assign scan_sum = {{(16-HI_WIDTH){1'b0}}, acc_hi_reg, acc_lo_reg};
    end else begin : g_sum
        assign scan_sum = {acc_hi_reg, acc_lo_reg};
    end

    if (LEN_WIDTH < 32) begin : g_len
        assign xfer_bytes_32 = {{(32-LEN_WIDTH){1'b0}}, xfer_bytes};
        assign a_size_32 = {{(32-LEN_WIDTH){1'b0}}, a_size_len};
        assign e_size_32 = {{(32-LEN_WIDTH){1'b0}}, e_size_reg};
    end else begin : g_len
        assign xfer_bytes_32 = xfer_bytes;
        assign a_size_32 = a_size_len;
        assign e_size_32 = e_size_reg;
    end
endgenerate

// C's copy of the entry's address bits 31:16. With SGLLEN 1, E holds the
// one entry from its load until the scan is through (E is loaded again only
// with the same word, or after a write, whose rewind flushes the pipeline),
// so D takes them from E itself
generate
    if (SGLLEN == 1) begin : g_c_a1
        assign c_a1 = e_addr_reg[31:16];
    end else begin : g_c_a1
        reg [15:0] c_a1_reg = 16'd0;
        always @(posedge clk) begin
            c_a1_reg <= e_addr_reg[31:16];
        end
        assign c_a1 = c_a1_reg;
    end
endgenerate

// the check's accumulator after entry n-1, for a restart at n (the restart
// reads it two cycles after the rewind at the earliest). The total: written
// in the cycle entry n is at D, from registers: the high half then holds
// the total after entry n, the low half (which entry n+1 may have changed
// since) is sum_lo_reg. The flags: written a cycle after the commit, from
// registers.
// With SGLLEN 1 a scan has one entry, and the total before it is 0 (every
// scan starts after rst or a rewind to the start, whose reload is 0): no
// adder, the total is the size
wire [15:0] acc_lo_prev = (SGLLEN == 1) ? 16'd0 : acc_lo_reg;
wire [HI_WIDTH-1:0] acc_hi_prev = (SGLLEN == 1) ? {HI_WIDTH{1'b0}} : acc_hi_reg;
assign e_lo_sum = {1'b0, acc_lo_prev} + {1'b0, e_size_32[15:0]};
reg sum_we_reg = 1'b0;
reg [SG_MEM_IDX_WIDTH-1:0] sum_waddr_reg = {SG_MEM_IDX_WIDTH{1'b0}};
reg [15:0] sum_lo_reg = 16'd0;
always @(posedge clk) begin
    sum_we_reg <= sum_we && !rst;
    sum_waddr_reg <= acc_pos_reg[SG_MEM_IDX_WIDTH-1:0] + 1'b1;
    sum_lo_reg <= acc_lo_reg;
    if (sum_we_reg) begin
        flg_mem[sum_waddr_reg & SG_MEM_MASK] <= {acc_bad_reg, acc_prot_reg};
    end
    if (d_v_reg && !rw0_reg && !rst) begin
        tot_mem[(tot_pos_reg[SG_MEM_IDX_WIDTH-1:0] + 1'b1) & SG_MEM_MASK] <= {acc_ovf_reg, acc_hi_reg, sum_lo_reg};
    end
    tot_rd_reg <= tot_mem[sum_raddr & SG_MEM_MASK];
    flg_rd_reg <= flg_mem[sum_raddr & SG_MEM_MASK];
end

assign s_axil_awready = s_axil_awready_reg;
assign s_axil_wready = s_axil_wready_reg;
assign s_axil_bresp = 2'b00;
assign s_axil_bvalid = s_axil_bvalid_reg;
assign s_axil_arready = s_axil_arready_reg;
assign s_axil_rdata = rd_grp0_reg | rd_grp1_reg | rd_grp2_reg | rd_grp3_reg;
assign s_axil_rresp = 2'b00;
assign s_axil_rvalid = s_axil_rvalid_reg;

assign cmd_start = start_reg;
assign cmd_start_wr = start_wr_reg;
assign cmd_start_rd = start_rd_reg;
assign cmd_write = cmd_write_reg;
// resid holds the total from START until done, and the datapath takes
// cmd_len with cmd_start only
assign cmd_len = resid_reg[LEN_WIDTH-1:0];
assign cmd_block = dev_block_reg;
assign cmd_abort = abort_reg;

// registers: E holds the segment (the registers behind it are locked
// while BUSY), a cycle's gap after each handshake while R reads the next
assign seg_valid = seg_valid_reg;
assign seg_addr = e_addr_reg;
assign seg_len = e_size_reg;

assign irq = irq_reg;

assign reg_busy = busy_reg;
assign q_db_valid = q_db_now;
assign q_db_addr = {iopb_hi_reg, wr_data_reg};
assign q_pop = q_pop_now;
assign q_abort = q_abort_now;
assign q_halt = soft_reset_pending_reg;
assign q_clear = q_clear_now;
assign q_prot_on = prot_on;
assign q_prot_base = prot_base_64;
assign q_prot_limit = prot_limit_64;
assign q_coalesce = coalesce_reg;

// a register-mode DDI_DMA_READ's completion seen two cycles early (its last
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
    scan_rewind = 1'b0;
    scan_rewind_to = {SG_IDX_WIDTH{1'b0}};
    // a START waiting for the scan goes on once it is through (decided a
    // cycle ahead: chk_fin_reg)
    chk_finish = chk_fin_reg;

    seg_valid_next = seg_valid_reg || seg_gap_reg;
    seg_gap_next = 1'b0;
    seg_rem_next = seg_rem_reg;
    seg_rd_idx_next = seg_rd_idx_reg;
    e_load = 1'b0;
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

    // a segment taken: E takes the next entry from R, which reads the one
    // after it; a cycle without seg_valid gives R that cycle
    if (seg_valid_reg && seg_ready) begin
        seg_valid_next = 1'b0;
        seg_gap_next = seg_rem_reg != {SG_IDX_WIDTH{1'b0}};
        seg_rem_next = seg_rem_reg - 1'b1;
        seg_rd_idx_next = seg_rd_idx_reg + 1'b1;
        e_load = 1'b1;
    end

    // AW and W are held independently until both are in
    wr_sg_next = wr_sg_reg;
    sg_idx_wr_scan_next = sg_idx_wr_scan;
    sg_idx_wr_next = sg_idx_wr;
    wr_norew_next = wr_norew_reg;
    wr_csr_next = wr_csr_reg;
    wr_cls_cmd_next = wr_cls_cmd_reg;
    wr_cls_prot_next = wr_cls_prot_reg;
    wr_sel_next = wr_sel_reg;
    if (s_axil_awready_reg && s_axil_awvalid) begin
        aw_full_next = 1'b1;
        wr_addr_next = s_axil_awaddr;
        wr_sg_next = aw_in_window && sg_hit(s_axil_awaddr[11:4]);
        sg_idx_wr_scan_next = s_axil_awaddr[4 +: SG_IDX_WIDTH] - REG_SGLIST[4 +: SG_IDX_WIDTH];
        // (SG_MEM_MASK: with SGLLEN 1 word 0 only, so that the valid bits
        // of word 1 are never set and synthesis drops them)
        sg_idx_wr_next = (s_axil_awaddr[4 +: SG_MEM_IDX_WIDTH] - REG_SGLIST[4 +: SG_MEM_IDX_WIDTH]) & SG_MEM_MASK;
        wr_cls_cmd_next = wr_sg_next ||
                          (aw_in_window &&
                           (s_axil_awaddr[11:2] == REG_DMA_CTL[11:2] ||
                            s_axil_awaddr[11:2] == REG_DMA_ADDR[11:2] ||
                            s_axil_awaddr[11:2] == REG_DMA_ADDR_HI[11:2] ||
                            s_axil_awaddr[11:2] == REG_DMA_SIZE[11:2] ||
                            s_axil_awaddr[11:2] == REG_DEV_BLOCK[11:2] ||
                            s_axil_awaddr[11:2] == REG_SG_COUNT[11:2]));
        wr_cls_prot_next = aw_in_window &&
                           (s_axil_awaddr[11:2] == REG_PROT_BASE[11:2] ||
                            s_axil_awaddr[11:2] == REG_PROT_BASE_HI[11:2] ||
                            s_axil_awaddr[11:2] == REG_PROT_LIMIT[11:2] ||
                            s_axil_awaddr[11:2] == REG_PROT_LIMIT_HI[11:2] ||
                            s_axil_awaddr[11:2] == REG_PROT_CTL[11:2]);
        wr_csr_next = aw_in_window && s_axil_awaddr[11:2] == REG_CSR[11:2];
        wr_sel_next = 32'd0;
        for (n = 0; n < 32; n = n + 1) begin
            wr_sel_next[n] = aw_in_window && s_axil_awaddr[11:7] == 5'd0 && s_axil_awaddr[6:2] == n[4:0];
        end
        wr_norew_next = aw_in_window &&
                        (s_axil_awaddr[11:2] == REG_CSR[11:2] ||
                         s_axil_awaddr[11:2] == REG_SG_COUNT[11:2] ||
                         s_axil_awaddr[11:2] == REG_DMA_CTL[11:2] ||
                         s_axil_awaddr[11:2] == REG_DEV_BLOCK[11:2] ||
                         s_axil_awaddr[11:2] == REG_IRQ_STATUS[11:2] ||
                         s_axil_awaddr[11:2] == REG_IRQ_MASK[11:2]);
    end
    if (s_axil_wready_reg && s_axil_wvalid) begin
        w_full_next = 1'b1;
        wr_data_next = s_axil_wdata;
        wr_strb_next = s_axil_wstrb;
    end

    // the write is done in the cycle after AW and W are both in and B is
    // free (wr_go_reg), so that its decode starts from registers only; not
    // while START checks the command (it sees the registers as written) nor
    // while a SOFT_RESET waits or is being done (the write follows it)
    wr_go_next = aw_full_reg && w_full_reg && !s_axil_bvalid_reg && !wr_go_reg && !chk_reg &&
                 !soft_reset_pending_reg && !sr_go_reg;
    do_write = wr_go_reg;

    // a write that may change what the scan looks at takes it back: to
    // the entry written for the list, to the start for dma_addr,
    // dma_addr_hi, dma_size, the protection window and anything else; not
    // for the csr, dma_ctl, dev_block and interrupt registers, nor sg_count
    // written with the value it has (a driver rewrites it every command)
    // (decoded a cycle ahead: pre_rewind_reg; an ignored write may take it
    // back too, which costs only the scan's time)
    if (do_write && pre_rewind_reg) begin
        scan_rewind = 1'b1;
    end

    wr_mask = {{8{wr_strb_reg[3]}}, {8{wr_strb_reg[2]}}, {8{wr_strb_reg[1]}}, {8{wr_strb_reg[0]}}};
    csr_wr = wr_data_reg[7:0];

    // the command, once the scan is through (the registers cannot change
    // during the wait nor while BUSY)
    cmd_bad = cmd_bad_reg;




    if (do_write) begin
        aw_full_next = 1'b0;
        w_full_next = 1'b0;
        s_axil_bvalid_next = 1'b1;

        if (wr_sg_reg) begin
            // an entry of the scatter-gather list
            scan_rewind_to = sg_idx_wr_scan;
            if (!wr_lock_reg) begin
                // the RAM write itself is in the always block of the list
                case (wr_addr_reg[3:2])
                    SG_ADDR[3:2]: begin
                        sg_addr_we = 1'b1;
                        for (n = 0; n < SG_MEM_DEPTH; n = n + 1) begin
                            if (sg_idx_wr == n[SG_MEM_IDX_WIDTH-1:0]) begin
                                sg_addr_vld_next[n] = 1'b1;
                            end
                        end
                    end
                    SG_ADDR_HI[3:2]: begin
                        sg_addr_hi_we = 1'b1;
                        for (n = 0; n < SG_MEM_DEPTH; n = n + 1) begin
                            if (sg_idx_wr == n[SG_MEM_IDX_WIDTH-1:0]) begin
                                sg_addr_hi_vld_next[n] = 1'b1;
                            end
                        end
                    end
                    SG_SIZE[3:2]: begin
                        sg_size_we = 1'b1;
                        for (n = 0; n < SG_MEM_DEPTH; n = n + 1) begin
                            if (sg_idx_wr == n[SG_MEM_IDX_WIDTH-1:0]) begin
                                sg_size_vld_next[n] = 1'b1;
                            end
                        end
                    end
                    default: begin
                        // reserved word of the entry
                    end
                endcase
            end
        end
        // (the one-hot register selects are 0 for the list)
        begin
            (* parallel_case *)
            case (1'b1)
                wr_sel_reg[REG_DMA_CTL[6:2]]: begin
                    if (!wr_lock_reg) begin
                        dma_ctl_next = ((dma_ctl_reg & ~wr_mask) | (wr_data_reg & wr_mask)) & DMA_CTL_DIR_MASK;
                    end
                end
                wr_sel_reg[REG_DMA_ADDR[6:2]]: begin
                    if (!wr_lock_reg) begin
                        dma_addr_next = ((dma_addr_reg & ~wr_mask) | (wr_data_reg & wr_mask)) & ADDR_MASK[31:0];
                    end
                end
                wr_sel_reg[REG_DMA_ADDR_HI[6:2]]: begin
                    if (!wr_lock_reg) begin
                        dma_addr_hi_next = ((dma_addr_hi_reg & ~wr_mask) | (wr_data_reg & wr_mask)) & ADDR_MASK[63:32];
                    end
                end
                wr_sel_reg[REG_DMA_SIZE[6:2]]: begin
                    if (!wr_lock_reg) begin
                        dma_size_next = ((dma_size_reg & ~wr_mask) | (wr_data_reg & wr_mask)) & SIZE_MASK;
                    end
                end
                wr_sel_reg[REG_DEV_BLOCK[6:2]]: begin
                    if (!wr_lock_reg) begin
                        dev_block_next = ((dev_block_reg & ~wr_mask) | (wr_data_reg & wr_mask));
                    end
                end
                wr_sel_reg[REG_SG_COUNT[6:2]]: begin
                    if (!wr_lock_reg) begin
                        sg_count_next = ((sg_count_reg & ~wr_mask) | (wr_data_reg & wr_mask)) & SG_COUNT_MASK;
                        // a new value takes the scan back to the start
                        // (pre_rewind_reg)
                    end
                end
                wr_sel_reg[REG_IRQ_STATUS[6:2]]: begin
                    // write one to clear: below (pre_*)
                end
                wr_sel_reg[REG_IRQ_MASK[6:2]]: begin
                    // below (pre_*)
                end
                wr_sel_reg[REG_PROT_BASE[6:2]]: begin
                    if (!wr_lock_reg) begin
                        prot_base_next = ((prot_base_reg & ~wr_mask) | (wr_data_reg & wr_mask));
                    end
                end
                wr_sel_reg[REG_PROT_BASE_HI[6:2]]: begin
                    if (!wr_lock_reg) begin
                        prot_base_hi_next = ((prot_base_hi_reg & ~wr_mask) | (wr_data_reg & wr_mask));
                    end
                end
                wr_sel_reg[REG_PROT_LIMIT[6:2]]: begin
                    if (!wr_lock_reg) begin
                        prot_limit_next = ((prot_limit_reg & ~wr_mask) | (wr_data_reg & wr_mask));
                    end
                end
                wr_sel_reg[REG_PROT_LIMIT_HI[6:2]]: begin
                    if (!wr_lock_reg) begin
                        prot_limit_hi_next = ((prot_limit_hi_reg & ~wr_mask) | (wr_data_reg & wr_mask));
                    end
                end
                wr_sel_reg[REG_PROT_CTL[6:2]]: begin
                    if (!wr_lock_reg) begin
                        prot_ctl_next = ((prot_ctl_reg & ~wr_mask[1:0]) | (wr_data_reg[1:0] & wr_mask[1:0])) & PROT_CTL_MASK[1:0];
                    end
                end
                wr_sel_reg[REG_IOPB_ADDR[6:2]]: begin
                    // the doorbell: never locked, refused when SQ is full
                    if (HAS_QUEUE) begin
                        if (!q_sq_full) begin
                            q_db_now = 1'b1;
                        end
                    end
                end
                wr_sel_reg[REG_IOPB_ADDR_HI[6:2]]: begin
                    if (HAS_QUEUE) begin
                        iopb_hi_next = ((iopb_hi_reg & ~wr_mask) | (wr_data_reg & wr_mask)) & ADDR_MASK[63:32];
                    end
                end
                wr_sel_reg[REG_QUEUE_CTL[6:2]]: begin
                    if (HAS_QUEUE && wr_strb_reg[0] && (wr_data_reg & QUEUE_POP) != 32'd0) begin
                        q_pop_now = 1'b1;
                    end
                end
                wr_sel_reg[REG_IRQ_COALESCE[6:2]]: begin
                    if (HAS_QUEUE) begin
                        coalesce_next = ((coalesce_reg & ~wr_mask) | (wr_data_reg & wr_mask));
                    end
                end
                default: begin
                    // read only or unassigned: ignored
                end
            endcase
        end
    end


    // the csr byte (err and pad are read only); decoded when AW was taken
    // the writes that reach INTERRUPTING and irq, decoded in the cycle
    // before (pre_*: the write's registers do not change until it is done)
    if (do_write && pre_w1c_done_reg) begin
        done_sts_next = 1'b0;
    end
    if (do_write && pre_w1c_err_reg) begin
        dev_err_next = 1'b0;
    end
    if (do_write && pre_mask_wr_reg) begin
        irq_mask_next = pre_mask_val_reg;
    end
    if (do_write && pre_clear_reg) begin
        dev_err_next = 1'b0;
        err_code_next = ERR_CODE_NONE;
        ignored_next = 1'b0;
        done_sts_next = 1'b0;
    end
    if (do_write && pre_enable_wr_reg) begin
        enable_next = pre_enable_val_reg;
    end
    if (do_write && wr_csr_reg && wr_strb_reg[0]) begin
        // clear first (above), then start
        if ((csr_wr & (CSR_ABORT | CSR_SOFT_RESET)) != 8'h00 && busy_reg) begin
            // stops after the bursts already on the bus
            abort_next = 1'b1;
        end
        if ((csr_wr & CSR_ABORT) != 8'h00 && (csr_wr & CSR_SOFT_RESET) == 8'h00 && q_pending) begin
            // the queued block running and all waiting ones
            q_abort_now = 1'b1;
        end
        if ((csr_wr & CSR_SOFT_RESET) != 8'h00) begin
            // done in the next cycle at the earliest (below), once the
            // command and the queue have stopped
            soft_reset_pending_next = 1'b1;
        end
    end
    // START (pre_start_reg: this csr byte, without SOFT_RESET) is refused
    // while BUSY, and while the queue has a block running or waiting
    if (do_write && pre_start_reg && !(busy_reg || q_pending)) begin
        // in the next cycle, or when the scan is through
        chk_next = 1'b1;
    end

    // err IGNORED: a write to a locked register (the command registers and
    // the list while BUSY; the window while locked, BUSY or the queue has
    // work), a doorbell with SQ full, START while BUSY or the queue has work
    // (after a CLEAR_INTERRUPT in the same byte); the class of the register
    // was decoded when AW was taken. Set in the next cycle (ign_set_reg):
    // no access can see err or write it before then.
    if (ign_set_reg) begin
        ignored_next = 1'b1;
    end
    ign_set_next = 1'b0;
    if (do_write && ((wr_lock_reg && wr_strb_reg != 4'd0) ||
                     (HAS_QUEUE && wr_sel_reg[REG_IOPB_ADDR[6:2]] && q_sq_full) ||
                     (pre_start_reg && (busy_reg || q_pending)))) begin
        ign_set_next = 1'b1;
    end

    // START with the scan's result: it goes to the registers as the START
    // write itself did, after the csr byte's other bits (clear first, then
    // start)
    // (chk_err_reg: chk_fin_reg && cmd_fail_reg, a register itself, for the
    // causes' sake)
    if (chk_err_reg) begin
        dev_err_next = 1'b1;
        done_sts_next = 1'b0;
    end
    if (chk_finish) begin
        chk_next = 1'b0;
        resid_next = scan_sum[TOT_WIDTH-1:0];
        fault_addr_next = 32'd0;
        fault_addr_hi_next = 32'd0;
        if (cmd_fail_reg) begin
            // never reaches the bus or the device
            err_code_next = cmd_bad ? ERR_CODE_BAD_CMD : ERR_CODE_PROTECTION;
            if (!cmd_bad) begin
                fault_addr_next = chk_fault_64[31:0];
                fault_addr_hi_next = chk_fault_64[63:32];
            end
        end else begin
            busy_next = 1'b1;
            start_next = 1'b1;
            // E holds entry 0 and R entry 1 (parked)
            seg_valid_next = 1'b1;
            seg_rem_next = num_reg - 1'b1;
            seg_rd_idx_next = {{(SG_MEM_IDX_WIDTH-1){1'b0}}, 1'b1};
        end
    end
    // Completion comes after the write so that it wins over a
    // CLEAR_INTERRUPT in the same cycle: an interrupt is never lost.
    if (done) begin
        busy_next = 1'b0;
    end
    // (the causes not when a SOFT_RESET waits for this command: it resets
    // everything soon after, without an interrupt)
    if (done) begin
        if (!soft_reset_pending_reg) begin
            // the causes say how the last command ended: one set, the
            // other clear
            dev_err_next = done_err_rd || done_err_wr || done_err_dev || done_aborted;
            done_sts_next = !(done_err_rd || done_err_wr || done_err_dev || done_aborted);
        end
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
        resid_next = done_resid_tot;
        fault_addr_next = done_fault_addr_64[31:0];
        fault_addr_hi_next = done_fault_addr_64[63:32];
    end

    // SOFT_RESET: every register back to its reset value, except the
    // protection window once locked (only rst unlocks it) and the AXI4-Lite
    // handshakes in progress. While BUSY it waits for the aborted command.
    soft_reset = sr_go_reg;
    if (soft_reset) begin
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
        resid_next = {TOT_WIDTH{1'b0}};
        fault_addr_next = 32'd0;
        fault_addr_hi_next = 32'd0;
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
            prot_ctl_next = 2'd0;
        end
    end

    // a word's first write since rst or SOFT_RESET writes all its bytes
    // (from the registers of the write only: it matters only with a we)
    case (wr_addr_reg[3:2])
        SG_ADDR[3:2]:    lw_first = !sg_addr_vld_reg[sg_idx_wr];
        SG_ADDR_HI[3:2]: lw_first = !sg_addr_hi_vld_reg[sg_idx_wr];
        default:         lw_first = !sg_size_vld_reg[sg_idx_wr];
    endcase

    // the segments end with the command (it cannot start in that cycle)
    if (done) begin
        seg_valid_next = 1'b0;
        seg_gap_next = 1'b0;
    end

    // The scan. Port B reads for the datapath while BUSY, else the next
    // entry to check, else it parks (entry 0 into E, entry 1 into R).
    rewind_pos = (rw0_to_reg < acc_pos_reg) ? rw0_to_reg : acc_pos_reg;
    if (SGLLEN == 1) begin
        // every rewind goes to the start (entry 0 is the only one), so that
        // synthesis drops sum_mem: nothing restarts from it
        rewind_pos = {SG_IDX_WIDTH{1'b0}};
    end
    iss_idx_next = iss_idx_reg;
    iss_more_next = iss_more_reg;
    pk_next = pk_reg;
    r_v_next = 1'b0;
    e_v_next = r_v_reg;
    c_v_next = e_v_reg;
    d_v_next = c_v_reg;
    g_v_next = d_v_reg;
    f_v_next = g_v_reg;
    if (rw1_reg) begin
        // the restart point of the rewind in the cycle before
        // (rw_pos_reg <= acc_pos_reg <= num_reg)
        iss_idx_next = rw_pos_reg;
        iss_more_next = rw_pos_reg != num_reg;
    end
    if (busy_reg) begin
        pk_next = 2'd0;
    end else if (rw0_reg || rw1_reg) begin
        // a rewind, and the cycle after it: the issue restarts at rw_pos_reg
        // (above)
    end else if (iss_more_reg) begin
        r_v_next = 1'b1;
        iss_idx_next = iss_idx_reg + 1'b1;
        iss_more_next = iss_idx_reg != num_m1_reg;
    end else begin
        case (pk_reg)
            2'd0: begin
                pk_next = 2'd1;
            end
            2'd1: begin
                // (E takes entry 0: below)
                pk_next = 2'd2;
            end
            default: begin
                pk_next = 2'd3;
            end
        endcase
    end
    // parking: E takes entry 0 from R. pk_reg 1 follows a cycle of this
    // branch with pk_reg 0, so it is never BUSY, in the cycle after a
    // rewind or with entries to issue; in a rewind's own cycle the load does
    // no harm (the scan restarts and parks again), so pk_reg alone decides,
    // and E's enable has few inputs
    if (r_v_reg || pk_reg == 2'd1) begin
        e_load = 1'b1;
    end
    // (the same without a rewind, for port B's address)
    iss_idx_adv = iss_idx_next[SG_MEM_IDX_WIDTH-1:0];
    iss_more_adv = iss_more_next;

    // F: the entry's verdict, from its pieces (an entry that wraps is bad,
    // whatever its window compare says)
    lo_gt = g_g1_reg || (g_e1_reg && g_g0_reg);
    end_gt = g_c_reg ? (g_lh_gt_reg || g_lh_eq_reg || (g_lh_eq1_reg && lo_gt))
                     : (g_lh_gt_reg || (g_lh_eq_reg && lo_gt));
    f_prot_next = prot_on && (g_lt_base_reg || end_gt);
    f_bad_next = g_zero_reg || (g_c_reg && g_hi_ones_reg);

    // the accumulator
    acc_pos_next = acc_pos_reg;
    acc_lo_next = acc_lo_reg;
    acc_hi_next = acc_hi_reg;
    acc_ovf_next = acc_ovf_reg;
    acc_bad_next = acc_bad_reg;
    acc_prot_next = acc_prot_reg;
    acc_fault_next = acc_fault_reg;
    scan_done_next = scan_done_reg;
    sum_we = 1'b0;
    rw1_next = 1'b0;
    rw_pos_next = rw_pos_reg;
    tot_pos_next = tot_pos_reg;
    // the total (a rewind reloads it, below)
    if (e_v_reg) begin
        acc_lo_next = e_lo_sum[15:0];
    end
    if (c_v_reg) begin
        {acc_ovf_next, acc_hi_next} = {1'b0, acc_hi_prev} + {1'b0, c_z1_reg[HI_WIDTH-1:0]} + {{HI_WIDTH{1'b0}}, c_lc_reg};
        // (a size's bits above the total's width are 0: LEN_WIDTH <= TOT_WIDTH)
        acc_ovf_next = acc_ovf_next || acc_ovf_reg || (c_z1_reg >> HI_WIDTH) != 16'd0;
    end
    if (d_v_reg) begin
        // its total is written to tot_mem
        tot_pos_next = tot_pos_reg + 1'b1;
    end
    if (f_v_reg && !rw0_reg) begin
        // commit entry acc_pos_reg
        acc_bad_next = acc_bad_reg || f_bad_reg;
        acc_prot_next = acc_prot_reg || f_prot_reg;
        if (!acc_prot_reg) begin
            acc_fault_next = acc_pos_reg[SG_MEM_IDX_WIDTH-1:0];
        end
        acc_pos_next = acc_pos_reg + 1'b1;
        sum_we = 1'b1;
        scan_done_next = acc_pos_reg == num_m1_reg;
    end
    if (rw2_reg) begin
        // the accumulator as it was after entry rw_pos_reg-1
        if (rw_pos_reg == {SG_IDX_WIDTH{1'b0}}) begin
            {acc_ovf_next, acc_hi_next, acc_lo_next} = {TOT_MEM_WIDTH{1'b0}};
            {acc_bad_next, acc_prot_next} = 2'b00;
        end else begin
            {acc_ovf_next, acc_hi_next, acc_lo_next} = tot_rd_reg;
            {acc_bad_next, acc_prot_next} = flg_rd_reg;
        end
        scan_done_next = rw_pos_reg == num_reg;
    end
    if (rw0_reg) begin
        // flush the pipeline, restart at min(entry written, entries committed)
        pk_next = 2'd0;
        r_v_next = 1'b0;
        e_v_next = 1'b0;
        c_v_next = 1'b0;
        d_v_next = 1'b0;
        g_v_next = 1'b0;
        f_v_next = 1'b0;
        acc_pos_next = rewind_pos;
        tot_pos_next = rewind_pos;
        rw1_next = 1'b1;
        rw_pos_next = rewind_pos;
        scan_done_next = 1'b0;
    end
    // port B's address in the next cycle: the datapath's next entry while
    // BUSY, else the next entry to check, else parking (0, then 1)
    // (START, which sets BUSY, finds port B parked on entry 1, which is
    // also the first segment feed address)
    if (busy_reg && !done) begin
        b_raddr_next = seg_rd_idx_next;
    end else if (rw0_reg) begin
        // (nothing is read in the cycle after a rewind)
        b_raddr_next = {SG_MEM_IDX_WIDTH{1'b0}};
    end else if (iss_more_adv) begin
        b_raddr_next = iss_idx_adv;
    end else if (pk_next == 2'd0) begin
        b_raddr_next = {SG_MEM_IDX_WIDTH{1'b0}};
    end else begin
        b_raddr_next = {{(SG_MEM_IDX_WIDTH-1){1'b0}}, 1'b1};
    end
    if (SGLLEN == 1) begin
        // entry 0 is the only one
        b_raddr_next = {SG_MEM_IDX_WIDTH{1'b0}};
    end

    // START goes on in the next cycle if the scan is through by then (no
    // rewind can start in this cycle: the START write is not one, and no
    // write is done while START waits)
    chk_fin_next = chk_next && scan_done_reg && !rw0_reg && pk_reg == 2'd3;

    // INTERRUPTING is derived here, once, from the causes and the mask
    // (so CLEAR_INTERRUPT, W1C, completion, a mask change and SOFT_RESET
    // all reach it the same way)
    intr_next = (done_sts_next && (irq_mask_next & IRQ_DONE) != 32'd0) ||
                (dev_err_next && (irq_mask_next & IRQ_ERROR) != 32'd0) ||
                (q_irq && (irq_mask_next & IRQ_QUEUE) != 32'd0);

    // registered, and equal to the register bits from the same edge on
    // (but for an early completion, whose registers follow two cycles later;
    // reads wait for them, below)
    irq_next = (intr_next || early_intr || early_intr_reg) && enable_next;

    s_axil_awready_next = !aw_full_next;
    s_axil_wready_next = !w_full_next;
end

/*
 * Read side: one read at a time; the address is registered, the data
 * chosen in the next cycle and registered
 */
always @* begin
    s_axil_rvalid_next = s_axil_rvalid_reg && !s_axil_rready;
    rd_grp0_next = rd_grp0_reg;
    rd_grp1_next = rd_grp1_reg;
    rd_grp2_next = rd_grp2_reg;
    rd_grp3_next = rd_grp3_reg;
    rd_pend_next = 1'b0;
    rd_sg = 1'b0;
    rd_sel_next = rd_sel_reg;

    csr_rd = (enable_reg ? CSR_ENABLE_INTERRUPTS : 8'h00) |
             (busy_reg ? (CSR_START_TRANSFER | CSR_BUSY) : 8'h00) |
             (q_active ? CSR_BUSY : 8'h00) |
             (intr_reg ? CSR_INTERRUPTING : 8'h00) |
             (dev_err_reg ? CSR_DEVICE_ERROR : 8'h00);
    err_rd = (ignored_reg ? ERR_IGNORED : 8'h00) | ({4'd0, err_code_reg} & ERR_CODE_MASK);

    if (s_axil_arready_reg && s_axil_arvalid) begin
        // (port A of the list reads at this address in this cycle)
        rd_pend_next = 1'b1;
        rd_sg = ar_in_window && sg_hit(s_axil_araddr[11:4]);
        // one select bit per register word 0x00..0x6c, three for the list
        rd_sel_next = {RD_SEL_WIDTH{1'b0}};
        if (rd_sg) begin
            case (s_axil_araddr[3:2])
                SG_ADDR[3:2]:    rd_sel_next[RD_SG_ADDR] = sg_addr_vld_reg[sg_idx_rd];
                SG_ADDR_HI[3:2]: rd_sel_next[RD_SG_ADDR_HI] = sg_addr_hi_vld_reg[sg_idx_rd];
                SG_SIZE[3:2]:    rd_sel_next[RD_SG_SIZE] = sg_size_vld_reg[sg_idx_rd];
                default:         rd_sel_next = {RD_SEL_WIDTH{1'b0}};
            endcase
        end else if (ar_in_window && s_axil_araddr[11:7] == 5'd0) begin
            for (n = 0; n < 32; n = n + 1) begin
                rd_sel_next[n] = s_axil_araddr[6:2] == n[4:0];
            end
        end
    end

    if (rd_pend_reg && (done || sr_hold || early_wait_reg)) begin
        // the completion's (or the SOFT_RESET's) registers are in later:
        // read those (after an early completion, irq is up already)
        rd_pend_next = 1'b1;
    end
    if (soft_reset) begin
        // the list reads 0 after a SOFT_RESET: a read accepted before it
        // (or with it) and answered after it sees its word cleared (its
        // valid bit was checked when AR was taken)
        rd_sel_next[RD_SG_ADDR] = 1'b0;
        rd_sel_next[RD_SG_ADDR_HI] = 1'b0;
        rd_sel_next[RD_SG_SIZE] = 1'b0;
    end
    if (rd_pend_reg && !(done || sr_hold || early_wait_reg)) begin
        // an AND-OR of the one-hot select decoded when AR was taken, in
        // four groups (s_axil_rdata is their OR)
        s_axil_rvalid_next = 1'b1;
        rd_grp0_next = ({32{rd_sel_reg[RD_SG_ADDR]}} & a_lo_32) |
                      ({32{rd_sel_reg[RD_SG_ADDR_HI]}} & a_hi_32) |
                      ({32{rd_sel_reg[RD_SG_SIZE]}} & a_size_32) |
                      ({32{rd_sel_reg[{1'b0, REG_ID[6:2]}]}} & (ID_VALUE)) |
                      ({32{rd_sel_reg[{1'b0, REG_CAP[6:2]}]}} & (CAP_VALUE)) |
                      ({32{rd_sel_reg[{1'b0, REG_CSR[6:2]}]}} & (({24'd0, err_rd} << (8*REG_ERR[1:0])) | ({24'd0, csr_rd} << (8*REG_CSR[1:0])))) |
                      ({32{rd_sel_reg[{1'b0, REG_DMA_CTL[6:2]}]}} & (dma_ctl_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_DMA_ADDR[6:2]}]}} & (dma_addr_reg));
        rd_grp1_next = ({32{rd_sel_reg[{1'b0, REG_DMA_ADDR_HI[6:2]}]}} & (dma_addr_hi_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_DMA_SIZE[6:2]}]}} & (dma_size_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_DEV_BLOCK[6:2]}]}} & (dev_block_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_RESID[6:2]}]}} & (resid_32)) |
                      ({32{rd_sel_reg[{1'b0, REG_FAULT_ADDR[6:2]}]}} & (fault_addr_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_FAULT_ADDR_HI[6:2]}]}} & (fault_addr_hi_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_XFER_COUNT[6:2]}]}} & (xfer_count_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_CAP2[6:2]}]}} & (CAP2_VALUE));
        rd_grp2_next = ({32{rd_sel_reg[{1'b0, REG_SG_COUNT[6:2]}]}} & (sg_count_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_IRQ_STATUS[6:2]}]}} & ((done_sts_reg ? IRQ_DONE : 32'd0) | (dev_err_reg ? IRQ_ERROR : 32'd0) | (q_irq ? IRQ_QUEUE : 32'd0))) |
                      ({32{rd_sel_reg[{1'b0, REG_IRQ_MASK[6:2]}]}} & (irq_mask_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_PROT_BASE[6:2]}]}} & (prot_base_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_PROT_BASE_HI[6:2]}]}} & (prot_base_hi_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_PROT_LIMIT[6:2]}]}} & (prot_limit_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_PROT_LIMIT_HI[6:2]}]}} & (prot_limit_hi_reg)) |
                      ({32{rd_sel_reg[{1'b0, REG_PROT_CTL[6:2]}]}} & (prot_ctl_32));
        // (without the queue, QUEUE_DEPTH 0, its words read 0)
        rd_grp3_next = {32{HAS_QUEUE}} & (
                      ({32{rd_sel_reg[{1'b0, REG_IOPB_ADDR[6:2]}]}} & (q_cq_addr[31:0])) |
                      ({32{rd_sel_reg[{1'b0, REG_IOPB_ADDR_HI[6:2]}]}} & (q_cq_addr[63:32])) |
                      ({32{rd_sel_reg[{1'b0, REG_QUEUE_STATUS[6:2]}]}} & ((q_active ? QS_ACTIVE : 32'd0) | {16'd0, q_sq_count, q_cq_count})) |
                      ({32{rd_sel_reg[{1'b0, REG_CQ_STATUS[6:2]}]}} & ((q_cq_valid ? CQ_VALID : 32'd0) | (q_cq_no_writeback ? CQ_NO_WRITEBACK : 32'd0) | (q_cq_not_started ? CQ_NOT_STARTED : 32'd0) | {28'd0, q_cq_code})) |
                      ({32{rd_sel_reg[{1'b0, REG_CQ_RESID[6:2]}]}} & (q_cq_resid)) |
                      ({32{rd_sel_reg[{1'b0, REG_IRQ_COALESCE[6:2]}]}} & (coalesce_reg)));
    end

    // reads wait while START checks the command, so that they see its result
    // and in the two cycles after an early completion, until its registers
    // are in
    // (chk_next from registers: START is a write, and a write in this cycle
    // holds AR for a cycle anyway)
    s_axil_arready_next = !rd_pend_next && !s_axil_rvalid_next && !(chk_reg && !chk_fin_reg) && !wr_go_reg &&
                          !done_early && !early_wait_reg;
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
    rd_grp0_reg <= rd_grp0_next;
    rd_grp1_reg <= rd_grp1_next;
    rd_grp2_reg <= rd_grp2_next;
    rd_grp3_reg <= rd_grp3_next;
    rd_pend_reg <= rd_pend_next;
    early_wait_reg <= done_early;
    early_intr_reg <= early_intr;
    rd_sel_reg <= rd_sel_next;
    wr_sg_reg <= wr_sg_next;
    sg_idx_wr_scan <= sg_idx_wr_scan_next;
    sg_idx_wr <= sg_idx_wr_next;
    wr_go_reg <= wr_go_next;
    wr_norew_reg <= wr_norew_next;
    wr_csr_reg <= wr_csr_next;
    wr_cls_cmd_reg <= wr_cls_cmd_next;
    wr_cls_prot_reg <= wr_cls_prot_next;
    wr_lock_reg <= (wr_cls_cmd_reg && busy_reg) || (wr_cls_prot_reg && (prot_locked || busy_reg || q_pending));
    wr_sel_reg <= wr_sel_next;

    enable_reg <= enable_next;
    intr_reg <= intr_next;
    dev_err_reg <= dev_err_next;
    busy_reg <= busy_next;
    err_code_reg <= err_code_next;
    ignored_reg <= ignored_next;
    ign_set_reg <= ign_set_next;
    pre_w1c_done_reg <= wr_sel_reg[REG_IRQ_STATUS[6:2]] && wr_strb_reg[0] && (wr_data_reg & IRQ_DONE) != 32'd0;
    pre_w1c_err_reg <= wr_sel_reg[REG_IRQ_STATUS[6:2]] && wr_strb_reg[0] && (wr_data_reg & IRQ_ERROR) != 32'd0;
    pre_mask_wr_reg <= wr_sel_reg[REG_IRQ_MASK[6:2]];
    pre_mask_val_reg <= ((irq_mask_reg & ~wr_mask) | (wr_data_reg & wr_mask)) & IRQ_MASK_BITS;
    pre_rewind_reg <= !wr_norew_reg ||
                      (wr_sel_reg[REG_SG_COUNT[6:2]] && ((wr_data_reg ^ sg_count_reg) & wr_mask & SG_COUNT_MASK) != 32'd0);
    pre_start_reg <= wr_csr_reg && wr_strb_reg[0] &&
                     (csr_wr & CSR_START_TRANSFER) != 8'h00 && (csr_wr & CSR_SOFT_RESET) == 8'h00;
    pre_clear_reg <= wr_csr_reg && wr_strb_reg[0] && (csr_wr & CSR_CLEAR_INTERRUPT) != 8'h00;
    pre_enable_wr_reg <= wr_csr_reg && wr_strb_reg[0];
    pre_enable_val_reg <= (csr_wr & CSR_ENABLE_INTERRUPTS) != 8'h00;
    dma_ctl_reg <= dma_ctl_next;
    cmd_write_reg <= dma_ctl_next[1:0] == DMA_CTL_DIR_WRITE;
    dma_addr_reg <= dma_addr_next;
    dma_addr_hi_reg <= dma_addr_hi_next;
    dma_size_reg <= dma_size_next;
    dev_block_reg <= dev_block_next;
    resid_reg <= resid_next;
    fault_addr_reg <= fault_addr_next;
    fault_addr_hi_reg <= fault_addr_hi_next;
    xfer_ld_reg <= busy_next || chk_fin_next || sr_go_next;
    xfer_zero_reg <= chk_fin_next || sr_go_next;
    if (xfer_ld_reg) begin
        xfer_count_reg <= xfer_zero_reg ? 32'd0 : xfer_bytes_32;
    end
    sg_count_reg <= sg_count_next;
    done_sts_reg <= done_sts_next;
    irq_mask_reg <= irq_mask_next;
    prot_base_reg <= prot_base_next;
    prot_base_hi_reg <= prot_base_hi_next;
    prot_limit_reg <= prot_limit_next;
    prot_limit_hi_reg <= prot_limit_hi_next;
    prot_ctl_reg <= prot_ctl_next;
    sg_addr_vld_reg <= sg_addr_vld_next;
    lw_addr_we_reg <= sg_addr_we;
    lw_size_we_reg <= sg_size_we;
    lw_first_reg <= lw_first;
    lw_bytes_reg <= wr_strb_reg | {4{lw_first_reg}};
    sg_addr_hi_vld_reg <= sg_addr_hi_vld_next;
    sg_size_vld_reg <= sg_size_vld_next;

    sg_mode_reg <= sg_count_reg != 32'd0;
    sg_big_reg <= sg_count_reg > SGLLEN_32;
    if (sg_count_reg == 32'd0) begin
        num_reg <= {{(SG_IDX_WIDTH-1){1'b0}}, 1'b1};
        num_m1_reg <= {SG_IDX_WIDTH{1'b0}};
    end else if (sg_count_reg > SGLLEN_32) begin
        num_reg <= SGLLEN_32[SG_IDX_WIDTH-1:0];
        num_m1_reg <= SGLLEN_32[SG_IDX_WIDTH-1:0] - 1'b1;
    end else begin
        num_reg <= sg_count_reg[SG_IDX_WIDTH-1:0];
        num_m1_reg <= sg_count_reg[SG_IDX_WIDTH-1:0] - 1'b1;
    end

    // port B's valid bits, with its RAM words (in the list's always block)
    b_raddr_reg <= b_raddr_next;
    // port A's
    a_idx_reg <= a_idx;

    // the check's pipeline
    chk_reg <= chk_next;
    chk_fin_reg <= chk_fin_next;
    iss_idx_reg <= iss_idx_next;
    iss_more_reg <= iss_more_next;
    pk_reg <= pk_next;
    r_v_reg <= r_v_next;
    e_v_reg <= e_v_next;
    c_v_reg <= c_v_next;
    d_v_reg <= d_v_next;
    g_v_reg <= g_v_next;
    f_v_reg <= f_v_next;

    if (e_load) begin
        e_addr_reg <= sg_mode_reg ? r_ent_addr : dma_addr_full;
        e_size_reg <= sg_mode_reg ? r_size_len : dma_size_reg[LEN_WIDTH-1:0];
    end

    c_s0_reg <= {1'b0, e_addr_reg[15:0]} + {1'b0, e_size_32[15:0]};
    c_z1_reg <= e_size_32[31:16];
    c_lt0_reg <= e_addr_reg[15:0] < prot_base_reg[15:0];
    c_lt1_reg <= e_addr_reg[31:16] < prot_base_reg[31:16];
    c_eq1_reg <= e_addr_reg[31:16] == prot_base_reg[31:16];
    c_bh_lt_reg <= e_bh_lt;
    c_bh_eq_reg <= e_bh_eq;
    c_lh_gt_reg <= e_lh_gt;
    c_lh_eq_reg <= e_lh_eq;
    c_lh_eq1_reg <= e_lh_eq1;
    c_hi_ones_reg <= e_hi_ones;
    c_zero_reg <= e_size_reg == {LEN_WIDTH{1'b0}};
    c_lc_reg <= e_lo_sum[16];

    {d_c_reg, d_end1_reg} <= {1'b0, c_a1} + {1'b0, c_z1_reg} + {16'd0, c_s0_reg[16]};
    d_g0_reg <= c_s0_reg[15:0] > prot_limit_reg[15:0];
    d_lt_base_reg <= c_bh_lt_reg || (c_bh_eq_reg && (c_lt1_reg || (c_eq1_reg && c_lt0_reg)));
    d_lh_gt_reg <= c_lh_gt_reg;
    d_lh_eq_reg <= c_lh_eq_reg;
    d_lh_eq1_reg <= c_lh_eq1_reg;
    d_hi_ones_reg <= c_hi_ones_reg;
    d_zero_reg <= c_zero_reg;

    g_g1_reg <= d_end1_reg > prot_limit_reg[31:16];
    g_e1_reg <= d_end1_reg == prot_limit_reg[31:16];
    g_c_reg <= d_c_reg;
    g_g0_reg <= d_g0_reg;
    g_lt_base_reg <= d_lt_base_reg;
    g_lh_gt_reg <= d_lh_gt_reg;
    g_lh_eq_reg <= d_lh_eq_reg;
    g_lh_eq1_reg <= d_lh_eq1_reg;
    g_hi_ones_reg <= d_hi_ones_reg;
    g_zero_reg <= d_zero_reg;

    f_bad_reg <= f_bad_next;
    f_prot_reg <= f_prot_next;

    acc_pos_reg <= acc_pos_next;
    tot_pos_reg <= tot_pos_next;
    acc_lo_reg <= acc_lo_next;
    acc_hi_reg <= acc_hi_next;
    acc_ovf_reg <= acc_ovf_next;
    acc_bad_reg <= acc_bad_next;
    acc_prot_reg <= acc_prot_next;
    acc_fault_reg <= acc_fault_next;
    scan_done_reg <= scan_done_next;
    cmd_bad_reg <= (dma_ctl_reg[1:0] != DMA_CTL_DIR_WRITE && dma_ctl_reg[1:0] != DMA_CTL_DIR_READ) ||
                   sg_big_reg ||
                   acc_bad_reg ||
                   acc_ovf_reg ||
                   (scan_sum & ~SIZE_MASK) != 32'd0;
    cmd_fail_reg <= cmd_fail_d;
    chk_err_reg <= chk_fin_next && cmd_fail_d;
    rw1_reg <= rw1_next;
    rw2_reg <= rw1_reg && !rw0_reg;
    rw0_reg <= scan_rewind;
    rw0_to_reg <= scan_rewind_to;
    rw_pos_reg <= rw_pos_next;

    seg_valid_reg <= seg_valid_next;
    seg_gap_reg <= seg_gap_next;
    seg_rem_reg <= seg_rem_next;
    seg_rd_idx_reg <= seg_rd_idx_next;
    abort_reg <= abort_next;
    soft_reset_pending_reg <= soft_reset_pending_next;
    sr_go_reg <= sr_go_next;
    sr_hold_reg <= (soft_reset_pending_next && !busy_next) || sr_go_next;

    start_reg <= start_next;
    // (the direction as cmd_write_reg has it in the same cycle)
    start_wr_reg <= start_next && dma_ctl_next[1:0] == DMA_CTL_DIR_WRITE;
    start_rd_reg <= start_next && dma_ctl_next[1:0] != DMA_CTL_DIR_WRITE;
    irq_reg <= irq_next;
    iopb_hi_reg <= iopb_hi_next;
    coalesce_reg <= coalesce_next;

    if (rst) begin
        s_axil_awready_reg <= 1'b0;
        s_axil_wready_reg <= 1'b0;
        s_axil_bvalid_reg <= 1'b0;
        aw_full_reg <= 1'b0;
        w_full_reg <= 1'b0;
        wr_go_reg <= 1'b0;
        s_axil_arready_reg <= 1'b0;
        s_axil_rvalid_reg <= 1'b0;
        rd_pend_reg <= 1'b0;
        early_wait_reg <= 1'b0;
        early_intr_reg <= 1'b0;

        enable_reg <= 1'b0;
        intr_reg <= 1'b0;
        dev_err_reg <= 1'b0;
        busy_reg <= 1'b0;
        err_code_reg <= 4'd0;
        ignored_reg <= 1'b0;
        ign_set_reg <= 1'b0;
        dma_ctl_reg <= 32'd0;
        cmd_write_reg <= 1'b0;
        dma_addr_reg <= 32'd0;
        dma_addr_hi_reg <= 32'd0;
        dma_size_reg <= 32'd0;
        dev_block_reg <= 32'd0;
        resid_reg <= {TOT_WIDTH{1'b0}};
        fault_addr_reg <= 32'd0;
        fault_addr_hi_reg <= 32'd0;
        xfer_count_reg <= 32'd0;
        xfer_ld_reg <= 1'b0;
        xfer_zero_reg <= 1'b0;
        sg_count_reg <= 32'd0;
        done_sts_reg <= 1'b0;
        irq_mask_reg <= IRQ_MASK_BITS;
        prot_base_reg <= 32'd0;
        prot_base_hi_reg <= 32'd0;
        prot_limit_reg <= 32'd0;
        prot_limit_hi_reg <= 32'd0;
        prot_ctl_reg <= 2'd0;
        sg_addr_vld_reg <= {SG_MEM_DEPTH{1'b0}};
        lw_addr_we_reg <= 1'b0;
        lw_size_we_reg <= 1'b0;
        sg_addr_hi_vld_reg <= {SG_MEM_DEPTH{1'b0}};
        sg_size_vld_reg <= {SG_MEM_DEPTH{1'b0}};
        sg_mode_reg <= 1'b0;
        sg_big_reg <= 1'b0;
        num_reg <= {{(SG_IDX_WIDTH-1){1'b0}}, 1'b1};
        num_m1_reg <= {SG_IDX_WIDTH{1'b0}};
        chk_reg <= 1'b0;
        chk_fin_reg <= 1'b0;
        chk_err_reg <= 1'b0;
        iss_idx_reg <= {SG_IDX_WIDTH{1'b0}};
        iss_more_reg <= 1'b1;
        pk_reg <= 2'd0;
        r_v_reg <= 1'b0;
        e_v_reg <= 1'b0;
        c_v_reg <= 1'b0;
        d_v_reg <= 1'b0;
        g_v_reg <= 1'b0;
        f_v_reg <= 1'b0;
        acc_pos_reg <= {SG_IDX_WIDTH{1'b0}};
        tot_pos_reg <= {SG_IDX_WIDTH{1'b0}};
        acc_lo_reg <= 16'd0;
        acc_hi_reg <= {HI_WIDTH{1'b0}};
        acc_ovf_reg <= 1'b0;
        acc_bad_reg <= 1'b0;
        acc_prot_reg <= 1'b0;
        scan_done_reg <= 1'b0;
        rw0_reg <= 1'b0;
        rw1_reg <= 1'b0;
        rw2_reg <= 1'b0;
        rw_pos_reg <= {SG_IDX_WIDTH{1'b0}};
        seg_valid_reg <= 1'b0;
        seg_gap_reg <= 1'b0;
        abort_reg <= 1'b0;
        soft_reset_pending_reg <= 1'b0;
        sr_go_reg <= 1'b0;
        sr_hold_reg <= 1'b0;

        start_reg <= 1'b0;
        start_wr_reg <= 1'b0;
        start_rd_reg <= 1'b0;
        irq_reg <= 1'b0;
        iopb_hi_reg <= 32'd0;
        coalesce_reg <= 32'd0;
    end
end

endmodule

`resetall
`default_nettype wire
