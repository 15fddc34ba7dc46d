/*
 * dma_engine: command blocks in memory (programming model 3)
 *
 * Software writes the address of a 64-byte aligned command block to
 * iopb_addr (the doorbell, dma_regs); the block goes into the submission
 * FIFO (SQ, QUEUE_DEPTH entries). Three stages then work on blocks in
 * order, each on a different block at the same time:
 *
 *   fetch    reads the header (0x00..0x1f) on the shared AR/R channel,
 *            then the entries (inline at +0x40 or from the list pointer),
 *            checks them as they arrive (the register mode's rules: zero
 *            size, wrap, total = byte_count, protection window), and puts
 *            the block into one of two slots; the entries go to the slot's
 *            bank of the entry RAM. A block's `next` pointer is fetched
 *            before the next submission.
 *   execute  takes the slots in order: a block that failed its checks
 *            completes at once; a good one becomes one device command on
 *            the data path (dp_*, seg_*), as a register-mode command does,
 *            while the fetcher fills the other slot (prefetch).
 *   write-back  writes resid, fault and status (last) to 0x20..0x2f of the
 *            block in one burst on the shared AW/W/B channel, then pushes
 *            the completion into the completion FIFO (CQ). This overlaps
 *            the next block's data.
 *
 * A block starts (is taken by execute) only while the CQ has room for it
 * and every block started before it, so completions are never lost.
 *
 * abort: the block on the data path completes with CODE 7; every block
 * submitted before the abort and not yet started (in the SQ, being
 * fetched or fetched) completes with CODE 7 and NOT_STARTED, written
 * back; no `next` pointer is followed. halt (SOFT_RESET): nothing new
 * starts, the bursts on the bus finish, then quiet rises and clear empties
 * everything without write-backs.
 *
 * The QUEUE interrupt cause (q_irq) is a level: completions are waiting
 * and the coalescing rule (irq_coalesce COUNT/TIMEOUT, or an error at the
 * head) says so, or the queue has gone idle (nothing more can complete).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_cmdq #
(
    // Width of data bus in bits (32..128)
    parameter DATA_WIDTH = 32,
    // Width of address bus in bits (32..64)
    parameter ADDR_WIDTH = 32,
    // Width of wstrb (bytes per beat)
    parameter STRB_WIDTH = (DATA_WIDTH/8),
    // Width of the byte length (13..32)
    parameter LEN_WIDTH = 32,
    // Longest burst, in beats
    parameter MAX_BURST_LEN = 16,
    // Entries of a block, at most (the register list's SGLLEN)
    parameter SGLLEN = 16,
    // Submission and completion FIFO depth (1..16)
    parameter QUEUE_DEPTH = 4
)
(
    input  wire                   clk,
    input  wire                   rst,

    /*
     * From the register file
     */
    input  wire                   db_valid,        // doorbell (only when !sq_full)
    input  wire [63:0]            db_addr,
    input  wire                   pop,             // queue_ctl POP
    input  wire                   abort,           // ABORT (pulse)
    input  wire                   halt,            // SOFT_RESET pending (level)
    input  wire                   clear,           // SOFT_RESET done: empty everything
    input  wire                   reg_busy,        // a register-mode command owns the data path
    input  wire                   prot_on,
    input  wire [63:0]            prot_base,
    input  wire [63:0]            prot_limit,
    input  wire [31:0]            coalesce,        // [7:0] COUNT, [31:8] TIMEOUT

    /*
     * To the register file
     */
    output wire                   sq_full,
    output wire [7:0]             sq_count,
    output wire [7:0]             cq_count,
    output wire                   q_active,        // a queued block is fetched, run or written back
    output wire                   q_pending,       // q_active, or submissions waiting
    output wire                   q_quiet,         // nothing of the queue on the bus or data path
    output wire                   q_irq,
    output wire                   cq_valid,
    output wire [63:0]            cq_addr,
    output wire [3:0]             cq_code,
    output wire                   cq_not_started,
    output wire                   cq_no_writeback,
    output wire [31:0]            cq_resid,

    /*
     * Data path (muxed with the register file's in dma_engine)
     */
    output wire                   dp_start,
    output wire                   dp_sel,          // the data path runs a queued block
    output wire                   dp_write,
    output wire [LEN_WIDTH-1:0]   dp_len,
    output wire [31:0]            dp_block,
    output wire                   dp_abort,
    output wire                   seg_valid,
    output wire [ADDR_WIDTH-1:0]  seg_addr,
    output wire [LEN_WIDTH-1:0]   seg_len,
    input  wire                   seg_ready,
    input  wire                   done,
    input  wire                   done_err_rd,
    input  wire                   done_err_wr,
    input  wire                   done_err_dev,
    input  wire                   done_aborted,
    input  wire [LEN_WIDTH-1:0]   done_resid,
    input  wire [ADDR_WIDTH-1:0]  done_fault_addr,

    /*
     * AXI4 read (block and list fetch), through dma_axi_rd_arb
     */
    output wire [ADDR_WIDTH-1:0]  m_axi_araddr,
    output wire [7:0]             m_axi_arlen,
    output wire                   m_axi_arvalid,
    input  wire                   m_axi_arready,
    input  wire [DATA_WIDTH-1:0]  m_axi_rdata,
    input  wire [1:0]             m_axi_rresp,
    input  wire                   m_axi_rlast,
    input  wire                   m_axi_rvalid,
    output wire                   m_axi_rready,

    /*
     * AXI4 write (status write-back), through dma_axi_wr_arb
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
    input  wire [1:0]             m_axi_bresp,
    input  wire                   m_axi_bvalid,
    output wire                   m_axi_bready
);

localparam OFFSET = $clog2(STRB_WIDTH);
// beats of the header (32 bytes), of an entry and of the write-back (16 bytes)
localparam HDR_BEATS = 32 / STRB_WIDTH;
localparam ENT_BEATS = 16 / STRB_WIDTH;
localparam WB_BEATS = 16 / STRB_WIDTH;
localparam EB_WIDTH = ENT_BEATS > 1 ? $clog2(ENT_BEATS) : 1;
// beats of a fetch: up to 240 entries of 16 bytes at 32 bits
localparam FB_WIDTH = 12;
localparam [31:0] HDR_BEATS_32 = HDR_BEATS;
localparam [FB_WIDTH-1:0] HDR_BEATS_L = HDR_BEATS_32[FB_WIDTH-1:0];
localparam [31:0] ENT_LAST_32 = ENT_BEATS - 1;
localparam [31:0] WB_LAST_32 = WB_BEATS - 1;
localparam [EB_WIDTH-1:0] ENT_LAST = ENT_LAST_32[EB_WIDTH-1:0];
localparam [EB_WIDTH-1:0] WB_LAST = WB_LAST_32[EB_WIDTH-1:0];
localparam [7:0] WB_LEN = WB_LAST_32[7:0];

localparam QW = QUEUE_DEPTH > 1 ? $clog2(QUEUE_DEPTH) : 1;  // FIFO index
localparam QN = 1 << QW;                                   // FIFO RAM depth
localparam CW = $clog2(QUEUE_DEPTH + 1) + 1;                // counts, with room to add
localparam [31:0] DEPTH_32 = QUEUE_DEPTH;
localparam [CW-1:0] DEPTH_C = DEPTH_32[CW-1:0];
localparam [31:0] LAST_Q_32 = QUEUE_DEPTH - 1;
localparam [QW-1:0] LAST_Q = LAST_Q_32[QW-1:0];

localparam EI_WIDTH = SGLLEN > 1 ? $clog2(SGLLEN) : 1;   // entry index within a bank
localparam [31:0] SGLLEN_32 = SGLLEN;

localparam [63:0] ADDR_MASK = (ADDR_WIDTH >= 64) ? {64{1'b1}} : ((64'd1 << ADDR_WIDTH) - 64'd1);
localparam [31:0] SIZE_MASK = (LEN_WIDTH >= 32) ? 32'hffffffff : ((32'd1 << LEN_WIDTH) - 32'd1);

localparam [3:0] CODE_NONE = 4'd0;
localparam [3:0] CODE_DATA_READ = 4'd1;
localparam [3:0] CODE_DATA_WRITE = 4'd2;
localparam [3:0] CODE_DESC_FETCH = 4'd3;
localparam [3:0] CODE_DEVICE = 4'd4;
localparam [3:0] CODE_BAD_CMD = 4'd5;
localparam [3:0] CODE_PROTECTION = 4'd6;
localparam [3:0] CODE_ABORTED = 4'd7;

localparam [3:0] F_IDLE = 4'd0, F_BCHK = 4'd1, F_BDEC = 4'd2, F_HDR = 4'd3, F_HCHK1 = 4'd4,
                 F_HCHK2 = 4'd5, F_HCHK3 = 4'd6, F_HCHK4 = 4'd7, F_HCHK5 = 4'd8, F_HCHK6 = 4'd9,
                 F_LIST = 4'd10, F_LDEC = 4'd11, F_FIN = 4'd12;
localparam [2:0] W_IDLE = 3'd0, W_AW = 3'd1, W_W = 3'd2, W_B = 3'd3, W_PUSH = 3'd4;

`ifndef SYNTHESIS
initial begin
    if (DATA_WIDTH > 128 || DATA_WIDTH < 32) begin
        $display("Error: the command-block queue needs DATA_WIDTH 32..128 (instance %m)");
        $finish;
    end
    if (MAX_BURST_LEN < WB_BEATS) begin
        $display("Error: the command-block queue needs MAX_BURST_LEN >= 128/DATA_WIDTH (instance %m)");
        $finish;
    end
    if (QUEUE_DEPTH < 1 || QUEUE_DEPTH > 16) begin
        $display("Error: QUEUE_DEPTH must be 0..16 (instance %m)");
        $finish;
    end
end
`endif

function [63:0] ext64;
    input [ADDR_WIDTH-1:0] a;
    integer i;
    begin
        ext64 = 64'd0;
        for (i = 0; i < ADDR_WIDTH; i = i + 1) begin
            ext64[i] = a[i];
        end
    end
endfunction

function [31:0] ext32;
    input [LEN_WIDTH-1:0] a;
    integer i;
    begin
        ext32 = 32'd0;
        for (i = 0; i < LEN_WIDTH; i = i + 1) begin
            ext32[i] = a[i];
        end
    end
endfunction

/*
 * Submission FIFO: block addresses. sq_num_reg entries in the FIFO;
 * sq_pref_reg of them popped by the fetcher but not started (they still
 * count in SQ_COUNT). flush_reg: entries at the head to complete as
 * NOT_STARTED (submitted before an abort).
 */
