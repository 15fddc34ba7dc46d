/*
 * dma_engine: device to memory datapath (DDI_DMA_READ)
 *
 * Writes the device stream to the buffer with AXI4 INCR bursts
 * (dma_addr_gen: at most MAX_BURST_LEN beats, never across a 4 KiB
 * boundary, up to MAX_OUTSTANDING without a B response).
 *
 * The buffer is a list of segments (scatter-gather) of any byte address
 * and length, handed over one at a time on the seg_* interface; the stream
 * side only counts bytes (start_len is the total). The device stream is
 * packed: full beats, the last one with tkeep for its bytes.
 *
 * Input stage: the device stream goes through a skid stage (output and
 * skid register, s_axis_tready a register); each beat is classified on
 * the way in (bytes the command takes, its last bytes, more than that,
 * stream ended early or not packed) against a byte count that moves by
 * STRB_WIDTH per full beat, so the datapath below sees registers only.
 *
 * Realignment: the stream beats wait in a buffer of three beats in order
 * (a, b, c: b and c move down when a is used up; the first q bytes of a
 * already written; each stream lane's choice of a or b is a register of
 * its own). A W beat
 * writes lanes lo..hi of its burst (lo only on a segment's first beat, hi
 * only on its last) with the next hi-lo+1 stream bytes: stream lanes q
 * and up of a, lanes below q of b, rotated by lo - q lanes (a byte
 * rotator, log2(STRB) mux levels). It goes when the buffer holds its
 * bytes (a thermometer of its byte count looked up with the buffer's
 * count, no compare); the third slot takes the stage's beat meanwhile, so
 * one stream beat comes in and one W beat goes out per clock, whatever
 * the alignment. (The W decision's first-level terms go through dma_cut,
 * so that synthesis keeps go and valid two LUT levels deep.)
 *
 * AW bursts are issued ahead of the data; W beats only ever belong to a
 * burst already accepted on AW. Every burst loaded on AW goes into two
 * FIFOs of MAX_OUTSTANDING entries: beats and byte lanes, read by W (WLAST,
 * wstrb), and address, read only for a failing B (the fault address, in
 * block RAM). W puts the device
 * bytes each burst carried into a third FIFO, read by B: xfer_bytes adds
 * them up for the bursts answered OKAY, from the start (and resid counts
 * them down from start_len, so that no subtracter sits between these
 * counters and the result registers). The next W beat (opens a burst, is
 * its last, first lane, bytes) is worked out into registers a cycle ahead
 * from the next state, so the W decision does not read the FIFO.
 * W goes through dma_skid (output register plus skid register).
 *
 * A burst on AW is never broken: when the stream ends early (tlast before
 * the expected last byte, or a beat that is not full before tlast) or a B
 * response fails, no further AW is issued and the rest of every burst
 * already issued is sent with what the buffer still holds (stream ended)
 * and then wstrb 0, which writes nothing. Beats past the expected count,
 * and after a failed B response, are accepted and dropped until tlast so
 * the device never stalls.
 *
 * abort stops it the same way without an error: no further AW, the bursts
 * in flight are completed with wstrb 0 padding, and the rest of the device
 * stream is drained.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_s2mm #
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
    // Bursts issued on AW and not yet answered on B
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
    output wire                   err,             // a B response was not OKAY
    output wire [ADDR_WIDTH-1:0]  err_addr,        // start address of that burst
    output wire                   dev_err,         // stream shorter or longer than start_len
    output wire [LEN_WIDTH-1:0]   xfer_bytes,      // bytes from the device written with an OKAY response
    output wire [LEN_WIDTH-1:0]   resid,           // start_len - xfer_bytes

    /*
     * AXI4 write (address, data, response), INCR bursts of full beats
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
    output wire                   m_axi_bready,

    /*
     * Device stream
     */
    input  wire [DATA_WIDTH-1:0]  s_axis_tdata,
    input  wire [STRB_WIDTH-1:0]  s_axis_tkeep,
    input  wire                   s_axis_tvalid,
    output wire                   s_axis_tready,
    input  wire                   s_axis_tlast
);

localparam OFFSET = $clog2(STRB_WIDTH);
localparam PTR_WIDTH = $clog2(MAX_OUTSTANDING);
localparam OUT_WIDTH = $clog2(MAX_OUTSTANDING+1);
localparam BA_WIDTH = ADDR_WIDTH - OFFSET;       // beat address
// bytes in the buffer (0..3*STRB_WIDTH)
localparam CNT_WIDTH = OFFSET + 2;
// beats - 1 of a burst (MAX_BURST_LEN beats at most)
localparam LW = MAX_BURST_LEN > 2 ? $clog2(MAX_BURST_LEN) : 1;
// bytes of one burst as this configuration makes them: at most
// MAX_BURST_LEN beats, never past a 4 KiB page
localparam BR_MAX = MAX_BURST_LEN * STRB_WIDTH < 4096 ? MAX_BURST_LEN * STRB_WIDTH : 4096;
localparam BR_WIDTH = $clog2(BR_MAX + 1);
// low bits of the stream's byte count
localparam IL_WIDTH = OFFSET + 2;
localparam [31:0] STRB_32 = STRB_WIDTH;
localparam [OFFSET:0] STRB_CNT = STRB_32[OFFSET:0];
// a W beat: wdata, wstrb, wlast
localparam SKID_WIDTH = DATA_WIDTH + STRB_WIDTH + 1;

// command state
reg active_reg = 1'b0, active_next;

