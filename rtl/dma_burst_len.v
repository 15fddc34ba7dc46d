/*
 * dma_engine: where the next AXI4 INCR burst ends
 *
 * Purely combinational. Given where the next burst starts (its beat index
 * in its 4 KiB page) and how many beats the segment still has, returns
 * room, the beats to the next burst boundary, and last, set when the
 * segment's remaining beats fit in one burst (the burst is then
 * beats_left long, else room long).
 *
 * Burst boundaries: when MAX_BURST_LEN is a power of two, bursts end on
 * multiples of MAX_BURST_LEN beats (or of the 4 KiB page if that is
 * smaller), as in verilog-axi's axi_dma: since the page is a multiple of
 * such a chunk, no burst crosses a 4 KiB boundary, and room is a few bits
 * of the address (no comparison with the page end). Otherwise room is the
 * smaller of MAX_BURST_LEN and the beats left in the page.
 *
 * The caller subtracts room, not the burst length, from its counters: if
 * the burst is the last of the segment the counters are not used again,
 * so no multiplexer sits in front of the adders.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_burst_len #
(
    // Width of beats_left
    parameter BEATS_WIDTH = 32,
    // Bytes per data beat
    parameter STRB_WIDTH = 4,
    // Longest burst, in beats (1..256)
    parameter MAX_BURST_LEN = 16
)
(
    // Beat index of the burst start in its 4 KiB page (address bits
    // 11:OFFSET; with power-of-two bursts only the bits within a burst)
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [11-$clog2(STRB_WIDTH):0] page_beat,
    /* verilator lint_on UNUSEDSIGNAL */
    // Beats the segment still has (not 0)
    input  wire [BEATS_WIDTH-1:0]         beats_left,
    // Beats to the next burst boundary (1..256)
    output wire [8:0]                     room,
    // beats_left <= room: this burst ends the segment
    output wire                           last
);

localparam OFFSET = $clog2(STRB_WIDTH);
localparam PB_WIDTH = 12 - OFFSET;
localparam PAGE_BEATS = 4096 / STRB_WIDTH;
// the burst boundary: MAX_BURST_LEN, or the page if it is smaller
localparam CHUNK = MAX_BURST_LEN < PAGE_BEATS ? MAX_BURST_LEN : PAGE_BEATS;
localparam CHUNK_POW2 = (CHUNK & (CHUNK - 1)) == 0;
localparam CHUNK_LOG2 = $clog2(CHUNK);
localparam [31:0] CHUNK_32 = CHUNK;
localparam [31:0] PAGE_BEATS_32 = PAGE_BEATS;
localparam [31:0] MAX_LEN_32 = MAX_BURST_LEN;

// (bit 9 is only compared with when the chunk is not a power of two)
/* verilator lint_off UNUSEDSIGNAL */
wire [9:0] room_10;
/* verilator lint_on UNUSEDSIGNAL */

generate
    if (CHUNK_POW2 && CHUNK_LOG2 == 0) begin : g_room
        // one-beat bursts
        assign room_10 = 10'd1;
    end else if (CHUNK_POW2) begin : g_room
        // to the next multiple of CHUNK beats
        wire [CHUNK_LOG2-1:0] in_chunk = page_beat[CHUNK_LOG2-1:0];
        assign room_10 = CHUNK_32[9:0] - {{(10-CHUNK_LOG2){1'b0}}, in_chunk};
    end else begin : g_room
        // the smaller of MAX_BURST_LEN and the beats left in the page
        wire [12:0] page_left = PAGE_BEATS_32[12:0] - {{(13-PB_WIDTH){1'b0}}, page_beat};
        // page_left < MAX_BURST_LEN <= 256 when it is used
        assign room_10 = (page_left < MAX_LEN_32[12:0]) ? page_left[9:0] : MAX_LEN_32[9:0];
    end

    // beats_left <= room, room <= 256: the high bits of beats_left are 0
    // and the low 9 compare
    // (power-of-two chunks: beats_left <= CHUNK - in_chunk is
    // beats_left + in_chunk <= CHUNK, one adder and a compare with a
    // constant, not a subtracter and then a comparator)
    if (CHUNK_POW2 && CHUNK_LOG2 > 0 && BEATS_WIDTH > 9) begin : g_last
        wire [9:0] end_10 = {1'b0, beats_left[8:0]} + {{(10-CHUNK_LOG2){1'b0}}, page_beat[CHUNK_LOG2-1:0]};
        assign last = ~|beats_left[BEATS_WIDTH-1:9] && end_10 <= CHUNK_32[9:0];
    end else if (BEATS_WIDTH > 9) begin : g_last
        assign last = ~|beats_left[BEATS_WIDTH-1:9] && {1'b0, beats_left[8:0]} <= room_10;
    end else begin : g_last
        assign last = {{(10-BEATS_WIDTH){1'b0}}, beats_left} <= room_10;
    end
endgenerate

assign room = room_10[8:0];

endmodule

`resetall
`default_nettype wire
