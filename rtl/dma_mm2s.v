/*
 * dma_engine: memory to device datapath (DDI_DMA_WRITE)
 *
 * Reads the buffer with AXI4 INCR bursts (dma_addr_gen: at most
 * MAX_BURST_LEN beats, never across a 4 KiB boundary, up to
 * MAX_OUTSTANDING in flight) and forwards the R beats to the device
 * stream, packed, tlast on the last beat of the command.
 *
 * The buffer is a list of segments (scatter-gather) of any byte address
 * and length, handed over one at a time on the seg_* interface. For every
 * burst in flight a small FIFO holds what its beats do, worked out on the
 * AR side when it is loaded (the AR side knows the stream position at the
 * start of each burst, as it counts the bytes of the bursts in order, and
 * which burst ends the command, as it counts them down from start_len):
 * the rotation, and what the "plan" of its first, last and only beat
 * (stream lanes made valid, lanes taken from acc, a stream beat goes out,
 * tlast, a flush beat follows) is made of. The next beat's plans are read
 * from the FIFO a cycle ahead into registers, so an R beat only selects one of two plans by RLAST: the R
 * side has no counter and no adder on its path.
 *
 * Realignment: the bytes of an R beat that belong to the segment, lanes
 * lo..hi, go to the stream at its current byte position p (0..STRB-1
 * bytes already waiting in acc). So the beat is rotated by p - lo lanes
 * (a byte rotator, log2(STRB) mux levels), lanes below p of the stream
 * beat come from acc, the others from the rotated beat; when the stream
 * beat is full it goes out, and the rotated lanes that did not fit stay in
 * acc. The rotation is the same for every beat of a segment. So each R
 * beat gives at most one
 * stream beat, one per clock, and the command's last bytes may need one
 * more (flush) after the last R beat.
 *
 * The stream goes through dma_skid (output register plus skid register);
 * rready is a register, high only when the skid stage will take a beat in
 * that cycle (its registered ready), so an R beat can always be passed on.
 *
 * On a beat with RRESP != OKAY: no further AR is issued, that beat and the
 * bytes in acc are dropped, an abort beat (tkeep 0, tlast 1, tuser 1) ends
 * the stream so the device can abandon the command, and every later R beat
 * of the bursts already issued is accepted and dropped (rready held high)
 * so no handshake is broken.
 *
 * abort stops it the same way without an error: no further AR, the R
 * beats of the bursts in flight are dropped, and one abort beat ends the
 * stream (unless its last beat was already sent).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_mm2s #
(
    // Width of data bus in bits
    parameter DATA_WIDTH = 32,
    // Width of address bus in bits
    parameter ADDR_WIDTH = 32,
    // Width of wstrb/tkeep (bytes per beat)
    parameter STRB_WIDTH = (DATA_WIDTH/8),
    // Width of the byte length
    parameter LEN_WIDTH = 32,
    // Longest burst, in beats (1..256)
    parameter MAX_BURST_LEN = 16,
    // Bursts requested and not yet fully received
    parameter MAX_OUTSTANDING = 4
)
(
    input  wire                   clk,
    input  wire                   rst,

    /*
     * Command (from dma_ctrl); start only while busy is low
     */
    input  wire                   start,
    input  wire [LEN_WIDTH-1:0]   start_len,       // total bytes, non-zero
    // start_len, held from the cycle after start to the next start
    // (dma_ctrl's copy of it: this side keeps none)
    input  wire [LEN_WIDTH-1:0]   cmd_len,
    input  wire                   stream_enable,   // device has taken the command: data may flow
    input  wire                   abort,           // stop after the bursts in flight (level)

    /*
     * Segments of the command, in order: one taken at start (if
     * seg_valid is high then) and with each seg_ready (registers only)
     */
    input  wire                   seg_valid,
    input  wire [ADDR_WIDTH-1:0]  seg_addr,
    input  wire [LEN_WIDTH-1:0]   seg_len,         // bytes, non-zero (any address, any length)
    output wire                   seg_ready,
    output wire                   busy,
    output wire                   err,             // a beat came back with RRESP != OKAY
    output wire [ADDR_WIDTH-1:0]  err_addr,        // address of that beat
    output wire [LEN_WIDTH-1:0]   xfer_bytes,      // bytes the device has accepted
    output wire [LEN_WIDTH-1:0]   resid,           // start_len - xfer_bytes

    /*
     * AXI4 read (address and data), INCR bursts of full beats
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
     * Device stream
     */
    output wire [DATA_WIDTH-1:0]  m_axis_tdata,
    output wire [STRB_WIDTH-1:0]  m_axis_tkeep,
    output wire                   m_axis_tvalid,
    input  wire                   m_axis_tready,
    output wire                   m_axis_tlast,
    output wire                   m_axis_tuser
);

