/*
 * dma_engine: address side of a datapath (AR for dma_mm2s, AW for dma_s2mm)
 *
 * Takes the segments of a command (seg_*) one at a time and cuts each into
 * AXI4 INCR bursts (at most MAX_BURST_LEN beats, never across a 4 KiB
 * boundary), loading the next one into the Ax register in the cycle the
 * previous one is accepted, with at most MAX_OUTSTANDING bursts in flight.
 *
 * Two register stages, for timing (the UP5K holds one carry chain of
 * about 24 bits per 20 ns cycle):
 *
 * - the segment stage (s1) latches seg_* as they come (from the register
 *   file's list RAM or the command queue's entry bank), with a few
 *   small-adder figures of them (see s1_low). It takes a segment at start
 *   and in the cycle after it empties; seg_ready says the latter only, a
 *   function of registers (the source knows its own start: with start
 *   in it, seg_ready would carry a path from the source round to itself).
 * - the burst stage (s2) holds the burst to load next, all of it in
 *   registers: beat address, beats - 1, first and last byte lane, and
 *   whether it ends the segment. It takes the segment from s1 in the cycle
 *   after its last burst was loaded; so a segment costs the address
 *   channel one cycle, which the data does not see with bursts of two
 *   beats or more.
 *
 * Bursts end on multiples of MAX_BURST_LEN beats (a "chunk"; a 4 KiB page
 * is a multiple of it), as in verilog-axi's axi_dma. So when MAX_BURST_LEN
 * is a power of two (and smaller than a page), every burst of a segment
 * but the first starts on a chunk and every burst but the last is a whole
 * chunk: the segment is its first burst, then a count of bursts (a down
 * counter, rem), the last of them final_len long. Loading a burst then
 * only increments the chunk index of the page (a few bits) and, when the
 * page ends, the page number (one incrementer straight from its register,
 * nothing after it but the entry multiplexer); the counter is split so
 * that its carry chain is short too (see cnt_lo, cnt_hi). Other
 * MAX_BURST_LEN values (not a power of two, 1, or a whole page) cut the
 * bursts with dma_burst_len from a beat counter instead: correct, slower.
 *
 * Every burst loaded is also reported on load_* for the datapath's FIFO,
 * from registers: its address, beats - 1, the byte lane where its first
 * beat starts (the segment's first byte, in the segment's first burst; 0
 * otherwise) and the byte lane where its last beat ends (the segment's
 * last byte, in its last burst; the top lane otherwise).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_addr_gen #
(
    // Width of address bus in bits
    parameter ADDR_WIDTH = 32,
    // Width of the byte length
    parameter LEN_WIDTH = 32,
    // Bytes per data beat
    parameter STRB_WIDTH = 4,
    // Longest burst, in beats (1..256)
    parameter MAX_BURST_LEN = 16,
    // Bursts loaded and not yet completed
    parameter MAX_OUTSTANDING = 4
)
(
    input  wire                          clk,
    input  wire                          rst,

    /*
     * Command: start (a pulse, while idle) forgets a segment left over by
     * a halted command; active while the command runs; stop: load nothing
     * (may come from this cycle's responses; once high it must stay high
     * until the next start)
     */
    input  wire                          start,
    input  wire                          active,
    input  wire                          stop,

    /*
     * Segments: one is taken at start (if seg_valid) and whenever
     * seg_ready is high (registers only)
     */
    input  wire                          seg_valid,
    input  wire [ADDR_WIDTH-1:0]         seg_addr,
    input  wire [LEN_WIDTH-1:0]          seg_len,
    output wire                          seg_ready,

    /*
     * AXI4 address channel (AR or AW)
     */
    output wire [ADDR_WIDTH-1:0]         m_axi_axaddr,
    output wire [7:0]                    m_axi_axlen,
    output wire                          m_axi_axvalid,
    input  wire                          m_axi_axready,

    /*
     * Bursts in flight: burst_done when the datapath has completed one
     * (last R beat, B response); idle when none is (an Ax still waiting
     * for its ready counts)
     */
    input  wire                          burst_done,
    output wire                          idle,

    /*
     * The burst loaded this cycle
     */
    output wire                          load,
    // load but for stop (stop is sticky: nothing loads after it, so this
    // may advance state that is not used again, with a shorter enable)
    output wire                          load_try,
    output wire [ADDR_WIDTH-$clog2(STRB_WIDTH)-1:0] load_addr,   // beat address
    output wire [7:0]                    load_lenm1,    // beats - 1
    output wire [$clog2(STRB_WIDTH)-1:0] load_lo,
    output wire [$clog2(STRB_WIDTH)-1:0] load_hi,
    // bytes of the segment it carries (256 beats at most); in its first
    // beat, its last beat, and its beat if it has only one
    output wire [$clog2(STRB_WIDTH)+8:0] load_bytes,
    output wire [$clog2(STRB_WIDTH):0]   load_first_n,
    output wire [$clog2(STRB_WIDTH):0]   load_last_n,
    output wire [$clog2(STRB_WIDTH):0]   load_single_n
);

