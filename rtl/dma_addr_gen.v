/*
 * dma_engine: address side of a datapath (AR for dma_mm2s, AW for dma_s2mm)
 *
 * Takes the segments of a command (seg_*) one at a time into a register
 * stage and cuts each into AXI4 INCR bursts (dma_burst_len: at most
 * MAX_BURST_LEN beats, never across a 4 KiB boundary), loading the next
 * one into the Ax register in the cycle the previous one is accepted, with
 * at most MAX_OUTSTANDING bursts in flight.
 *
 * The segment stage is there for timing: seg_* come from the register
 * file's list RAM, and the byte-to-beat arithmetic of a segment (an adder
 * as wide as the length) is done on the way into the stage, not on the way
 * to the burst counters; seg_ready is a function of this module's
 * registers and start only. A segment is taken in the cycle after the
 * stage empties, so a segment of one burst costs the address channel a
 * cycle; with bursts of two beats or more the address channel still runs
 * ahead of the data.
 *
 * Every burst loaded is also reported on load_* for the datapath's FIFO:
 * its address, beats, the byte lane where its first beat starts (the
 * segment's first byte, in the segment's first burst; 0 otherwise) and the
 * byte lane where its last beat ends (the segment's last byte, in its last
 * burst; the top lane otherwise).
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
     * (may come from this cycle's responses)
     */
    input  wire                          start,
    input  wire                          active,
    input  wire                          stop,

    /*
     * Segments (seg_ready depends on start and registers only)
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
    output wire [ADDR_WIDTH-$clog2(STRB_WIDTH)-1:0] load_addr,   // beat address
    output wire [8:0]                    load_len,
    output wire [$clog2(STRB_WIDTH)-1:0] load_lo,
    output wire [$clog2(STRB_WIDTH)-1:0] load_hi
);

localparam OFFSET = $clog2(STRB_WIDTH);
localparam BA_WIDTH = ADDR_WIDTH - OFFSET;      // beat address
localparam BEATS_WIDTH = LEN_WIDTH - OFFSET + 1;
localparam OUT_WIDTH = $clog2(MAX_OUTSTANDING+1);
localparam [OUT_WIDTH-1:0] MAX_OUT = MAX_OUTSTANDING;
localparam [31:0] LANE_32 = STRB_WIDTH - 1;
localparam [OFFSET-1:0] LANE_LAST = LANE_32[OFFSET-1:0];

// the segment stage: next burst's beat address, beats left, the first
// byte lane (cleared after the first burst) and the last byte lane
reg cur_valid_reg = 1'b0, cur_valid_next;
reg [BA_WIDTH-1:0] cur_addr_reg = {BA_WIDTH{1'b0}}, cur_addr_next;
reg [BEATS_WIDTH-1:0] cur_beats_reg = {BEATS_WIDTH{1'b0}}, cur_beats_next;
reg [OFFSET-1:0] cur_lo_reg = {OFFSET{1'b0}}, cur_lo_next;
reg [OFFSET-1:0] cur_hi_reg = {OFFSET{1'b0}}, cur_hi_next;

reg [OUT_WIDTH-1:0] outstanding_reg = {OUT_WIDTH{1'b0}}, outstanding_next;

reg [BA_WIDTH-1:0] m_axi_axaddr_reg = {BA_WIDTH{1'b0}}, m_axi_axaddr_next;
reg [7:0] m_axi_axlen_reg = 8'd0, m_axi_axlen_next;
reg m_axi_axvalid_reg = 1'b0, m_axi_axvalid_next;

// a segment of any byte address and length covers these beats
wire [OFFSET-1:0] seg_lo = seg_addr[OFFSET-1:0];
// (one adder as wide as the length: the small terms are summed first)
wire [OFFSET:0] seg_lo_round = {1'b0, seg_lo} + {1'b0, LANE_LAST};
// (its byte bits are not needed: only the beats)
/* verilator lint_off UNUSEDSIGNAL */
wire [LEN_WIDTH:0] seg_end = {1'b0, seg_len} + {{(LEN_WIDTH-OFFSET){1'b0}}, seg_lo_round};
/* verilator lint_on UNUSEDSIGNAL */
wire [OFFSET-1:0] seg_hi = seg_lo + seg_len[OFFSET-1:0] - 1'b1;   // lane of its last byte