localparam OFFSET = $clog2(STRB_WIDTH);
localparam PTR_WIDTH = $clog2(MAX_OUTSTANDING);
localparam BA_WIDTH = ADDR_WIDTH - OFFSET;       // beat address
localparam PB_WIDTH = 12 - OFFSET;               // beat index in a 4 KiB page
localparam BB_WIDTH = OFFSET + 9;                // bytes of a burst
localparam RL_WIDTH = BB_WIDTH + 1;              // low bits of ar_rem
// beat index in a burst (a burst has at most MAX_BURST_LEN beats and
// never crosses a 4 KiB page)
localparam BL_LOG = $clog2(MAX_BURST_LEN);
localparam RB_WIDTH = BL_LOG < 1 ? 1 : BL_LOG > PB_WIDTH ? PB_WIDTH : BL_LOG;
// a beat on the stream: tdata, tkeep, tlast, tuser
localparam SKID_WIDTH = DATA_WIDTH + STRB_WIDTH + 2;
// what an R beat does (a "plan", see plan()):
// the stream lanes it makes valid, the lanes that come from acc, a stream
// beat goes out, it is the command's last, the bytes left over go in a
// flush beat, the command's last bytes are in, bytes waiting after it
localparam PLAN_WIDTH = 2*STRB_WIDTH + 4 + OFFSET;
localparam P_KEEP = 0;
localparam P_ACCL = STRB_WIDTH;
localparam P_OV = 2*STRB_WIDTH;
localparam P_OL = P_OV + 1;
localparam P_FL = P_OV + 2;
localparam P_RL = P_OV + 3;
localparam P_ACC = P_OV + 4;

// command state
reg active_reg = 1'b0, active_next;