localparam OFFSET = $clog2(STRB_WIDTH);
localparam BA_WIDTH = ADDR_WIDTH - OFFSET;      // beat address
localparam PB_WIDTH = 12 - OFFSET;              // beat index in a 4 KiB page
localparam HI_WIDTH = ADDR_WIDTH - 12;          // page number
localparam BEATS_WIDTH = LEN_WIDTH - OFFSET + 1;
localparam OUT_WIDTH = $clog2(MAX_OUTSTANDING+1);
localparam [OUT_WIDTH-1:0] MAX_OUT = MAX_OUTSTANDING;
localparam [31:0] LANE_32 = STRB_WIDTH - 1;
localparam [OFFSET-1:0] LANE_LAST = LANE_32[OFFSET-1:0];
localparam [31:0] STRB_32 = STRB_WIDTH;
localparam [OFFSET:0] STRB_CNT = STRB_32[OFFSET:0];
localparam PAGE_BEATS = 4096 / STRB_WIDTH;
// the burst boundary: MAX_BURST_LEN, or the page if it is smaller
localparam CHUNK = MAX_BURST_LEN < PAGE_BEATS ? MAX_BURST_LEN : PAGE_BEATS;
localparam CL = $clog2(CHUNK);                  // beats of a chunk, log2
// the fast cut: chunks of a power of two beats, 2 or more, 2 or more a page
localparam FAST = (CHUNK & (CHUNK - 1)) == 0 && CL >= 1 && CL < PB_WIDTH;
// bits of a byte offset in a chunk (of the fast cut; 1 otherwise, unused)
localparam K = FAST ? CL + OFFSET : 1;