wire [8:0] room;
wire last;

dma_burst_len #(
    .BEATS_WIDTH(BEATS_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN)
)
burst_len_inst (
    .page_beat(cur_addr_reg[11-OFFSET:0]),
    .beats_left(cur_beats_reg),
    .room(room),
    .last(last)
);

// the stage is refilled in the cycle after it empties (and at start)
assign seg_ready = start || (active && !cur_valid_reg);

assign load = active && !stop && cur_valid_reg && (!m_axi_axvalid_reg || m_axi_axready) &&
              outstanding_reg < MAX_OUT;
assign load_addr = cur_addr_reg;
assign load_len = last ? cur_beats_reg[8:0] : room;
assign load_lo = cur_lo_reg;
assign load_hi = last ? cur_hi_reg : LANE_LAST;

assign m_axi_axaddr = {m_axi_axaddr_reg, {OFFSET{1'b0}}};
assign m_axi_axlen = m_axi_axlen_reg;
assign m_axi_axvalid = m_axi_axvalid_reg;
assign idle = outstanding_reg == {OUT_WIDTH{1'b0}};

always @* begin
    cur_valid_next = cur_valid_reg;
    cur_addr_next = cur_addr_reg;
    cur_beats_next = cur_beats_reg;
    cur_lo_next = cur_lo_reg;
    cur_hi_next = cur_hi_reg;
    outstanding_next = outstanding_reg;
    m_axi_axaddr_next = m_axi_axaddr_reg;
    m_axi_axlen_next = m_axi_axlen_reg;
    m_axi_axvalid_next = m_axi_axvalid_reg && !m_axi_axready;

    if (load) begin
        m_axi_axaddr_next = cur_addr_reg;
        m_axi_axlen_next = load_len[7:0] - 8'd1;
        m_axi_axvalid_next = 1'b1;
        // by room: after the segment's last burst these are not used
        cur_addr_next = cur_addr_reg + {{(BA_WIDTH-9){1'b0}}, room};
        cur_beats_next = cur_beats_reg - {{(BEATS_WIDTH-9){1'b0}}, room};
        cur_lo_next = {OFFSET{1'b0}};
        cur_valid_next = !last;
    end

    if (seg_ready) begin
        // (at start a segment left by a halted command is dropped)
        cur_valid_next = seg_valid;
        cur_addr_next = seg_addr[ADDR_WIDTH-1:OFFSET];
        cur_beats_next = seg_end[LEN_WIDTH:OFFSET];
        cur_lo_next = seg_lo;
        cur_hi_next = seg_hi;
    end

    if (load && !burst_done) begin
        outstanding_next = outstanding_reg + 1'b1;
    end else if (!load && burst_done) begin
        outstanding_next = outstanding_reg - 1'b1;
    end
end

always @(posedge clk) begin
    cur_valid_reg <= cur_valid_next;
    cur_addr_reg <= cur_addr_next;
    cur_beats_reg <= cur_beats_next;
    cur_lo_reg <= cur_lo_next;
    cur_hi_reg <= cur_hi_next;
    outstanding_reg <= outstanding_next;
    m_axi_axaddr_reg <= m_axi_axaddr_next;
    m_axi_axlen_reg <= m_axi_axlen_next;
    m_axi_axvalid_reg <= m_axi_axvalid_next;

    if (rst) begin
        cur_valid_reg <= 1'b0;
        outstanding_reg <= {OUT_WIDTH{1'b0}};
        m_axi_axvalid_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