reg [ADDR_WIDTH-1:0] sq_mem [0:QN-1];
reg [QW-1:0] sq_wr_reg = {QW{1'b0}}, sq_wr_next;
reg [QW-1:0] sq_rd_reg = {QW{1'b0}}, sq_rd_next;
reg [CW-1:0] sq_num_reg = {CW{1'b0}}, sq_num_next;
reg [1:0] sq_pref_reg = 2'd0, sq_pref_next;
reg [CW-1:0] flush_reg = {CW{1'b0}}, flush_next;

/*
 * Completion FIFO
 */
reg [ADDR_WIDTH-1:0] cq_addr_mem [0:QN-1];
reg [5:0] cq_info_mem [0:QN-1];     // {no_wb, not_started, code}
reg cq_err_mem [0:QN-1];            // code not 0 or no_wb: interrupt at once (q_irq)
reg [31:0] cq_resid_mem [0:QN-1];
reg [QW-1:0] cq_wr_reg = {QW{1'b0}}, cq_wr_next;
reg [QW-1:0] cq_rd_reg = {QW{1'b0}}, cq_rd_next;
reg [CW-1:0] cq_num_reg = {CW{1'b0}}, cq_num_next;
// blocks started and not yet in the CQ
reg [CW-1:0] inflight_reg = {CW{1'b0}}, inflight_next;
// QUEUE_DEPTH - cq_num - inflight, kept as a counter: a block may start
// while it is not 0 (no adder and comparator in the start decision)
reg [CW-1:0] free_reg = DEPTH_C, free_next;
// coalescing timer: cycles since the CQ became non-empty or the last POP,
// plus one (so that the comparison with TIMEOUT can be registered: t_ge_reg
// is timer_reg >= TIMEOUT of the cycle before, i.e. the cycles counted
// reach TIMEOUT now; 0 in the cycle after the count restarts)
reg [23:0] timer_reg = 24'd0, timer_next;
// (the comparison in two halves: high greater, high equal, low greater or equal)
reg t_hi_gt_reg = 1'b0;
reg t_hi_eq_reg = 1'b0;
reg t_lo_ge_reg = 1'b0;
wire t_ge = t_hi_gt_reg || (t_hi_eq_reg && t_lo_ge_reg);
reg cq_push;
wire cq_push_err;                   // its code is not 0 or NO_WRITEBACK
reg [5:0] cq_push_info;

/*
 * Fetcher. Every decision is taken from registers: the R beats are
 * assembled into 16-byte groups (ent_reg) and act one cycle after the
 * group's last beat (g_valid_reg); the checks of a group (an entry, the
 * list, the block) go through a check stage (c_*_reg: start, end with
 * its carry) whose window comparison is folded into sticky flags in the
 * next cycle; the next fetch burst's length is worked out one cycle
 * before it is issued (f_blen_reg). A block's fetch is a few cycles
 * longer than the beats it reads; it overlaps the previous block's data.
 */
reg [3:0] f_state_reg = F_IDLE, f_state_next;
reg [ADDR_WIDTH-1:0] f_blk_reg = {ADDR_WIDTH{1'b0}}, f_blk_next;
reg f_from_sq_reg = 1'b0, f_from_sq_next;
reg f_kill_reg = 1'b0, f_kill_next;           // aborted: complete NOT_STARTED
reg f_mis_reg = 1'b0, f_mis_next;             // block misaligned (or above ADDR_WIDTH)
reg [ADDR_WIDTH-1:0] f_addr_reg = {ADDR_WIDTH{1'b0}}, f_addr_next;      // next burst
reg f_pc_reg = 1'b0, f_pc_next;               // f_addr crossed a 4 KiB page: bits above 11 + 1 next
reg fa_idle_reg = 1'b1;                       // f_state_reg is F_IDLE (f_addr's selects, registered)
reg fa_inl_reg = 1'b0;                        // f_state_reg is F_HCHK2 and the list is inline
reg fa_h4_reg = 1'b0;                         // f_state_reg is F_HCHK4
reg [FB_WIDTH-1:0] f_beats_reg = {FB_WIDTH{1'b0}}, f_beats_next;        // beats to request
reg f_bz_reg = 1'b1, f_bz_next;               // f_beats is 0
// the next burst's beats, worked out in two steps from f_addr (room to the
// burst boundary) and f_beats (the rest, if less)
reg [8:0] f_room_reg = 9'd0;
reg [8:0] f_blen_reg = 9'd0;
reg f_blen_ok1_reg = 1'b0;
reg f_blen_ok_next;
// a burst may be issued (once the bus is idle): f_blen_reg is that of the
// current f_addr/f_beats, and they are not 0; in F_HDR or F_LIST; no
// error, not killed
reg f_go_reg = 1'b0;
reg f_out_reg = 1'b0, f_out_next;             // a burst in flight
reg f_err_reg = 1'b0, f_err_next;             // a fetch came back with an error
reg r_err_reg = 1'b0;                         // an error response in the cycle before
reg r_last_reg = 1'b0;                        // a burst's last beat in the cycle before
// in the cycle before: no burst on the bus or issued, no group or check
// in flight (with f_bz, or stopped, it stays so)
reg f_quiet_reg = 1'b0;
reg f_hdr_ok_reg = 1'b0, f_hdr_ok_next;       // the header of this block was read
reg g_hdr_reg = 1'b0, g_hdr_next;             // header group being assembled (0, 1)
reg g_valid_reg = 1'b0, g_valid_next;         // ent_reg holds a whole group
// the header fields not kept in the slot (ctl, dev_block, byte_count go
// straight to the slot being filled; the list pointer to f_addr)
reg [ADDR_WIDTH-1:0] h_next_reg = {ADDR_WIDTH{1'b0}};
reg h_big_reg = 1'b0;                         // next: bits above ADDR_WIDTH
reg h_next_nz_reg = 1'b0;                     // next: not 0 (a chain)
reg l_big_reg = 1'b0;                         // list: bits above ADDR_WIDTH
reg l_zero_reg = 1'b0;                        // list: 0, the entries are inline
reg h_bad_reg = 1'b0, h_bad_next;             // ctl fields bad
reg [127:0] ent_reg = 128'd0, ent_next;
reg [EB_WIDTH-1:0] ent_beat_reg = {EB_WIDTH{1'b0}}, ent_beat_next;
reg [EI_WIDTH-1:0] ent_idx_reg = {EI_WIDTH{1'b0}}, ent_idx_next;
// the sizes so far (low half at the group, high half one stage later with
// the carry), whether they went past 32 bits, and whether they equal
// byte_count (of the cycle before: F_LDEC is later than the last change)
reg [15:0] sum_lo_reg = 16'd0, sum_lo_next;
reg [15:0] sum_hi_reg = 16'd0, sum_hi_next;
reg over_reg = 1'b0, over_next;
reg [1:0] sum_eq_reg = 2'b00;       // per half
reg bad_reg = 1'b0, bad_next;
reg prot_reg = 1'b0, prot_next;
// The check pipeline, for an entry, the list or the block: a start
// address and a size in (g_*: combinational, in the cycle the group is
// in ent_reg), its end and window comparison worked out 16 bits at a
// time over three stages (c1, c2, c3: one carry chain each), folded into
// the sticky flags bad_reg and prot_reg at the end of c3; the fault (the
// first entry outside) is loaded at c2 until c3 finds one.
reg g_list_reg = 1'b0;              // f_state_reg is F_LIST: the pipeline takes the entries
reg c1_valid_reg = 1'b0, c1_valid_next;
reg c1_ent_reg = 1'b0;              // an entry (may not reach the top)
reg c1_pre_bad_reg = 1'b0;          // entry: size 0, too big, address above ADDR_WIDTH
reg [ADDR_WIDTH-1:0] c1_a_reg = {ADDR_WIDTH{1'b0}};
reg [15:0] c1_s_hi_reg = 16'd0;
reg [15:0] c1_e_lo_reg = 16'd0;     // end, low half
reg c1_cy_reg = 1'b0;               // ... and its carry
reg c1_st_lo_lt_reg = 1'b0;         // start below the base, low half
reg c1_sc_reg = 1'b0;               // the sizes' sum: carry of the low half
reg c2_valid_reg = 1'b0;
reg c2_ent_reg = 1'b0;
reg c2_pre_bad_reg = 1'b0;
reg [ADDR_WIDTH-1:0] c2_a_reg = {ADDR_WIDTH{1'b0}};
reg [ADDR_WIDTH-16:0] c2_e_hi_reg = {ADDR_WIDTH-15{1'b0}};   // end, high half with the carry out of ADDR_WIDTH
reg c2_e_lo_gt_reg = 1'b0;          // end above the limit, low half
reg c2_e_lo_nz_reg = 1'b0;
reg c2_out_st_reg = 1'b0;           // outside the enabled window by its start (or the base above the space)
reg c2_lim_reg = 1'b0;              // the window is enabled and its limit in the address space
reg c3_bad_reg = 1'b0;              // bad (valid only)
reg c3_out_pre_reg = 1'b0;          // outside the window but for the end's comparison (valid only)
reg c3_lim_reg = 1'b0;              // ... and the end's comparison counts (valid only)
reg c3_e_gt_reg = 1'b0;             // the end's high half above the limit's (or equal, low half above)
// the window's upper bits, registered (the window cannot change while the queue works)
reg pb_big_reg = 1'b0;
reg pl_big_reg = 1'b0;
// the result of the block's fetch
reg [3:0] f_code_reg = 4'd0, f_code_next;
reg f_nowb_reg = 1'b0, f_nowb_next;
reg [ADDR_WIDTH-1:0] f_fault_reg = {ADDR_WIDTH{1'b0}}, f_fault_next;
reg f_slot_reg = 1'b0, f_slot_next;           // slot being filled
// the chain: the next block to fetch before the next submission (its
// address is the header's next, kept until that fetch starts)
reg chain_reg = 1'b0, chain_next;

reg [ADDR_WIDTH-1:0] m_axi_araddr_reg = {ADDR_WIDTH{1'b0}}, m_axi_araddr_next;
reg [7:0] m_axi_arlen_reg = 8'd0, m_axi_arlen_next;
reg m_axi_arvalid_reg = 1'b0, m_axi_arvalid_next;

/*
 * Slots: blocks fetched, in order, waiting for execute (ready), running
 * on the data path, then waiting for and in their write-back (done); a
 * slot is busy from its fetch's end to its completion's push. Its
 * entries are in bank <slot> of the entry RAM. The slot also holds the
 * block's result: s_code, s_len (byte_count, then the residue) and
 * s_fault are the fetch's, replaced by the data path's at done, and the
 * write-back sends them from there (one copy of each).
 */
reg [1:0] s_ready_reg = 2'b00, s_ready_next;
reg [1:0] s_busy_reg = 2'b00, s_busy_next;
reg [1:0] s_done_reg = 2'b00, s_done_next;
reg [1:0] s_kill_reg = 2'b00, s_kill_next;
reg [1:0] s_from_sq_reg = 2'b00, s_from_sq_next;
reg [1:0] s_nowb_reg = 2'b00, s_nowb_next;
reg [1:0] s_fail_reg = 2'b00, s_fail_next;    // s_code not 0 (from the fetch: no data)
reg [ADDR_WIDTH-1:0] s_blk_reg [0:1];
reg [1:0] s_dir_reg [0:1];
reg [7:0] s_count_reg [0:1];
reg [31:0] s_dev_reg [0:1];
reg [31:0] s_len_reg [0:1];
reg [3:0] s_code_reg [0:1];
reg [ADDR_WIDTH-1:0] s_fault_reg [0:1];
reg s_we;          // FIN: the fetch's result into slot f_slot
reg h0_we;         // header group 0 into slot f_slot
reg d_we;          // done: the data path's result into slot dp_slot
reg [3:0] d_code;

// The entry RAM: one write port (the fetcher, into the bank being filled)
// and one registered read port (the segment the datapath takes next,
// read one cycle ahead: at the block's start and on each seg handshake),
// so it maps to block RAM (iCE40 EBR) as well as to distributed RAM.
// The fetcher writes the bank of a slot that is not busy, the read port
// reads a busy one's: they never meet, so no read/write collision logic
// (no_rw_check).
(* no_rw_check *)
reg [ADDR_WIDTH-1:0] ent_addr_mem [0:2*(1<<EI_WIDTH)-1];
(* no_rw_check *)
reg [LEN_WIDTH-1:0] ent_len_mem [0:2*(1<<EI_WIDTH)-1];
reg [ADDR_WIDTH-1:0] seg_addr_reg = {ADDR_WIDTH{1'b0}};
reg [LEN_WIDTH-1:0] seg_len_reg = {LEN_WIDTH{1'b0}};
reg ent_we;

/*
 * Execute
 */
reg e_slot_reg = 1'b0, e_slot_next;           // next slot to take
reg take_reg = 1'b0, take_next;               // slot e_slot is taken in this cycle (decided in the one before)
reg run_reg = 1'b0, run_next;                 // ... and goes to the data path (not failed, not killed)
reg dp_sel_reg = 1'b0, dp_sel_next;
reg dp_start_reg = 1'b0, dp_start_next;
reg dp_abort_reg = 1'b0, dp_abort_next;
reg dp_slot_reg = 1'b0, dp_slot_next;
reg [EI_WIDTH-1:0] seg_idx_reg = {EI_WIDTH{1'b0}}, seg_idx_next;
// segments of the running block after the one offered, and seg_valid
reg [7:0] seg_rem_reg = 8'd0, seg_rem_next;
reg seg_valid_reg = 1'b0, seg_valid_next;

/*
 * Write-back: from slot w_slot, in the order the slots were taken
 */
reg [2:0] w_state_reg = W_IDLE, w_state_next;
// W_PUSH (the completion goes into the CQ, from registers): a flag of its own
reg w_push_reg = 1'b0;
reg w_nowb_reg = 1'b0, w_nowb_next;
reg w_slot_reg = 1'b0, w_slot_next;
// slot w_slot has its result (registered a cycle late: a result stays until
// its push, and the push moves w_slot to the other slot)
reg w_go_reg = 1'b0;
reg w_go_nowb_reg = 1'b0;           // ... and it is not written back
reg [EB_WIDTH-1:0] w_beat_reg = {EB_WIDTH{1'b0}}, w_beat_next;
reg [DATA_WIDTH-1:0] m_axi_wdata_reg = {DATA_WIDTH{1'b0}}, m_axi_wdata_next;
reg m_axi_awvalid_reg = 1'b0, m_axi_awvalid_next;
reg m_axi_wvalid_reg = 1'b0, m_axi_wvalid_next;
reg m_axi_bready_reg = 1'b0, m_axi_bready_next;

/*
 * Combinational helpers
 */
// beats of the next fetch burst: to the next burst boundary (registered,
// then the rest if it is less, registered: f_blen_ok_reg says it is current)
wire [8:0] f_room;
/* verilator lint_off UNUSEDSIGNAL */
wire f_last_unused;   // the comparison is done a cycle later, with f_room_reg
/* verilator lint_on UNUSEDSIGNAL */
dma_burst_len #(
    .BEATS_WIDTH(FB_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN)
)
f_burst_len_inst (
    .page_beat(f_addr_reg[11:OFFSET]),
    .beats_left(f_beats_reg),
    .room(f_room),
    .last(f_last_unused)
);

wire r_hs = m_axi_rvalid;   // rready is always high
wire [127:0] ent_full;
generate
    if (DATA_WIDTH < 128) begin : g_ent
        assign ent_full = {m_axi_rdata, ent_reg[127:DATA_WIDTH]};
    end else begin : g_ent
        assign ent_full = m_axi_rdata[127:0];
    end
endgenerate

// the group in ent_reg: header group 0 {-, byte_count, dev_block, ctl},
// group 1 {list, next}, or an entry {-, size, addr}
wire [63:0] g_lo = ent_reg[63:0];
wire [63:0] g_hi = ent_reg[127:64];
wire [31:0] e_size = ent_reg[95:64];

// the slot being filled, and the block's checks on its header
wire [7:0] h_count = s_count_reg[f_slot_reg];
wire [31:0] h_len = s_len_reg[f_slot_reg];

// the next block to fetch: chain first, then the SQ
wire sq_has = sq_num_reg != {CW{1'b0}};
wire [ADDR_WIDTH-1:0] src_addr = chain_reg ? h_next_reg : sq_mem[sq_rd_reg];
wire f_start = f_state_reg == F_IDLE && !halt && !s_busy_reg[f_slot_reg] && (chain_reg || sq_has);

// the check stage's window comparison, at ADDR_WIDTH + 1 bits: a base
// above the address space admits nothing, a limit above it bounds nothing
// (addresses above ADDR_WIDTH are CODE 5 before the window matters)
localparam AH = ADDR_WIDTH - 16;
wire [15:0] base_lo = prot_base[15:0];
wire [AH-1:0] base_hi = prot_base[ADDR_WIDTH-1:16];
wire [15:0] limit_lo = prot_limit[15:0];
wire [AH-1:0] limit_hi = prot_limit[ADDR_WIDTH-1:16];
// into the pipeline: an entry, the list (pointer, SG_COUNT * 16) or the block (0x00..0x2f)
// (the block's and the list's go through ent_reg too: no operand multiplexer
// in front of the adders)
wire g_issue = (g_list_reg && g_valid_reg) || f_state_reg == F_BCHK || f_state_reg == F_HCHK5;
wire [ADDR_WIDTH-1:0] g_a = g_lo[ADDR_WIDTH-1:0];
wire [31:0] g_s = e_size;
wire [16:0] g_e_lo = {1'b0, g_a[15:0]} + {1'b0, g_s[15:0]};
wire [16:0] g_sum_lo = {1'b0, sum_lo_reg} + {1'b0, e_size[15:0]};
// c1: the high half of the end, the start against the base, the low half of the end against the limit
// (the carry in as an extra low bit: one carry chain, not two adders)
/* verilator lint_off UNUSEDSIGNAL */
wire [AH+1:0] c1_e_hi_x = {1'b0, c1_a_reg[ADDR_WIDTH-1:16], 1'b1} + {{(AH-15){1'b0}}, c1_s_hi_reg, c1_cy_reg};
/* verilator lint_on UNUSEDSIGNAL */
wire [AH:0] c1_e_hi = c1_e_hi_x[AH+1:1];
/* verilator lint_off UNUSEDSIGNAL */
wire [17:0] c1_sum_hi_x = {1'b0, sum_hi_reg, 1'b1} + {1'b0, c1_s_hi_reg, c1_sc_reg};
/* verilator lint_on UNUSEDSIGNAL */
// (high half less, or equal and the low half less: one comparison)
wire c1_st_lt = {c1_a_reg[ADDR_WIDTH-1:16], 1'b0} < {base_hi, c1_st_lo_lt_reg};
// c2: the end (ADDR_WIDTH + 1 bits) against the limit; an entry may not
// reach the top of the address space, a list may end there
wire c2_top = c2_e_hi_reg[AH];
wire c2_bad = c2_pre_bad_reg || (c2_top && (c2_ent_reg || c2_e_hi_reg[AH-1:0] != {AH{1'b0}} || c2_e_lo_nz_reg));
// c3: the result
wire c3_out = c3_out_pre_reg || (c3_lim_reg && c3_e_gt_reg);
// (c1_valid || c2_valid || c3_valid, as a register)
reg c_busy_reg = 1'b0;
wire c_busy = c_busy_reg;

// (and the last beat's error, registered, taken; AR is out only while
// f_out is set)
wire f_bus_idle = !f_out_reg && !r_last_reg;

// a block may start when the CQ has room for it and all before it
wire cq_room = free_reg != {CW{1'b0}};

assign sq_full = sq_num_reg + {{(CW-2){1'b0}}, sq_pref_reg} >= DEPTH_C;
assign sq_count = {{(8-CW){1'b0}}, sq_num_reg + {{(CW-2){1'b0}}, sq_pref_reg}};
assign cq_count = {{(8-CW){1'b0}}, cq_num_reg};
// (a block started, on the data path, being written back or not yet in
// the CQ is in a busy slot: a slot is busy from its fetch's end to its push)
// (cq_valid and the head's error: registers, the same functions of the next state)
reg cq_valid_reg = 1'b0;
reg cq_head_err_reg = 1'b0;        // the head completion has an error or NO_WRITEBACK
assign q_active = !fa_idle_reg || s_busy_reg != 2'b00 || chain_reg;
assign q_pending = q_active || sq_has;
assign q_quiet = fa_idle_reg && !dp_sel_reg && !take_reg && w_state_reg == W_IDLE;

assign cq_valid = cq_valid_reg;
assign cq_addr = cq_valid ? ext64(cq_addr_mem[cq_rd_reg]) : 64'd0;
assign cq_code = cq_valid ? cq_info_mem[cq_rd_reg][3:0] : 4'd0;
assign cq_not_started = cq_valid && cq_info_mem[cq_rd_reg][4];
assign cq_no_writeback = cq_valid && cq_info_mem[cq_rd_reg][5];
assign cq_resid = cq_valid ? cq_resid_mem[cq_rd_reg] : 32'd0;

wire [7:0] co_count = coalesce[7:0];
wire [23:0] co_timeout = coalesce[31:8];
// ... and always once nothing more can complete (no block running or
// waiting): whatever COUNT and TIMEOUT say, no completion is left without
// an interrupt.
// (COUNT <= 1 is CQ_COUNT >= COUNT while the CQ is not empty; TIMEOUT not 0 is in t_ge)
assign q_irq = cq_valid && ({{(8-CW){1'b0}}, cq_num_reg} >= co_count || cq_head_err_reg || !q_pending || t_ge);

assign dp_start = dp_start_reg;
assign dp_sel = dp_sel_reg;
assign dp_write = s_dir_reg[dp_slot_reg] == 2'd1;
assign dp_len = s_len_reg[dp_slot_reg][LEN_WIDTH-1:0];
assign dp_block = s_dev_reg[dp_slot_reg];
assign dp_abort = dp_abort_reg;
assign seg_valid = seg_valid_reg;
assign seg_addr = seg_addr_reg;
assign seg_len = seg_len_reg;

assign m_axi_araddr = m_axi_araddr_reg;
assign m_axi_arlen = m_axi_arlen_reg;
assign m_axi_arvalid = m_axi_arvalid_reg;
assign m_axi_rready = 1'b1;

// written back blocks are 64-byte aligned: +0x20 is a constant in bits 5:0
wire [ADDR_WIDTH-1:0] w_blk = s_blk_reg[w_slot_reg];
assign m_axi_awaddr = {w_blk[ADDR_WIDTH-1:6], 6'h20};
assign m_axi_awlen = WB_LEN;
assign m_axi_awvalid = m_axi_awvalid_reg;
// resid, fault, status (status last, in the last beat); a killed block
// (NOT_STARTED) writes resid 0, fault 0, CODE 7
// (registered with w_go: a slot's kill and code no longer change once it is done)
reg w_kill = 1'b0;
reg w_fail_reg = 1'b0;
assign cq_push_err = w_nowb_reg || w_kill || w_fail_reg;
wire [3:0] w_code = w_kill ? CODE_ABORTED : s_code_reg[w_slot_reg];
wire [31:0] w_resid = w_kill ? 32'd0 : s_len_reg[w_slot_reg];
wire [63:0] w_fault_64 = ext64(s_fault_reg[w_slot_reg]);
// the beat loaded into the W register next (the first in W_IDLE), the
// killed block's zeros applied last (few loads of w_kill)
wire [EB_WIDTH-1:0] w_load_beat = (w_state_reg == W_W) ? w_beat_reg + 1'b1 : {EB_WIDTH{1'b0}};
wire [127:0] w_word = {1'b1, 22'd0, w_kill, 4'd0, w_code, w_fault_64[63:32], w_fault_64[31:0], s_len_reg[w_slot_reg]};
wire [127:0] w_keep = {32'hffffffff, {96{!w_kill}}};
wire [DATA_WIDTH-1:0] w_load_data = w_word[DATA_WIDTH*w_load_beat +: DATA_WIDTH] &
                                    w_keep[DATA_WIDTH*w_load_beat +: DATA_WIDTH];
assign m_axi_wdata = m_axi_wdata_reg;
assign m_axi_wstrb = {STRB_WIDTH{1'b1}};
assign m_axi_wlast = w_beat_reg == WB_LAST;
assign m_axi_wvalid = m_axi_wvalid_reg;
assign m_axi_bready = m_axi_bready_reg;

reg take_kill;
wire [7:0] t_count = s_count_reg[e_slot_reg];
reg f_issue;
// the entry RAM's read address: while a block runs, its next index; else
// entry 0 of the slot execute takes next
wire [EI_WIDTH:0] seg_rd = dp_sel_reg ? {dp_slot_reg, seg_idx_reg + {{(EI_WIDTH-1){1'b0}}, seg_valid_reg && seg_ready}} :
                                        {e_slot_reg, {EI_WIDTH{1'b0}}};

always @* begin
    sq_wr_next = sq_wr_reg;
    sq_rd_next = sq_rd_reg;
    sq_num_next = sq_num_reg;
    sq_pref_next = sq_pref_reg;
    flush_next = flush_reg;
    cq_wr_next = cq_wr_reg;
    cq_rd_next = cq_rd_reg;
    cq_num_next = cq_num_reg;
    inflight_next = inflight_reg;
    free_next = free_reg;
    timer_next = timer_reg;
    cq_push = w_push_reg;
    cq_push_info = {w_nowb_reg, w_kill, w_code};

    f_state_next = f_state_reg;
    f_blk_next = f_blk_reg;
    f_from_sq_next = f_from_sq_reg;
    f_kill_next = f_kill_reg;
    f_mis_next = f_mis_reg;
    f_addr_next = f_addr_reg;
    f_pc_next = 1'b0;
    f_beats_next = f_beats_reg;
    f_bz_next = f_bz_reg;
    f_blen_ok_next = 1'b1;
    f_out_next = f_out_reg;
    f_err_next = f_err_reg;
    f_hdr_ok_next = f_hdr_ok_reg;
    g_hdr_next = g_hdr_reg;
    g_valid_next = 1'b0;
    h_bad_next = h_bad_reg;
    ent_next = ent_reg;
    ent_beat_next = ent_beat_reg;
    ent_idx_next = ent_idx_reg;
    sum_lo_next = sum_lo_reg;
    sum_hi_next = sum_hi_reg;
    over_next = over_reg;
    bad_next = bad_reg;
    prot_next = prot_reg;
    c1_valid_next = g_issue;
    f_code_next = f_code_reg;
    f_nowb_next = f_nowb_reg;
    f_fault_next = f_fault_reg;
    f_slot_next = f_slot_reg;
    chain_next = chain_reg;
    m_axi_araddr_next = m_axi_araddr_reg;
    m_axi_arlen_next = m_axi_arlen_reg;
    m_axi_arvalid_next = m_axi_arvalid_reg && !m_axi_arready;
    s_ready_next = s_ready_reg;
    s_busy_next = s_busy_reg;
    s_done_next = s_done_reg;
    s_kill_next = s_kill_reg;
    s_from_sq_next = s_from_sq_reg;
    s_nowb_next = s_nowb_reg;
    s_fail_next = s_fail_reg;
    s_we = 1'b0;
    h0_we = 1'b0;
    d_we = 1'b0;
    d_code = CODE_NONE;
    ent_we = 1'b0;

    e_slot_next = e_slot_reg;
    dp_sel_next = dp_sel_reg;
    dp_start_next = 1'b0;
    dp_abort_next = dp_abort_reg;
    dp_slot_next = dp_slot_reg;
    seg_idx_next = seg_idx_reg;
    seg_rem_next = seg_rem_reg;
    seg_valid_next = seg_valid_reg;

    w_state_next = w_state_reg;
    w_nowb_next = w_nowb_reg;
    w_slot_next = w_slot_reg;
    w_beat_next = w_beat_reg;
    m_axi_wdata_next = m_axi_wdata_reg;
    m_axi_awvalid_next = m_axi_awvalid_reg;
    m_axi_wvalid_next = m_axi_wvalid_reg;
    m_axi_bready_next = m_axi_bready_reg;

    take_kill = 1'b0;
    f_issue = 1'b0;

    /*
     * Doorbell
     */
    if (db_valid) begin
        sq_wr_next = (sq_wr_reg == LAST_Q) ? {QW{1'b0}} : sq_wr_reg + 1'b1;
        sq_num_next = sq_num_next + 1'b1;
    end

    /*
     * Fetch: R beats into 16-byte groups (header and entries alike)
     */
    if (r_hs) begin
        ent_next = ent_full;
        ent_beat_next = (ent_beat_reg == ENT_LAST) ? {EB_WIDTH{1'b0}} : ent_beat_reg + 1'b1;
        g_valid_next = ent_beat_reg == ENT_LAST;
        if (m_axi_rlast) begin
            f_out_next = 1'b0;
        end
    end

    // an error response (registered): CODE 3, the burst's address (still
    // in the AR register: the next burst waits for this)
    if (r_err_reg && !f_err_reg) begin
        f_err_next = 1'b1;
        f_fault_next = m_axi_araddr_reg;
    end

    // one burst at a time, its length worked out in the cycle before
    f_issue = f_go_reg && f_bus_idle && !halt;
    if (f_issue) begin
        m_axi_araddr_next = f_addr_reg;
        m_axi_arlen_next = f_blen_reg[7:0] - 8'd1;
        m_axi_arvalid_next = 1'b1;
        f_out_next = 1'b1;
        f_beats_next = f_beats_reg - {{(FB_WIDTH-9){1'b0}}, f_blen_reg};
        f_bz_next = f_beats_reg == {{(FB_WIDTH-9){1'b0}}, f_blen_reg};
        // (f_blen_reg follows in 2 cycles; the bus is busy for longer)
    end

    // a whole group: a header group to its fields, an entry to the entry
    // RAM and the check stage (size 0, bits above the widths, its end
    // with the carry for the wrap and the window), byte_count less its size
    if (g_valid_reg && f_state_reg == F_HDR) begin
        g_hdr_next = 1'b1;
        if (!g_hdr_reg) begin
            h0_we = 1'b1;
            h_bad_next = (g_lo[1:0] != 2'd1 && g_lo[1:0] != 2'd2) || g_lo[23:16] == 8'd0 ||
                         {24'd0, g_lo[23:16]} > SGLLEN_32;
        end
    end
    if (g_valid_reg && g_list_reg) begin
        ent_we = 1'b1;
        ent_idx_next = ent_idx_reg + 1'b1;
        sum_lo_next = g_sum_lo[15:0];
    end
    if (c1_valid_reg && c1_ent_reg) begin
        sum_hi_next = c1_sum_hi_x[16:1];
        over_next = c1_sum_hi_x[17] || over_reg;
    end

    // the end of the check pipeline: sticky results
    bad_next = bad_reg || c3_bad_reg;
    prot_next = prot_reg || c3_out;

    case (f_state_reg)
        F_IDLE: begin
            // the next block's fetch state, whether it starts or not (so
            // that the start decision enables few registers)
            f_blk_next = src_addr;
            f_mis_next = src_addr[5:0] != 6'd0 || (chain_reg && h_big_reg);
            f_from_sq_next = !chain_reg;
            // submitted before an abort: completes NOT_STARTED
            f_kill_next = !chain_reg && flush_reg != {CW{1'b0}};
            f_err_next = 1'b0;
            f_out_next = 1'b0;
            f_code_next = CODE_NONE;
            f_nowb_next = 1'b0;
            f_hdr_ok_next = 1'b0;
            g_hdr_next = 1'b0;
            ent_beat_next = {EB_WIDTH{1'b0}};
            if (f_start) begin
                if (chain_reg) begin
                    chain_next = 1'b0;
                end else begin
                    sq_rd_next = (sq_rd_reg == LAST_Q) ? {QW{1'b0}} : sq_rd_reg + 1'b1;
                    sq_num_next = sq_num_next - 1'b1;
                    sq_pref_next = sq_pref_next + 1'b1;
                    if (flush_reg != {CW{1'b0}}) begin
                        flush_next = flush_reg - 1'b1;
                    end
                end
                f_state_next = F_BCHK;
            end
        end
        F_BCHK: begin
            // the block's window (0x00..0x2f) into the check pipeline
            prot_next = 1'b0;
            f_state_next = F_BDEC;
        end
        F_BDEC: begin
            if (c_busy) begin
                // wait for the check
            end else if (f_mis_reg) begin
                // nothing fetched, nothing written back
                f_code_next = CODE_BAD_CMD;
                f_nowb_next = 1'b1;
                f_state_next = F_FIN;
            end else if (prot_reg) begin
                f_code_next = CODE_PROTECTION;
                f_nowb_next = 1'b1;
                f_state_next = F_FIN;
            end else if (f_kill_reg || halt) begin
                f_state_next = F_FIN;
            end else begin
                f_state_next = F_HDR;
            end
        end
        F_HDR: begin
            if ((f_kill_reg || halt) && f_bus_idle) begin
                // aborted (or reset): nothing more of this block on the bus
                f_state_next = F_FIN;
            end else if (f_bus_idle && f_err_reg) begin
                // CODE 3; a header that did not come ends its chain
                f_code_next = CODE_DESC_FETCH;
                f_state_next = F_FIN;
            end else if (f_bus_idle && f_bz_reg) begin
                // the last group is taken in this cycle
                f_state_next = F_HCHK1;
            end
        end
        F_HCHK1: begin
            // the header is in (its flags registered)
            f_hdr_ok_next = 1'b1;
            g_hdr_next = 1'b0;
            if (h_next_nz_reg && !f_kill_reg && !abort) begin
                chain_next = 1'b1;
            end
            f_state_next = F_HCHK2;
        end
        F_HCHK2: begin
            // the list's address: inline (+0x40 of the aligned block,
            // the upper bits in the next cycle: fa_inl_reg) or the pointer
            f_state_next = F_HCHK3;
        end
        F_HCHK3: begin
            // f_addr's upper bits follow
            f_state_next = F_HCHK4;
        end
        F_HCHK4: begin
            // the list and its size into ent_reg for the check (below)
            f_state_next = F_HCHK5;
        end
        F_HCHK5: begin
            // the list into the check pipeline (fault: the list's address)
            f_fault_next = f_addr_reg;
            bad_next = h_bad_reg || l_big_reg || f_addr_reg[3:0] != 4'd0;
            prot_next = 1'b0;
            f_state_next = F_HCHK6;
        end
        F_HCHK6: begin
            if (c_busy) begin
                // wait for the check
            end else if (f_kill_reg || halt) begin
                f_state_next = F_FIN;
            end else if (bad_reg) begin
                f_code_next = CODE_BAD_CMD;
                f_state_next = F_FIN;
            end else if (prot_reg) begin
                f_code_next = CODE_PROTECTION;
                f_state_next = F_FIN;
            end else begin
                ent_beat_next = {EB_WIDTH{1'b0}};
                ent_idx_next = {EI_WIDTH{1'b0}};
                sum_lo_next = 16'd0;
                sum_hi_next = 16'd0;
                over_next = 1'b0;
                bad_next = 1'b0;
                prot_next = 1'b0;
                f_state_next = F_LIST;
            end
        end
        F_LIST: begin
            if ((f_kill_reg || halt) && f_bus_idle) begin
                f_state_next = F_FIN;
            end else if (f_bus_idle && f_err_reg) begin
                f_code_next = CODE_DESC_FETCH;
                f_state_next = F_FIN;
            end else if (f_quiet_reg && f_bz_reg) begin
                // every entry in and through the check stage
                f_state_next = F_LDEC;
            end
        end
        F_LDEC: begin
            if (bad_reg || over_reg || sum_eq_reg != 2'b11 || (h_len & ~SIZE_MASK) != 32'd0) begin
                f_code_next = CODE_BAD_CMD;
            end else if (prot_reg) begin
                // f_fault: the first entry outside
                f_code_next = CODE_PROTECTION;
            end
            f_state_next = F_FIN;
        end
        default: begin
            // F_FIN: the block is ready in the slot
            g_hdr_next = 1'b0;
            s_we = 1'b1;
            s_ready_next[f_slot_reg] = 1'b1;
            s_busy_next[f_slot_reg] = 1'b1;
            s_done_next[f_slot_reg] = 1'b0;
            s_kill_next[f_slot_reg] = f_kill_reg;
            s_from_sq_next[f_slot_reg] = f_from_sq_reg;
            s_nowb_next[f_slot_reg] = f_nowb_reg;
            s_fail_next[f_slot_reg] = f_code_reg != CODE_NONE;
            f_slot_next = !f_slot_reg;
            f_state_next = F_IDLE;
        end
    endcase

    // the fault of CODE 6 on an entry is the first entry outside the
    // window: loaded at c2 until c3 finds one (c3_out: the entry before,
    // found outside in this cycle); an error response comes first (CODE 3)
    if (c2_valid_reg && c2_ent_reg && !prot_reg && !c3_out && !f_err_reg && !r_err_reg) begin
        f_fault_next = c2_a_reg;
    end

    /*
     * The fetch address, in one place (its sources never coincide; the
     * burst's increment, the most frequent, nearest the register)
     */
    if (fa_idle_reg) begin
        // the block to fetch next (unused until it starts)
        f_addr_next = src_addr;
    end else if (g_valid_reg && g_hdr_reg) begin
        // header group 1: the list pointer goes where the list fetch starts
        f_addr_next = g_hi[ADDR_WIDTH-1:0];
    end else if (fa_inl_reg) begin
        // inline list: +0x40 of the aligned block, the upper bits in the next cycle
        f_addr_next = f_blk_reg;
        {f_pc_next, f_addr_next[11:6]} = {1'b0, f_blk_reg[11:6]} + 7'd1;
    end
    if (f_pc_reg) begin
        // a page crossed in the cycle before: the upper bits follow
        f_addr_next[ADDR_WIDTH-1:12] = f_addr_reg[ADDR_WIDTH-1:12] + 1'b1;
    end
    if (f_issue) begin
        // bursts never cross a 4 KiB page: the low 12 bits and a carry
        {f_pc_next, f_addr_next[11:0]} = {1'b0, f_addr_reg[11:0]} + ({4'd0, f_blen_reg} << OFFSET);
    end
    // ent_reg when no beats come: the block (0x00..0x2f) and the list with
    // its size, for their checks (selected by registered state flags: its
    // enable has a global buffer)
    if (fa_idle_reg) begin
        ent_next[63:0] = ext64(src_addr);
        ent_next[95:64] = 32'h30;
    end else if (fa_h4_reg) begin
        ent_next[63:0] = ext64(f_addr_reg);
        ent_next[95:64] = {20'd0, h_count, 4'd0};
    end
    // the beats to fetch: the header's (set while idle), the list's (F_HCHK4)
    if (fa_idle_reg) begin
        f_beats_next = HDR_BEATS_L;
        f_bz_next = 1'b0;
        f_blen_ok_next = 1'b0;
    end else if (fa_h4_reg) begin
        f_beats_next = {h_count, 4'd0} >> OFFSET;
        f_bz_next = 1'b0;
        f_blen_ok_next = 1'b0;
    end

    /*
     * Execute: take the next slot in order
     */
    // decided a cycle ahead (a register, not a comparator tree, fans out to the start)
    take_next = !take_reg && !dp_sel_reg && !halt && !reg_busy && s_ready_reg[e_slot_reg] && cq_room;
    run_next = !s_kill_reg[e_slot_reg] && !s_fail_reg[e_slot_reg] && !abort;
    if (take_reg) begin
        take_kill = s_kill_reg[e_slot_reg] || abort;
        s_ready_next[e_slot_reg] = 1'b0;
        e_slot_next = !e_slot_reg;
        inflight_next = inflight_next + 1'b1;
        free_next = free_next - 1'b1;
        if (s_from_sq_reg[e_slot_reg]) begin
            sq_pref_next = sq_pref_next - 1'b1;
        end
        if (!run_reg || abort) begin
            // completes without data: its result is the fetch's (or
            // NOT_STARTED)
            s_done_next[e_slot_reg] = 1'b1;
            s_kill_next[e_slot_reg] = take_kill;
        end else begin
            dp_start_next = 1'b1;
            dp_sel_next = 1'b1;
            dp_abort_next = 1'b0;
            dp_slot_next = e_slot_reg;
            seg_idx_next = {EI_WIDTH{1'b0}};
            seg_rem_next = t_count - 8'd1;
            seg_valid_next = 1'b1;
        end
    end

    if (seg_valid_reg && seg_ready) begin
        seg_idx_next = seg_idx_reg + 1'b1;
        seg_rem_next = seg_rem_reg - 8'd1;
        seg_valid_next = seg_rem_reg != 8'd0;
    end

    if (dp_sel_reg && done) begin
        dp_sel_next = 1'b0;
        seg_valid_next = 1'b0;
        dp_abort_next = 1'b0;
        s_done_next[dp_slot_reg] = 1'b1;
        s_fail_next[dp_slot_reg] = done_err_rd || done_err_wr || done_aborted || done_err_dev;
        d_we = 1'b1;
        if (done_err_rd) begin
            d_code = CODE_DATA_READ;
        end else if (done_err_wr) begin
            d_code = CODE_DATA_WRITE;
        end else if (done_aborted) begin
            d_code = CODE_ABORTED;
        end else if (done_err_dev) begin
            d_code = CODE_DEVICE;
        end else begin
            d_code = CODE_NONE;
        end
    end

    /*
     * Write-back: resid, fault, status (last) in one burst
     */
    case (w_state_reg)
        W_IDLE: begin
            w_beat_next = {EB_WIDTH{1'b0}};
            w_nowb_next = w_go_nowb_reg;
            if (w_go_reg) begin
                m_axi_wdata_next = w_load_data;
            end
            if (w_go_reg && !halt) begin
                if (w_go_nowb_reg) begin
                    w_state_next = W_PUSH;
                end else begin
                    m_axi_awvalid_next = 1'b1;
                    w_state_next = W_AW;
                end
            end
        end
        W_AW: begin
            if (m_axi_awready) begin
                m_axi_awvalid_next = 1'b0;
                m_axi_wvalid_next = 1'b1;
                w_state_next = W_W;
            end
        end
        W_W: begin
            if (m_axi_wready) begin
                if (m_axi_wlast) begin
                    m_axi_wvalid_next = 1'b0;
                    m_axi_bready_next = 1'b1;
                    w_state_next = W_B;
                end else begin
                    w_beat_next = w_beat_reg + 1'b1;
                    m_axi_wdata_next = w_load_data;
                end
            end
        end
        W_B: begin
            if (m_axi_bvalid) begin
                m_axi_bready_next = 1'b0;
                w_nowb_next = m_axi_bresp != 2'b00;
                w_state_next = W_PUSH;
            end
        end
        default: begin
            // W_PUSH: cq_push (w_push_reg)
            w_state_next = W_IDLE;
        end
    endcase

    if (cq_push) begin
        // the block completes: its slot is free
        s_busy_next[w_slot_reg] = 1'b0;
        s_done_next[w_slot_reg] = 1'b0;
        w_slot_next = !w_slot_reg;
        cq_wr_next = (cq_wr_reg == LAST_Q) ? {QW{1'b0}} : cq_wr_reg + 1'b1;
        cq_num_next = cq_num_next + 1'b1;
        inflight_next = inflight_next - 1'b1;
    end
    if (pop && cq_num_reg != {CW{1'b0}}) begin
        cq_rd_next = (cq_rd_reg == LAST_Q) ? {QW{1'b0}} : cq_rd_reg + 1'b1;
        cq_num_next = cq_num_next - 1'b1;
        free_next = free_next + 1'b1;
    end
    // coalescing timer: cycles since the CQ became non-empty or the last POP, plus one
    if (cq_num_reg == {CW{1'b0}} || pop) begin
        timer_next = 24'd1;
    end else if (timer_reg != 24'hffffff) begin
        timer_next = timer_reg + 1'b1;
    end

    /*
     * Abort: the block on the data path stops; everything submitted and
     * not started completes NOT_STARTED; no chain is followed
     */
    if (abort) begin
        if (dp_sel_reg || dp_start_next) begin
            dp_abort_next = 1'b1;
        end
        // the submissions in the SQ before this cycle's doorbell, less
        // the one the fetcher takes now
        flush_next = (f_start && !chain_reg) ? sq_num_reg - 1'b1 : sq_num_reg;
        chain_next = 1'b0;
        // (in F_IDLE too: the block starting now, or state that a start will replace)
        f_kill_next = 1'b1;
        s_kill_next = s_kill_next | s_ready_next;
    end
    if (halt && dp_sel_reg && !done) begin
        dp_abort_next = 1'b1;
    end

    if (clear) begin
        sq_wr_next = {QW{1'b0}};
        sq_rd_next = {QW{1'b0}};
        sq_num_next = {CW{1'b0}};
        sq_pref_next = 2'd0;
        flush_next = {CW{1'b0}};
        cq_wr_next = {QW{1'b0}};
        cq_rd_next = {QW{1'b0}};
        cq_num_next = {CW{1'b0}};
        inflight_next = {CW{1'b0}};
        free_next = DEPTH_C;
        f_state_next = F_IDLE;
        chain_next = 1'b0;
        s_ready_next = 2'b00;
        s_busy_next = 2'b00;
        s_done_next = 2'b00;
        s_kill_next = 2'b00;
        f_slot_next = 1'b0;
        e_slot_next = 1'b0;
        take_next = 1'b0;
        w_slot_next = 1'b0;
        dp_sel_next = 1'b0;
        dp_abort_next = 1'b0;
        seg_valid_next = 1'b0;
    end
end

always @(posedge clk) begin
    sq_wr_reg <= sq_wr_next;
    sq_rd_reg <= sq_rd_next;
    sq_num_reg <= sq_num_next;
    sq_pref_reg <= sq_pref_next;
    flush_reg <= flush_next;
    cq_wr_reg <= cq_wr_next;
    cq_rd_reg <= cq_rd_next;
    cq_num_reg <= cq_num_next;
    inflight_reg <= inflight_next;
    free_reg <= free_next;
    timer_reg <= timer_next;
    cq_valid_reg <= cq_num_next != {CW{1'b0}};
    // the head after this cycle: written now, or in the FIFO
    cq_head_err_reg <= (cq_push && cq_wr_reg == cq_rd_next) ? cq_push_err :
                                                             cq_err_mem[cq_rd_next];
    t_hi_gt_reg <= 1'b0;
    t_lo_ge_reg <= 1'b0;
    if (!(cq_num_reg == {CW{1'b0}} || pop)) begin
        t_hi_gt_reg <= co_timeout != 24'd0 && timer_reg[23:12] > co_timeout[23:12];
        t_hi_eq_reg <= timer_reg[23:12] == co_timeout[23:12];
        t_lo_ge_reg <= co_timeout != 24'd0 && timer_reg[11:0] >= co_timeout[11:0];
    end

    f_state_reg <= f_state_next;
    f_blk_reg <= f_blk_next;
    f_from_sq_reg <= f_from_sq_next;
    f_kill_reg <= f_kill_next;
    f_mis_reg <= f_mis_next;
    f_addr_reg <= f_addr_next;
    f_pc_reg <= f_pc_next;
    fa_idle_reg <= f_state_next == F_IDLE;
    fa_inl_reg <= f_state_next == F_HCHK2 && l_zero_reg;
    fa_h4_reg <= f_state_next == F_HCHK4;
    f_beats_reg <= f_beats_next;
    f_bz_reg <= f_bz_next;
    if (!fa_idle_reg) begin
        f_room_reg <= f_room;
        f_blen_reg <= (f_beats_reg <= {3'd0, f_room_reg}) ? f_beats_reg[8:0] : f_room_reg;
    end
    f_blen_ok1_reg <= f_blen_ok_next;
    // (f_err_next, f_kill_next outside F_IDLE: from registers and abort)
    f_go_reg <= f_blen_ok1_reg && f_blen_ok_next && !f_bz_reg && !f_err_reg && !r_err_reg && !f_kill_reg && !abort &&
                (f_state_reg == F_HDR || f_state_reg == F_LIST);   // (leaving them: f_bz, error or kill)
    f_out_reg <= f_out_next;
    f_err_reg <= f_err_next;
    f_hdr_ok_reg <= f_hdr_ok_next;
    g_hdr_reg <= g_hdr_next;
    g_valid_reg <= g_valid_next;
    r_err_reg <= r_hs && m_axi_rresp != 2'b00;
    r_last_reg <= r_hs && m_axi_rlast;
    f_quiet_reg <= f_bus_idle && !f_issue && !g_valid_reg && !c_busy;
    h_bad_reg <= h_bad_next;
    ent_reg <= ent_next;
    ent_beat_reg <= ent_beat_next;
    ent_idx_reg <= ent_idx_next;
    sum_lo_reg <= sum_lo_next;
    sum_hi_reg <= sum_hi_next;
    over_reg <= over_next;
    if (g_list_reg) begin
        sum_eq_reg <= {sum_hi_reg == h_len[31:16], sum_lo_reg == h_len[15:0]};
    end
    bad_reg <= bad_next;
    prot_reg <= prot_next;
    // the check pipeline
    g_list_reg <= f_state_next == F_LIST;
    // (stages loaded only when they take something: also less work per
    // cycle for the simulation while the queue rests)
    c1_valid_reg <= c1_valid_next;
    if (c1_valid_next) begin
        c1_ent_reg <= g_list_reg;
        c1_pre_bad_reg <= g_list_reg &&
                          (e_size == 32'd0 || (e_size & ~SIZE_MASK) != 32'd0 || (g_lo & ~ADDR_MASK) != 64'd0);
        c1_a_reg <= g_a;
        c1_s_hi_reg <= g_s[31:16];
        c1_e_lo_reg <= g_e_lo[15:0];
        c1_cy_reg <= g_e_lo[16];
        c1_st_lo_lt_reg <= g_a[15:0] < base_lo;
        c1_sc_reg <= g_sum_lo[16];
    end
    c2_valid_reg <= c1_valid_reg;
    if (c1_valid_reg) begin
        c2_ent_reg <= c1_ent_reg;
        c2_pre_bad_reg <= c1_pre_bad_reg;
        c2_a_reg <= c1_a_reg;
        c2_e_hi_reg <= c1_e_hi;
        c2_e_lo_gt_reg <= c1_e_lo_reg > limit_lo;
        c2_e_lo_nz_reg <= c1_e_lo_reg != 16'd0;
        c2_out_st_reg <= prot_on && (pb_big_reg || c1_st_lt);
        c2_lim_reg <= prot_on && !pl_big_reg;
    end
    c_busy_reg <= c1_valid_next || c1_valid_reg || c2_valid_reg;
    c3_bad_reg <= 1'b0;
    c3_out_pre_reg <= 1'b0;
    c3_lim_reg <= 1'b0;
    if (c2_valid_reg) begin
        c3_bad_reg <= c2_bad;
        c3_out_pre_reg <= c2_out_st_reg || (c2_lim_reg && c2_top);
        c3_lim_reg <= c2_lim_reg;
        c3_e_gt_reg <= {c2_e_hi_reg[AH-1:0], c2_e_lo_gt_reg} > {limit_hi, 1'b0};
    end
    pb_big_reg <= (prot_base & ~ADDR_MASK) != 64'd0;
    pl_big_reg <= (prot_limit & ~ADDR_MASK) != 64'd0;
    f_code_reg <= f_code_next;
    f_nowb_reg <= f_nowb_next;
    f_fault_reg <= f_fault_next;
    f_slot_reg <= f_slot_next;
    chain_reg <= chain_next;
    m_axi_araddr_reg <= m_axi_araddr_next;
    m_axi_arlen_reg <= m_axi_arlen_next;
    m_axi_arvalid_reg <= m_axi_arvalid_next;

    s_ready_reg <= s_ready_next;
    s_busy_reg <= s_busy_next;
    s_done_reg <= s_done_next;
    s_kill_reg <= s_kill_next;
    s_from_sq_reg <= s_from_sq_next;
    s_nowb_reg <= s_nowb_next;
    s_fail_reg <= s_fail_next;

    e_slot_reg <= e_slot_next;
    take_reg <= take_next;
    run_reg <= run_next;
    dp_sel_reg <= dp_sel_next;
    dp_start_reg <= dp_start_next;
    dp_abort_reg <= dp_abort_next;
    dp_slot_reg <= dp_slot_next;
    seg_idx_reg <= seg_idx_next;
    seg_rem_reg <= seg_rem_next;
    seg_valid_reg <= seg_valid_next;

    w_state_reg <= w_state_next;
    w_push_reg <= w_state_next == W_PUSH;
    w_nowb_reg <= w_nowb_next;
    w_slot_reg <= w_slot_next;
    w_go_reg <= s_done_reg[w_slot_reg ^ w_push_reg] && !clear;
    w_go_nowb_reg <= s_nowb_reg[w_slot_reg ^ w_push_reg];
    w_kill <= s_kill_reg[w_slot_reg ^ w_push_reg];
    w_fail_reg <= s_fail_reg[w_slot_reg ^ w_push_reg];
    w_beat_reg <= w_beat_next;
    m_axi_wdata_reg <= m_axi_wdata_next;
    m_axi_awvalid_reg <= m_axi_awvalid_next;
    m_axi_wvalid_reg <= m_axi_wvalid_next;
    m_axi_bready_reg <= m_axi_bready_next;

    // the header's group 1: next and list pointers, as flags where that is enough
    if (g_valid_reg && f_state_reg == F_HDR && g_hdr_reg) begin
        h_next_reg <= g_lo[ADDR_WIDTH-1:0];
        h_big_reg <= (g_lo & ~ADDR_MASK) != 64'd0;
        h_next_nz_reg <= g_lo != 64'd0;
        l_big_reg <= (g_hi & ~ADDR_MASK) != 64'd0;
        l_zero_reg <= g_hi == 64'd0;
    end

    // RAMs and slot payloads (no reset)
    if (db_valid) begin
        sq_mem[sq_wr_reg] <= db_addr[ADDR_WIDTH-1:0];
    end
    if (cq_push) begin
        cq_addr_mem[cq_wr_reg] <= w_blk;
        cq_info_mem[cq_wr_reg] <= cq_push_info;
        cq_err_mem[cq_wr_reg] <= cq_push_err;
        cq_resid_mem[cq_wr_reg] <= w_resid;
    end
    if (ent_we) begin
        ent_addr_mem[{f_slot_reg, ent_idx_reg}] <= g_lo[ADDR_WIDTH-1:0];
        ent_len_mem[{f_slot_reg, ent_idx_reg}] <= e_size[LEN_WIDTH-1:0];
    end
    // the segment the datapath takes next: while a block runs, at its
    // next index; else entry 0 of the slot execute takes next
    seg_addr_reg <= ent_addr_mem[seg_rd];
    seg_len_reg <= ent_len_mem[seg_rd];
    if (h0_we) begin
        // header group 0: ctl, dev_block, byte_count
        s_dir_reg[f_slot_reg] <= g_lo[1:0];
        s_count_reg[f_slot_reg] <= g_lo[23:16];
        s_dev_reg[f_slot_reg] <= g_lo[63:32];
        s_len_reg[f_slot_reg] <= g_hi[31:0];
    end
    if (s_we) begin
        s_blk_reg[f_slot_reg] <= f_blk_reg;
        s_code_reg[f_slot_reg] <= f_code_reg;
        // (CODE 5: fault 0; the fault register holds a candidate)
        s_fault_reg[f_slot_reg] <= (f_code_reg == CODE_BAD_CMD) ? {ADDR_WIDTH{1'b0}} : f_fault_reg;
        if (!f_hdr_ok_reg) begin
            // byte_count is the residue only when the header was read
            s_len_reg[f_slot_reg] <= 32'd0;
        end
    end
    if (d_we) begin
        s_code_reg[dp_slot_reg] <= d_code;
        s_len_reg[dp_slot_reg] <= ext32(done_resid);
        s_fault_reg[dp_slot_reg] <= done_fault_addr;
    end

    if (rst) begin
        sq_wr_reg <= {QW{1'b0}};
        sq_rd_reg <= {QW{1'b0}};
        sq_num_reg <= {CW{1'b0}};
        sq_pref_reg <= 2'd0;
        flush_reg <= {CW{1'b0}};
        cq_wr_reg <= {QW{1'b0}};
        cq_rd_reg <= {QW{1'b0}};
        cq_num_reg <= {CW{1'b0}};
        inflight_reg <= {CW{1'b0}};
        free_reg <= DEPTH_C;
        timer_reg <= 24'd0;
        cq_valid_reg <= 1'b0;
        t_hi_gt_reg <= 1'b0;
        t_lo_ge_reg <= 1'b0;
        f_state_reg <= F_IDLE;
        fa_idle_reg <= 1'b1;
        fa_inl_reg <= 1'b0;
        fa_h4_reg <= 1'b0;
        f_go_reg <= 1'b0;
        f_out_reg <= 1'b0;
        f_slot_reg <= 1'b0;
        g_valid_reg <= 1'b0;
        r_err_reg <= 1'b0;
        r_last_reg <= 1'b0;
        c1_valid_reg <= 1'b0;
        g_list_reg <= 1'b0;
        c2_valid_reg <= 1'b0;
        c_busy_reg <= 1'b0;
        c3_bad_reg <= 1'b0;
        c3_out_pre_reg <= 1'b0;
        c3_lim_reg <= 1'b0;
        f_pc_reg <= 1'b0;
        chain_reg <= 1'b0;
        m_axi_arvalid_reg <= 1'b0;
        s_ready_reg <= 2'b00;
        s_busy_reg <= 2'b00;
        s_done_reg <= 2'b00;
        s_kill_reg <= 2'b00;
        e_slot_reg <= 1'b0;
        take_reg <= 1'b0;
        dp_sel_reg <= 1'b0;
        seg_valid_reg <= 1'b0;
        dp_start_reg <= 1'b0;
        dp_abort_reg <= 1'b0;
        w_state_reg <= W_IDLE;
        w_push_reg <= 1'b0;
        w_slot_reg <= 1'b0;
        w_go_reg <= 1'b0;
        m_axi_awvalid_reg <= 1'b0;
        m_axi_wvalid_reg <= 1'b0;
        m_axi_bready_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
