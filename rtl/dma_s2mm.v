/*
 * dma_engine: device to memory datapath (DDI_DMA_READ)
 *
 * Writes the device stream to the buffer with AXI4 INCR bursts (at most
 * MAX_BURST_LEN beats, never across a 4 KiB boundary).
 *
 * The buffer is a list of segments (scatter-gather) handed over one at a
 * time on the seg_* interface: the AW side takes the next segment in the
 * cycle after it loaded the last burst of the previous one, so segments
 * follow each other on AW without a bubble; the stream side only counts
 * bytes (start_len is the total). Segments may start and end at any byte:
 * the device's bytes go into a byte buffer, and each W beat takes the
 * bytes of its lanes inside the segment from it, shifted into place, with
 * wstrb for those lanes only, so realignment costs no extra pass.
 *
 * AW bursts are issued ahead of the data, up to MAX_OUTSTANDING without a
 * B response; W beats only ever belong to a burst already accepted on AW.
 * Every burst loaded on AW is written, with its start address, length and
 * first/last byte lanes, into a FIFO of MAX_OUTSTANDING entries that the W
 * side reads (length for WLAST, lanes for wstrb) and the B side frees
 * (address and bytes, for the error address and the bytes acknowledged).
 * W goes through an output register plus skid register; s_axis_tready is
 * a register, high while the byte buffer has room for a beat, and data
 * still moves one beat per cycle, burst boundaries included.
 *
 * A burst on AW is never broken: when the stream ends early (tlast before
 * the expected last byte) or a B response fails, no further AW is issued
 * and the rest of every burst already issued is sent with what the buffer
 * still holds (stream ended) and then wstrb 0, which writes nothing. Beats past the expected count, and after a failed B
 * response, are accepted and dropped until tlast so the device never
 * stalls.
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
     * Segments of the command, in order (seg_valid may be high from the
     * start cycle on); seg_ready takes one
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
localparam OUT_WIDTH = $clog2(MAX_OUTSTANDING+1);
localparam [OUT_WIDTH-1:0] MAX_OUT = MAX_OUTSTANDING;
localparam [ADDR_WIDTH-1:0] BEAT_BYTES = {{(ADDR_WIDTH-1){1'b0}}, 1'b1} << OFFSET;
localparam PTR_WIDTH = $clog2(MAX_OUTSTANDING);
// byte counts of a beat (0..STRB_WIDTH) and of the buffer (0..3*STRB_WIDTH)
localparam CNT_WIDTH = OFFSET + 3;
localparam [31:0] STRB_32 = STRB_WIDTH;
localparam [31:0] LANE_32 = STRB_WIDTH - 1;
localparam [CNT_WIDTH-1:0] STRB_CNT = STRB_32[CNT_WIDTH-1:0];
localparam [OFFSET-1:0] LANE_LAST = LANE_32[OFFSET-1:0];
localparam PK_WIDTH = 3*DATA_WIDTH;
// bytes of one burst (up to 256 beats)
localparam BB_WIDTH = OFFSET + 10;

// command state
reg active_reg = 1'b0, active_next;

// AW side: the segment being issued: next burst address (beat aligned),
// beats left, first byte lane of its first beat (for the first burst only)
// and last byte lane of its last beat
reg [ADDR_WIDTH-1:0] aw_addr_reg = {ADDR_WIDTH{1'b0}}, aw_addr_next;
reg [LEN_WIDTH-1:0] aw_beats_reg = {LEN_WIDTH{1'b0}}, aw_beats_next;
reg aw_first_reg = 1'b0, aw_first_next;
reg [OFFSET-1:0] aw_lo_reg = {OFFSET{1'b0}}, aw_lo_next;
reg [OFFSET-1:0] aw_hi_reg = {OFFSET{1'b0}}, aw_hi_next;
// bursts loaded on AW and not yet answered on B
reg [OUT_WIDTH-1:0] outstanding_reg = {OUT_WIDTH{1'b0}}, outstanding_next;

// bursts loaded on AW: start address, beats, first byte lane of the first
// beat, last byte lane of the last beat; written at AW load, read by W when
// it opens the burst and by B when its response comes
reg [ADDR_WIDTH-1:0] burst_addr_mem[0:(2**PTR_WIDTH)-1];
reg [8:0] burst_len_mem[0:(2**PTR_WIDTH)-1];
reg [OFFSET-1:0] burst_lo_mem[0:(2**PTR_WIDTH)-1];
reg [OFFSET-1:0] burst_hi_mem[0:(2**PTR_WIDTH)-1];
reg [PTR_WIDTH-1:0] burst_wr_ptr_reg = {PTR_WIDTH{1'b0}}, burst_wr_ptr_next;
reg [PTR_WIDTH-1:0] w_ptr_reg = {PTR_WIDTH{1'b0}}, w_ptr_next;
reg [PTR_WIDTH-1:0] b_ptr_reg = {PTR_WIDTH{1'b0}}, b_ptr_next;

// W side: bursts accepted on AW whose first W beat has not been produced,
// the beats left in the burst being sent (0: none open) and the last byte
// lane of that burst's last beat
reg [OUT_WIDTH-1:0] w_pending_reg = {OUT_WIDTH{1'b0}}, w_pending_next;
reg [8:0] w_left_reg = 9'd0, w_left_next;
reg [OFFSET-1:0] w_hi_reg = {OFFSET{1'b0}}, w_hi_next;

// stopped by abort: like a failed write, without the error
reg stop_reg = 1'b0, stop_next;

// stream side: bytes still expected, tlast seen, stream ended early
reg [LEN_WIDTH-1:0] in_bytes_reg = {LEN_WIDTH{1'b0}}, in_bytes_next;
reg in_done_reg = 1'b0, in_done_next;
reg short_reg = 1'b0, short_next;
reg dev_err_reg = 1'b0, dev_err_next;

// byte buffer between the stream and W: device bytes packed from byte 0
// (room for three beats, so a beat can come in every cycle while one goes
// out, whatever the alignment)
reg [PK_WIDTH-1:0] pk_data_reg = {PK_WIDTH{1'b0}}, pk_data_next;
reg [CNT_WIDTH-1:0] pk_cnt_reg = {CNT_WIDTH{1'b0}}, pk_cnt_next;

// B side: first failure
reg b_err_reg = 1'b0, b_err_next;
reg [ADDR_WIDTH-1:0] err_addr_reg = {ADDR_WIDTH{1'b0}}, err_addr_next;

// bytes of the bursts acknowledged OKAY contiguously from the start, bytes
// of device data put on W (in order from the start); what reached memory
// is the smaller of the two
reg [LEN_WIDTH-1:0] okay_bytes_reg = {LEN_WIDTH{1'b0}}, okay_bytes_next;
reg [LEN_WIDTH-1:0] real_bytes_reg = {LEN_WIDTH{1'b0}}, real_bytes_next;

reg [ADDR_WIDTH-1:0] m_axi_awaddr_reg = {ADDR_WIDTH{1'b0}}, m_axi_awaddr_next;
reg [7:0] m_axi_awlen_reg = 8'd0, m_axi_awlen_next;
reg m_axi_awvalid_reg = 1'b0, m_axi_awvalid_next;
reg m_axi_bready_reg = 1'b0, m_axi_bready_next;
reg s_axis_tready_reg = 1'b0, s_axis_tready_next;

// internal W stream into the output stage
reg [DATA_WIDTH-1:0] m_axi_wdata_int;
reg [STRB_WIDTH-1:0] m_axi_wstrb_int;
reg                  m_axi_wlast_int;
reg                  m_axi_wvalid_int;
reg                  m_axi_wready_int_reg = 1'b0;
wire                 m_axi_wready_int_early;

reg aw_load;
reg aw_issued;
reg b_done;
reg w_open;
reg [8:0] w_cur_left;
reg [OFFSET-1:0] w_cur_hi;
reg [OFFSET-1:0] w_lo;
reg [OFFSET-1:0] w_hi;
reg [CNT_WIDTH-1:0] w_n;
reg [CNT_WIDTH-1:0] w_take;
reg [CNT_WIDTH-1:0] in_n;
reg [BB_WIDTH-1:0] b_bytes;
reg data_mode;
reg data_mode_next;
reg drop_mode_next;
integer j;

// where the next burst starts: once a segment is used up, straight from the
// next one, so the first AW of a command is loaded in the start cycle and
// segments follow each other without a bubble
// (at start the previous command may have been halted with beats left)
wire aw_seg_empty = start || aw_beats_reg == {LEN_WIDTH{1'b0}};
// a segment of any byte address and length covers these bus beats
wire [OFFSET-1:0] seg_lo = seg_addr[OFFSET-1:0];
wire [LEN_WIDTH:0] seg_end = {1'b0, seg_len} + {{(LEN_WIDTH+1-OFFSET){1'b0}}, seg_lo};
wire [OFFSET-1:0] seg_hi = seg_lo + seg_len[OFFSET-1:0] - 1'b1;   // lane of its last byte
wire [LEN_WIDTH-OFFSET:0] seg_beats = seg_end[LEN_WIDTH:OFFSET] + {{(LEN_WIDTH-OFFSET){1'b0}}, |seg_end[OFFSET-1:0]};
wire [ADDR_WIDTH-1:0] aw_cur_addr = aw_seg_empty ? (seg_addr & ~(BEAT_BYTES - 1'b1)) : aw_addr_reg;
wire [LEN_WIDTH-1:0] aw_cur_beats = aw_seg_empty ? (seg_valid ? {{(OFFSET-1){1'b0}}, seg_beats} : {LEN_WIDTH{1'b0}}) : aw_beats_reg;
wire aw_cur_first = aw_seg_empty ? 1'b1 : aw_first_reg;
wire [OFFSET-1:0] aw_cur_lo = aw_seg_empty ? seg_lo : aw_lo_reg;
wire [OFFSET-1:0] aw_cur_hi = aw_seg_empty ? seg_hi : aw_hi_reg;
// no new data to memory: a write failed or the command was aborted
wire halt = b_err_reg || stop_reg;

wire [8:0] aw_burst_len;
wire [8:0] w_burst_len = burst_len_mem[w_ptr_reg];
wire [OFFSET-1:0] w_burst_lo = burst_lo_mem[w_ptr_reg];
wire [OFFSET-1:0] w_burst_hi = burst_hi_mem[w_ptr_reg];
wire [8:0] b_burst_len = burst_len_mem[b_ptr_reg];
wire [OFFSET-1:0] b_burst_lo = burst_lo_mem[b_ptr_reg];
wire [OFFSET-1:0] b_burst_hi = burst_hi_mem[b_ptr_reg];
wire [ADDR_WIDTH-1:0] b_addr = burst_addr_mem[b_ptr_reg];

dma_burst_len #(
    .LEN_WIDTH(LEN_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN)
)
aw_burst_len_inst (
    .page_addr(aw_cur_addr[11:0]),
    .beats_left(aw_cur_beats),
    .burst_len(aw_burst_len)
);

// output stage registers (declared here, logic at the end)
reg [DATA_WIDTH-1:0] m_axi_wdata_reg = {DATA_WIDTH{1'b0}};
reg [STRB_WIDTH-1:0] m_axi_wstrb_reg = {STRB_WIDTH{1'b0}};
reg                  m_axi_wlast_reg = 1'b0;
reg                  m_axi_wvalid_reg = 1'b0, m_axi_wvalid_next;

reg [DATA_WIDTH-1:0] temp_m_axi_wdata_reg = {DATA_WIDTH{1'b0}};
reg [STRB_WIDTH-1:0] temp_m_axi_wstrb_reg = {STRB_WIDTH{1'b0}};
reg                  temp_m_axi_wlast_reg = 1'b0;
reg                  temp_m_axi_wvalid_reg = 1'b0, temp_m_axi_wvalid_next;

// Every burst issued is answered, W is empty and the device stream has
// ended with tlast (its beats after a failure are drained, not left).
// (With the stream ended and every byte of it in a burst, every burst the
// command needs has been issued.)
wire finished = in_done_reg &&
                outstanding_reg == {OUT_WIDTH{1'b0}} &&
                w_pending_reg == {OUT_WIDTH{1'b0}} && w_left_reg == 9'd0 &&
                !m_axi_wvalid_reg && !temp_m_axi_wvalid_reg;

assign busy = active_reg && !finished;
assign err = b_err_reg;
assign err_addr = err_addr_reg;
assign dev_err = dev_err_reg;
assign xfer_bytes = (okay_bytes_reg < real_bytes_reg) ? okay_bytes_reg : real_bytes_reg;

assign m_axi_awaddr = m_axi_awaddr_reg;
assign m_axi_awlen = m_axi_awlen_reg;
assign m_axi_awvalid = m_axi_awvalid_reg;
assign m_axi_bready = m_axi_bready_reg;
assign s_axis_tready = s_axis_tready_reg;
assign seg_ready = aw_load && aw_seg_empty;

always @* begin
    active_next = active_reg;
    aw_addr_next = aw_addr_reg;
    aw_beats_next = aw_beats_reg;
    aw_first_next = aw_first_reg;
    aw_lo_next = aw_lo_reg;
    aw_hi_next = aw_hi_reg;
    outstanding_next = outstanding_reg;
    w_pending_next = w_pending_reg;
    w_left_next = w_left_reg;
    w_hi_next = w_hi_reg;
    burst_wr_ptr_next = burst_wr_ptr_reg;
    w_ptr_next = w_ptr_reg;
    b_ptr_next = b_ptr_reg;
    stop_next = stop_reg;
    in_bytes_next = in_bytes_reg;
    in_done_next = in_done_reg;
    short_next = short_reg;
    dev_err_next = dev_err_reg;
    pk_data_next = pk_data_reg;
    pk_cnt_next = pk_cnt_reg;
    b_err_next = b_err_reg;
    err_addr_next = err_addr_reg;
    okay_bytes_next = okay_bytes_reg;
    real_bytes_next = real_bytes_reg;

    m_axi_awaddr_next = m_axi_awaddr_reg;
    m_axi_awlen_next = m_axi_awlen_reg;
    m_axi_awvalid_next = m_axi_awvalid_reg && !m_axi_awready;

    aw_load = 1'b0;
    aw_issued = m_axi_awvalid_reg && m_axi_awready;
    b_done = 1'b0;

    if (active_reg && finished) begin
        active_next = 1'b0;
    end

    // The W beat produced now either continues the open burst or opens the
    // next burst issued on AW, so there is no bubble between bursts. Its
    // bytes are the lanes lo..hi: lo only on a segment's first beat, hi only
    // on its last.
    w_open = w_left_reg == 9'd0 && w_pending_reg != {OUT_WIDTH{1'b0}};
    w_cur_left = w_open ? w_burst_len : w_left_reg;
    w_cur_hi = w_open ? w_burst_hi : w_hi_reg;
    w_lo = w_open ? w_burst_lo : {OFFSET{1'b0}};
    w_hi = (w_cur_left == 9'd1) ? w_cur_hi : LANE_LAST;
    w_n = {3'd0, w_hi} - {3'd0, w_lo} + 1'b1;

    m_axi_wdata_int = pk_data_reg[DATA_WIDTH-1:0] << (8*w_lo);
    m_axi_wstrb_int = {STRB_WIDTH{1'b0}};
    m_axi_wlast_int = w_cur_left == 9'd1;
    m_axi_wvalid_int = 1'b0;
    w_take = {CNT_WIDTH{1'b0}};

    // W: a beat when its bytes are in the buffer; once the stream has ended
    // or the command stopped, the bursts already issued are finished with
    // what is left and then wstrb 0, which writes nothing.
    if (m_axi_wready_int_reg && w_cur_left != 9'd0) begin
        if (!halt && pk_cnt_reg >= w_n) begin
            m_axi_wvalid_int = 1'b1;
            w_take = w_n;
        end else if (halt || in_done_reg) begin
            m_axi_wvalid_int = 1'b1;
            w_take = halt ? {CNT_WIDTH{1'b0}} : pk_cnt_reg;
        end
        m_axi_wstrb_int = ({STRB_WIDTH{1'b1}} >> (STRB_CNT - w_take)) << w_lo;
        pk_data_next = pk_data_reg >> (8*w_take);
        pk_cnt_next = pk_cnt_reg - w_take;
        // bytes of device data on W (what the buffer still holds after a
        // stop is never written)
        real_bytes_next = real_bytes_reg + {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, w_take};
    end

    if (m_axi_wvalid_int) begin
        if (w_open) begin
            w_ptr_next = w_ptr_reg + 1'b1;
            w_hi_next = w_burst_hi;
        end
        w_left_next = w_cur_left - 9'd1;
    end

    // device stream: its bytes (tkeep is contiguous from lane 0) go into
    // the buffer while the command expects them
    data_mode = !in_done_reg && !halt && in_bytes_reg != {LEN_WIDTH{1'b0}};
    in_n = {CNT_WIDTH{1'b0}};
    for (j = 0; j < STRB_WIDTH; j = j + 1) begin
        in_n = in_n + {{(CNT_WIDTH-1){1'b0}}, s_axis_tkeep[j]};
    end
    if (s_axis_tready_reg && s_axis_tvalid) begin
        if (data_mode) begin
            if ({{(LEN_WIDTH-CNT_WIDTH){1'b0}}, in_n} > in_bytes_reg) begin
                // more than the command: a device error, the extra dropped
                dev_err_next = 1'b1;
                in_n = in_bytes_reg[CNT_WIDTH-1:0];
            end
            pk_data_next = pk_data_next | ({{(PK_WIDTH-DATA_WIDTH){1'b0}}, s_axis_tdata & ({DATA_WIDTH{1'b1}} >> (8*(STRB_CNT - in_n)))} << (8*pk_cnt_next));
            pk_cnt_next = pk_cnt_next + in_n;
            in_bytes_next = in_bytes_reg - {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, in_n};
            if (s_axis_tlast) begin
                in_done_next = 1'b1;
                if (in_bytes_next != {LEN_WIDTH{1'b0}}) begin
                    // stream ended early (an empty beat is how a device
                    // ends a stream it cannot finish)
                    short_next = 1'b1;
                    dev_err_next = 1'b1;
                end
            end
        end else begin
            // drop: a beat past the expected count is a device error, a
            // beat drained after a write failure or an abort is not
            if (!halt) begin
                dev_err_next = 1'b1;
            end
            if (s_axis_tlast) begin
                in_done_next = 1'b1;
            end
        end
    end

    // B channel: responses come in order (one ID), so the B pointer walks
    // the bursts in the order AW issued them
    b_bytes = ({{(BB_WIDTH-9){1'b0}}, b_burst_len} << OFFSET) - {{(BB_WIDTH-OFFSET){1'b0}}, b_burst_lo} -
              ({{(BB_WIDTH-OFFSET){1'b0}}, LANE_LAST} - {{(BB_WIDTH-OFFSET){1'b0}}, b_burst_hi});
    if (m_axi_bready_reg && m_axi_bvalid) begin
        b_done = 1'b1;
        b_ptr_next = b_ptr_reg + 1'b1;
        if (!b_err_reg) begin
            if (m_axi_bresp != 2'b00) begin
                b_err_next = 1'b1;
                err_addr_next = b_addr;
            end else begin
                okay_bytes_next = okay_bytes_reg + {{(LEN_WIDTH-BB_WIDTH){1'b0}}, b_bytes};
            end
        end
    end

    // start only comes while idle: nothing above is in progress
    if (start) begin
        active_next = 1'b1;
        aw_beats_next = {LEN_WIDTH{1'b0}};
        w_left_next = 9'd0;
        stop_next = 1'b0;
        in_bytes_next = start_len;
        in_done_next = 1'b0;
        short_next = 1'b0;
        dev_err_next = 1'b0;
        pk_cnt_next = {CNT_WIDTH{1'b0}};
        pk_data_next = {PK_WIDTH{1'b0}};
        b_err_next = 1'b0;
        err_addr_next = {ADDR_WIDTH{1'b0}};
        okay_bytes_next = {LEN_WIDTH{1'b0}};
        real_bytes_next = {LEN_WIDTH{1'b0}};
    end

    if (abort && active_reg) begin
        stop_next = 1'b1;
    end

    // AW channel: load the next burst as soon as the register is free; none
    // after the stream ended early, a write failed or an abort
    if ((active_reg || start) && !b_err_next && !short_next && !stop_next && aw_cur_beats != {LEN_WIDTH{1'b0}} &&
            (!m_axi_awvalid_reg || m_axi_awready) && outstanding_reg < MAX_OUT) begin
        aw_load = 1'b1;
        burst_wr_ptr_next = burst_wr_ptr_reg + 1'b1;
        m_axi_awaddr_next = aw_cur_addr;
        m_axi_awlen_next = aw_burst_len[7:0] - 8'd1;
        m_axi_awvalid_next = 1'b1;
        aw_addr_next = aw_cur_addr + ({{(ADDR_WIDTH-9){1'b0}}, aw_burst_len} << OFFSET);
        aw_beats_next = aw_cur_beats - {{(LEN_WIDTH-9){1'b0}}, aw_burst_len};
        aw_first_next = 1'b0;
        aw_lo_next = aw_cur_lo;
        aw_hi_next = aw_cur_hi;
    end

    if (aw_load && !b_done) begin
        outstanding_next = outstanding_reg + 1'b1;
    end else if (!aw_load && b_done) begin
        outstanding_next = outstanding_reg - 1'b1;
    end

    // a W burst may start once its AW has been accepted: W never leads AW
    // on the bus, which some interconnects and slaves require
    if (aw_issued && !(m_axi_wvalid_int && w_open)) begin
        w_pending_next = w_pending_reg + 1'b1;
    end else if (!aw_issued && m_axi_wvalid_int && w_open) begin
        w_pending_next = w_pending_reg - 1'b1;
    end

    m_axi_bready_next = active_next;
end

// s_axis_tready for the next cycle: take a beat while the buffer will have
// room for a whole one after W takes its next beat; drain freely when
// dropping; nothing once tlast is in.
always @* begin
    data_mode_next = !in_done_next && !b_err_next && !stop_next && in_bytes_next != {LEN_WIDTH{1'b0}};
    drop_mode_next = !in_done_next && !data_mode_next;
    s_axis_tready_next = active_next && (drop_mode_next ||
                         (data_mode_next && pk_cnt_next <= 2*STRB_CNT));
end

always @(posedge clk) begin
    active_reg <= active_next;
    aw_addr_reg <= aw_addr_next;
    aw_beats_reg <= aw_beats_next;
    aw_first_reg <= aw_first_next;
    aw_lo_reg <= aw_lo_next;
    aw_hi_reg <= aw_hi_next;
    outstanding_reg <= outstanding_next;
    w_pending_reg <= w_pending_next;
    w_left_reg <= w_left_next;
    w_hi_reg <= w_hi_next;
    burst_wr_ptr_reg <= burst_wr_ptr_next;
    w_ptr_reg <= w_ptr_next;
    b_ptr_reg <= b_ptr_next;
    stop_reg <= stop_next;
    in_bytes_reg <= in_bytes_next;
    in_done_reg <= in_done_next;
    short_reg <= short_next;
    dev_err_reg <= dev_err_next;
    pk_data_reg <= pk_data_next;
    pk_cnt_reg <= pk_cnt_next;
    b_err_reg <= b_err_next;
    err_addr_reg <= err_addr_next;
    okay_bytes_reg <= okay_bytes_next;
    real_bytes_reg <= real_bytes_next;

    m_axi_awaddr_reg <= m_axi_awaddr_next;
    m_axi_awlen_reg <= m_axi_awlen_next;
    m_axi_awvalid_reg <= m_axi_awvalid_next;
    m_axi_bready_reg <= m_axi_bready_next;
    s_axis_tready_reg <= s_axis_tready_next;

    if (aw_load) begin
        burst_addr_mem[burst_wr_ptr_reg] <= aw_cur_addr;
        burst_len_mem[burst_wr_ptr_reg] <= aw_burst_len;
        // first byte lane only for the segment's first burst, last byte
        // lane only for its last
        burst_lo_mem[burst_wr_ptr_reg] <= aw_cur_first ? aw_cur_lo : {OFFSET{1'b0}};
        burst_hi_mem[burst_wr_ptr_reg] <= (aw_cur_beats == {{(LEN_WIDTH-9){1'b0}}, aw_burst_len}) ? aw_cur_hi : LANE_LAST;
    end

    if (rst) begin
        active_reg <= 1'b0;
        burst_wr_ptr_reg <= {PTR_WIDTH{1'b0}};
        w_ptr_reg <= {PTR_WIDTH{1'b0}};
        b_ptr_reg <= {PTR_WIDTH{1'b0}};
        stop_reg <= 1'b0;
        aw_beats_reg <= {LEN_WIDTH{1'b0}};
        outstanding_reg <= {OUT_WIDTH{1'b0}};
        w_pending_reg <= {OUT_WIDTH{1'b0}};
        w_left_reg <= 9'd0;
        in_bytes_reg <= {LEN_WIDTH{1'b0}};
        in_done_reg <= 1'b0;
        short_reg <= 1'b0;
        dev_err_reg <= 1'b0;
        pk_cnt_reg <= {CNT_WIDTH{1'b0}};
        b_err_reg <= 1'b0;
        err_addr_reg <= {ADDR_WIDTH{1'b0}};
        okay_bytes_reg <= {LEN_WIDTH{1'b0}};
        real_bytes_reg <= {LEN_WIDTH{1'b0}};
        m_axi_awvalid_reg <= 1'b0;
        m_axi_bready_reg <= 1'b0;
        s_axis_tready_reg <= 1'b0;
    end
end

// Output stage: output register plus skid register, so that the ready
// that the stream side sees is registered and W still moves one beat per
// cycle.
reg store_axi_w_int_to_output;
reg store_axi_w_int_to_temp;
reg store_axi_w_temp_to_output;

assign m_axi_wdata = m_axi_wdata_reg;
assign m_axi_wstrb = m_axi_wstrb_reg;
assign m_axi_wvalid = m_axi_wvalid_reg;
assign m_axi_wlast = m_axi_wlast_reg;

// enable ready input next cycle if output is ready or the temp reg will
// not be filled on the next cycle (output reg empty or no input)
assign m_axi_wready_int_early = m_axi_wready || (!temp_m_axi_wvalid_reg && (!m_axi_wvalid_reg || !m_axi_wvalid_int));

always @* begin
    m_axi_wvalid_next = m_axi_wvalid_reg;
    temp_m_axi_wvalid_next = temp_m_axi_wvalid_reg;

    store_axi_w_int_to_output = 1'b0;
    store_axi_w_int_to_temp = 1'b0;
    store_axi_w_temp_to_output = 1'b0;

    if (m_axi_wready_int_reg) begin
        // input is ready
        if (m_axi_wready || !m_axi_wvalid_reg) begin
            // output is ready or currently not valid, transfer data to output
            m_axi_wvalid_next = m_axi_wvalid_int;
            store_axi_w_int_to_output = 1'b1;
        end else begin
            // output is not ready, store input in temp
            temp_m_axi_wvalid_next = m_axi_wvalid_int;
            store_axi_w_int_to_temp = 1'b1;
        end
    end else if (m_axi_wready) begin
        // input is not ready, but output is ready
        m_axi_wvalid_next = temp_m_axi_wvalid_reg;
        temp_m_axi_wvalid_next = 1'b0;
        store_axi_w_temp_to_output = 1'b1;
    end
end

always @(posedge clk) begin
    m_axi_wvalid_reg <= m_axi_wvalid_next;
    m_axi_wready_int_reg <= m_axi_wready_int_early;
    temp_m_axi_wvalid_reg <= temp_m_axi_wvalid_next;

    // datapath
    if (store_axi_w_int_to_output) begin
        m_axi_wdata_reg <= m_axi_wdata_int;
        m_axi_wstrb_reg <= m_axi_wstrb_int;
        m_axi_wlast_reg <= m_axi_wlast_int;
    end else if (store_axi_w_temp_to_output) begin
        m_axi_wdata_reg <= temp_m_axi_wdata_reg;
        m_axi_wstrb_reg <= temp_m_axi_wstrb_reg;
        m_axi_wlast_reg <= temp_m_axi_wlast_reg;
    end

    if (store_axi_w_int_to_temp) begin
        temp_m_axi_wdata_reg <= m_axi_wdata_int;
        temp_m_axi_wstrb_reg <= m_axi_wstrb_int;
        temp_m_axi_wlast_reg <= m_axi_wlast_int;
    end

    if (rst) begin
        m_axi_wvalid_reg <= 1'b0;
        m_axi_wready_int_reg <= 1'b0;
        temp_m_axi_wvalid_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
