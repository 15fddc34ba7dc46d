/*
 * dma_engine: length of the next AXI4 INCR burst
 *
 * Purely combinational. Given where the next burst starts (only the offset
 * in its 4 KiB page matters) and how many beats are still to move, returns
 * the beats of the next burst: the smallest of MAX_BURST_LEN, the beats left
 * before the 4 KiB boundary (AXI forbids a burst crossing it) and the beats
 * left in the command.
 *
 * The address, length and write paths each keep their own pointer and ask
 * this block, so that all three agree on where bursts start and end without
 * a FIFO of burst lengths between them.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_burst_len #
(
    // Length counter width (beats)
    parameter LEN_WIDTH = 32,
    // Bytes per data beat
    parameter STRB_WIDTH = 4,
    // Longest burst, in beats (1..256)
    parameter MAX_BURST_LEN = 16
)
(
    // Bits 11:0 of the burst start address (beat aligned)
    input  wire [11:0]          page_addr,
    // Beats still to move
    input  wire [LEN_WIDTH-1:0] beats_left,
    // Beats in the next burst: 1..MAX_BURST_LEN, 0 when beats_left is 0
    output wire [8:0]           burst_len
);

localparam OFFSET = $clog2(STRB_WIDTH);
localparam [8:0] MAX_LEN = MAX_BURST_LEN[8:0];

// Bytes to the end of the 4 KiB page (1..4096); the start is beat aligned,
// so the shift is exact.
wire [12:0] page_bytes_left = 13'h1000 - {1'b0, page_addr};
wire [12:0] page_beats_left = page_bytes_left >> OFFSET;

// Anything of 256 beats or more is clamped to 256: no burst is longer.
wire [8:0] left_clamped = (|beats_left[LEN_WIDTH-1:8]) ? 9'd256 : {1'b0, beats_left[7:0]};

reg [8:0] len;

always @* begin
    len = MAX_LEN;
    if (page_beats_left < {4'd0, len}) begin
        len = page_beats_left[8:0];
    end
    if (left_clamped < len) begin
        len = left_clamped;
    end
end

assign burst_len = len;

endmodule

`resetall
`default_nettype wire