// bursts loaded on AW: beats and first/last byte lanes (read by W when it
// opens the burst), beat address (read by B); bytes of device data each
// burst carried (written by W at WLAST, read by B)
// (the W side's figures are worked out here, on the way in, so that W
// only selects them: beats - 1, one beat, two beats, first byte lane,
// bytes of the first beat, bytes of the last beat)
(* mem2reg *) reg [LW-1:0] w_lenm1_mem[0:(2**PTR_WIDTH)-1];
(* mem2reg *) reg w_single_mem[0:(2**PTR_WIDTH)-1];
(* mem2reg *) reg w_double_mem[0:(2**PTR_WIDTH)-1];
(* mem2reg *) reg [OFFSET-1:0] w_lo_mem[0:(2**PTR_WIDTH)-1];
(* mem2reg *) reg [OFFSET:0] w_first_n_mem[0:(2**PTR_WIDTH)-1];
(* mem2reg *) reg [OFFSET:0] w_last_n_mem[0:(2**PTR_WIDTH)-1];
(* mem2reg *) reg [STRB_WIDTH-1:0] w_first_strb_mem[0:(2**PTR_WIDTH)-1];
// (the lanes of the last beat, and the bytes of the first and the last
// beat as need[k] = bytes <= k, are one LUT of the bytes away: they are
// worked out as they are read)
reg [BR_WIDTH-1:0] b_real_mem[0:(2**PTR_WIDTH)-1];
reg [PTR_WIDTH-1:0] aw_ptr_reg = {PTR_WIDTH{1'b0}};
// (the burst being sent, for its bytes at WLAST; the next entry into the
// head registers)
reg [PTR_WIDTH-1:0] w_ptr_reg = {PTR_WIDTH{1'b0}}, w_ptr_next;
reg [PTR_WIDTH-1:0] hd_ptr_reg = {PTR_WIDTH{1'b0}};
reg [PTR_WIDTH-1:0] b_ptr_reg = {PTR_WIDTH{1'b0}}, b_ptr_next;
wire [LW-1:0] w_lenm1_rd = w_lenm1_mem[hd_ptr_reg];
wire w_single_rd = w_single_mem[hd_ptr_reg];
wire w_double_rd = w_double_mem[hd_ptr_reg];
wire [OFFSET-1:0] w_lo_rd = w_lo_mem[hd_ptr_reg];
wire [OFFSET:0] w_first_n_rd = w_first_n_mem[hd_ptr_reg];
wire [OFFSET:0] w_last_n_rd = w_last_n_mem[hd_ptr_reg];
wire [STRB_WIDTH-1:0] w_first_strb_rd = w_first_strb_mem[hd_ptr_reg];
// The beat address of every burst loaded on AW, for the fault address
// only: in block RAM (an iCE40 EBR; a 4-deep FIFO of 30 flip-flops an
// entry and its read mux cost ~150 logic cells), written at AW load, read
// with a synchronous read in the cycle of a failing B response (the entry
// at the B pointer, written when its AW was loaded, cycles before), and
// then held (fa_ptr keeps the address; no entry is written after a
// failure). A read in the cycle an entry is written is never used: the
// entry written is never the one at the B pointer (the FIFO is not full
// when a burst is loaded), hence no_rw_check.
(* ram_style = "block", no_rw_check *)
reg [BA_WIDTH-1:0] fa_mem[0:(2**PTR_WIDTH)-1];
reg [BA_WIDTH-1:0] fa_rd_reg;
reg [PTR_WIDTH-1:0] fa_ptr_reg = {PTR_WIDTH{1'b0}};
wire [PTR_WIDTH-1:0] fa_ptr;
// (the entry at the B pointer, read into a register every cycle: W writes
// an entry at WLAST, and its B response comes two cycles later at the
// earliest, WLAST leaving through the output stage)
reg [BR_WIDTH-1:0] b_real_rd = {BR_WIDTH{1'b0}};
// (the entry is written a cycle after WLAST from w_real_reg, which then
// holds the burst's bytes; the read above takes it from there in that
// cycle)
reg b_wr_reg = 1'b0;
reg [PTR_WIDTH-1:0] b_wr_ptr_reg = {PTR_WIDTH{1'b0}};

// W side: bursts accepted on AW not yet in the head registers; the head
// (the next burst to open, its FIFO entry read into registers a cycle
// ahead, so that the next W beat is selected from registers); the beats of
// the planned W beat's burst after it, its last beat's figures, the device
// bytes it has carried so far
reg [OUT_WIDTH-1:0] w_pending_reg = {OUT_WIDTH{1'b0}}, w_pending_next;
reg hd_valid_reg = 1'b0, hd_valid_next;
// (the head was taken in the last cycle: it is reloaded now, so that its
// enable does not depend on this cycle's W beat; a burst of one beat
// after one of one beat waits a cycle)
reg hd_took_reg = 1'b0, hd_took_next;
reg hd_load;
reg [LW-1:0] hd_lenm1_reg = {LW{1'b0}};
reg hd_single_reg = 1'b0;
reg hd_double_reg = 1'b0;
reg [OFFSET-1:0] hd_lo_reg = {OFFSET{1'b0}};
reg [OFFSET:0] hd_first_n_reg = {(OFFSET+1){1'b0}};
reg [OFFSET:0] hd_last_n_reg = {(OFFSET+1){1'b0}};
reg [STRB_WIDTH-1:0] hd_first_strb_reg = {STRB_WIDTH{1'b0}};
reg [LW-1:0] w_left_reg = {LW{1'b0}}, w_left_next;
reg w_one_reg = 1'b0, w_one_next;          // w_left_reg is 1
reg [OFFSET:0] w_last_n_reg = {(OFFSET+1){1'b0}}, w_last_n_next;
reg [BR_WIDTH-1:0] w_real_reg = {BR_WIDTH{1'b0}}, w_real_next;

// stopped by abort: like a failed write, without the error
reg stop_reg = 1'b0, stop_next;

// input stage (port side): bytes still expected, counted as beats enter
// the stage (they leave it in order, so the count is the same), the
// expected bytes are in, the stream ended early (or broken), tlast is in
// (counted down in IL_WIDTH low bits and the bits above, which take the
// borrow a cycle later, in_pend: a beat is at most STRB_WIDTH bytes, so
// after a borrow the low bits are more than a beat and the high bits are
// not looked at before they are right again; in_hz: the high bits are 0;
// only a full beat that is neither the stream's nor the command's last
// moves the count on, so it counts down by STRB_WIDTH, a constant)
reg [IL_WIDTH-1:0] in_lo_reg = {IL_WIDTH{1'b0}}, in_lo_next;
reg [LEN_WIDTH-IL_WIDTH-1:0] in_hi_reg = {(LEN_WIDTH-IL_WIDTH){1'b0}}, in_hi_next;
reg in_pend_reg = 1'b0, in_pend_next;
reg in_hz_reg = 1'b0, in_hz_next;
reg st_end_reg = 1'b0, st_end_next;
reg st_short_reg = 1'b0, st_short_next;
reg st_last_reg = 1'b0, st_last_next;

// the input stage (as dma_skid: output register and skid register, so
// that s_axis_tready is a register and this side's ready to it may be
// worked out from this cycle's registers): each beat with its data, tlast
// and what the command makes of it, worked out on the way in from the
// count above: its bytes the command takes (take), it goes into the
// buffer (store), it is full, it holds the command's last bytes (end),
// with more (over), it ends the stream early or is not packed (short)
localparam ST_WIDTH = DATA_WIDTH + OFFSET + 7;
reg [ST_WIDTH-1:0] st_reg = {ST_WIDTH{1'b0}};
reg st_valid_reg = 1'b0, st_valid_next;
reg [ST_WIDTH-1:0] sk_reg = {ST_WIDTH{1'b0}};
reg sk_valid_reg = 1'b0, sk_valid_next;
reg st_in_to_out, st_in_to_skid, st_skid_to_out;
wire [ST_WIDTH-1:0] st_in;

// stream side (the beats taken from the stage): the command's last bytes
// are in, tlast is in, the stream ended early (or broken): no more data
reg in_end_reg = 1'b0, in_end_next;
reg in_done_reg = 1'b0, in_done_next;
reg short_reg = 1'b0, short_next;
reg dev_err_reg = 1'b0, dev_err_next;

// the buffer: three stream beats in order, a, b and c, ns of them in use,
// cnt bytes in all, the first q bytes of a already written; a W beat
// takes its bytes from a and b only (a from lane q up, the lanes below q
// of b): each stream lane is one LUT of q and the two registers, then the
// rotation, so that it depends on registers only; c takes the stage's
// beat meanwhile: one beat per clock whatever the alignment. When a is
// used up the beats move down (b to a, c to b).
reg [DATA_WIDTH-1:0] buf_a_reg = {DATA_WIDTH{1'b0}};
reg [DATA_WIDTH-1:0] buf_b_reg = {DATA_WIDTH{1'b0}};
reg [DATA_WIDTH-1:0] buf_c_reg = {DATA_WIDTH{1'b0}};
reg [1:0] ns_reg = 2'd0, ns_next;
// (the buffer is full at 3)
reg full_reg = 1'b0;
reg [OFFSET-1:0] q_reg = {OFFSET{1'b0}}, q_next;
// (lane l >= q, each stream lane's choice of a or b, one register a lane
// so that each selects the 8 bits of one lane only)
reg [STRB_WIDTH-1:0] lane_a_reg = {STRB_WIDTH{1'b1}}, lane_a_next;
// (the rotation, lo - q, worked out a cycle ahead from the next q and lo)
reg [OFFSET-1:0] rot_reg = {OFFSET{1'b0}}, rot_next;
reg [CNT_WIDTH-1:0] cnt_reg = {CNT_WIDTH{1'b0}}, cnt_next;

// B side: first failure, and the device bytes of the bursts acknowledged
// OKAY contiguously from the start
reg b_err_reg = 1'b0, b_err_next;
// (a burst adds at most BR_WIDTH bits: the bits above take the carry from
// okay_hi_inc_reg = okay_hi + 1 and resid_hi_dec_reg = resid_hi - 1, kept
// in registers, so no carry chain runs through both parts, and the one
// below is as short as a burst's bytes)
localparam HI_WIDTH = LEN_WIDTH - BR_WIDTH;
reg [LEN_WIDTH-1:0] okay_bytes_reg = {LEN_WIDTH{1'b0}}, okay_bytes_next;
reg [LEN_WIDTH-1:0] resid_reg = {LEN_WIDTH{1'b0}}, resid_next;
reg [HI_WIDTH-1:0] okay_hi_inc_reg = {{(HI_WIDTH-1){1'b0}}, 1'b1}, okay_hi_inc_next;
reg [HI_WIDTH-1:0] resid_hi_dec_reg = {HI_WIDTH{1'b1}}, resid_hi_dec_next;
wire [BR_WIDTH:0] okay_lo_sum = {1'b0, okay_bytes_reg[BR_WIDTH-1:0]} + {1'b0, b_real_rd};
wire [BR_WIDTH:0] resid_lo_sub = {1'b0, resid_reg[BR_WIDTH-1:0]} - {1'b0, b_real_rd};
// (bready and no failure yet, in one register: an OKAY response is then
// one LUT of it and the port)
reg b_take_reg = 1'b0;
wire b_okay = b_take_reg && m_axi_bvalid && m_axi_bresp == 2'b00;
wire [HI_WIDTH-1:0] okay_hi_inc2 = okay_hi_inc_reg + 1'b1;
wire [HI_WIDTH-1:0] resid_hi_dec2 = resid_hi_dec_reg - 1'b1;

reg m_axi_bready_reg = 1'b0, m_axi_bready_next;
reg s_axis_tready_reg = 1'b0, s_axis_tready_next;

// the W beat into the output stage
reg [STRB_WIDTH-1:0] out_strb;
reg out_valid;
// (the W side uses out_ready through ok_reg, from out_ready_next)
/* verilator lint_off UNUSEDSIGNAL */
wire out_ready;
/* verilator lint_on UNUSEDSIGNAL */
/* verilator lint_off UNUSEDSIGNAL */
wire out_ready_next;
/* verilator lint_on UNUSEDSIGNAL */
wire out_empty;
// (the output stage's valid registers, kept here too, as dma_skid keeps
// them, so that its ready for the next cycle, with and without a W beat
// now, is worked out from registers, and the W beat selects last)
reg sk_ov_reg = 1'b0, sk_tv_reg = 1'b0, sk_rdy_reg = 1'b0;
wire sk_rn_go = m_axi_wready || (!sk_tv_reg && !sk_ov_reg);
wire sk_rn_idle = m_axi_wready || !sk_tv_reg;

// address side
wire ag_load;
wire [BA_WIDTH-1:0] ag_load_addr;
wire [7:0] ag_load_lenm1;
wire [OFFSET-1:0] ag_load_lo;
// (the bytes of the last beat come worked out)
wire [OFFSET-1:0] ag_load_hi;
// (W counts the device bytes each burst carries instead)
/* verilator lint_off UNUSEDSIGNAL */
wire [OFFSET+8:0] ag_load_bytes;
/* verilator lint_on UNUSEDSIGNAL */
wire ag_load_try;
wire [OFFSET:0] ag_load_first_n;
wire [OFFSET:0] ag_load_last_n;
wire [OFFSET:0] ag_load_single_n;
/* verilator lint_off UNUSEDSIGNAL */
/* verilator lint_on UNUSEDSIGNAL */
wire ag_idle;

// the next W beat, in registers (worked out from the next state, so that
// the W decision does not read the FIFO): it opens a burst, there is one,
// it is its burst's last, its first lane, its bytes
reg w_open_reg = 1'b0, w_open_next;
reg w_beat_reg = 1'b0, w_beat_next;
reg w_is_last_reg = 1'b0, w_is_last_next;
reg [OFFSET-1:0] w_lo_reg = {OFFSET{1'b0}}, w_lo_next;
reg [OFFSET:0] w_n_reg = {(OFFSET+1){1'b0}}, w_n_next;
reg [STRB_WIDTH-1:0] w_strb_reg = {STRB_WIDTH{1'b0}}, w_strb_next;
reg [STRB_WIDTH-1:0] w_need_reg = {STRB_WIDTH{1'b0}}, w_need_next;
wire w_is_last = w_is_last_reg;
reg w_go_now;
reg full_next;
// (out_ready && w_beat_reg, and that without a halt, in registers)
reg ok_reg = 1'b0, ok_next;
reg okg_reg = 1'b0, okg_next;
// the figures of this cycle's W beat for each way it may go (a beat of
// w_n bytes, the buffer's rest when the stream has ended, none), from
// registers, selected late (the selection comes from the handshakes)
wire [OFFSET:0] q_go_sum = {1'b0, q_reg} + w_n_reg;
// (a beat without its bytes writes lanes lo..lo+cnt-1 of its own, as
// cnt_reg < w_n_reg then, unless halted: w_strb_reg masked;
// lane i is in when i - lo < cnt, written with constants, no adder)
reg [STRB_WIDTH-1:0] w_end_mask;
integer ek;
// (a beat's bytes zero-extended to BR_WIDTH bits, which may be OFFSET+1)
/* verilator lint_off UNUSEDSIGNAL */
wire [BR_WIDTH+OFFSET:0] w_n_ext = {{BR_WIDTH{1'b0}}, w_n_reg};
wire [BR_WIDTH+OFFSET:0] cnt_ext = {{BR_WIDTH{1'b0}}, cnt_reg[OFFSET:0]};
/* verilator lint_on UNUSEDSIGNAL */
wire [BR_WIDTH-1:0] w_real_base = w_open_reg ? {BR_WIDTH{1'b0}} : w_real_reg;
wire [BR_WIDTH-1:0] w_real_go = w_real_base + w_n_ext[BR_WIDTH-1:0];
wire [BR_WIDTH-1:0] w_real_end = w_real_base + cnt_ext[BR_WIDTH-1:0];
reg [BR_WIDTH-1:0] w_real_sum;
// the buffer's bytes after the W beat of w_n bytes, with and without a
// stream beat, and without a W beat, with a stream beat
wire [CNT_WIDTH-1:0] cnt_go = cnt_reg - {{(CNT_WIDTH-OFFSET-1){1'b0}}, w_n_reg};
wire [CNT_WIDTH-1:0] cnt_in = cnt_reg + {1'b0, in_take};
reg data_mode_reg = 1'b0, data_mode_next;
// the buffer holds the W beat's bytes (cnt_reg >= w_n_reg: a whole beat,
// or less by w_need_reg, without an adder): from cnt_reg's low bits
// one-hot and its high bits non-zero, in registers kept with cnt_reg, so
// that the look-up is an AND-OR of registers
reg [STRB_WIDTH-1:0] cnt_oh_reg = {{(STRB_WIDTH-1){1'b0}}, 1'b1}, cnt_oh_next;
reg cnt_hnz_reg = 1'b0, cnt_hnz_next;
// (lanes 2pp and 2pp+1: one LUT each)
reg [STRB_WIDTH/2-1:0] ge_pair_raw;
integer pp;
always @* begin
    for (pp = 0; pp < STRB_WIDTH/2; pp = pp + 1) begin
        ge_pair_raw[pp] = (cnt_oh_reg[2*pp] && w_need_reg[2*pp]) ||
                          (cnt_oh_reg[2*pp+1] && w_need_reg[2*pp+1]);
    end
end
// The W beat's decision and what it enables are few LUT levels only if
// the LUTs are the ones written here, but ABC maps for area and shares
// what it can (an OR of the pairs for go_any and ov_any, go_any &&
// q_wrap for the enables of a and b), a level deeper each. So the
// signals of the first level below (the pairs, and the terms from
// registers that meet go_any) go through dma_cut, a module kept
// apart in synthesis: the logic after it is mapped from them as they are.
// (the cut's outputs)
wire [STRB_WIDTH/2-1:0] ge_pair;
wire ov_z, q_wrap, st_ns0, st_ns1, w_adv_f, cnt_ce_f;
// (a planned beat next cycle, after this cycle's W beat or none)
wire w_beat_go, w_beat_idle;
// (out_ready and a planned beat next cycle, with and without a W beat now)
wire ok_go, ok_idle;
// (the W beat goes with its bytes: okg_reg && (cnt high bits non-zero or
// a pair); two LUT levels at 32-bit data)
wire go_any = okg_reg && (cnt_hnz_reg || (|ge_pair));
// (the W beat goes, with or without its bytes: ok_reg && (flush_reg ||
// the bytes are in), two LUT levels beside go_any; after a halt flush_reg
// is set, and without one okg_reg is ok_reg, so it is also go_any or
// ok_reg && flush_reg)
wire ov_f = ok_reg && flush_reg;
wire ov_z_raw = ok_reg && (flush_reg || cnt_hnz_reg);
wire ov_any = ov_z || (ok_reg && (|ge_pair));
// (the enables of cnt and of the planned beat, with go_any the last term:
// one LUT after it)
wire w_adv_f_raw = ov_f || !w_beat_reg;
// the W planner: the planned beat is replaced (w_adv) when it goes or
// there is none; the next one continues its burst (w_cont) or opens the
// head's; the head is taken and reloaded (hd_load) from the FIFO
// with a burst accepted on AW
wire aw_hs = m_axi_awvalid && m_axi_awready;
wire w_pend_nz = w_pending_reg != {OUT_WIDTH{1'b0}};
wire w_cont = w_beat_reg && !w_is_last_reg;
// (the first lane of the next planned beat, if it is replaced)
wire [OFFSET-1:0] w_lo_new = w_cont ? {OFFSET{1'b0}} : hd_lo_reg;
// (w_left_reg zero-extended to 8 bits, which LW may be)
/* verilator lint_off UNUSEDSIGNAL */
wire [LW+7:0] w_left_ext = {8'd0, w_left_reg};
/* verilator lint_on UNUSEDSIGNAL */
reg w_adv;
wire hd_avail = w_pend_nz || aw_hs;
// (the head holds a burst not taken yet)
wire hd_has = hd_valid_reg && !hd_took_reg;
// (hd_ptr's enable holds the reset, so that it is one LUT: an iCE40
// flip-flop resets only when enabled)
wire hd_ptr_ce = rst || hd_load;
// flush: halt, in_done_reg or short_reg (W beats go without their bytes)
reg flush_reg = 1'b0, flush_next;
integer i;

wire halt = b_err_reg || stop_reg;
// (a W beat without its bytes: the buffer's rest, none after a halt)
wire [BR_WIDTH-1:0] w_real_nogo = halt ? w_real_base : w_real_end;

// the port's beat: its bytes (tkeep is contiguous from lane 0 on a packed
// stream), what the command still takes of them
wire port_hs = s_axis_tready_reg && s_axis_tvalid;
wire [OFFSET:0] port_n = keep_count(s_axis_tkeep);
wire port_full = &s_axis_tkeep;
// only the last beat of a packed stream may be partial
wire port_bad = !s_axis_tlast && !port_full;
// the beat holds the command's last bytes (or more: the bytes expected
// <= port_n) (a full beat: the bytes expected <= STRB_WIDTH, which needs
// no byte count)
wire port_le1 = in_hz_reg && in_lo_reg <= {{(IL_WIDTH-OFFSET-1){1'b0}}, STRB_CNT};
// (in_lo_reg[OFFSET:0] <= k for each k, from registers, selected by the
// beat's byte count)
reg [STRB_WIDTH:0] port_le;
integer kk;
always @* begin
    for (kk = 0; kk <= STRB_WIDTH; kk = kk + 1) begin
        port_le[kk] = {{(32-OFFSET-1){1'b0}}, in_lo_reg[OFFSET:0]} <= kk;
    end
end
wire port_end = port_le1 && (port_full || port_le[port_n]);
wire [OFFSET:0] port_take = port_end ? in_lo_reg[OFFSET:0] : port_n;
wire [IL_WIDTH-OFFSET-1:0] in_lo_dec = in_lo_reg[IL_WIDTH-1:OFFSET] - 1'b1;
assign st_in = {s_axis_tlast,
                !port_bad && port_end,                  // end
                !port_bad && port_end && port_n != port_take, // over
                port_bad || (s_axis_tlast && !port_end), // short
                !port_bad && (|s_axis_tkeep),           // store
                port_full, port_take, s_axis_tdata};
// (store and full)

wire [DATA_WIDTH-1:0] st_data = st_reg[DATA_WIDTH-1:0];
wire [OFFSET:0] in_take = st_reg[DATA_WIDTH +: OFFSET+1];
// (st_reg[DATA_WIDTH+OFFSET+1], the beat is full, is not looked at)
wire st_store = st_reg[DATA_WIDTH+OFFSET+2];
wire st_short = st_reg[DATA_WIDTH+OFFSET+3];
wire st_over = st_reg[DATA_WIDTH+OFFSET+4];
wire st_end = st_reg[DATA_WIDTH+OFFSET+5];
wire st_tlast = st_reg[DATA_WIDTH+OFFSET+6];

// the stage's beat taken: this side's ready is from registers (b free, as
// s_axis_tready was before the stage; drain freely when dropping)
// (data_mode_reg: !in_done_reg && !halt && !short_reg && !in_end_reg)
wire data_mode = data_mode_reg;
wire in_ready = active_reg && !in_done_reg && (!data_mode || !full_reg);
wire in_hs = st_valid_reg && in_ready;
wire in_store = st_valid_reg && data_mode && !full_reg && st_store;
// (with and without this cycle's W beat; a W beat without its bytes
// leaves none)
// (the stage's bytes, if stored, added after the W beat's are taken off,
// with no selection after the adders)
wire [OFFSET:0] take_eff = in_store ? in_take : {(OFFSET+1){1'b0}};
wire [CNT_WIDTH-1:0] cnt_x = cnt_go + {1'b0, take_eff};
wire [CNT_WIDTH-1:0] cnt_y = in_store ? cnt_in : {CNT_WIDTH{1'b0}};
// (and their low bits one-hot, high bits non-zero)
wire [STRB_WIDTH-1:0] cnt_x_oh = {{(STRB_WIDTH-1){1'b0}}, 1'b1} << cnt_x[OFFSET-1:0];
wire [STRB_WIDTH-1:0] cnt_y_oh = {{(STRB_WIDTH-1){1'b0}}, 1'b1} << cnt_y[OFFSET-1:0];
wire cnt_x_hnz = cnt_x[CNT_WIDTH-1:OFFSET] != {(CNT_WIDTH-OFFSET){1'b0}};
wire cnt_y_hnz = cnt_y[CNT_WIDTH-1:OFFSET] != {(CNT_WIDTH-OFFSET){1'b0}};
// the buffer after this cycle's W beat with its bytes (go) or without
// (idle), from registers, so that go selects last: a is used up (q_wrap;
// the beats move down), the beats in use, full; a and b are written when
// the beats move down or the stage's beat goes in there (keep: one LUT
// after go_any each)
wire q_wrap_raw = q_go_sum[OFFSET];
wire st_ns0_raw = in_store && ns_reg == 2'd0;
wire st_ns1_raw = in_store && ns_reg == 2'd1;
wire cnt_ce_f_raw = ov_f || in_store;
wire buf_ce_a = (go_any && q_wrap) || st_ns0;
wire buf_ce_b = (go_any && q_wrap) || st_ns1;
wire [1:0] ns_idle = in_store ? ns_reg + 2'd1 : ns_reg;
wire [1:0] ns_go = q_wrap_raw ? (in_store ? ns_reg : ns_reg - 2'd1) : ns_idle;
wire full_idle = ns_reg == 2'd3 || (ns_reg == 2'd2 && in_store);
wire full_go = q_wrap_raw ? ns_reg == 2'd3 && in_store : full_idle;

// what stops the address side in this very cycle
wire b_hs = m_axi_bready_reg && m_axi_bvalid;
wire b_err_now = b_hs && !b_err_reg && m_axi_bresp != 2'b00;
// the fault address's entry: the burst answered, in a failure's cycle
assign fa_ptr = b_err_now ? b_ptr_reg : fa_ptr_reg;
// (in data mode the stage's beat is taken while b is free)
wire short_now = st_valid_reg && data_mode && !full_reg && st_short;
wire abort_now = abort && active_reg;

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

// need[k]: n <= k
function [STRB_WIDTH-1:0] need_of;
    input [OFFSET:0] n;
    integer m;
    begin
        for (m = 0; m < STRB_WIDTH; m = m + 1) begin
            need_of[m] = {{(31-OFFSET){1'b0}}, n} <= m;
        end
    end
endfunction

// lanes below n
function [STRB_WIDTH-1:0] lanes_below;
    input [OFFSET:0] n;
    integer m;
    begin
        for (m = 0; m < STRB_WIDTH; m = m + 1) begin
            lanes_below[m] = {{(31-OFFSET){1'b0}}, n} > m;
        end
    end
endfunction

// (lanes 0..hi of the last beat: below its bytes; need of the first and
// last beats: from their bytes, one LUT on the way into the planned beat)
wire [STRB_WIDTH-1:0] w_last_strb_lb = lanes_below(w_last_n_reg);
wire [STRB_WIDTH-1:0] w_last_need_lb = need_of(w_last_n_reg);
wire [STRB_WIDTH-1:0] hd_first_need = need_of(hd_first_n_reg);

// bytes in a tkeep
function [OFFSET:0] keep_count;
    input [STRB_WIDTH-1:0] keep;
    integer k;
    reg c;
    integer j;
    begin
        // (increments written as logic, not adders: no carry chain, so
        // that the few bits of a count map to LUTs)
        keep_count = {(OFFSET+1){1'b0}};
        for (k = 0; k < STRB_WIDTH; k = k + 1) begin
            c = keep[k];
            for (j = 0; j <= OFFSET; j = j + 1) begin
                keep_count[j] = keep_count[j] ^ c;
                c = c & !(keep_count[j]);
            end
        end
    end
endfunction

// the next stream bytes in stream lanes: from lane q up the first beat
// (a), below q the second (b)
reg [DATA_WIDTH-1:0] comb_data;
integer l;
always @* begin
    for (l = 0; l < STRB_WIDTH; l = l + 1) begin
        comb_data[8*l +: 8] = lane_a_reg[l] ? buf_a_reg[8*l +: 8] : buf_b_reg[8*l +: 8];
    end
end

dma_addr_gen #(
    .ADDR_WIDTH(ADDR_WIDTH),
    .LEN_WIDTH(LEN_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN),
    .MAX_OUTSTANDING(MAX_OUTSTANDING)
)
aw_inst (
    .clk(clk),
    .rst(rst),
    .start(start),
    .active(active_reg),
    // none after the stream ended early, a write failed or an abort
    .stop(halt || b_err_now || short_reg || short_now || abort_now),
    .seg_valid(seg_valid),
    .seg_addr(seg_addr),
    .seg_len(seg_len),
    .seg_ready(seg_ready),
    .m_axi_axaddr(m_axi_awaddr),
    .m_axi_axlen(m_axi_awlen),
    .m_axi_axvalid(m_axi_awvalid),
    .m_axi_axready(m_axi_awready),
    .burst_done(b_hs),
    .idle(ag_idle),
    .load(ag_load),
    .load_try(ag_load_try),
    .load_addr(ag_load_addr),
    .load_lenm1(ag_load_lenm1),
    .load_lo(ag_load_lo),
    .load_hi(ag_load_hi),
    .load_bytes(ag_load_bytes),
    .load_first_n(ag_load_first_n),
    .load_last_n(ag_load_last_n),
    .load_single_n(ag_load_single_n)
);

dma_skid #(
    .WIDTH(SKID_WIDTH)
)
skid_inst (
    .clk(clk),
    .rst(rst),
    .s_data({w_is_last, out_strb, rotl_bytes(comb_data, rot_reg)}),
    .s_valid(out_valid),
    .s_ready(out_ready),
    .s_ready_next(out_ready_next),
    .m_data({m_axi_wlast, m_axi_wstrb, m_axi_wdata}),
    .m_valid(m_axi_wvalid),
    .m_ready(m_axi_wready),
    .empty(out_empty)
);

// (out_ready and a planned beat next cycle, after a W beat now or none;
// and no halt)
always @* begin
    ok_next = out_valid ? ok_go : ok_idle;
    okg_next = ok_next && !b_err_next && !stop_next;
end

// Every burst issued is answered, W is empty, the device stream has ended
// with tlast (its beats after a failure are drained, not left), and the
// buffer is empty unless nothing more goes to memory (cnt_reg 0: from
// its one-hot low bits and high bits non-zero, two registers).
// (With the stream ended, the buffer empty and every byte written, every
// burst the command needs has been issued.)
wire finished = in_done_reg && ag_idle &&
                w_pending_reg == {OUT_WIDTH{1'b0}} && !hd_has && !w_beat_reg && out_empty &&
                ((cnt_oh_reg[0] && !cnt_hnz_reg) || halt || short_reg);

// (busy is the register: it falls in the cycle after finished)
assign busy = active_reg;
assign err = b_err_reg;
// (from the cycle after the failure on; only looked at with err)
assign err_addr = {fa_rd_reg, {OFFSET{1'b0}}};
assign dev_err = dev_err_reg;
assign xfer_bytes = okay_bytes_reg;
assign resid = resid_reg;

assign m_axi_bready = m_axi_bready_reg;
assign s_axis_tready = s_axis_tready_reg;

// the planned beat's next figures, if it is replaced (w_adv): the next
// beat of its burst (w_cont) or the head's first (or nothing if there is
// none: then they are not looked at)
localparam PL_WIDTH = 4 + OFFSET + OFFSET + 2 * STRB_WIDTH + LW;
wire [PL_WIDTH-1:0] pl_new_raw = w_cont ?
    {1'b0, w_one_reg, w_lo_new, w_one_reg ? w_last_n_reg : STRB_CNT,
     w_one_reg ? w_last_strb_lb : {STRB_WIDTH{1'b1}},
     w_one_reg ? w_last_need_lb : {STRB_WIDTH{1'b0}},
     w_left_reg - 1'b1, w_left_ext[7:0] == 8'd2} :
    {1'b1, hd_single_reg, w_lo_new, hd_first_n_reg, hd_first_strb_reg,
     hd_first_need, hd_lenm1_reg, hd_double_reg};
wire [PL_WIDTH-1:0] pl_new;
// (the rotation after a W beat with its bytes, or none)
wire [OFFSET-1:0] rot_go_raw = w_lo_new - q_go_sum[OFFSET-1:0];
wire [OFFSET-1:0] rot_idle_raw = (w_beat_reg ? w_lo_reg : w_lo_new) - q_reg;
wire [OFFSET-1:0] rot_go, rot_idle;
wire [OFFSET:0] w_last_n_new;
// (the count moves on with a full beat that is not the last: neither
// ended nor short yet, and more than a beat expected)
wire in_mv_raw = !st_end_reg && !st_short_reg && !port_le1;
wire in_mv;
// (lane l >= q after a W beat with its bytes)
reg [STRB_WIDTH-1:0] lane_a_go_raw;
integer la;
always @* begin
    for (la = 0; la < STRB_WIDTH; la = la + 1) begin
        lane_a_go_raw[la] = {{(32-OFFSET){1'b0}}, q_go_sum[OFFSET-1:0]} <= la;
    end
end
wire [STRB_WIDTH-1:0] lane_a_go;
localparam CUT_WIDTH = STRB_WIDTH/2 + 8 + PL_WIDTH + 2 * OFFSET + OFFSET + 1 + STRB_WIDTH + 1;

dma_cut #(
    .WIDTH(CUT_WIDTH + 2)
)
cut_inst (
    .i({ge_pair_raw, ov_z_raw, q_wrap_raw, st_ns0_raw, st_ns1_raw, w_adv_f_raw, cnt_ce_f_raw,
        w_cont || hd_has, w_beat_reg || hd_has, pl_new_raw, rot_go_raw, rot_idle_raw,
        w_cont ? w_last_n_reg : hd_last_n_reg, lane_a_go_raw, in_mv_raw,
        sk_rn_go && (w_cont || hd_has), sk_rn_idle && (w_beat_reg || hd_has)}),
    .o({ge_pair, ov_z, q_wrap, st_ns0, st_ns1, w_adv_f, cnt_ce_f, w_beat_go, w_beat_idle, pl_new, rot_go, rot_idle,
        w_last_n_new, lane_a_go, in_mv, ok_go, ok_idle})
);

always @* begin
    active_next = active_reg;
    w_pending_next = w_pending_reg;
    w_left_next = w_left_reg;
    w_one_next = w_one_reg;
    hd_valid_next = hd_valid_reg;
    w_last_n_next = w_last_n_reg;
    w_real_next = w_real_reg;
    w_ptr_next = w_ptr_reg;
    b_ptr_next = b_ptr_reg;
    stop_next = stop_reg;
    in_lo_next = in_lo_reg;
    in_hi_next = in_pend_reg ? in_hi_reg - 1'b1 : in_hi_reg;
    in_hz_next = in_pend_reg ? in_hi_reg == {{(LEN_WIDTH-IL_WIDTH-1){1'b0}}, 1'b1} : in_hz_reg;
    in_pend_next = 1'b0;
    st_end_next = st_end_reg;
    st_short_next = st_short_reg;
    st_last_next = st_last_reg;
    in_end_next = in_end_reg;
    in_done_next = in_done_reg;
    short_next = short_reg;
    dev_err_next = dev_err_reg;
    ns_next = ns_reg;
    q_next = q_reg;
    lane_a_next = lane_a_reg;
    cnt_next = cnt_reg;
    cnt_oh_next = cnt_oh_reg;
    cnt_hnz_next = cnt_hnz_reg;
    b_err_next = b_err_reg;
    okay_bytes_next = okay_bytes_reg;
    resid_next = resid_reg;
    okay_hi_inc_next = okay_hi_inc_reg;
    resid_hi_dec_next = resid_hi_dec_reg;

    if (active_reg && finished) begin
        active_next = 1'b0;
    end

    // The W beat produced now either continues the open burst or opens the
    // next burst accepted on AW, so there is no bubble between bursts. Its
    // bytes are the lanes lo..hi.

    // W: a beat when its bytes are in (with this cycle's stream beat);
    // once the stream has ended or the command stopped, the bursts already
    // issued are finished with what is left and then wstrb 0, which
    // writes nothing
    out_valid = 1'b0;
    // (the bytes are there if the buffer holds them, or if a full stream
    // beat comes in now, as a W beat needs STRB_WIDTH bytes at most; a
    // last stream beat that is not full goes into the buffer first and is
    // used a cycle later. Only registers and the port's handshake decide.)
    for (i = 0; i < STRB_WIDTH; i = i + 1) begin
        w_end_mask[i] = 1'b0;
        for (ek = 0; ek <= i; ek = ek + 1) begin
            if (w_lo_reg == ek[OFFSET-1:0] && {{(32-OFFSET){1'b0}}, cnt_reg[OFFSET-1:0]} > i - ek) begin
                w_end_mask[i] = !halt;
            end
        end
    end
    // (with its bytes, or without them after a halt, the stream's end or
    // a short stream: then no beat comes in, and cnt_reg < w_n unless
    // halted)
    // (ok_reg: out_ready && w_beat; okg_reg: and no halt)
    w_go_now = go_any;
    if (ov_any) begin
        out_valid = 1'b1;
    end
    // (go_any: the beat goes with its bytes, so no halt; only looked at
    // with out_valid)
    out_strb = w_strb_reg & (go_any ? {STRB_WIDTH{1'b1}} : w_end_mask);

    // the buffer: what is taken from the first beat moves q on; past its
    // end the second beat (b, or the port's) becomes the first
    // (q + w_take for each w_take, from registers, selected late: the
    // selection comes from the stream's handshake)
    // (only a W beat with its bytes moves q and the slots: after a beat
    // without them, the buffer's place is not looked at again before
    // start, as every later beat goes without bytes too: the stream has
    // ended, or a halt, and cnt_reg is 0 or halt holds)
    if (w_go_now) begin
        q_next = q_go_sum[OFFSET-1:0];
        lane_a_next = lane_a_go;
    end
    // (a beat without its bytes takes the rest: no stream beat comes in
    // then, as the stream has ended or a halt holds; after a halt cnt is
    // not looked at, so it is cleared then too; the W beat's go selects
    // last, between values worked out from registers, so that the enable
    // is one LUT of ov_any and the data one LUT of go_any)
    if (go_any || cnt_ce_f) begin
        cnt_next = go_any ? cnt_x : cnt_y;
        cnt_oh_next = go_any ? cnt_x_oh : cnt_y_oh;
        cnt_hnz_next = go_any ? cnt_x_hnz : cnt_y_hnz;
    end
    // (a is used up when q passes its end: the beats move down; go
    // selects last)
    ns_next = go_any ? ns_go : ns_idle;
    full_next = go_any ? full_go : full_idle;

    // (go selects last, between values from registers)
    w_real_sum = go_any ? w_real_go : w_real_nogo;
    if (ov_any) begin
        w_real_next = w_real_sum;
        if (w_is_last) begin
            // WLAST: the burst's device bytes go to B
            w_ptr_next = w_ptr_reg + 1'b1;
        end
    end

    // the port's beat into the stage: the count moves on (a beat that
    // ends or breaks the stream or the command stops it)
    // (after tlast neither the count nor the flags are looked at: only a
    // beat that is not the last needs them, and it is full or bad)
    if (port_hs && !st_end_reg && !st_short_reg && !s_axis_tlast) begin
        if (!port_full) begin
            st_short_next = 1'b1;
        end else if (port_le1) begin
            st_end_next = 1'b1;
        end
    end
    // (the registers' part of that through the cut: the port's
    // handshake, tlast and tkeep meet it in the last LUTs)
    if (port_hs && !s_axis_tlast && port_full && in_mv) begin
        in_lo_next = {in_lo_dec, in_lo_reg[OFFSET-1:0]};
        in_pend_next = in_lo_reg[IL_WIDTH-1:OFFSET] == {(IL_WIDTH-OFFSET){1'b0}};
    end
    if (port_hs && s_axis_tlast) begin
        st_last_next = 1'b1;
    end

    // the input stage (dma_skid's)
    st_valid_next = st_valid_reg;
    sk_valid_next = sk_valid_reg;
    st_in_to_out = 1'b0;
    st_in_to_skid = 1'b0;
    st_skid_to_out = 1'b0;
    if (s_axis_tready_reg) begin
        if (in_ready || !st_valid_reg) begin
            st_valid_next = s_axis_tvalid;
            st_in_to_out = 1'b1;
        end else begin
            sk_valid_next = s_axis_tvalid;
            st_in_to_skid = 1'b1;
        end
    end else if (in_ready) begin
        st_valid_next = sk_valid_reg;
        sk_valid_next = 1'b0;
        st_skid_to_out = 1'b1;
    end

    // device stream: its bytes go into the buffer while the command
    // expects them
    if (in_hs) begin
        if (data_mode) begin
            if (st_short) begin
                // not packed, or the stream ended early (an empty beat
                // is how a device ends a stream it cannot finish): a
                // device error; the rest of the stream is dropped
                dev_err_next = 1'b1;
                short_next = 1'b1;
            end else if (st_end) begin
                in_end_next = 1'b1;
                if (st_over) begin
                    // more than the command: a device error, the
                    // extra dropped
                    dev_err_next = 1'b1;
                end
            end
        end else if (!halt) begin
            // a beat past the expected count is a device error, a beat
            // drained after a write failure or an abort is not
            dev_err_next = 1'b1;
        end
        if (st_tlast) begin
            in_done_next = 1'b1;
        end
    end

    // B channel: responses come in order (one ID), so the B pointer walks
    // the bursts in the order AW issued them
    if (b_hs) begin
        b_ptr_next = b_ptr_reg + 1'b1;
        if (!b_err_reg) begin
            if (m_axi_bresp != 2'b00) begin
                b_err_next = 1'b1;
            end else begin
                okay_bytes_next[BR_WIDTH-1:0] = okay_lo_sum[BR_WIDTH-1:0];
                resid_next[BR_WIDTH-1:0] = resid_lo_sub[BR_WIDTH-1:0];
            end
        end
    end

    // (the bits above, with b_okay = b_hs && !b_err_reg && OKAY)
    if (b_okay && okay_lo_sum[BR_WIDTH]) begin
        okay_bytes_next[LEN_WIDTH-1:BR_WIDTH] = okay_hi_inc_reg;
        okay_hi_inc_next = okay_hi_inc2;
    end
    if (b_okay && resid_lo_sub[BR_WIDTH]) begin
        resid_next[LEN_WIDTH-1:BR_WIDTH] = resid_hi_dec_reg;
        resid_hi_dec_next = resid_hi_dec2;
    end

    // start only comes while idle: nothing above is in progress
    if (start) begin
        active_next = 1'b1;
        stop_next = 1'b0;
        in_lo_next = start_len[IL_WIDTH-1:0];
        in_hi_next = start_len[LEN_WIDTH-1:IL_WIDTH];
        in_hz_next = start_len[LEN_WIDTH-1:IL_WIDTH] == {(LEN_WIDTH-IL_WIDTH){1'b0}};
        st_end_next = 1'b0;
        st_short_next = 1'b0;
        st_last_next = 1'b0;
        in_end_next = 1'b0;
        in_done_next = 1'b0;
        short_next = 1'b0;
        dev_err_next = 1'b0;
        ns_next = 2'd0;
        q_next = {OFFSET{1'b0}};
        lane_a_next = {STRB_WIDTH{1'b1}};
        cnt_next = {CNT_WIDTH{1'b0}};
        cnt_oh_next = {{(STRB_WIDTH-1){1'b0}}, 1'b1};
        cnt_hnz_next = 1'b0;
        b_err_next = 1'b0;
        okay_bytes_next = {LEN_WIDTH{1'b0}};
        resid_next = start_len;
        okay_hi_inc_next = {{(HI_WIDTH-1){1'b0}}, 1'b1};
        resid_hi_dec_next = start_len[LEN_WIDTH-1:BR_WIDTH] - 1'b1;
    end

    if (abort_now) begin
        stop_next = 1'b1;
    end

    m_axi_bready_next = active_next;

    // s_axis_tready for the next cycle (dma_skid's): the stage's output
    // is taken, or the skid register stays empty; nothing once tlast is in
    data_mode_next = active_next && !in_done_next && !b_err_next && !stop_next && !short_next && !in_end_next;
    s_axis_tready_next = active_next && !st_last_next &&
                         (in_ready || (!sk_valid_reg && (!st_valid_reg || !s_axis_tvalid)));
    flush_next = b_err_next || stop_next || in_done_next || short_next;

    // The W planner (start only comes while it is empty). The planned
    // beat is replaced when it goes or there is none: by the next beat of
    // its burst, or the head's first beat (the head taken), or none. So
    // the next beat is selected from registers (head, last beat's
    // figures), and W's handshake only decides when.
    // (a W burst may start once its AW has been accepted: W never leads
    // AW on the bus, which some interconnects and slaves require; the
    // head is loaded with a burst accepted on AW, in that very cycle)
    w_adv = go_any || w_adv_f;
    hd_took_next = hd_has && (out_valid ? w_is_last_reg : !w_beat_reg);
    hd_load = hd_avail && (!hd_valid_reg || hd_took_reg);
    hd_valid_next = hd_load || hd_has;
    if (aw_hs && !hd_load) begin
        w_pending_next = w_pending_reg + 1'b1;
    end else if (!aw_hs && hd_load) begin
        w_pending_next = w_pending_reg - 1'b1;
    end

    w_open_next = w_open_reg;
    // (not as an enable: w_beat_reg is reset)
    w_beat_next = out_valid ? w_beat_go : w_beat_idle;
    w_is_last_next = w_is_last_reg;
    w_lo_next = w_lo_reg;
    w_n_next = w_n_reg;
    w_strb_next = w_strb_reg;
    w_need_next = w_need_reg;
    if (w_adv) begin
        {w_open_next, w_is_last_next, w_lo_next, w_n_next, w_strb_next,
         w_need_next, w_left_next, w_one_next} = pl_new;
        w_last_n_next = w_last_n_new;
    end

    // the rotation for the next W beat, after a W beat with its bytes
    // (go) or none (idle: also after a beat without bytes, when it is not
    // looked at again)
    rot_next = w_go_now ? rot_go : rot_idle;
end

always @(posedge clk) begin
    active_reg <= active_next;
    w_pending_reg <= w_pending_next;
    w_open_reg <= w_open_next;
    w_beat_reg <= w_beat_next;
    // (the planned beat's figures are not reset: only looked at with
    // w_beat_reg, so their enable, w_adv, has no reset term)
    w_is_last_reg <= w_is_last_next;
    w_lo_reg <= w_lo_next;
    w_n_reg <= w_n_next;
    w_strb_reg <= w_strb_next;
    w_need_reg <= w_need_next;
    data_mode_reg <= data_mode_next;
    w_left_reg <= w_left_next;
    w_one_reg <= w_one_next;
    hd_valid_reg <= hd_valid_next;
    hd_took_reg <= hd_took_next;
    if (hd_ptr_ce) begin
        hd_ptr_reg <= rst ? {PTR_WIDTH{1'b0}} : hd_ptr_reg + 1'b1;
    end
    flush_reg <= flush_next;
    if (hd_load) begin
        hd_lenm1_reg <= w_lenm1_rd;
        hd_single_reg <= w_single_rd;
        hd_double_reg <= w_double_rd;
        hd_lo_reg <= w_lo_rd;
        hd_first_n_reg <= w_first_n_rd;
        hd_last_n_reg <= w_last_n_rd;
        hd_first_strb_reg <= w_first_strb_rd;
    end
    w_last_n_reg <= w_last_n_next;
    w_real_reg <= w_real_next;
    w_ptr_reg <= w_ptr_next;
    b_ptr_reg <= b_ptr_next;
    b_real_rd <= (b_wr_reg && b_wr_ptr_reg == b_ptr_next) ? w_real_reg : b_real_mem[b_ptr_next];
    b_wr_reg <= out_valid && w_is_last;
    b_wr_ptr_reg <= w_ptr_reg;
    stop_reg <= stop_next;
    in_lo_reg <= in_lo_next;
    in_hi_reg <= in_hi_next;
    in_pend_reg <= in_pend_next;
    in_hz_reg <= in_hz_next;
    st_end_reg <= st_end_next;
    st_short_reg <= st_short_next;
    st_last_reg <= st_last_next;
    st_valid_reg <= st_valid_next;
    sk_valid_reg <= sk_valid_next;
    in_end_reg <= in_end_next;
    in_done_reg <= in_done_next;
    short_reg <= short_next;
    dev_err_reg <= dev_err_next;
    ns_reg <= ns_next;
    full_reg <= full_next && !start;
    // (the buffer's registers are not reset: start sets them, and they
    // are not looked at before; so their enables have no reset term)
    q_reg <= q_next;
    lane_a_reg <= lane_a_next;
    rot_reg <= rot_next;
    ok_reg <= ok_next;
    // (dma_skid's valid registers and ready, as it keeps them)
    if (sk_rdy_reg) begin
        if (m_axi_wready || !sk_ov_reg) begin
            sk_ov_reg <= out_valid;
        end else begin
            sk_tv_reg <= out_valid;
        end
    end else if (m_axi_wready) begin
        sk_ov_reg <= sk_tv_reg;
        sk_tv_reg <= 1'b0;
    end
    sk_rdy_reg <= m_axi_wready || (!sk_tv_reg && (!sk_ov_reg || !out_valid));
    okg_reg <= okg_next;
    cnt_reg <= cnt_next;
    cnt_oh_reg <= cnt_oh_next;
    cnt_hnz_reg <= cnt_hnz_next;
    b_err_reg <= b_err_next;
    fa_ptr_reg <= fa_ptr;
    fa_rd_reg <= fa_mem[fa_ptr];
    // (not reset: start loads them, and they are only looked at after it;
    // the bits above the burst's then have one LUT on their enable)
    okay_bytes_reg <= okay_bytes_next;
    resid_reg <= resid_next;
    okay_hi_inc_reg <= okay_hi_inc_next;
    resid_hi_dec_reg <= resid_hi_dec_next;
    m_axi_bready_reg <= m_axi_bready_next;
    b_take_reg <= m_axi_bready_next && !b_err_next;
    s_axis_tready_reg <= s_axis_tready_next;

    // the buffer's beats: a takes the second beat when the first is used
    // up (or the buffer is empty), b the port's beat when a is in use
    // (the stage's beat goes in at ns, or ns - 1 when the beats move
    // down; a register past the last in use may take anything)
    if (buf_ce_a) begin
        buf_a_reg <= ns_reg[1] ? buf_b_reg : st_data;
    end
    if (buf_ce_b) begin
        buf_b_reg <= (ns_reg == 2'd3) ? buf_c_reg : st_data;
    end
    if (in_store && ns_reg[1]) begin
        buf_c_reg <= st_data;
    end

    if (st_in_to_out) begin
        st_reg <= st_in;
    end else if (st_skid_to_out) begin
        st_reg <= sk_reg;
    end
    if (st_in_to_skid) begin
        sk_reg <= st_in;
    end

    // (written whenever a burst may be loaded: if it is not, the entry is
    // not in the FIFO, and is written again)
    if (ag_load_try) begin
        w_lenm1_mem[aw_ptr_reg] <= ag_load_lenm1[LW-1:0];
        w_single_mem[aw_ptr_reg] <= ag_load_lenm1 == 8'd0;
        w_double_mem[aw_ptr_reg] <= ag_load_lenm1 == 8'd1;
        w_lo_mem[aw_ptr_reg] <= ag_load_lo;
        w_first_n_mem[aw_ptr_reg] <= (ag_load_lenm1 == 8'd0) ? ag_load_single_n : ag_load_first_n;
        w_last_n_mem[aw_ptr_reg] <= ag_load_last_n;
        // lanes lo.. of the first beat (..hi if it is the last), 0..hi of
        // the last
        w_first_strb_mem[aw_ptr_reg] <= {STRB_WIDTH{1'b1}} << ag_load_lo &
            ((ag_load_lenm1 == 8'd0) ? {STRB_WIDTH{1'b1}} >> (~ag_load_hi) : {STRB_WIDTH{1'b1}});
    end
    // (not after a failure: the failing burst's entry may be free by then)
    if (ag_load_try && !b_err_reg) begin
        fa_mem[aw_ptr_reg] <= ag_load_addr;
    end
    if (ag_load) begin
        aw_ptr_reg <= aw_ptr_reg + 1'b1;
    end

    if (b_wr_reg) begin
        b_real_mem[b_wr_ptr_reg] <= w_real_reg;
    end

    if (rst) begin
        active_reg <= 1'b0;
        aw_ptr_reg <= {PTR_WIDTH{1'b0}};
        w_ptr_reg <= {PTR_WIDTH{1'b0}};
        hd_valid_reg <= 1'b0;
        hd_took_reg <= 1'b0;
        flush_reg <= 1'b0;
        b_ptr_reg <= {PTR_WIDTH{1'b0}};
        b_wr_reg <= 1'b0;
        stop_reg <= 1'b0;
        w_pending_reg <= {OUT_WIDTH{1'b0}};
        w_beat_reg <= 1'b0;
        st_end_reg <= 1'b0;
        st_short_reg <= 1'b0;
        st_last_reg <= 1'b0;
        st_valid_reg <= 1'b0;
        sk_valid_reg <= 1'b0;
        in_end_reg <= 1'b0;
        in_done_reg <= 1'b0;
        short_reg <= 1'b0;
        data_mode_reg <= 1'b0;
        dev_err_reg <= 1'b0;
        full_reg <= 1'b0;
        ok_reg <= 1'b0;
        sk_ov_reg <= 1'b0;
        sk_tv_reg <= 1'b0;
        sk_rdy_reg <= 1'b0;
        okg_reg <= 1'b0;
        b_err_reg <= 1'b0;
        m_axi_bready_reg <= 1'b0;
        b_take_reg <= 1'b0;
        s_axis_tready_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