// AR side: bytes of the command not yet in a burst, the stream position
// (bytes mod STRB_WIDTH) at the start of the next burst. The bytes are
// counted down in RL_WIDTH low bits and the bits above, which take the
// borrow a cycle later (ar_pend): a burst is at most 2^(RL_WIDTH-2) bytes,
// so after a borrow the low bits are more than the next burst's bytes and
// the high bits are not looked at before they are right again.
reg [RL_WIDTH-1:0] ar_rem_lo_reg = {RL_WIDTH{1'b0}}, ar_rem_lo_next;
reg [LEN_WIDTH-RL_WIDTH-1:0] ar_rem_hi_reg = {(LEN_WIDTH-RL_WIDTH){1'b0}}, ar_rem_hi_next;
// (the high bits are 0, worked out as they change)
reg ar_hz_reg = 1'b0, ar_hz_next;
reg ar_pend_reg = 1'b0, ar_pend_next;
reg [OFFSET-1:0] ar_pos_reg = {OFFSET{1'b0}}, ar_pos_next;

// R side: every byte has come, the next beat opens a burst, beat index in
// its burst of the next beat (for the fault address; it stops at the
// failing beat: after a failure or an abort it is not moved until start)
reg data_done_reg = 1'b0, data_done_next;
reg r_first_reg = 1'b1, r_first_next;
reg [RB_WIDTH-1:0] r_beat_reg = {RB_WIDTH{1'b0}}, r_beat_next;

// The beat address of every burst in flight, for the fault address only:
// in block RAM (an iCE40 EBR; a 4-deep FIFO of 30 flip-flops an entry and
// its read mux cost ~150 logic cells), written at AR load, read with a
// synchronous read in the cycle of a failing beat (the entry at the R
// side's pointer, written two cycles before its first beat at the
// latest), and then held (fa_ptr keeps the address; no entry is written
// after a failure). A read in the cycle an entry is written is never
// used: the entry written is never the one at the R side's pointer
// (the FIFO is not full when a burst is loaded), hence no_rw_check.
(* ram_style = "block", no_rw_check *)
reg [BA_WIDTH-1:0] fa_mem[0:(2**PTR_WIDTH)-1];
reg [BA_WIDTH-1:0] fa_rd_reg;
reg [PTR_WIDTH-1:0] fa_ptr_reg = {PTR_WIDTH{1'b0}};
wire [PTR_WIDTH-1:0] fa_ptr;

// The bursts in flight (written at AR load, read by R), worked out on the
// way in: the rotation of its beats, and what the plans of its first, last
// and only beat are made of (the middle beats' plan follows from the
// rotation): the bytes in acc before its first beat, before its last
// beat (the rotation), the sums of those and the beat's bytes, and it
// ends the command. (The plans themselves, PLAN_WIDTH bits each, are one
// LUT of these away: they are expanded on the way into the hd registers,
// as the middle beats' plan always was.)
// A shift FIFO: the burst being read is always entry 0, the next one
// entry 1, so the next beat's plans come from fixed registers (no read
// multiplexer between them and the hd registers). The burst dma_addr_gen
// offers is written at entry bq_cnt (less one when the head leaves in
// that cycle) in every cycle, and counted with load_try.
localparam BQ_DEPTH = MAX_OUTSTANDING < 2 ? 2 : MAX_OUTSTANDING;
localparam BQ_WIDTH = 2*OFFSET + 3*(OFFSET+1) + 1;
// (entry i: bits i*BQ_WIDTH up)
reg [BQ_DEPTH*BQ_WIDTH-1:0] bq_reg = {(BQ_DEPTH*BQ_WIDTH){1'b0}};
// entries in the FIFO, one-hot (bq_cnt_reg[n]: n entries)
reg [BQ_DEPTH:0] bq_cnt_reg = {{BQ_DEPTH{1'b0}}, 1'b1}, bq_cnt_next;
reg [PTR_WIDTH-1:0] burst_wr_ptr_reg = {PTR_WIDTH{1'b0}};
reg [PTR_WIDTH-1:0] burst_rd_ptr_reg = {PTR_WIDTH{1'b0}}, burst_rd_ptr_next;
wire [OFFSET-1:0] cur_rot, cur_pos, nx_rot, nx_pos;
wire [OFFSET:0] cur_fsum, cur_lsum, cur_ssum, nx_fsum, nx_ssum;
wire cur_rl, nx_rl;
/* verilator lint_off UNUSEDSIGNAL */
wire [OFFSET:0] nx_lsum;
/* verilator lint_on UNUSEDSIGNAL */
assign {cur_rot, cur_pos, cur_fsum, cur_lsum, cur_ssum, cur_rl} = bq_reg[0 +: BQ_WIDTH];
assign {nx_rot, nx_pos, nx_fsum, nx_lsum, nx_ssum, nx_rl} = bq_reg[BQ_WIDTH +: BQ_WIDTH];

// The next R beat's plans, in registers (read from the burst FIFO a cycle
// ahead; refreshed every cycle while waiting for a burst's first beat, as
// its entry is written at least two cycles before its first beat): if it
// is not its burst's last beat (hd_nl), if it is (hd_l); and its rotation
reg [PLAN_WIDTH-1:0] hd_nl_reg = {PLAN_WIDTH{1'b0}}, hd_nl_next;
reg [PLAN_WIDTH-1:0] hd_l_reg = {PLAN_WIDTH{1'b0}}, hd_l_next;
reg [OFFSET-1:0] hd_rot_reg = {OFFSET{1'b0}}, hd_rot_next;

// stream side: bytes waiting for the next stream beat (lanes
// 0..acc_cnt-1), and the command's last bytes still to send
reg [DATA_WIDTH-1:0] acc_reg = {DATA_WIDTH{1'b0}}, acc_next;
reg [OFFSET-1:0] acc_cnt_reg = {OFFSET{1'b0}}, acc_cnt_next;
reg flush_reg = 1'b0, flush_next;

// stopped by abort: drop, and owe the device an abort beat
reg stop_reg = 1'b0, stop_next;
// err_reg || stop_reg
reg halt_reg = 1'b0, halt_next;
reg abort_beat_reg = 1'b0, abort_beat_next;
// stopped by abort or a failing beat in the last cycle: the abort beat is
// owed unless the stream has ended (tlast_sent, by then counting that
// cycle's beat). So it goes two cycles after the halt at the earliest:
// nx_reg and nx_keep_reg follow the halt from its register.
reg abort_pend_reg = 1'b0, abort_pend_next;
reg tlast_sent_reg = 1'b0, tlast_sent_next;

reg err_reg = 1'b0, err_next;
// bytes the device took in the last cycle (counted a cycle later: the
// counters' adders start from registers), the count, the residue (the
// total, cmd_len, less the count, a cycle later again: a subtracter
// between registers), and whether it is behind the count
reg [OFFSET:0] xc_reg = {(OFFSET+1){1'b0}}, xc_next;
reg [LEN_WIDTH-1:0] xfer_bytes_reg = {LEN_WIDTH{1'b0}}, xfer_bytes_next;
reg [LEN_WIDTH-1:0] resid_reg = {LEN_WIDTH{1'b0}};
reg resid_old_reg = 1'b0;

reg m_axi_rready_reg = 1'b0, m_axi_rready_next;
// rready and not halted (a beat now is passed on, or dropped if it fails)
reg rdy_ok_reg = 1'b0, rdy_ok_next;

// the beat into the output stage
reg [DATA_WIDTH-1:0] out_data;
reg [STRB_WIDTH-1:0] out_keep;
reg [STRB_WIDTH-1:0] out_accl;
reg [STRB_WIDTH-1:0] out_mask;
// the beat into the output stage is not an R beat's (flush, or halted:
// no R beat goes then), and its keep (the flush's; none when halted)
reg nx_reg = 1'b0, nx_next;
reg [STRB_WIDTH-1:0] nx_keep_reg = {STRB_WIDTH{1'b0}}, nx_keep_next;
reg out_valid;
reg out_last;
reg out_user;
wire out_ready;
// (rready takes a simpler, registered bound than the stage's next ready)
/* verilator lint_off UNUSEDSIGNAL */
wire out_ready_next;
/* verilator lint_on UNUSEDSIGNAL */
wire out_empty;
wire [DATA_WIDTH-1:0] skid_tdata;
wire [STRB_WIDTH-1:0] skid_tkeep;
wire skid_tlast;
wire skid_tuser;

// address side
// (the AR side here follows load_try)
/* verilator lint_off UNUSEDSIGNAL */
wire ag_load;
/* verilator lint_on UNUSEDSIGNAL */
wire ag_load_try;
wire [BA_WIDTH-1:0] ag_load_addr;
// (the R side counts bytes, not beats: RLAST ends a burst)
/* verilator lint_off UNUSEDSIGNAL */
wire [7:0] ag_load_lenm1;
/* verilator lint_on UNUSEDSIGNAL */
wire [OFFSET-1:0] ag_load_lo;
// (the beats' bytes come worked out)
/* verilator lint_off UNUSEDSIGNAL */
wire [OFFSET-1:0] ag_load_hi;
/* verilator lint_on UNUSEDSIGNAL */
wire [BB_WIDTH-1:0] ag_load_bytes;
wire [OFFSET:0] ld_first_n;
wire [OFFSET:0] ld_last_n;
wire [OFFSET:0] ld_single_n;
wire ag_idle;

// this R beat: its plan
wire r_hs = m_axi_rready_reg && m_axi_rvalid;
// (err or stop: a register of its own, as it is in many paths)
wire halt = halt_reg;
wire [PLAN_WIDTH-1:0] r_plan = m_axi_rlast ? hd_l_reg : hd_nl_reg;
// a failing beat, an abort: what stops the address side in this very cycle
wire r_err_now = r_hs && !halt && m_axi_rresp != 2'b00;
// the fault address's entry: the burst being read, in a failing beat's cycle
assign fa_ptr = r_err_now ? burst_rd_ptr_reg : fa_ptr_reg;
wire abort_now = abort && active_reg && !halt;

// rotate left by whole bytes: lane i of the result is lane i - r lane of d
function [DATA_WIDTH-1:0] rotl_bytes;
    input [DATA_WIDTH-1:0] d;
    input [OFFSET-1:0] r;
    integer s;
    begin
        rotl_bytes = d;
        for (s = 0; s < OFFSET; s = s + 1) begin
            if (r[s]) begin
                rotl_bytes = (rotl_bytes << (8 << s)) | (rotl_bytes >> (DATA_WIDTH - (8 << s)));
            end
        end
    end
endfunction

// lanes below n
function [STRB_WIDTH-1:0] lanes_below;
    input [OFFSET:0] n;
    integer k;
    begin
        for (k = 0; k < STRB_WIDTH; k = k + 1) begin
            lanes_below[k] = k < n;
        end
    end
endfunction

// The plan of an R beat that brings n bytes (1..STRB) while acc holds a
// (0..STRB-1), sum = a + n, rl: they are the command's last. The bytes go
// to stream lanes a.., the stream beat goes out when full (or it is the
// command's last), what did not fit stays in acc, or goes in a flush beat
// after the command's last.
function [PLAN_WIDTH-1:0] plan;
    input [OFFSET-1:0] a;
    input [OFFSET:0] sum;
    input rl;
    reg more;
    begin
        more = sum[OFFSET] && sum[OFFSET-1:0] != {OFFSET{1'b0}};
        plan = {PLAN_WIDTH{1'b0}};
        plan[P_KEEP +: STRB_WIDTH] = sum[OFFSET] ? {STRB_WIDTH{1'b1}} : lanes_below(sum);
        plan[P_ACCL +: STRB_WIDTH] = lanes_below({1'b0, a});
        plan[P_OV] = sum[OFFSET] || rl;
        plan[P_OL] = rl && !more;
        plan[P_FL] = rl && more;
        plan[P_RL] = rl;
        plan[P_ACC +: OFFSET] = sum[OFFSET-1:0];
    end
endfunction

// the plan of a middle beat (a full one) with rotation r: acc holds r bytes
function [PLAN_WIDTH-1:0] plan_mid;
    input [OFFSET-1:0] r;
    begin
        plan_mid = plan(r, {1'b1, r}, 1'b0);
    end
endfunction

wire [DATA_WIDTH-1:0] r_rotated = rotl_bytes(m_axi_rdata, hd_rot_reg);

// the next beat's plan candidates, one LUT of the FIFO's registers each:
// the next burst's first beat (not last, last), a middle or last beat of
// the burst being read, its first beat
wire [PLAN_WIDTH-1:0] pn_nl = plan(nx_pos, nx_fsum, 1'b0);
wire [PLAN_WIDTH-1:0] pn_l = plan(nx_pos, nx_ssum, nx_rl);
wire [PLAN_WIDTH-1:0] pm_nl = plan_mid(cur_rot);
wire [PLAN_WIDTH-1:0] pm_l = plan(cur_rot, cur_lsum, cur_rl);
wire [PLAN_WIDTH-1:0] pf_nl = plan(cur_pos, cur_fsum, 1'b0);
wire [PLAN_WIDTH-1:0] pf_l = plan(cur_pos, cur_ssum, cur_rl);
// after a beat now, and if none comes: kept nets, so that the handshake
// only drives the last multiplexer (else the synthesis may take rready,
// rvalid and rlast in first, and in the engine's netlist these paths were
// six LUTs deep; three so)
(* keep *) wire [PLAN_WIDTH-1:0] hs_nl;
(* keep *) wire [PLAN_WIDTH-1:0] hs_l;
(* keep *) wire [PLAN_WIDTH-1:0] wt_nl;
(* keep *) wire [PLAN_WIDTH-1:0] wt_l;
assign hs_nl = m_axi_rlast ? pn_nl : pm_nl;
assign hs_l = m_axi_rlast ? pn_l : pm_l;
assign wt_nl = r_first_reg ? pf_nl : pm_nl;
assign wt_l = r_first_reg ? pf_l : pm_l;

// the burst loaded now: its bytes, its rotation and plans; it is the
// command's last when the bytes left are its bytes
wire [OFFSET-1:0] ld_rot = ar_pos_reg - ag_load_lo;
wire ld_cmd_last = ar_hz_reg &&
                   ar_rem_lo_reg == {1'b0, ag_load_bytes};
wire [RL_WIDTH:0] ar_rem_lo_sub = {1'b0, ar_rem_lo_reg} - {2'b00, ag_load_bytes};
wire [BQ_WIDTH-1:0] bq_wdata = {ld_rot, ar_pos_reg, {1'b0, ar_pos_reg} + ld_first_n,
                                {1'b0, ld_rot} + ld_last_n, {1'b0, ar_pos_reg} + ld_single_n, ld_cmd_last};
// the head burst's last beat: it leaves the FIFO (R beats only come for
// bursts loaded: not in the cycle of start)
wire bq_pop = r_hs && m_axi_rlast;

integer i;

dma_addr_gen #(
    .ADDR_WIDTH(ADDR_WIDTH),
    .LEN_WIDTH(LEN_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN),
    .MAX_OUTSTANDING(MAX_OUTSTANDING)
)
ar_inst (
    .clk(clk),
    .rst(rst),
    .start(start),
    .active(active_reg),
    .stop(halt || r_err_now || abort_now),
    .seg_valid(seg_valid),
    .seg_addr(seg_addr),
    .seg_len(seg_len),
    .seg_ready(seg_ready),
    .m_axi_axaddr(m_axi_araddr),
    .m_axi_axlen(m_axi_arlen),
    .m_axi_axvalid(m_axi_arvalid),
    .m_axi_axready(m_axi_arready),
    .burst_done(r_hs && m_axi_rlast),
    .idle(ag_idle),
    .load(ag_load),
    .load_try(ag_load_try),
    .load_addr(ag_load_addr),
    .load_lenm1(ag_load_lenm1),
    .load_lo(ag_load_lo),
    .load_hi(ag_load_hi),
    .load_bytes(ag_load_bytes),
    .load_first_n(ld_first_n),
    .load_last_n(ld_last_n),
    .load_single_n(ld_single_n)
);

dma_skid #(
    .WIDTH(SKID_WIDTH)
)
skid_inst (
    .clk(clk),
    .rst(rst),
    .s_data({out_user, out_last, out_keep, out_data}),
    .s_valid(out_valid),
    .s_ready(out_ready),
    .s_ready_next(out_ready_next),
    .m_data({skid_tuser, skid_tlast, skid_tkeep, skid_tdata}),
    .m_valid(m_axis_tvalid),
    .m_ready(m_axis_tready),
    .empty(out_empty)
);

// Everything requested has come back (or was dropped) and the stream has
// handed its last beat to the device, and counted it. After an abort, the
// abort beat must have gone too.
wire finished = (halt || (data_done_reg && !flush_reg)) && !abort_beat_reg && !abort_pend_reg && ag_idle && out_empty &&
                xc_reg == {(OFFSET+1){1'b0}} && !resid_old_reg;

// (busy is the register: it falls in the cycle after finished)
assign busy = active_reg;
assign err = err_reg;
// (the failing beat's burst address and its index in the burst: from the
// cycle after the failure on; only looked at with err)
// (the index zero-extended to PB_WIDTH bits, which may be RB_WIDTH)
/* verilator lint_off UNUSEDSIGNAL */
wire [PB_WIDTH+RB_WIDTH-1:0] fa_beat = {{PB_WIDTH{1'b0}}, r_beat_reg};
/* verilator lint_on UNUSEDSIGNAL */
assign err_addr = {fa_rd_reg[BA_WIDTH-1:PB_WIDTH],
                   fa_rd_reg[PB_WIDTH-1:0] + fa_beat[PB_WIDTH-1:0],
                   {OFFSET{1'b0}}};
assign xfer_bytes = xfer_bytes_reg;
assign resid = resid_reg;

assign m_axi_rready = m_axi_rready_reg;

assign m_axis_tdata = skid_tdata;
assign m_axis_tkeep = skid_tkeep;
assign m_axis_tlast = skid_tlast;
assign m_axis_tuser = skid_tuser;

always @* begin
    active_next = active_reg;
    ar_rem_lo_next = ar_rem_lo_reg;
    ar_rem_hi_next = ar_pend_reg ? ar_rem_hi_reg - 1'b1 : ar_rem_hi_reg;
    ar_hz_next = ar_pend_reg ? ar_rem_hi_reg == {{(LEN_WIDTH-RL_WIDTH-1){1'b0}}, 1'b1} : ar_hz_reg;
    ar_pend_next = 1'b0;
    ar_pos_next = ar_pos_reg;
    data_done_next = data_done_reg;
    r_first_next = r_first_reg;
    r_beat_next = r_beat_reg;
    burst_rd_ptr_next = burst_rd_ptr_reg;
    acc_next = acc_reg;
    acc_cnt_next = acc_cnt_reg;
    flush_next = flush_reg;
    stop_next = stop_reg;
    abort_beat_next = abort_beat_reg;
    abort_pend_next = 1'b0;
    tlast_sent_next = tlast_sent_reg;
    err_next = err_reg;
    xc_next = {(OFFSET+1){1'b0}};
    xfer_bytes_next = xfer_bytes_reg + {{(LEN_WIDTH-OFFSET-1){1'b0}}, xc_reg};


    if (active_reg && finished) begin
        active_next = 1'b0;
    end

    // The AR side follows load_try, not load (as dma_addr_gen does): stop
    // is sticky, so what a try without a load changes is not used again
    // before start sets it again (the FIFO's count and pointers may then
    // be over by one, and are cleared at start, when nothing is in
    // flight). This keeps stop (this cycle's R beat, abort) off their
    // enables.
    // the FIFO's count: up with load_try, down with its head's last beat
    bq_cnt_next = bq_cnt_reg;
    if (ag_load_try && !bq_pop) begin
        bq_cnt_next = {bq_cnt_reg[BQ_DEPTH-1:0], 1'b0};
    end else if (!ag_load_try && bq_pop) begin
        bq_cnt_next = {1'b0, bq_cnt_reg[BQ_DEPTH:1]};
    end

    // AR side: the burst loaded now
    if (ag_load_try) begin
        ar_rem_lo_next = ar_rem_lo_sub[RL_WIDTH-1:0];
        ar_pend_next = ar_rem_lo_sub[RL_WIDTH];
        ar_pos_next = ld_single_n[OFFSET-1:0] + ar_pos_reg;
    end

    // R channel: rready is only high when the output stage takes a beat
    // in this cycle (and the device has the command), or while dropping
    // after an error or abort
    if (r_hs) begin
        r_first_next = m_axi_rlast;
        if (m_axi_rlast) begin
            burst_rd_ptr_next = burst_rd_ptr_reg + 1'b1;
        end
        if (!halt) begin
            if (m_axi_rresp != 2'b00) begin
                // first failing beat: nothing more goes to the device but
                // the abort beat (owed unless the stream has ended: decided
                // in the next cycle, as for abort)
                err_next = 1'b1;
                abort_pend_next = 1'b1;
            end else begin
                r_beat_next = m_axi_rlast ? {RB_WIDTH{1'b0}} : r_beat_reg + 1'b1;
                acc_cnt_next = r_plan[P_ACC +: OFFSET];
                if (r_plan[P_RL]) begin
                    data_done_next = 1'b1;
                    flush_next = r_plan[P_FL];
                end
                // (a stream beat goes out when it is complete or the
                // command's last: r_plan[P_OV], see out_valid below)
                // lanes that wait: all the rotated beat, except the lanes
                // of acc that do not go out now
                for (i = 0; i < STRB_WIDTH; i = i + 1) begin
                    if (!r_plan[P_ACCL + i] || r_plan[P_OV]) begin
                        acc_next[8*i +: 8] = r_rotated[8*i +: 8];
                    end
                end
            end
        end
    end else if (flush_reg && !halt && out_ready) begin
        // the command's last bytes, all in acc (a flush beat)
        flush_next = 1'b0;
    end

    // abort: stop at once; the device is owed an abort beat unless the
    // stream has already ended (or ends now: so that is decided in the
    // next cycle, from tlast_sent, which keeps this cycle's stream beat
    // off abort_beat's path)
    if (abort_now && !r_err_now) begin
        stop_next = 1'b1;
        abort_pend_next = 1'b1;
    end
    if (abort_pend_reg) begin
        abort_beat_next = !tlast_sent_reg;
    end
    // (abort_beat_reg is only ever set with err or stop, which halt: then
    // abort_now and r_err_now are low, and the abort beat does not wait
    // for them)
    if (abort_beat_reg && out_ready && stream_enable) begin
        // (the abort beat: nothing else goes into the output stage once
        // halted)
        abort_beat_next = 1'b0;
    end

    // (out_valid && out_last, spelled out flat: it is the enable of a
    // register and comes from the R handshake)
    if ((r_hs && !halt && m_axi_rresp == 2'b00 && m_axi_rlast && hd_l_reg[P_OL]) ||
        (!r_hs && flush_reg && !halt && out_ready) ||
        (abort_beat_reg && out_ready && stream_enable)) begin
        tlast_sent_next = 1'b1;
    end

    // The stream beat's keep, acc lanes, last and user (they matter only
    // with out_valid): when nx_reg, the abort beat (halted, so neither an
    // R beat nor a flush goes; no lane kept) or a flush (its keep in
    // nx_keep_reg; no R beat then), else the R beat's plan.
    out_keep = nx_reg ? nx_keep_reg : r_plan[P_KEEP +: STRB_WIDTH];
    out_accl = nx_reg ? {STRB_WIDTH{1'b1}} : r_plan[P_ACCL +: STRB_WIDTH];
    out_last = nx_reg || r_plan[P_OL];
    out_user = abort_beat_reg;

    // the stream beat: lanes below acc_cnt from acc, the others from the
    // rotated R beat, bytes outside tkeep 0. The mask is one LUT deep: an
    // R beat that goes out has every lane but in the command's last beat,
    // which is its burst's last (a plan of hd_l): so lanes outside hd_l's
    // keep are masked whenever rlast is high, and the others never.
    for (i = 0; i < STRB_WIDTH; i = i + 1) begin
        out_mask[i] = nx_reg ? nx_keep_reg[i] : !m_axi_rlast || hd_l_reg[P_KEEP + i];
        out_data[8*i +: 8] = !out_mask[i] ? 8'd0 : out_accl[i] ? acc_reg[8*i +: 8] : r_rotated[8*i +: 8];
    end

    // bytes the device accepted (the abort beat carries none)
    if (m_axis_tvalid && m_axis_tready && !skid_tuser) begin
        xc_next = keep_count(skid_tkeep);
    end

    // start only comes while idle: nothing above is in progress
    if (start) begin
        active_next = 1'b1;
        bq_cnt_next = {{BQ_DEPTH{1'b0}}, 1'b1};
        burst_rd_ptr_next = {PTR_WIDTH{1'b0}};
        ar_rem_lo_next = start_len[RL_WIDTH-1:0];
        ar_rem_hi_next = start_len[LEN_WIDTH-1:RL_WIDTH];
        ar_hz_next = start_len[LEN_WIDTH-1:RL_WIDTH] == {(LEN_WIDTH-RL_WIDTH){1'b0}};
        ar_pend_next = 1'b0;
        ar_pos_next = {OFFSET{1'b0}};
        data_done_next = 1'b0;
        r_first_next = 1'b1;
        acc_cnt_next = {OFFSET{1'b0}};
        flush_next = 1'b0;
        stop_next = 1'b0;
        abort_beat_next = 1'b0;
        abort_pend_next = 1'b0;
        tlast_sent_next = 1'b0;
        err_next = 1'b0;
        r_beat_next = {RB_WIDTH{1'b0}};
        xfer_bytes_next = {LEN_WIDTH{1'b0}};
    end

    // the next cycle's beat is not an R beat's: a flush, or halted (no R
    // beat goes, maybe the abort beat: no lane kept; it goes two cycles
    // after the halt at the earliest, and no R beat goes in the cycle
    // after the halt, so halt's register is soon enough)
    // (flush_next || halt, from registers and the handshake only: after
    // the flush beat, and in the cycle after start, no R beat comes, so
    // nx may be high then)
    nx_next = halt || flush_reg || (r_hs && m_axi_rlast && hd_l_reg[P_FL]);
    // (the flush's keep: the bytes left in acc by the command's last beat,
    // which is its burst's last, so hd_l's; held while the flush waits)
    nx_keep_next = halt ? {STRB_WIDTH{1'b0}} :
                   flush_reg ? nx_keep_reg : lanes_below({1'b0, hd_l_reg[P_ACC +: OFFSET]});

    // the next beat's plans: of its burst's first (or only) beat when the
    // next beat opens a burst, else of a middle (or last) beat
    // (spelled out as two multiplexers on the plans, one LUT of the
    // FIFO's registers each: the R beat's handshake is only in the last)
    hd_nl_next = r_hs ? hs_nl : wt_nl;
    hd_l_next = r_hs ? hs_l : wt_l;
    hd_rot_next = r_hs && m_axi_rlast ? nx_rot : cur_rot;

    // The stream beat into the output stage, spelled out flat: the R
    // beat's plan (rdy_ok: rready and not halted), a flush (only once
    // every byte has come: no R beat then), the abort beat (halted: no R
    // beat goes then).
    out_valid = (rdy_ok_reg && m_axi_rvalid && m_axi_rresp == 2'b00 && r_plan[P_OV]) ||
                (flush_reg && !halt && out_ready) ||
                (abort_beat_reg && out_ready && stream_enable);

    // rready for the next cycle: when the output stage surely takes a beat
    // then (the device takes one now, or the stage is empty: not its
    // s_ready_next, which has this cycle's beat in it), and the device has
    // the command, and bytes are still to come; or always while dropping.
    // All from registers: a cycle late after the last beat, an error or
    // abort (no beat comes after the last; a beat after a halt is
    // dropped), or at start (no beat comes before an AR).
    m_axi_rready_next = active_reg && (halt ||
                        (stream_enable && !data_done_reg && (m_axis_tready || out_empty)));
    // (err_next || stop_next, spelled out short)
    halt_next = !start && (halt || (r_hs && m_axi_rresp != 2'b00) || (abort && active_reg));
    rdy_ok_next = m_axi_rready_next && !halt_next;
end

// bytes in a tkeep (contiguous from lane 0)
function [OFFSET:0] keep_count;
    input [STRB_WIDTH-1:0] keep;
    integer k;
    begin
        keep_count = {(OFFSET+1){1'b0}};
        for (k = 0; k < STRB_WIDTH; k = k + 1) begin
            keep_count = keep_count + {{OFFSET{1'b0}}, keep[k]};
        end
    end
endfunction

always @(posedge clk) begin
    active_reg <= active_next;
    ar_rem_lo_reg <= ar_rem_lo_next;
    ar_rem_hi_reg <= ar_rem_hi_next;
    ar_hz_reg <= ar_hz_next;
    ar_pend_reg <= ar_pend_next;
    ar_pos_reg <= ar_pos_next;
    data_done_reg <= data_done_next;
    r_first_reg <= r_first_next;
    r_beat_reg <= r_beat_next;
    fa_ptr_reg <= fa_ptr;
    fa_rd_reg <= fa_mem[fa_ptr];
    burst_rd_ptr_reg <= burst_rd_ptr_next;
    bq_cnt_reg <= bq_cnt_next;
    hd_nl_reg <= hd_nl_next;
    hd_l_reg <= hd_l_next;
    hd_rot_reg <= hd_rot_next;
    acc_reg <= acc_next;
    acc_cnt_reg <= acc_cnt_next;
    flush_reg <= flush_next;
    stop_reg <= stop_next;
    halt_reg <= halt_next;
    abort_beat_reg <= abort_beat_next;
    abort_pend_reg <= abort_pend_next;
    tlast_sent_reg <= tlast_sent_next;
    err_reg <= err_next;
    xc_reg <= xc_next;
    xfer_bytes_reg <= xfer_bytes_next;
    resid_reg <= cmd_len - xfer_bytes_reg;
    resid_old_reg <= xc_reg != {(OFFSET+1){1'b0}} || start;
    m_axi_rready_reg <= m_axi_rready_next;
    rdy_ok_reg <= rdy_ok_next;
    nx_reg <= nx_next;
    nx_keep_reg <= nx_keep_next;

    // (the first beat of a longer burst is never the command's last)
    // (the free entry after the last is written in every cycle, with the
    // burst that dma_addr_gen offers: when it is loaded, load_try, the
    // count takes it in; the write does not wait for load_try, which has
    // the AR handshake in it)
    for (i = 0; i < BQ_DEPTH; i = i + 1) begin
        if (bq_pop && (i + 1 < BQ_DEPTH)) begin
            bq_reg[i*BQ_WIDTH +: BQ_WIDTH] <= bq_cnt_reg[i+1] ? bq_wdata :
                                             bq_reg[((i+1) % BQ_DEPTH)*BQ_WIDTH +: BQ_WIDTH];
        end else if (!bq_pop && bq_cnt_reg[i]) begin
            bq_reg[i*BQ_WIDTH +: BQ_WIDTH] <= bq_wdata;
        end
    end
    if (start) begin
        burst_wr_ptr_reg <= {PTR_WIDTH{1'b0}};
    end else if (ag_load_try) begin
        burst_wr_ptr_reg <= burst_wr_ptr_reg + 1'b1;
    end
    // (not after a failure: the failing burst's entry may be free by then)
    if (ag_load_try && !err_reg) begin
        fa_mem[burst_wr_ptr_reg] <= ag_load_addr;
    end

    if (rst) begin
        active_reg <= 1'b0;
        data_done_reg <= 1'b0;
        r_first_reg <= 1'b1;
        burst_wr_ptr_reg <= {PTR_WIDTH{1'b0}};
        burst_rd_ptr_reg <= {PTR_WIDTH{1'b0}};
        bq_cnt_reg <= {{BQ_DEPTH{1'b0}}, 1'b1};
        acc_cnt_reg <= {OFFSET{1'b0}};
        flush_reg <= 1'b0;
        stop_reg <= 1'b0;
        halt_reg <= 1'b0;
        abort_beat_reg <= 1'b0;
        abort_pend_reg <= 1'b0;
        tlast_sent_reg <= 1'b0;
        err_reg <= 1'b0;
        xc_reg <= {(OFFSET+1){1'b0}};
        xfer_bytes_reg <= {LEN_WIDTH{1'b0}};
        resid_old_reg <= 1'b0;
        m_axi_rready_reg <= 1'b0;
        rdy_ok_reg <= 1'b0;
        nx_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