// the segment stage: the segment as it came, and for the fast cut, with
// c its byte offset in its chunk and len = H * 2^K + L: low = L + c - 1
// (-1 .. 2^(K+1) - 2, K+2 bits two's complement), H == 0, H == 1
reg s1_valid_reg = 1'b0, s1_valid_next;
reg [ADDR_WIDTH-1:0] s1_addr_reg = {ADDR_WIDTH{1'b0}}, s1_addr_next;
reg [LEN_WIDTH-1:0] s1_len_reg = {LEN_WIDTH{1'b0}}, s1_len_next;
reg [K+1:0] s1_low_reg = {(K+2){1'b0}}, s1_low_next;
reg s1_h0_reg = 1'b0, s1_h0_next;
reg s1_h1_reg = 1'b0, s1_h1_next;
// (fast cut) bytes from the segment's address to its chunk's end, 2^K - c
// (a negation of the input's low bits, so that s2 takes it through a
// multiplexer only)
/* verilator lint_off UNUSEDSIGNAL */
reg [K:0] s1_cb_reg = {(K+1){1'b0}}, s1_cb_next;
/* verilator lint_on UNUSEDSIGNAL */

// the burst stage: a burst to load; the rest is in the cut's registers
reg s2_valid_reg = 1'b0, s2_valid_next;
// and it may go: s2 valid, fewer than MAX_OUTSTANDING in flight, and the
// command active (as it was a cycle ago: s2 is empty in the cycle after
// start, and after the end only a halted command leaves a burst there,
// which stop holds). So load is one LUT deep: stop, Ax handshake, this.
reg s2_go_reg = 1'b0, s2_go_next;

// (bursts loaded before the last cycle: one loaded in the last cycle is
// counted a cycle late, load_q, which keeps stop off the counter's
// enable; it has AxVALID high meanwhile, so idle is as exact)
reg [OUT_WIDTH-1:0] outstanding_reg = {OUT_WIDTH{1'b0}}, outstanding_next;
reg load_q_reg = 1'b0;
// The same count by load_try (stop kept out of s2_go, which follows it):
// after stop it may be one over, which no longer matters (nothing loads
// until start, which clears it: start comes while idle, nothing in
// flight). With flags
// for MAX_OUTSTANDING and one less, so s2_go_next is two LUTs deep.
reg [OUT_WIDTH-1:0] out_try_reg = {OUT_WIDTH{1'b0}}, out_try_next;
reg out_full_reg = 1'b0, out_full_next;
reg out_m1_reg = MAX_OUTSTANDING == 1, out_m1_next;

reg [BA_WIDTH-1:0] m_axi_axaddr_reg = {BA_WIDTH{1'b0}}, m_axi_axaddr_next;
reg [7:0] m_axi_axlen_reg = 8'd0, m_axi_axlen_next;
reg m_axi_axvalid_reg = 1'b0, m_axi_axvalid_next;

// from the cut: the burst of s2 ends the segment; s2 may not load in the
// next cycle
wire s2_last;
wire s2_hold_next;

// the stage is refilled in the cycle after it empties (and at start)
wire seg_take = start || (active && !s1_valid_reg);
assign seg_ready = active && !s1_valid_reg;

assign load_try = s2_go_reg && (!m_axi_axvalid_reg || m_axi_axready);
assign load = load_try && !stop;
// s2 takes the segment of s1 when it is empty (a function of registers:
// not in the cycle its last burst is loaded, which would put the Ax
// handshake in front of every register of s2; the address channel has a
// cycle between segments, which the data does not see with bursts of two
// beats or more, as the address channel runs ahead of it)
wire take = s1_valid_reg && !s2_valid_reg;

assign m_axi_axaddr = {m_axi_axaddr_reg, {OFFSET{1'b0}}};
assign m_axi_axlen = m_axi_axlen_reg;
assign m_axi_axvalid = m_axi_axvalid_reg;
assign idle = outstanding_reg == {OUT_WIDTH{1'b0}} && !m_axi_axvalid_reg;

// (the chunk offset is only used by the fast cut)
/* verilator lint_off UNUSEDSIGNAL */
wire [K-1:0] seg_c = seg_addr[K-1:0];
/* verilator lint_on UNUSEDSIGNAL */

always @* begin
    s1_valid_next = s1_valid_reg;
    s1_addr_next = s1_addr_reg;
    s1_len_next = s1_len_reg;
    s1_low_next = s1_low_reg;
    s1_h0_next = s1_h0_reg;
    s1_h1_next = s1_h1_reg;
    s1_cb_next = s1_cb_reg;
    s2_valid_next = s2_valid_reg;
    outstanding_next = outstanding_reg;
    m_axi_axaddr_next = m_axi_axaddr_reg;
    m_axi_axlen_next = m_axi_axlen_reg;
    m_axi_axvalid_next = m_axi_axvalid_reg && !m_axi_axready;

    // Everything but AxVALID and the count in flight follows load_try, not
    // load: stop is sticky (what raises it in a cycle holds it for the
    // rest of the command), so after it nothing here is used again, and
    // the address may change while AxVALID is low. This keeps stop (which
    // may come from this cycle's responses) off the enables of s2.
    if (load_try) begin
        m_axi_axaddr_next = load_addr;
        m_axi_axlen_next = load_lenm1;
        if (s2_last) begin
            s2_valid_next = 1'b0;
        end
    end
    if (load) begin
        m_axi_axvalid_next = 1'b1;
    end

    if (take) begin
        s2_valid_next = 1'b1;
        s1_valid_next = 1'b0;
    end

    if (seg_take) begin
        // (at start a segment left by a halted command is dropped)
        s1_valid_next = seg_valid;
        s1_addr_next = seg_addr;
        s1_len_next = seg_len;
        s1_low_next = {2'b00, seg_len[K-1:0]} + {2'b00, seg_c} - 1'b1;
        s1_h0_next = (seg_len >> K) == {LEN_WIDTH{1'b0}};
        s1_h1_next = (seg_len >> K) == {{(LEN_WIDTH-1){1'b0}}, 1'b1};
        s1_cb_next = {1'b1, {K{1'b0}}} - {1'b0, seg_c};
    end

    if (start) begin
        s2_valid_next = 1'b0;
    end

    // (a burst's last beat or response comes two cycles after its load
    // at the earliest: Ax in the next cycle, then the response)
    if (load_q_reg && !burst_done) begin
        outstanding_next = outstanding_reg + 1'b1;
    end else if (!load_q_reg && burst_done) begin
        outstanding_next = outstanding_reg - 1'b1;
    end
    out_try_next = out_try_reg;
    if (start) begin
        out_try_next = {OUT_WIDTH{1'b0}};
    end else if (load_try && !burst_done) begin
        out_try_next = out_try_reg + 1'b1;
    end else if (!load_try && burst_done) begin
        out_try_next = out_try_reg - 1'b1;
    end
    out_full_next = out_full_reg ? !(burst_done && !load_try) : out_m1_reg && load_try && !burst_done;
    if (start) begin
        out_full_next = 1'b0;
    end
    out_m1_next = out_try_next == MAX_OUT - 1'b1;
    s2_go_next = active && s2_valid_next && !s2_hold_next && !out_full_next;
end

always @(posedge clk) begin
    s1_valid_reg <= s1_valid_next;
    s1_addr_reg <= s1_addr_next;
    s1_len_reg <= s1_len_next;
    s1_low_reg <= s1_low_next;
    s1_h0_reg <= s1_h0_next;
    s1_h1_reg <= s1_h1_next;
    s1_cb_reg <= s1_cb_next;
    s2_valid_reg <= s2_valid_next;
    s2_go_reg <= s2_go_next;
    outstanding_reg <= outstanding_next;
    load_q_reg <= load;
    out_try_reg <= out_try_next;
    out_full_reg <= out_full_next;
    out_m1_reg <= out_m1_next;
    m_axi_axaddr_reg <= m_axi_axaddr_next;
    m_axi_axlen_reg <= m_axi_axlen_next;
    m_axi_axvalid_reg <= m_axi_axvalid_next;

    if (rst) begin
        s1_valid_reg <= 1'b0;
        s2_valid_reg <= 1'b0;
        s2_go_reg <= 1'b0;
        outstanding_reg <= {OUT_WIDTH{1'b0}};
        load_q_reg <= 1'b0;
        out_try_reg <= {OUT_WIDTH{1'b0}};
        out_full_reg <= 1'b0;
        out_m1_reg <= MAX_OUT == {{(OUT_WIDTH-1){1'b0}}, 1'b1};
        m_axi_axvalid_reg <= 1'b0;
    end
end

generate
    if (FAST) begin : g_cut
        // the counter of bursts, CW bits (H zero-extended to 7 bits or
        // more), kept inverted (~cnt counts up: an incrementer needs no
        // inverters): 6 low bits, and high bits stepped a cycle after the
        // low ones wrap (pend), which is soon enough: the counter is only
        // compared with 0..2, and its low bits are 63 then
        localparam CNT_WIDTH = LEN_WIDTH - K;
        localparam CW = CNT_WIDTH > 7 ? CNT_WIDTH : 7;

        // the burst: page number, beat index in the page, beats - 1, byte
        // lanes, ends the segment
        reg [HI_WIDTH-1:0] a_hi_reg = {HI_WIDTH{1'b0}}, a_hi_next;
        // the next page number, a_hi + 1, a cycle behind a_hi (so its
        // carry chain runs between registers with nothing after it): a
        // page step (hi_pend) comes at least two cycles after a_hi last
        // changed (s2 takes a segment, then loads a burst, then steps; a
        // step holds the next load, so two steps are two cycles apart)
        reg [HI_WIDTH-1:0] a_hi_inc_reg = {HI_WIDTH{1'b0}};
        reg [PB_WIDTH-1:0] a_lo_reg = {PB_WIDTH{1'b0}};
        reg [7:0] lenm1_reg = 8'd0;
        reg [OFFSET-1:0] lane_lo_reg = {OFFSET{1'b0}};
        reg [OFFSET-1:0] lane_hi_reg = {OFFSET{1'b0}};
        reg last_reg = 1'b0;
        // the segment: bursts after this one (rem, kept as cnt + delta:
        // see below), the last one's beats - 1 and its last byte lane
        reg [5:0] ncnt_lo_reg = 6'd0;
        reg [CW-7:0] ncnt_hi_reg = {(CW-6){1'b0}}, ncnt_hi_next;
        // (the high bits all ones, worked out as they change)
        reg nhi_ones_reg = 1'b0, nhi_ones_next;
        reg pend_reg = 1'b0, pend_next;
        reg [1:0] delta_reg = 2'd0;
        reg [CL-1:0] final_lenm1_reg = {CL{1'b0}};
        // bytes of the burst, and of the segment's last burst (1..2^K)
        reg [K:0] bytes_reg = {(K+1){1'b0}};
        reg [K:0] final_bytes_reg = {(K+1){1'b0}};
        // bytes of its first, last and only beat, and of the segment's
        // last beat
        reg [OFFSET:0] first_n_reg = {(OFFSET+1){1'b0}};
        reg [OFFSET:0] last_n_reg = {(OFFSET+1){1'b0}};
        reg [OFFSET:0] single_n_reg = {(OFFSET+1){1'b0}};
        reg [OFFSET:0] seg_last_n_reg = {(OFFSET+1){1'b0}};
        reg [OFFSET-1:0] seg_hi_reg = {OFFSET{1'b0}};

        // The segment of s1: its last byte, counted from its chunk's start,
        // is c + len - 1 = H * 2^K + low: the bursts after the first are
        // rem = H + delta (delta = low >> K: -1, 0 or 1), the last burst's
        // beat and lane are the low bits of low. Only low takes an adder
        // (K+2 bits, in s1): the down counter starts from H itself and its
        // compares with constants take delta in.
        wire [CL-1:0] c_beat = s1_addr_reg[K-1:OFFSET];
        wire [K+1:0] low = s1_low_reg;
        // one burst: rem == 0
        wire single = (s1_h0_reg && low[K+1:K] == 2'b00) || (s1_h1_reg && low[K+1:K] == 2'b11);
        // (single: low is c + len - 1, in the chunk, at or after c)
        wire [CL-1:0] first_lenm1 = single ? low[K-1:OFFSET] - c_beat : ~c_beat;
        // rem == 1: the next burst is the segment's last (cnt == 1 - delta)
        wire cnt_le2 = nhi_ones_reg && &ncnt_lo_reg[5:2];
        wire rem_one = cnt_le2 && ((delta_reg == 2'b00 && ncnt_lo_reg[1:0] == 2'b10) ||
                                   (delta_reg == 2'b01 && ncnt_lo_reg[1:0] == 2'b11) ||
                                   (delta_reg == 2'b11 && ncnt_lo_reg[1:0] == 2'b01));
        /* verilator lint_off UNUSEDSIGNAL */
        wire [LEN_WIDTH-1:0] h = s1_len_reg >> K;
        /* verilator lint_on UNUSEDSIGNAL */
        // beats - 1 of the bursts after the first (CL may be 8)
        /* verilator lint_off UNUSEDSIGNAL */
        wire [8:0] next_lenm1 = {{(9-CL){1'b0}}, rem_one ? final_lenm1_reg : {CL{1'b1}}};
        wire [8:0] take_lenm1 = {{(9-CL){1'b0}}, first_lenm1};
        /* verilator lint_on UNUSEDSIGNAL */
        wire page_end = &a_lo_reg[PB_WIDTH-1:CL];
        // the page number is behind (a page ended with the last load)
        reg hi_pend_reg = 1'b0, hi_pend_next;
        assign s2_hold_next = hi_pend_next;

        assign s2_last = last_reg;
        assign load_addr = {a_hi_reg, a_lo_reg};
        assign load_lenm1 = lenm1_reg;
        assign load_lo = lane_lo_reg;
        assign load_hi = lane_hi_reg;
        // (K+1 <= OFFSET+9 bits)
        /* verilator lint_off UNUSEDSIGNAL */
        wire [OFFSET+9:0] bytes_ext = {{(9-CL){1'b0}}, bytes_reg};
        /* verilator lint_on UNUSEDSIGNAL */
        assign load_bytes = bytes_ext[OFFSET+8:0];
        assign load_first_n = first_n_reg;
        assign load_last_n = last_n_reg;
        assign load_single_n = single_n_reg;
        localparam [K:0] CHUNK_BYTES = {1'b1, {K{1'b0}}};

        // The burst registers are loaded from s1 while s2 is empty (take),
        // else with the next burst at load_try; spelled out as that one
        // multiplexer, steered by a register, under one enable (a function
        // of registers and AxREADY, which fans out to the whole stage)
        (* keep *) wire s2_en;
        assign s2_en = load_try || !s2_valid_reg;
        // (the next burst: the next chunk, maybe in the next page, whose
        // page number follows in the next cycle, which loads nothing; the
        // bursts after the first start on lane 0)
        wire [PB_WIDTH-1:0] ld_a_lo = {a_lo_reg[PB_WIDTH-1:CL] + 1'b1, {CL{1'b0}}};
        // (it wraps below 0 after the last when delta is 1: unused)
        wire [5:0] ld_ncnt_lo = ncnt_lo_reg + 1'b1;
        wire [K:0] ld_bytes = rem_one ? final_bytes_reg : CHUNK_BYTES;
        wire [OFFSET:0] ld_last_n = rem_one ? seg_last_n_reg : STRB_CNT;
        wire [OFFSET-1:0] ld_lane_hi = rem_one ? seg_hi_reg : LANE_LAST;
        // (the segment of s1; one burst: len itself (at most 2^K), else to
        // the chunk end)
        wire [K:0] tk_bytes = single ? s1_len_reg[K:0] : s1_cb_reg;
        wire [OFFSET:0] tk_first_n = STRB_CNT - {1'b0, s1_addr_reg[OFFSET-1:0]};
        wire [OFFSET:0] tk_last_n = single ? {1'b0, low[OFFSET-1:0]} + 1'b1 : STRB_CNT;
        wire [OFFSET:0] tk_single_n = single ? {1'b0, low[OFFSET-1:0]} - {1'b0, s1_addr_reg[OFFSET-1:0]} + 1'b1 :
                                               STRB_CNT - {1'b0, s1_addr_reg[OFFSET-1:0]};

        always @* begin
            a_hi_next = a_hi_reg;
            ncnt_hi_next = pend_reg ? ncnt_hi_reg + 1'b1 : ncnt_hi_reg;
            nhi_ones_next = pend_reg ? ncnt_hi_reg == {{(CW-7){1'b1}}, 1'b0} : nhi_ones_reg;
            pend_next = 1'b0;
            hi_pend_next = 1'b0;

            if (hi_pend_reg) begin
                a_hi_next = a_hi_inc_reg;
            end

            // (after the segment's last burst these are not used: they
            // follow load_try alone, which keeps their enable short)
            if (load_try) begin
                hi_pend_next = page_end && !last_reg;
                pend_next = &ncnt_lo_reg && !last_reg;
            end

            if (!s2_valid_reg) begin
                // (s1 goes in whenever s2 is empty, valid or not: the
                // multiplexer is steered by a register)
                a_hi_next = s1_addr_reg[ADDR_WIDTH-1:12];
                ncnt_hi_next = ~h[CW-1:6];
                nhi_ones_next = h[CW-1:6] == {(CW-6){1'b0}};
                pend_next = 1'b0;
            end
        end

        always @(posedge clk) begin
            a_hi_reg <= a_hi_next;
            a_hi_inc_reg <= a_hi_reg + 1'b1;
            ncnt_hi_reg <= ncnt_hi_next;
            nhi_ones_reg <= nhi_ones_next;
            pend_reg <= pend_next;
            hi_pend_reg <= hi_pend_next;

            if (s2_en) begin
                if (s2_valid_reg) begin
                    a_lo_reg <= ld_a_lo;
                    lenm1_reg <= next_lenm1[7:0];
                    lane_lo_reg <= {OFFSET{1'b0}};
                    lane_hi_reg <= ld_lane_hi;
                    last_reg <= rem_one;
                    ncnt_lo_reg <= ld_ncnt_lo;
                    bytes_reg <= ld_bytes;
                    first_n_reg <= STRB_CNT;
                    last_n_reg <= ld_last_n;
                    single_n_reg <= ld_last_n;
                end else begin
                    a_lo_reg <= s1_addr_reg[11:OFFSET];
                    lenm1_reg <= take_lenm1[7:0];
                    lane_lo_reg <= s1_addr_reg[OFFSET-1:0];
                    lane_hi_reg <= single ? low[OFFSET-1:0] : LANE_LAST;
                    last_reg <= single;
                    ncnt_lo_reg <= ~h[5:0];
                    bytes_reg <= tk_bytes;
                    first_n_reg <= tk_first_n;
                    last_n_reg <= tk_last_n;
                    single_n_reg <= tk_single_n;
                end
            end

            // the segment's figures: only at take
            if (!s2_valid_reg) begin
                delta_reg <= low[K+1:K];
                final_lenm1_reg <= low[K-1:OFFSET];
                final_bytes_reg <= {1'b0, low[K-1:0]} + 1'b1;
                seg_last_n_reg <= {1'b0, low[OFFSET-1:0]} + 1'b1;
                seg_hi_reg <= low[OFFSET-1:0];
            end
        end
    end else begin : g_cut
        // beat address and beats left of the segment, byte lanes
        reg [BA_WIDTH-1:0] cur_addr_reg = {BA_WIDTH{1'b0}}, cur_addr_next;
        reg [BEATS_WIDTH-1:0] cur_beats_reg = {BEATS_WIDTH{1'b0}}, cur_beats_next;
        reg [OFFSET-1:0] cur_lo_reg = {OFFSET{1'b0}}, cur_lo_next;
        reg [OFFSET-1:0] cur_hi_reg = {OFFSET{1'b0}}, cur_hi_next;

        // a segment of any byte address and length covers these beats
        wire [OFFSET-1:0] s1_lo = s1_addr_reg[OFFSET-1:0];
        wire [OFFSET:0] s1_lo_round = {1'b0, s1_lo} + {1'b0, LANE_LAST};
        /* verilator lint_off UNUSEDSIGNAL */
        wire [LEN_WIDTH:0] s1_end = {1'b0, s1_len_reg} + {{(LEN_WIDTH-OFFSET){1'b0}}, s1_lo_round};
        /* verilator lint_on UNUSEDSIGNAL */

        wire [8:0] room;
        wire last;
        // (256 beats at most: len - 1 fits 8 bits)
        /* verilator lint_off UNUSEDSIGNAL */
        wire [8:0] len = last ? cur_beats_reg[8:0] : room;
        /* verilator lint_on UNUSEDSIGNAL */

        dma_burst_len #(
            .BEATS_WIDTH(BEATS_WIDTH),
            .STRB_WIDTH(STRB_WIDTH),
            .MAX_BURST_LEN(MAX_BURST_LEN)
        )
        burst_len_inst (
            .page_beat(cur_addr_reg[PB_WIDTH-1:0]),
            .beats_left(cur_beats_reg),
            .room(room),
            .last(last)
        );

        assign s2_last = last;
        assign s2_hold_next = 1'b0;
        assign load_addr = cur_addr_reg;
        assign load_lenm1 = len[7:0] - 8'd1;
        assign load_lo = cur_lo_reg;
        assign load_hi = last ? cur_hi_reg : LANE_LAST;
        assign load_bytes = {load_lenm1, {OFFSET{1'b0}}} + {{9{1'b0}}, load_hi} - {{9{1'b0}}, load_lo} + 1'b1;
        assign load_first_n = STRB_CNT - {1'b0, load_lo};
        assign load_last_n = {1'b0, load_hi} + 1'b1;
        assign load_single_n = {1'b0, load_hi} - {1'b0, load_lo} + 1'b1;

        always @* begin
            cur_addr_next = cur_addr_reg;
            cur_beats_next = cur_beats_reg;
            cur_lo_next = cur_lo_reg;
            cur_hi_next = cur_hi_reg;

            if (load_try) begin
                // by room: after the segment's last burst these are not used
                cur_addr_next = cur_addr_reg + {{(BA_WIDTH-9){1'b0}}, room};
                cur_beats_next = cur_beats_reg - {{(BEATS_WIDTH-9){1'b0}}, room};
                cur_lo_next = {OFFSET{1'b0}};
            end

            if (!s2_valid_reg) begin
                // (s1 goes in whenever s2 is empty, valid or not: the
                // multiplexer is steered by a register)
                cur_addr_next = s1_addr_reg[ADDR_WIDTH-1:OFFSET];
                cur_beats_next = s1_end[LEN_WIDTH:OFFSET];
                cur_lo_next = s1_lo;
                cur_hi_next = s1_lo + s1_len_reg[OFFSET-1:0] - 1'b1;
            end
        end

        always @(posedge clk) begin
            cur_addr_reg <= cur_addr_next;
            cur_beats_reg <= cur_beats_next;
            cur_lo_reg <= cur_lo_next;
            cur_hi_reg <= cur_hi_next;
        end
    end
endgenerate

endmodule

`resetall
`default_nettype wire
