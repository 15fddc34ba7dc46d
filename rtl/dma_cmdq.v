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

localparam SG_IDX_WIDTH = $clog2(SGLLEN + 1);
localparam EI_WIDTH = SGLLEN > 1 ? $clog2(SGLLEN) : 1;   // entry index within a bank
localparam [31:0] SGLLEN_32 = SGLLEN;
localparam SUM_WIDTH = 40;

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

localparam [2:0] F_IDLE = 3'd0, F_HDR = 3'd1, F_LIST = 3'd2, F_FIN = 3'd3;
localparam [1:0] W_IDLE = 2'd0, W_AW = 2'd1, W_W = 2'd2, W_B = 2'd3;

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

// the window's bounds at ADDR_WIDTH + 1 bits: a base above the address
// space admits nothing, a limit above it bounds nothing
wire base_big = (prot_base & ~ADDR_MASK) != 64'd0;
wire limit_big = (prot_limit & ~ADDR_MASK) != 64'd0;
wire [ADDR_WIDTH:0] base_a = {1'b0, prot_base[ADDR_WIDTH-1:0]};
wire [ADDR_WIDTH:0] limit_a = {1'b0, prot_limit[ADDR_WIDTH-1:0]};

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
reg [31:0] cq_resid_mem [0:QN-1];
reg [QW-1:0] cq_wr_reg = {QW{1'b0}}, cq_wr_next;
reg [QW-1:0] cq_rd_reg = {QW{1'b0}}, cq_rd_next;
reg [CW-1:0] cq_num_reg = {CW{1'b0}}, cq_num_next;
// blocks started and not yet in the CQ
reg [CW-1:0] inflight_reg = {CW{1'b0}}, inflight_next;
reg [23:0] timer_reg = 24'd0, timer_next;
reg cq_push;
reg [ADDR_WIDTH-1:0] cq_push_addr;
reg [5:0] cq_push_info;
reg [31:0] cq_push_resid;

/*
 * Fetcher
 */
reg [2:0] f_state_reg = F_IDLE, f_state_next;
reg [ADDR_WIDTH-1:0] f_blk_reg = {ADDR_WIDTH{1'b0}}, f_blk_next;
reg f_from_sq_reg = 1'b0, f_from_sq_next;
reg f_kill_reg = 1'b0, f_kill_next;           // aborted: complete NOT_STARTED
reg [ADDR_WIDTH-1:0] f_addr_reg = {ADDR_WIDTH{1'b0}}, f_addr_next;      // next burst
reg [FB_WIDTH-1:0] f_beats_reg = {FB_WIDTH{1'b0}}, f_beats_next;        // beats to request
reg f_out_reg = 1'b0, f_out_next;             // a burst in flight
reg f_err_reg = 1'b0, f_err_next;             // a fetch came back with an error
// the header's words, captured as their beats come (no copy of the
// block: only the fields used; address bits above ADDR_WIDTH kept as a flag)
reg [2:0] hw_idx_reg = 3'd0, hw_idx_next;    // word index of the next header beat
reg [9:0] h_ctl_reg = 10'd0;                 // {SG_COUNT, DIR}
reg [31:0] h_dev_reg = 32'd0;
reg [31:0] h_len_reg = 32'd0;
reg [ADDR_WIDTH-1:0] h_next_reg = {ADDR_WIDTH{1'b0}};
reg [ADDR_WIDTH-1:0] h_list_reg = {ADDR_WIDTH{1'b0}};
reg h_big_reg = 1'b0;                        // next: bits above ADDR_WIDTH
reg l_big_reg = 1'b0;                        // list: bits above ADDR_WIDTH
reg f_hdr_ok_reg = 1'b0, f_hdr_ok_next;      // the header of this block was read
reg [127:0] ent_reg = 128'd0, ent_next;
reg [EB_WIDTH-1:0] ent_beat_reg = {EB_WIDTH{1'b0}}, ent_beat_next;
reg [EI_WIDTH-1:0] ent_idx_reg = {EI_WIDTH{1'b0}}, ent_idx_next;
reg [SUM_WIDTH-1:0] sum_reg = {SUM_WIDTH{1'b0}}, sum_next;
reg bad_reg = 1'b0, bad_next;
reg prot_reg = 1'b0, prot_next;
reg [ADDR_WIDTH-1:0] prot_fault_reg = {ADDR_WIDTH{1'b0}}, prot_fault_next;
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
 * Slots: blocks fetched, in order, waiting for execute (ready) or
 * running on the data path (busy). Their entries are in bank <slot> of
 * the entry RAM.
 */
reg [1:0] s_ready_reg = 2'b00, s_ready_next;
reg [1:0] s_busy_reg = 2'b00, s_busy_next;
reg [1:0] s_kill_reg = 2'b00, s_kill_next;
reg [1:0] s_from_sq_reg = 2'b00, s_from_sq_next;
reg [1:0] s_write_reg = 2'b00, s_write_next;
reg [1:0] s_nowb_reg = 2'b00, s_nowb_next;
reg [ADDR_WIDTH-1:0] s_blk_reg [0:1];
reg [7:0] s_count_reg [0:1];
reg [31:0] s_dev_reg [0:1];
reg [31:0] s_len_reg [0:1];
reg [3:0] s_code_reg [0:1];
reg [ADDR_WIDTH-1:0] s_fault_reg [0:1];
reg s_we;

// The entry RAM: one write port (the fetcher, into the bank being filled)
// and one registered read port (the segment the datapath takes next,
// read one cycle ahead: at the block's start and on each seg handshake),
// so it maps to block RAM (iCE40 EBR) as well as to distributed RAM.
reg [ADDR_WIDTH-1:0] ent_addr_mem [0:2*(1<<EI_WIDTH)-1];
reg [LEN_WIDTH-1:0] ent_len_mem [0:2*(1<<EI_WIDTH)-1];
reg [ADDR_WIDTH-1:0] seg_addr_reg = {ADDR_WIDTH{1'b0}};
reg [LEN_WIDTH-1:0] seg_len_reg = {LEN_WIDTH{1'b0}};
reg ent_we;

/*
 * Execute
 */
reg e_slot_reg = 1'b0, e_slot_next;           // next slot to take
reg dp_sel_reg = 1'b0, dp_sel_next;
reg dp_start_reg = 1'b0, dp_start_next;
reg dp_abort_reg = 1'b0, dp_abort_next;
reg dp_slot_reg = 1'b0, dp_slot_next;
reg [SG_IDX_WIDTH-1:0] seg_idx_reg = {SG_IDX_WIDTH{1'b0}}, seg_idx_next;

// the result of the block last executed, for write-back
reg res_valid_reg = 1'b0, res_valid_next;
reg [ADDR_WIDTH-1:0] res_blk_reg = {ADDR_WIDTH{1'b0}}, res_blk_next;
reg [3:0] res_code_reg = 4'd0, res_code_next;
reg res_ns_reg = 1'b0, res_ns_next;
reg res_nowb_reg = 1'b0, res_nowb_next;
reg [31:0] res_resid_reg = 32'd0, res_resid_next;
reg [ADDR_WIDTH-1:0] res_fault_reg = {ADDR_WIDTH{1'b0}}, res_fault_next;

/*
 * Write-back
 */
reg [1:0] w_state_reg = W_IDLE, w_state_next;
reg [ADDR_WIDTH-1:0] w_blk_reg = {ADDR_WIDTH{1'b0}}, w_blk_next;
reg [31:0] w_resid_reg = 32'd0, w_resid_next;
reg [ADDR_WIDTH-1:0] w_fault_reg = {ADDR_WIDTH{1'b0}}, w_fault_next;
reg [5:0] w_info_reg = 6'd0, w_info_next;
reg [EB_WIDTH-1:0] w_beat_reg = {EB_WIDTH{1'b0}}, w_beat_next;
reg m_axi_awvalid_reg = 1'b0, m_axi_awvalid_next;
reg m_axi_wvalid_reg = 1'b0, m_axi_wvalid_next;
reg m_axi_bready_reg = 1'b0, m_axi_bready_next;

/*
 * Combinational helpers
 */
// beats of the next fetch burst: to the next burst boundary, or the rest
wire [8:0] f_room;
wire f_last;
dma_burst_len #(
    .BEATS_WIDTH(FB_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN)
)
f_burst_len_inst (
    .page_beat(f_addr_reg[11:OFFSET]),
    .beats_left(f_beats_reg),
    .room(f_room),
    .last(f_last)
);
wire [8:0] f_burst_len = f_last ? f_beats_reg[8:0] : f_room;

wire r_hs = m_axi_rvalid;   // rready is always high
wire [127:0] ent_full;
generate
    if (DATA_WIDTH < 128) begin : g_ent
        assign ent_full = {m_axi_rdata, ent_reg[127:DATA_WIDTH]};
    end else begin : g_ent
        assign ent_full = m_axi_rdata[127:0];
    end
endgenerate

// The header words in this beat go to their fields (hc_*: the fields
// with this beat in, valid on the header's last beat).
localparam WPB = DATA_WIDTH / 32;   // 32-bit words per beat
reg [9:0] hc_ctl;
reg [31:0] hc_dev;
reg [31:0] hc_len;
reg [63:0] hc_next;
reg [63:0] hc_list;
reg hc_big;
reg lc_big;
reg [31:0] hw_d;
reg [2:0] hw_w;
integer wi;
always @* begin
    hc_ctl = h_ctl_reg;
    hc_dev = h_dev_reg;
    hc_len = h_len_reg;
    hc_next = ext64(h_next_reg);
    hc_list = ext64(h_list_reg);
    hc_big = h_big_reg;
    lc_big = l_big_reg;
    hw_d = 32'd0;
    hw_w = 3'd0;
    if (r_hs && f_state_reg == F_HDR) begin
        for (wi = 0; wi < WPB; wi = wi + 1) begin
            hw_d = m_axi_rdata[32*wi +: 32];
            hw_w = hw_idx_reg + wi[2:0];
            case (hw_w)
                3'd0: hc_ctl = {hw_d[23:16], hw_d[1:0]};
                3'd1: hc_dev = hw_d;
                3'd2: hc_len = hw_d;
                3'd4: hc_next[31:0] = hw_d;
                3'd5: begin
                    hc_next[63:32] = hw_d & ADDR_MASK[63:32];
                    hc_big = (hw_d & ~ADDR_MASK[63:32]) != 32'd0;
                end
                3'd6: hc_list[31:0] = hw_d;
                3'd7: begin
                    hc_list[63:32] = hw_d & ADDR_MASK[63:32];
                    lc_big = (hw_d & ~ADDR_MASK[63:32]) != 32'd0;
                end
                default: begin
                    // 0x0c: not read
                end
            endcase
        end
    end
end

wire [1:0] h_dir = hc_ctl[1:0];
wire [7:0] h_count = hc_ctl[9:2];
wire h_inline = hc_list == 64'd0 && !lc_big;
wire [ADDR_WIDTH-1:0] h_list_a = h_inline ? f_blk_reg + {{(ADDR_WIDTH-7){1'b0}}, 7'h40} : hc_list[ADDR_WIDTH-1:0];
wire [ADDR_WIDTH:0] h_list_end_a = {1'b0, h_list_a} + {{(ADDR_WIDTH-11){1'b0}}, h_count, 4'd0};
wire h_bad = (h_dir != 2'd1 && h_dir != 2'd2) || h_count == 8'd0 || {24'd0, h_count} > SGLLEN_32 ||
             h_list_a[3:0] != 4'd0 || lc_big ||
             (h_list_end_a[ADDR_WIDTH] && h_list_end_a[ADDR_WIDTH-1:0] != {ADDR_WIDTH{1'b0}});

// entry fields (valid on the entry's last beat, from ent_full)
wire [63:0] e_addr = ent_full[63:0];
wire [31:0] e_size = ent_full[95:64];
// one past the entry's last byte, with the carry out of the address space
wire [ADDR_WIDTH:0] e_end_a = {1'b0, e_addr[ADDR_WIDTH-1:0]} + {{(ADDR_WIDTH-31){1'b0}}, e_size};
wire e_bad = e_size == 32'd0 || (e_size & ~SIZE_MASK) != 32'd0 ||
             e_end_a[ADDR_WIDTH] ||    // as in register mode: an entry may not reach the top
             (e_addr & ~ADDR_MASK) != 64'd0;

// the next block to fetch: chain first, then the SQ
wire sq_has = sq_num_reg != {CW{1'b0}};
wire [ADDR_WIDTH-1:0] src_addr = chain_reg ? h_next_reg : sq_mem[sq_rd_reg];
wire src_misaligned = src_addr[5:0] != 6'd0 || (chain_reg && h_big_reg);
wire [ADDR_WIDTH:0] src_end_a = {1'b0, src_addr} + {{(ADDR_WIDTH-5){1'b0}}, 6'h30};

// One window check, shared: the block before its fetch (idle), its list
// (header's last beat), each entry (its last beat).
// (addresses above ADDR_WIDTH are CODE 5 before the window matters)
wire [ADDR_WIDTH-1:0] win_start = f_state_reg == F_IDLE ? src_addr :
                                  f_state_reg == F_HDR ? h_list_a : e_addr[ADDR_WIDTH-1:0];
wire [ADDR_WIDTH:0] win_end = f_state_reg == F_IDLE ? src_end_a : f_state_reg == F_HDR ? h_list_end_a : e_end_a;
wire win_out = prot_on && (base_big || {1'b0, win_start} < base_a || (!limit_big && win_end > limit_a));
wire src_outside = win_out;
wire h_prot = win_out;
wire e_prot = win_out;

// a block may start when the CQ has room for it and all before it
wire cq_room = cq_num_reg + inflight_reg < DEPTH_C;


assign sq_full = sq_num_reg + {{(CW-2){1'b0}}, sq_pref_reg} >= DEPTH_C;
assign sq_count = {{(8-CW){1'b0}}, sq_num_reg + {{(CW-2){1'b0}}, sq_pref_reg}};
assign cq_count = {{(8-CW){1'b0}}, cq_num_reg};
assign q_active = f_state_reg != F_IDLE || s_busy_reg != 2'b00 || chain_reg || dp_sel_reg ||
                  res_valid_reg || w_state_reg != W_IDLE || inflight_reg != {CW{1'b0}};
assign q_pending = q_active || sq_has;
assign q_quiet = f_state_reg == F_IDLE && !dp_sel_reg && w_state_reg == W_IDLE;

assign cq_valid = cq_num_reg != {CW{1'b0}};
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
assign q_irq = cq_valid && (co_count <= 8'd1 || {{(8-CW){1'b0}}, cq_num_reg} >= co_count ||
                            cq_code != CODE_NONE || cq_no_writeback || !q_pending ||
                            (co_timeout != 24'd0 && timer_reg >= co_timeout));

assign dp_start = dp_start_reg;
assign dp_sel = dp_sel_reg;
assign dp_write = s_write_reg[dp_slot_reg];
assign dp_len = s_len_reg[dp_slot_reg][LEN_WIDTH-1:0];
assign dp_block = s_dev_reg[dp_slot_reg];
assign dp_abort = dp_abort_reg;
assign seg_valid = dp_sel_reg && seg_idx_reg < s_count_reg[dp_slot_reg][SG_IDX_WIDTH-1:0];
assign seg_addr = seg_addr_reg;
assign seg_len = seg_len_reg;

assign m_axi_araddr = m_axi_araddr_reg;
assign m_axi_arlen = m_axi_arlen_reg;
assign m_axi_arvalid = m_axi_arvalid_reg;
assign m_axi_rready = 1'b1;

assign m_axi_awaddr = w_blk_reg + {{(ADDR_WIDTH-6){1'b0}}, 6'h20};
assign m_axi_awlen = WB_LEN;
assign m_axi_awvalid = m_axi_awvalid_reg;
// resid, fault, status (status last, in the last beat)
wire [63:0] w_fault_64 = ext64(w_fault_reg);
wire [127:0] w_word = {1'b1, 22'd0, w_info_reg[4], 4'd0, w_info_reg[3:0], w_fault_64[63:32], w_fault_64[31:0], w_resid_reg};
assign m_axi_wdata = w_word[DATA_WIDTH*w_beat_reg +: DATA_WIDTH];
assign m_axi_wstrb = {STRB_WIDTH{1'b1}};
assign m_axi_wlast = w_beat_reg == WB_LAST;
assign m_axi_wvalid = m_axi_wvalid_reg;
assign m_axi_bready = m_axi_bready_reg;

reg take_kill;
reg res_take;
// the slot execute takes next (read outside the always block: arrays)
wire [ADDR_WIDTH-1:0] t_blk = s_blk_reg[e_slot_reg];
wire [3:0] t_code = s_code_reg[e_slot_reg];
wire [31:0] t_resid = s_len_reg[e_slot_reg];   // byte_count, 0 if the header was not read
wire [ADDR_WIDTH-1:0] t_fault = s_fault_reg[e_slot_reg];

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
    timer_next = timer_reg;
    cq_push = 1'b0;
    cq_push_addr = res_blk_reg;
    cq_push_info = 6'd0;
    cq_push_resid = 32'd0;

    f_state_next = f_state_reg;
    f_blk_next = f_blk_reg;
    f_from_sq_next = f_from_sq_reg;
    f_kill_next = f_kill_reg;
    f_addr_next = f_addr_reg;
    f_beats_next = f_beats_reg;
    f_out_next = f_out_reg;
    f_err_next = f_err_reg;
    hw_idx_next = hw_idx_reg;
    f_hdr_ok_next = f_hdr_ok_reg;
    ent_next = ent_reg;
    ent_beat_next = ent_beat_reg;
    ent_idx_next = ent_idx_reg;
    sum_next = sum_reg;
    bad_next = bad_reg;
    prot_next = prot_reg;
    prot_fault_next = prot_fault_reg;
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
    s_kill_next = s_kill_reg;
    s_from_sq_next = s_from_sq_reg;
    s_write_next = s_write_reg;
    s_nowb_next = s_nowb_reg;
    s_we = 1'b0;
    ent_we = 1'b0;

    e_slot_next = e_slot_reg;
    dp_sel_next = dp_sel_reg;
    dp_start_next = 1'b0;
    dp_abort_next = dp_abort_reg;
    dp_slot_next = dp_slot_reg;
    seg_idx_next = seg_idx_reg;
    res_valid_next = res_valid_reg;
    res_blk_next = res_blk_reg;
    res_code_next = res_code_reg;
    res_ns_next = res_ns_reg;
    res_nowb_next = res_nowb_reg;
    res_resid_next = res_resid_reg;
    res_fault_next = res_fault_reg;

    w_state_next = w_state_reg;
    w_blk_next = w_blk_reg;
    w_resid_next = w_resid_reg;
    w_fault_next = w_fault_reg;
    w_info_next = w_info_reg;
    w_beat_next = w_beat_reg;
    m_axi_awvalid_next = m_axi_awvalid_reg;
    m_axi_wvalid_next = m_axi_wvalid_reg;
    m_axi_bready_next = m_axi_bready_reg;

    take_kill = 1'b0;
    res_take = 1'b0;

    /*
     * Doorbell
     */
    if (db_valid) begin
        sq_wr_next = (sq_wr_reg == LAST_Q) ? {QW{1'b0}} : sq_wr_reg + 1'b1;
        sq_num_next = sq_num_next + 1'b1;
    end

    /*
     * Fetch
     */
    case (f_state_reg)
        F_IDLE: begin
            if (!halt && !s_busy_reg[f_slot_reg] && (chain_reg || sq_has)) begin
                f_blk_next = src_addr;
                f_from_sq_next = !chain_reg;
                f_kill_next = 1'b0;
                f_err_next = 1'b0;
                f_out_next = 1'b0;
                f_code_next = CODE_NONE;
                f_nowb_next = 1'b0;
                f_fault_next = {ADDR_WIDTH{1'b0}};
                f_hdr_ok_next = 1'b0;
                hw_idx_next = 3'd0;
                if (chain_reg) begin
                    chain_next = 1'b0;
                end else begin
                    sq_rd_next = (sq_rd_reg == LAST_Q) ? {QW{1'b0}} : sq_rd_reg + 1'b1;
                    sq_num_next = sq_num_next - 1'b1;
                    sq_pref_next = sq_pref_next + 1'b1;
                    if (flush_reg != {CW{1'b0}}) begin
                        // submitted before an abort: completes NOT_STARTED
                        flush_next = flush_reg - 1'b1;
                        f_kill_next = 1'b1;
                    end
                end
                if (src_misaligned) begin
                    // nothing fetched, nothing written back
                    f_code_next = CODE_BAD_CMD;
                    f_nowb_next = 1'b1;
                    f_state_next = F_FIN;
                end else if (src_outside) begin
                    f_code_next = CODE_PROTECTION;
                    f_nowb_next = 1'b1;
                    f_fault_next = src_addr;
                    f_state_next = F_FIN;
                end else if (!chain_reg && flush_reg != {CW{1'b0}}) begin
                    f_state_next = F_FIN;
                end else begin
                    f_addr_next = src_addr;
                    f_beats_next = HDR_BEATS_L;
                    f_state_next = F_HDR;
                end
            end
        end
        F_HDR, F_LIST: begin
            // one burst at a time; rready is always high
            if (!f_out_reg && !m_axi_arvalid_reg && f_beats_reg != {FB_WIDTH{1'b0}} &&
                    !f_err_reg && !f_kill_reg && !halt) begin
                m_axi_araddr_next = f_addr_reg;
                m_axi_arlen_next = f_burst_len[7:0] - 8'd1;
                m_axi_arvalid_next = 1'b1;
                f_out_next = 1'b1;
                f_addr_next = f_addr_reg + ({{(ADDR_WIDTH-9){1'b0}}, f_burst_len} << OFFSET);
                f_beats_next = f_beats_reg - {{(FB_WIDTH-9){1'b0}}, f_burst_len};
            end
            if (r_hs) begin
                if (m_axi_rresp != 2'b00 && !f_err_reg) begin
                    f_err_next = 1'b1;
                    // the burst's address: still in the AR register
                    f_fault_next = m_axi_araddr_reg;
                end
                if (f_state_reg == F_HDR) begin
                    hw_idx_next = hw_idx_reg + WPB[2:0];
                end else begin
                    ent_next = ent_full;
                    ent_beat_next = (ent_beat_reg == ENT_LAST) ? {EB_WIDTH{1'b0}} : ent_beat_reg + 1'b1;
                    if (ent_beat_reg == ENT_LAST) begin
                        // an entry is in: store and check it
                        ent_we = 1'b1;
                        ent_idx_next = ent_idx_reg + 1'b1;
                        sum_next = sum_reg + {8'd0, e_size & SIZE_MASK};
                        if (e_bad) begin
                            bad_next = 1'b1;
                        end
                        if (e_prot && !prot_reg) begin
                            prot_next = 1'b1;
                            prot_fault_next = e_addr[ADDR_WIDTH-1:0];
                        end
                    end
                end
                if (m_axi_rlast) begin
                    f_out_next = 1'b0;
                end
            end
            if ((f_kill_reg || halt) && !f_out_reg && !m_axi_arvalid_reg) begin
                // aborted (or reset): nothing more of this block on the bus
                f_state_next = F_FIN;
            end else if (r_hs && m_axi_rlast && (f_beats_reg == {FB_WIDTH{1'b0}} || f_err_next)) begin
                if (f_err_next) begin
                    // CODE 3; a header that did not come ends its chain
                    f_code_next = CODE_DESC_FETCH;
                    f_state_next = F_FIN;
                end else if (f_state_reg == F_HDR) begin
                    f_hdr_ok_next = 1'b1;
                    if ((hc_next != 64'd0 || hc_big) && !f_kill_reg && !abort) begin
                        chain_next = 1'b1;
                    end
                    if (h_bad) begin
                        f_code_next = CODE_BAD_CMD;
                        f_state_next = F_FIN;
                    end else if (h_prot) begin
                        f_code_next = CODE_PROTECTION;
                        f_fault_next = h_list_a;
                        f_state_next = F_FIN;
                    end else begin
                        f_addr_next = h_list_a;
                        f_beats_next = {h_count, 4'd0} >> OFFSET;
                        ent_beat_next = {EB_WIDTH{1'b0}};
                        ent_idx_next = {EI_WIDTH{1'b0}};
                        sum_next = {SUM_WIDTH{1'b0}};
                        bad_next = 1'b0;
                        prot_next = 1'b0;
                        f_state_next = F_LIST;
                    end
                end else begin
                    // all entries in (the last one checked in this cycle)
                    if (bad_next || sum_next != {8'd0, h_len_reg} || (h_len_reg & ~SIZE_MASK) != 32'd0) begin
                        f_code_next = CODE_BAD_CMD;
                    end else if (prot_next) begin
                        f_code_next = CODE_PROTECTION;
                        f_fault_next = prot_fault_next;
                    end
                    f_state_next = F_FIN;
                end
            end
        end
        default: begin
            // F_FIN: the block is ready in the slot
            s_we = 1'b1;
            s_ready_next[f_slot_reg] = 1'b1;
            s_busy_next[f_slot_reg] = 1'b1;
            s_kill_next[f_slot_reg] = f_kill_reg;
            s_from_sq_next[f_slot_reg] = f_from_sq_reg;
            s_write_next[f_slot_reg] = h_ctl_reg[1:0] == 2'd1;
            s_nowb_next[f_slot_reg] = f_nowb_reg;
            f_slot_next = !f_slot_reg;
            f_state_next = F_IDLE;
        end
    endcase

    /*
     * Execute: take the next slot in order
     */
    res_take = w_state_reg == W_IDLE && res_valid_reg && !halt;
    if (res_take) begin
        // taken by the write-back below; execute may put the next result
        res_valid_next = 1'b0;
    end
    if (!dp_sel_reg && !halt && !reg_busy && s_ready_reg[e_slot_reg] && cq_room &&
            (!res_valid_reg || res_take)) begin
        take_kill = s_kill_reg[e_slot_reg] || abort;
        s_ready_next[e_slot_reg] = 1'b0;
        e_slot_next = !e_slot_reg;
        inflight_next = inflight_next + 1'b1;
        if (s_from_sq_reg[e_slot_reg]) begin
            sq_pref_next = sq_pref_next - 1'b1;
        end
        if (take_kill || t_code != CODE_NONE) begin
            // completes without data
            s_busy_next[e_slot_reg] = 1'b0;
            res_valid_next = 1'b1;
            res_blk_next = t_blk;
            res_code_next = take_kill ? CODE_ABORTED : t_code;
            res_ns_next = take_kill;
            res_nowb_next = s_nowb_reg[e_slot_reg];
            res_resid_next = take_kill ? 32'd0 : t_resid;
            res_fault_next = take_kill ? {ADDR_WIDTH{1'b0}} : t_fault;
        end else begin
            dp_start_next = 1'b1;
            dp_sel_next = 1'b1;
            dp_abort_next = 1'b0;
            dp_slot_next = e_slot_reg;
            seg_idx_next = {SG_IDX_WIDTH{1'b0}};
            res_blk_next = t_blk;
        end
    end

    if (seg_valid && seg_ready) begin
        seg_idx_next = seg_idx_reg + 1'b1;
    end

    if (dp_sel_reg && done) begin
        dp_sel_next = 1'b0;
        dp_abort_next = 1'b0;
        s_busy_next[dp_slot_reg] = 1'b0;
        res_valid_next = 1'b1;
        res_ns_next = 1'b0;
        res_nowb_next = 1'b0;
        if (done_err_rd) begin
            res_code_next = CODE_DATA_READ;
        end else if (done_err_wr) begin
            res_code_next = CODE_DATA_WRITE;
        end else if (done_aborted) begin
            res_code_next = CODE_ABORTED;
        end else if (done_err_dev) begin
            res_code_next = CODE_DEVICE;
        end else begin
            res_code_next = CODE_NONE;
        end
        res_resid_next = ext32(done_resid);
        res_fault_next = done_fault_addr;
    end

    /*
     * Write-back: resid, fault, status (last) in one burst
     */
    case (w_state_reg)
        W_IDLE: begin
            if (res_take) begin
                w_blk_next = res_blk_reg;
                w_info_next = {res_nowb_reg, res_ns_reg, res_code_reg};
                w_resid_next = res_resid_reg;
                w_fault_next = res_fault_reg;
                w_beat_next = {EB_WIDTH{1'b0}};
                if (res_nowb_reg) begin
                    cq_push = 1'b1;
                    cq_push_addr = res_blk_reg;
                    cq_push_info = {res_nowb_reg, res_ns_reg, res_code_reg};
                    cq_push_resid = res_resid_reg;
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
                end
            end
        end
        default: begin
            if (m_axi_bvalid) begin
                m_axi_bready_next = 1'b0;
                cq_push = 1'b1;
                cq_push_addr = w_blk_reg;
                cq_push_info = {w_info_reg[5] || m_axi_bresp != 2'b00, w_info_reg[4:0]};
                cq_push_resid = w_resid_reg;
                w_state_next = W_IDLE;
            end
        end
    endcase

    if (cq_push) begin
        cq_wr_next = (cq_wr_reg == LAST_Q) ? {QW{1'b0}} : cq_wr_reg + 1'b1;
        cq_num_next = cq_num_next + 1'b1;
        inflight_next = inflight_next - 1'b1;
    end
    if (pop && cq_num_reg != {CW{1'b0}}) begin
        cq_rd_next = (cq_rd_reg == LAST_Q) ? {QW{1'b0}} : cq_rd_reg + 1'b1;
        cq_num_next = cq_num_next - 1'b1;
    end
    // coalescing timer: cycles since the CQ became non-empty or the last POP
    if (cq_num_reg == {CW{1'b0}} || pop) begin
        timer_next = 24'd0;
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
        flush_next = sq_num_next - {{(CW-1){1'b0}}, db_valid};
        chain_next = 1'b0;
        if (f_state_reg != F_IDLE || f_state_next != F_IDLE) begin
            f_kill_next = 1'b1;
        end
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
        f_state_next = F_IDLE;
        chain_next = 1'b0;
        s_ready_next = 2'b00;
        s_busy_next = 2'b00;
        s_kill_next = 2'b00;
        f_slot_next = 1'b0;
        e_slot_next = 1'b0;
        res_valid_next = 1'b0;
        dp_sel_next = 1'b0;
        dp_abort_next = 1'b0;
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
    timer_reg <= timer_next;

    f_state_reg <= f_state_next;
    f_blk_reg <= f_blk_next;
    f_from_sq_reg <= f_from_sq_next;
    f_kill_reg <= f_kill_next;
    f_addr_reg <= f_addr_next;
    f_beats_reg <= f_beats_next;
    f_out_reg <= f_out_next;
    f_err_reg <= f_err_next;
    hw_idx_reg <= hw_idx_next;
    f_hdr_ok_reg <= f_hdr_ok_next;
    h_ctl_reg <= hc_ctl;
    h_dev_reg <= hc_dev;
    h_len_reg <= hc_len;
    h_next_reg <= hc_next[ADDR_WIDTH-1:0];
    h_list_reg <= hc_list[ADDR_WIDTH-1:0];
    h_big_reg <= hc_big;
    l_big_reg <= lc_big;
    ent_reg <= ent_next;
    ent_beat_reg <= ent_beat_next;
    ent_idx_reg <= ent_idx_next;
    sum_reg <= sum_next;
    bad_reg <= bad_next;
    prot_reg <= prot_next;
    prot_fault_reg <= prot_fault_next;
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
    s_kill_reg <= s_kill_next;
    s_from_sq_reg <= s_from_sq_next;
    s_write_reg <= s_write_next;
    s_nowb_reg <= s_nowb_next;

    e_slot_reg <= e_slot_next;
    dp_sel_reg <= dp_sel_next;
    dp_start_reg <= dp_start_next;
    dp_abort_reg <= dp_abort_next;
    dp_slot_reg <= dp_slot_next;
    seg_idx_reg <= seg_idx_next;
    res_valid_reg <= res_valid_next;
    res_blk_reg <= res_blk_next;
    res_code_reg <= res_code_next;
    res_ns_reg <= res_ns_next;
    res_nowb_reg <= res_nowb_next;
    res_resid_reg <= res_resid_next;
    res_fault_reg <= res_fault_next;

    w_state_reg <= w_state_next;
    w_blk_reg <= w_blk_next;
    w_resid_reg <= w_resid_next;
    w_fault_reg <= w_fault_next;
    w_info_reg <= w_info_next;
    w_beat_reg <= w_beat_next;
    m_axi_awvalid_reg <= m_axi_awvalid_next;
    m_axi_wvalid_reg <= m_axi_wvalid_next;
    m_axi_bready_reg <= m_axi_bready_next;

    // RAMs and slot payloads (no reset)
    if (db_valid) begin
        sq_mem[sq_wr_reg] <= db_addr[ADDR_WIDTH-1:0];
    end
    if (cq_push) begin
        cq_addr_mem[cq_wr_reg] <= cq_push_addr;
        cq_info_mem[cq_wr_reg] <= cq_push_info;
        cq_resid_mem[cq_wr_reg] <= cq_push_resid;
    end
    if (ent_we) begin
        ent_addr_mem[{f_slot_reg, ent_idx_reg}] <= e_addr[ADDR_WIDTH-1:0];
        ent_len_mem[{f_slot_reg, ent_idx_reg}] <= e_size[LEN_WIDTH-1:0];
    end
    // the segment at the datapath's next index, ready when it is asked for
    seg_addr_reg <= ent_addr_mem[{dp_slot_next, seg_idx_next[EI_WIDTH-1:0]}];
    seg_len_reg <= ent_len_mem[{dp_slot_next, seg_idx_next[EI_WIDTH-1:0]}];
    if (s_we) begin
        s_blk_reg[f_slot_reg] <= f_blk_reg;
        s_count_reg[f_slot_reg] <= h_ctl_reg[9:2];
        s_dev_reg[f_slot_reg] <= h_dev_reg;
        s_len_reg[f_slot_reg] <= f_hdr_ok_reg ? h_len_reg : 32'd0;
        s_code_reg[f_slot_reg] <= f_code_reg;
        s_fault_reg[f_slot_reg] <= f_fault_reg;
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
        timer_reg <= 24'd0;
        f_state_reg <= F_IDLE;
        f_out_reg <= 1'b0;
        f_slot_reg <= 1'b0;
        chain_reg <= 1'b0;
        m_axi_arvalid_reg <= 1'b0;
        s_ready_reg <= 2'b00;
        s_busy_reg <= 2'b00;
        s_kill_reg <= 2'b00;
        e_slot_reg <= 1'b0;
        dp_sel_reg <= 1'b0;
        dp_start_reg <= 1'b0;
        dp_abort_reg <= 1'b0;
        res_valid_reg <= 1'b0;
        w_state_reg <= W_IDLE;
        m_axi_awvalid_reg <= 1'b0;
        m_axi_wvalid_reg <= 1'b0;
        m_axi_bready_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
