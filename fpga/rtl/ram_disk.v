/*
 * ram_disk: a block device of BLOCKS 512-byte blocks in block RAM, behind
 * dma_engine's device port. It behaves as the co-simulation's BlockDisk
 * (testbench/models/block_disk.cc), without its delays and injected faults:
 *
 *   command: write (memory to device) or read, block, len in bytes.
 *   A command past the end of the disk, or of length 0, fails: on a read
 *   the stream ends at once with an empty beat (tkeep 0, tlast 1); on a
 *   write the data is taken and dropped. Then the status says error.
 *   A write stream that ends early or long, or with an abort beat (tuser),
 *   fails too (what it wrote stays written, as on a real disk).
 *
 * One byte-wide RAM per lane, so tkeep is a plain write enable. Reads run
 * one beat a clock without a skid buffer: the RAM's output register holds
 * the beat on show while the engine stalls (its read enable is low).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module ram_disk #
(
    parameter DATA_WIDTH = 32,
    parameter LEN_WIDTH = 32,
    // disk size in 512-byte blocks (a power of two)
    parameter BLOCKS = 16,
    parameter KEEP_WIDTH = DATA_WIDTH/8
)
(
    input  wire                  clk,
    input  wire                  rst,

    input  wire                  s_cmd_valid,
    output wire                  s_cmd_ready,
    input  wire                  s_cmd_write,
    input  wire [31:0]           s_cmd_block,
    input  wire [LEN_WIDTH-1:0]  s_cmd_len,

    output wire                  m_sts_valid,
    input  wire                  m_sts_ready,
    output wire                  m_sts_error,

    // memory -> device (DDI_DMA_WRITE)
    input  wire [DATA_WIDTH-1:0] s_axis_tdata,
    input  wire [KEEP_WIDTH-1:0] s_axis_tkeep,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    input  wire                  s_axis_tlast,
    input  wire                  s_axis_tuser,

    // device -> memory (DDI_DMA_READ)
    output wire [DATA_WIDTH-1:0] m_axis_tdata,
    output wire [KEEP_WIDTH-1:0] m_axis_tkeep,
    output wire                  m_axis_tvalid,
    input  wire                  m_axis_tready,
    output wire                  m_axis_tlast
);

localparam BYTES = BLOCKS * 512;
localparam WORDS = BYTES / KEEP_WIDTH;
localparam WA = $clog2(WORDS);
localparam KB = $clog2(KEEP_WIDTH);
// block number bits (BLOCKS is 2 or more)
localparam BB = WA - (9 - KB);

localparam [1:0] S_IDLE = 2'd0, S_WRITE = 2'd1, S_READ = 2'd2, S_STATUS = 2'd3;

reg [1:0]           state_reg = S_IDLE;
reg                 fail_reg = 1'b0;      // the command cannot run at all
reg                 err_reg = 1'b0;
reg [WA-1:0]        word_reg = 0;         // next word to write or read
reg [LEN_WIDTH-1:0] left_reg = 0;         // bytes left
reg                 valid_reg = 1'b0;
reg                 last_reg = 1'b0;
reg [KEEP_WIDTH-1:0] keep_reg = 0;

// The command fits when its block is on the disk and block * 512 + len
// does not pass the end. Only the block's low bits enter the sum (its high
// bits are compared with zero), so the adder is as wide as the larger of
// the disk's byte address and the length, plus a carry: ~20 bits, not 42.
localparam DA = WA + KB;                                  // disk byte address bits
localparam EW = (DA > LEN_WIDTH ? DA : LEN_WIDTH) + 1;    // end sum, no wrap
localparam [EW-1:0] DISK_END = {{(EW-DA-1){1'b0}}, 1'b1, {DA{1'b0}}};   // BYTES, a power of two
wire blk_on_disk = ~|s_cmd_block[31:BB];
wire [EW-1:0] cmd_end = {{(EW-DA){1'b0}}, s_cmd_block[BB-1:0], {(9-KB){1'b0}}, {KB{1'b0}}} +
                        {{(EW-LEN_WIDTH){1'b0}}, s_cmd_len};
wire cmd_fail = s_cmd_len == 0 || !blk_on_disk || cmd_end > DISK_END;

wire take = s_axis_tvalid && s_axis_tready;
wire give = m_axis_tvalid && m_axis_tready;

// RAM read: the first beat when the read starts, then the next one each
// time a beat is taken
reg         rd_en;
reg [WA-1:0] rd_word;

assign s_cmd_ready = state_reg == S_IDLE;
assign m_sts_valid = state_reg == S_STATUS;
assign m_sts_error = err_reg;
assign s_axis_tready = state_reg == S_WRITE;
assign m_axis_tvalid = valid_reg;
assign m_axis_tlast = last_reg;
assign m_axis_tkeep = keep_reg;

// bytes in the beat that has `left` bytes still to go
function [KEEP_WIDTH-1:0] keep_for(input [LEN_WIDTH-1:0] left);
    integer k;
    begin
        for (k = 0; k < KEEP_WIDTH; k = k + 1)
            keep_for[k] = left > k[LEN_WIDTH-1:0];
    end
endfunction

always @* begin
    rd_en = 1'b0;
    rd_word = word_reg;
    if (state_reg == S_READ && !fail_reg && left_reg != 0 && (!valid_reg || give))
        rd_en = 1'b1;
end

function [KB:0] popcount(input [KEEP_WIDTH-1:0] k);
    integer j;
    begin
        popcount = 0;
        for (j = 0; j < KEEP_WIDTH; j = j + 1)
            popcount = popcount + {{KB{1'b0}}, k[j]};
    end
endfunction

// a beat carries at most KEEP_WIDTH bytes: comparing it with the bytes left
// needs only left's low KB+1 bits and whether the rest are zero
wire [KB:0] beat_bytes = popcount(s_axis_tkeep);
wire left_small = ~|left_reg[LEN_WIDTH-1:KB+1];
wire beat_too_long = left_small && beat_bytes > left_reg[KB:0];
wire beat_exact = left_small && beat_bytes == left_reg[KB:0];
// one subtractor for both directions: a write beat's bytes, or a read
// beat's KEEP_WIDTH (the last read beat leaves 0: see S_READ)
wire read_last = left_small && left_reg[KB:0] <= KEEP_WIDTH[KB:0];
wire [KB:0] sub_bytes = state_reg == S_READ ? KEEP_WIDTH[KB:0] : beat_bytes;
wire [LEN_WIDTH-1:0] left_sub = left_reg - {{(LEN_WIDTH-KB-1){1'b0}}, sub_bytes};

always @(posedge clk) begin
    if (give)
        valid_reg <= 1'b0;

    case (state_reg)
    S_IDLE: if (s_cmd_valid) begin
        fail_reg <= cmd_fail;
        err_reg <= cmd_fail;
        word_reg <= {s_cmd_block[BB-1:0], {(9-KB){1'b0}}};
        left_reg <= s_cmd_len;
        state_reg <= s_cmd_write ? S_WRITE : S_READ;
    end
    S_WRITE: if (take) begin
        word_reg <= word_reg + 1;
        if (s_axis_tuser || beat_too_long)
            err_reg <= 1'b1;
        else
            left_reg <= left_sub;
        if (s_axis_tlast) begin
            if (!beat_exact)
                err_reg <= 1'b1;
            state_reg <= S_STATUS;
        end
    end
    S_READ: begin
        if (fail_reg) begin
            // one empty last beat, then the error
            if (!valid_reg && !last_reg) begin
                valid_reg <= 1'b1;
                last_reg <= 1'b1;
                keep_reg <= 0;
            end else if (give) begin
                state_reg <= S_STATUS;
            end
        end else if (rd_en) begin
            valid_reg <= 1'b1;
            keep_reg <= keep_for(left_reg);
            last_reg <= read_last;
            left_reg <= read_last ? {LEN_WIDTH{1'b0}} : left_sub;
            word_reg <= word_reg + 1;
        end else if (give && last_reg) begin
            state_reg <= S_STATUS;
        end
    end
    S_STATUS: if (m_sts_ready) begin
        last_reg <= 1'b0;
        state_reg <= S_IDLE;
    end
    endcase

    if (rst) begin
        state_reg <= S_IDLE;
        valid_reg <= 1'b0;
        last_reg <= 1'b0;
    end
end

// storage: one byte-wide RAM per lane
genvar i;
generate
for (i = 0; i < KEEP_WIDTH; i = i + 1) begin : g_lane
    reg [7:0] mem [0:WORDS-1];
    reg [7:0] rdata_reg = 8'd0;
    integer n;
    initial begin
        for (n = 0; n < WORDS; n = n + 1)
            mem[n] = 8'd0;
    end
    always @(posedge clk) begin
        if (take && s_axis_tkeep[i] && !s_axis_tuser && !fail_reg && left_reg > i)
            mem[word_reg] <= s_axis_tdata[8*i +: 8];
        if (rd_en)
            rdata_reg <= mem[rd_word];
    end
    assign m_axis_tdata[8*i +: 8] = rdata_reg;
end
endgenerate

endmodule

`resetall
`default_nettype wire
