/*
 * dma_engine: memory to device datapath (DDI_DMA_WRITE)
 *
 * Reads the buffer with AXI4 INCR bursts (at most MAX_BURST_LEN beats,
 * never across a 4 KiB boundary) and forwards the R beats to the device
 * stream, tlast on the last beat of the command.
 *
 * The buffer is a list of segments (scatter-gather) handed over one at a
 * time on the seg_* interface: the AR side takes the next segment in the
 * cycle after it loaded the last burst of the previous one, so segments
 * follow each other on AR without a bubble. The R side only counts bytes
 * (start_len is the total); the start address of every burst in flight,
 * with the first byte lane of its first beat and the last byte lane of its
 * last beat, is kept in a small FIFO. Segments may start and end at any
 * byte: the bytes of each R beat that belong to the segment are appended
 * to a packing buffer, and the stream takes full beats from it (the last
 * beat of the command with tkeep for its bytes only), so realignment costs
 * no extra pass and no bubble.
 *
 * Up to MAX_OUTSTANDING bursts may be requested ahead of their data; the
 * next AR is loaded in the cycle the previous one is accepted, so the
 * address channel never idles between bursts. The stream goes through a
 * two register output stage (output register plus skid register, as in
 * verilog-axi); rready is a register, high while the packing buffer has
 * room for a beat, and the stream still moves one beat per cycle.
 *
 * On a beat with RRESP != OKAY: no further AR is issued, that beat and the
 * bytes still in the packing buffer are dropped, an abort beat (tkeep 0,
 * tlast 1, tuser 1) ends the stream so the device can abandon the command,
 * and every later R beat of the bursts already issued is accepted and
 * dropped (rready held high) so no handshake is broken.
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
    input  wire                   stream_enable,   // device has taken the command: data may flow
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
    output wire                   err,             // a beat came back with RRESP != OKAY
    output wire [ADDR_WIDTH-1:0]  err_addr,        // address of that beat
    output wire [LEN_WIDTH-1:0]   xfer_bytes,      // bytes the device has accepted

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
localparam OUT_WIDTH = $clog2(MAX_OUTSTANDING+1);
localparam [OUT_WIDTH-1:0] MAX_OUT = MAX_OUTSTANDING;
localparam [ADDR_WIDTH-1:0] BEAT_BYTES = {{(ADDR_WIDTH-1){1'b0}}, 1'b1} << OFFSET;
localparam PTR_WIDTH = $clog2(MAX_OUTSTANDING);
// byte counts of a beat (0..STRB_WIDTH) and of the packing buffer (0..3*STRB_WIDTH)
localparam CNT_WIDTH = OFFSET + 3;
localparam [31:0] STRB_32 = STRB_WIDTH;
localparam [31:0] LANE_32 = STRB_WIDTH - 1;
localparam [CNT_WIDTH-1:0] STRB_CNT = STRB_32[CNT_WIDTH-1:0];
localparam [OFFSET-1:0] LANE_LAST = LANE_32[OFFSET-1:0];
localparam PK_WIDTH = 3*DATA_WIDTH;

// command state
reg active_reg = 1'b0, active_next;

// address side: the segment being requested: next burst address (beat
// aligned), beats left, first byte lane of its first beat (for the first
// burst only) and last byte lane of its last beat
reg [ADDR_WIDTH-1:0] ar_addr_reg = {ADDR_WIDTH{1'b0}}, ar_addr_next;
reg [LEN_WIDTH-1:0] ar_beats_reg = {LEN_WIDTH{1'b0}}, ar_beats_next;
reg ar_first_reg = 1'b0, ar_first_next;
reg [OFFSET-1:0] ar_lo_reg = {OFFSET{1'b0}}, ar_lo_next;
reg [OFFSET-1:0] ar_hi_reg = {OFFSET{1'b0}}, ar_hi_next;
// bursts loaded on AR whose last R beat has not come yet
reg [OUT_WIDTH-1:0] outstanding_reg = {OUT_WIDTH{1'b0}}, outstanding_next;

// data side: bytes still to receive, address of the next R beat (valid
// within a burst; the first beat of a burst takes it from the FIFO)
reg [LEN_WIDTH-1:0] r_bytes_reg = {LEN_WIDTH{1'b0}}, r_bytes_next;
reg [ADDR_WIDTH-1:0] r_addr_reg = {ADDR_WIDTH{1'b0}}, r_addr_next;
reg r_first_reg = 1'b1, r_first_next;

// the bursts in flight (written at AR load, read by R): start address, first
// byte lane of the first beat, last byte lane of the last beat
reg [ADDR_WIDTH-1:0] burst_addr_mem[0:(2**PTR_WIDTH)-1];
reg [OFFSET-1:0] burst_lo_mem[0:(2**PTR_WIDTH)-1];
reg [OFFSET-1:0] burst_hi_mem[0:(2**PTR_WIDTH)-1];
reg [PTR_WIDTH-1:0] burst_wr_ptr_reg = {PTR_WIDTH{1'b0}}, burst_wr_ptr_next;
reg [PTR_WIDTH-1:0] burst_rd_ptr_reg = {PTR_WIDTH{1'b0}}, burst_rd_ptr_next;
wire [ADDR_WIDTH-1:0] burst_rd_addr = burst_addr_mem[burst_rd_ptr_reg];
wire [OFFSET-1:0] burst_rd_lo = burst_lo_mem[burst_rd_ptr_reg];
wire [OFFSET-1:0] burst_rd_hi = burst_hi_mem[burst_rd_ptr_reg];

// packing buffer: the bytes of the R beats, packed from byte 0, waiting
// for the stream (room for three beats, so a beat can come in every cycle
// while a full one goes out, whatever the alignment)
reg [PK_WIDTH-1:0] pk_data_reg = {PK_WIDTH{1'b0}}, pk_data_next;
reg [CNT_WIDTH-1:0] pk_cnt_reg = {CNT_WIDTH{1'b0}}, pk_cnt_next;
// bytes still to hand to the stream
reg [LEN_WIDTH-1:0] out_bytes_reg = {LEN_WIDTH{1'b0}}, out_bytes_next;

// stopped by abort: drop, and owe the device an abort beat
reg stop_reg = 1'b0, stop_next;
reg abort_beat_reg = 1'b0, abort_beat_next;
reg tlast_sent_reg = 1'b0, tlast_sent_next;

reg err_reg = 1'b0, err_next;
reg [ADDR_WIDTH-1:0] err_addr_reg = {ADDR_WIDTH{1'b0}}, err_addr_next;
reg [LEN_WIDTH-1:0] xfer_bytes_reg = {LEN_WIDTH{1'b0}}, xfer_bytes_next;

reg [ADDR_WIDTH-1:0] m_axi_araddr_reg = {ADDR_WIDTH{1'b0}}, m_axi_araddr_next;
reg [7:0] m_axi_arlen_reg = 8'd0, m_axi_arlen_next;
reg m_axi_arvalid_reg = 1'b0, m_axi_arvalid_next;
reg m_axi_rready_reg = 1'b0, m_axi_rready_next;

// internal stream into the output stage
reg [DATA_WIDTH-1:0] m_axis_tdata_int;
reg [STRB_WIDTH-1:0] m_axis_tkeep_int;
reg                  m_axis_tvalid_int;
reg                  m_axis_tlast_int;
reg                  m_axis_tuser_int;
reg                  m_axis_tready_int_reg = 1'b0;
wire                 m_axis_tready_int_early;

reg ar_load;
reg burst_done;
reg [ADDR_WIDTH-1:0] r_cur_addr;
reg [OFFSET-1:0] r_lo;
reg [OFFSET-1:0] r_hi;
reg [CNT_WIDTH-1:0] r_n;
reg [CNT_WIDTH-1:0] out_n;
reg [CNT_WIDTH-1:0] keep_cnt;
reg [PK_WIDTH-1:0] r_bytes_in;
integer j;

// where the next burst starts: once a segment is used up, straight from the
// next one, so the first AR of a command is loaded in the start cycle and
// segments follow each other without a bubble
// (at start the previous command may have been halted with beats left)
wire ar_seg_empty = start || ar_beats_reg == {LEN_WIDTH{1'b0}};
// a segment of any byte address and length covers these bus beats
wire [OFFSET-1:0] seg_lo = seg_addr[OFFSET-1:0];
wire [LEN_WIDTH:0] seg_end = {1'b0, seg_len} + {{(LEN_WIDTH+1-OFFSET){1'b0}}, seg_lo};
wire [OFFSET-1:0] seg_hi = seg_lo + seg_len[OFFSET-1:0] - 1'b1;   // lane of its last byte
wire [LEN_WIDTH-OFFSET:0] seg_beats = seg_end[LEN_WIDTH:OFFSET] + {{(LEN_WIDTH-OFFSET){1'b0}}, |seg_end[OFFSET-1:0]};
wire [ADDR_WIDTH-1:0] ar_cur_addr = ar_seg_empty ? (seg_addr & ~(BEAT_BYTES - 1'b1)) : ar_addr_reg;
wire [LEN_WIDTH-1:0] ar_cur_beats = ar_seg_empty ? (seg_valid ? {{(OFFSET-1){1'b0}}, seg_beats} : {LEN_WIDTH{1'b0}}) : ar_beats_reg;
wire ar_cur_first = ar_seg_empty ? 1'b1 : ar_first_reg;
wire [OFFSET-1:0] ar_cur_lo = ar_seg_empty ? seg_lo : ar_lo_reg;
wire [OFFSET-1:0] ar_cur_hi = ar_seg_empty ? seg_hi : ar_hi_reg;
wire halt = err_reg || stop_reg;

wire [8:0] ar_burst_len;

dma_burst_len #(
    .LEN_WIDTH(LEN_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN)
)
ar_burst_len_inst (
    .page_addr(ar_cur_addr[11:0]),
    .beats_left(ar_cur_beats),
    .burst_len(ar_burst_len)
);

// output stage registers (declared here, logic at the end)
reg [DATA_WIDTH-1:0] m_axis_tdata_reg = {DATA_WIDTH{1'b0}};
reg [STRB_WIDTH-1:0] m_axis_tkeep_reg = {STRB_WIDTH{1'b0}};
reg                  m_axis_tvalid_reg = 1'b0, m_axis_tvalid_next;
reg                  m_axis_tlast_reg = 1'b0;
reg                  m_axis_tuser_reg = 1'b0;

reg [DATA_WIDTH-1:0] temp_m_axis_tdata_reg = {DATA_WIDTH{1'b0}};
reg [STRB_WIDTH-1:0] temp_m_axis_tkeep_reg = {STRB_WIDTH{1'b0}};
reg                  temp_m_axis_tvalid_reg = 1'b0, temp_m_axis_tvalid_next;
reg                  temp_m_axis_tlast_reg = 1'b0;
reg                  temp_m_axis_tuser_reg = 1'b0;

// Everything requested has come back (or was dropped) and the stream has
// handed its last beat to the device. Outstanding bursts include an AR
// still waiting for arready. After an abort, the abort beat must have gone
// too.
wire finished = (halt || (r_bytes_reg == {LEN_WIDTH{1'b0}} && pk_cnt_reg == {CNT_WIDTH{1'b0}})) &&
                !abort_beat_reg &&
                outstanding_reg == {OUT_WIDTH{1'b0}} &&
                !m_axis_tvalid_reg && !temp_m_axis_tvalid_reg;

assign busy = active_reg && !finished;
assign err = err_reg;
assign err_addr = err_addr_reg;
assign xfer_bytes = xfer_bytes_reg;

assign m_axi_araddr = m_axi_araddr_reg;
assign m_axi_arlen = m_axi_arlen_reg;
assign m_axi_arvalid = m_axi_arvalid_reg;
assign m_axi_rready = m_axi_rready_reg;
assign seg_ready = ar_load && ar_seg_empty;

always @* begin
    active_next = active_reg;
    ar_addr_next = ar_addr_reg;
    ar_beats_next = ar_beats_reg;
    ar_first_next = ar_first_reg;
    ar_lo_next = ar_lo_reg;
    ar_hi_next = ar_hi_reg;
    outstanding_next = outstanding_reg;
    r_bytes_next = r_bytes_reg;
    r_addr_next = r_addr_reg;
    r_first_next = r_first_reg;
    burst_wr_ptr_next = burst_wr_ptr_reg;
    burst_rd_ptr_next = burst_rd_ptr_reg;
    pk_data_next = pk_data_reg;
    pk_cnt_next = pk_cnt_reg;
    out_bytes_next = out_bytes_reg;
    stop_next = stop_reg;
    abort_beat_next = abort_beat_reg;
    tlast_sent_next = tlast_sent_reg;
    err_next = err_reg;
    err_addr_next = err_addr_reg;
    xfer_bytes_next = xfer_bytes_reg;

    m_axi_araddr_next = m_axi_araddr_reg;
    m_axi_arlen_next = m_axi_arlen_reg;
    m_axi_arvalid_next = m_axi_arvalid_reg && !m_axi_arready;

    m_axis_tdata_int = pk_data_reg[DATA_WIDTH-1:0];
    m_axis_tkeep_int = {STRB_WIDTH{1'b1}};
    m_axis_tvalid_int = 1'b0;
    m_axis_tlast_int = 1'b0;
    m_axis_tuser_int = 1'b0;

    ar_load = 1'b0;
    burst_done = 1'b0;

    if (active_reg && finished) begin
        active_next = 1'b0;
    end

    // Stream side first: a full beat from the packing buffer, or the last,
    // partial one once every byte has come in.
    out_n = (pk_cnt_reg >= STRB_CNT) ? STRB_CNT : pk_cnt_reg;
    if (!halt && m_axis_tready_int_reg && pk_cnt_reg != {CNT_WIDTH{1'b0}} &&
            (pk_cnt_reg >= STRB_CNT || r_bytes_reg == {LEN_WIDTH{1'b0}})) begin
        m_axis_tvalid_int = 1'b1;
        m_axis_tkeep_int = {STRB_WIDTH{1'b1}} >> (STRB_CNT - out_n);
        m_axis_tdata_int = pk_data_reg[DATA_WIDTH-1:0] & ({DATA_WIDTH{1'b1}} >> (8*(STRB_CNT - out_n)));
        m_axis_tlast_int = out_bytes_reg == {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, out_n};
        out_bytes_next = out_bytes_reg - {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, out_n};
        // the bytes at and above pk_cnt are always 0, so a partial (last)
        // beat empties the buffer: a fixed shift by a beat does it all
        pk_data_next = (pk_cnt_reg >= STRB_CNT) ? (pk_data_reg >> DATA_WIDTH) : {PK_WIDTH{1'b0}};
        pk_cnt_next = pk_cnt_reg - out_n;
    end

    // R channel: rready is only high when the packing buffer has room for a
    // beat (and the device has the command), or when dropping after an
    // error or abort. The bytes of a beat are its lanes inside the segment.
    r_cur_addr = r_first_reg ? burst_rd_addr : r_addr_reg;
    r_lo = r_first_reg ? burst_rd_lo : {OFFSET{1'b0}};
    r_hi = m_axi_rlast ? burst_rd_hi : LANE_LAST;
    r_n = {3'd0, r_hi} - {3'd0, r_lo} + 1'b1;
    r_bytes_in = {{(PK_WIDTH-DATA_WIDTH){1'b0}}, (m_axi_rdata >> (8*r_lo)) & ({DATA_WIDTH{1'b1}} >> (8*(STRB_CNT - r_n)))};
    if (m_axi_rready_reg && m_axi_rvalid) begin
        r_addr_next = r_cur_addr + BEAT_BYTES;
        r_first_next = m_axi_rlast;
        burst_done = m_axi_rlast;
        if (m_axi_rlast) begin
            burst_rd_ptr_next = burst_rd_ptr_reg + 1'b1;
        end
        if (!halt) begin
            if (m_axi_rresp != 2'b00) begin
                // first failing beat: nothing more goes to the device but
                // the abort beat
                err_next = 1'b1;
                err_addr_next = r_cur_addr;
                abort_beat_next = !tlast_sent_reg && !(m_axis_tvalid_int && m_axis_tlast_int);
            end else begin
                r_bytes_next = r_bytes_reg - {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, r_n};
                pk_data_next = pk_data_next | (r_bytes_in << (8*pk_cnt_next));
                pk_cnt_next = pk_cnt_next + r_n;
            end
        end
    end

    // abort: stop at once; the device is owed an abort beat unless the
    // stream has already ended (or an error beat is ending it)
    if (abort && active_reg && !halt && !err_next) begin
        stop_next = 1'b1;
        abort_beat_next = !tlast_sent_reg && !(m_axis_tvalid_int && m_axis_tlast_int);
    end else if (abort_beat_reg && m_axis_tready_int_reg && stream_enable) begin
        // nothing else goes into the output stage once halted
        abort_beat_next = 1'b0;
        m_axis_tvalid_int = 1'b1;
        m_axis_tdata_int = {DATA_WIDTH{1'b0}};
        m_axis_tkeep_int = {STRB_WIDTH{1'b0}};
        m_axis_tlast_int = 1'b1;
        m_axis_tuser_int = 1'b1;
    end

    if (m_axis_tvalid_int && m_axis_tlast_int) begin
        tlast_sent_next = 1'b1;
    end

    // bytes the device accepted (the abort beat carries none)
    keep_cnt = {CNT_WIDTH{1'b0}};
    for (j = 0; j < STRB_WIDTH; j = j + 1) begin
        keep_cnt = keep_cnt + {{(CNT_WIDTH-1){1'b0}}, m_axis_tkeep_reg[j]};
    end
    if (m_axis_tvalid_reg && m_axis_tready && !m_axis_tuser_reg) begin
        xfer_bytes_next = xfer_bytes_reg + {{(LEN_WIDTH-CNT_WIDTH){1'b0}}, keep_cnt};
    end

    // start only comes while idle: nothing above is in progress
    if (start) begin
        active_next = 1'b1;
        ar_beats_next = {LEN_WIDTH{1'b0}};
        r_bytes_next = start_len;
        r_first_next = 1'b1;
        out_bytes_next = start_len;
        pk_cnt_next = {CNT_WIDTH{1'b0}};
        pk_data_next = {PK_WIDTH{1'b0}};
        stop_next = 1'b0;
        abort_beat_next = 1'b0;
        tlast_sent_next = 1'b0;
        err_next = 1'b0;
        err_addr_next = {ADDR_WIDTH{1'b0}};
        xfer_bytes_next = {LEN_WIDTH{1'b0}};
    end

    // AR channel: load the next burst as soon as the register is free, so
    // bursts go out back to back; stop at once on an error.
    if ((active_reg || start) && !err_next && !stop_next && ar_cur_beats != {LEN_WIDTH{1'b0}} &&
            (!m_axi_arvalid_reg || m_axi_arready) && outstanding_reg < MAX_OUT) begin
        ar_load = 1'b1;
        burst_wr_ptr_next = burst_wr_ptr_reg + 1'b1;
        m_axi_araddr_next = ar_cur_addr;
        m_axi_arlen_next = ar_burst_len[7:0] - 8'd1;
        m_axi_arvalid_next = 1'b1;
        ar_addr_next = ar_cur_addr + ({{(ADDR_WIDTH-9){1'b0}}, ar_burst_len} << OFFSET);
        ar_beats_next = ar_cur_beats - {{(LEN_WIDTH-9){1'b0}}, ar_burst_len};
        ar_first_next = 1'b0;
        ar_lo_next = ar_cur_lo;
        ar_hi_next = ar_cur_hi;
    end

    if (ar_load && !burst_done) begin
        outstanding_next = outstanding_reg + 1'b1;
    end else if (!ar_load && burst_done) begin
        outstanding_next = outstanding_reg - 1'b1;
    end

end

// rready for the next cycle: when the packing buffer will have room for a
// whole beat after the stream takes one (and the device has the command),
// or always while dropping. (A block of its own: the output stage's early
// ready depends on this cycle's stream beat.)
always @* begin
    m_axi_rready_next = active_next && (err_next || stop_next ||
                        (stream_enable && pk_cnt_next <= 2*STRB_CNT));
end

always @(posedge clk) begin
    active_reg <= active_next;
    ar_addr_reg <= ar_addr_next;
    ar_beats_reg <= ar_beats_next;
    ar_first_reg <= ar_first_next;
    ar_lo_reg <= ar_lo_next;
    ar_hi_reg <= ar_hi_next;
    outstanding_reg <= outstanding_next;
    r_bytes_reg <= r_bytes_next;
    r_addr_reg <= r_addr_next;
    r_first_reg <= r_first_next;
    burst_wr_ptr_reg <= burst_wr_ptr_next;
    burst_rd_ptr_reg <= burst_rd_ptr_next;
    pk_data_reg <= pk_data_next;
    pk_cnt_reg <= pk_cnt_next;
    out_bytes_reg <= out_bytes_next;
    stop_reg <= stop_next;
    abort_beat_reg <= abort_beat_next;
    tlast_sent_reg <= tlast_sent_next;
    err_reg <= err_next;
    err_addr_reg <= err_addr_next;
    xfer_bytes_reg <= xfer_bytes_next;

    m_axi_araddr_reg <= m_axi_araddr_next;
    m_axi_arlen_reg <= m_axi_arlen_next;
    m_axi_arvalid_reg <= m_axi_arvalid_next;
    m_axi_rready_reg <= m_axi_rready_next;

    if (ar_load) begin
        burst_addr_mem[burst_wr_ptr_reg] <= ar_cur_addr;
        // first byte lane only for the segment's first burst, last byte
        // lane only for its last
        burst_lo_mem[burst_wr_ptr_reg] <= ar_cur_first ? ar_cur_lo : {OFFSET{1'b0}};
        burst_hi_mem[burst_wr_ptr_reg] <= (ar_cur_beats == {{(LEN_WIDTH-9){1'b0}}, ar_burst_len}) ? ar_cur_hi : LANE_LAST;
    end

    if (rst) begin
        active_reg <= 1'b0;
        ar_beats_reg <= {LEN_WIDTH{1'b0}};
        outstanding_reg <= {OUT_WIDTH{1'b0}};
        r_bytes_reg <= {LEN_WIDTH{1'b0}};
        r_first_reg <= 1'b1;
        burst_wr_ptr_reg <= {PTR_WIDTH{1'b0}};
        burst_rd_ptr_reg <= {PTR_WIDTH{1'b0}};
        pk_cnt_reg <= {CNT_WIDTH{1'b0}};
        out_bytes_reg <= {LEN_WIDTH{1'b0}};
        stop_reg <= 1'b0;
        abort_beat_reg <= 1'b0;
        tlast_sent_reg <= 1'b0;
        err_reg <= 1'b0;
        err_addr_reg <= {ADDR_WIDTH{1'b0}};
        xfer_bytes_reg <= {LEN_WIDTH{1'b0}};
        m_axi_arvalid_reg <= 1'b0;
        m_axi_rready_reg <= 1'b0;
    end
end

// Output stage: output register plus skid register, so that the ready
// seen by the R channel is registered and the stream still moves one beat
// per cycle.
reg store_axis_int_to_output;
reg store_axis_int_to_temp;
reg store_axis_temp_to_output;

assign m_axis_tdata = m_axis_tdata_reg;
assign m_axis_tkeep = m_axis_tkeep_reg;
assign m_axis_tvalid = m_axis_tvalid_reg;
assign m_axis_tlast = m_axis_tlast_reg;
assign m_axis_tuser = m_axis_tuser_reg;

// enable ready input next cycle if output is ready or the temp reg will
// not be filled on the next cycle (output reg empty or no input)
assign m_axis_tready_int_early = m_axis_tready || (!temp_m_axis_tvalid_reg && (!m_axis_tvalid_reg || !m_axis_tvalid_int));

always @* begin
    m_axis_tvalid_next = m_axis_tvalid_reg;
    temp_m_axis_tvalid_next = temp_m_axis_tvalid_reg;

    store_axis_int_to_output = 1'b0;
    store_axis_int_to_temp = 1'b0;
    store_axis_temp_to_output = 1'b0;

    if (m_axis_tready_int_reg) begin
        // input is ready
        if (m_axis_tready || !m_axis_tvalid_reg) begin
            // output is ready or currently not valid, transfer data to output
            m_axis_tvalid_next = m_axis_tvalid_int;
            store_axis_int_to_output = 1'b1;
        end else begin
            // output is not ready, store input in temp
            temp_m_axis_tvalid_next = m_axis_tvalid_int;
            store_axis_int_to_temp = 1'b1;
        end
    end else if (m_axis_tready) begin
        // input is not ready, but output is ready
        m_axis_tvalid_next = temp_m_axis_tvalid_reg;
        temp_m_axis_tvalid_next = 1'b0;
        store_axis_temp_to_output = 1'b1;
    end
end

always @(posedge clk) begin
    m_axis_tvalid_reg <= m_axis_tvalid_next;
    m_axis_tready_int_reg <= m_axis_tready_int_early;
    temp_m_axis_tvalid_reg <= temp_m_axis_tvalid_next;

    // datapath
    if (store_axis_int_to_output) begin
        m_axis_tdata_reg <= m_axis_tdata_int;
        m_axis_tkeep_reg <= m_axis_tkeep_int;
        m_axis_tlast_reg <= m_axis_tlast_int;
        m_axis_tuser_reg <= m_axis_tuser_int;
    end else if (store_axis_temp_to_output) begin
        m_axis_tdata_reg <= temp_m_axis_tdata_reg;
        m_axis_tkeep_reg <= temp_m_axis_tkeep_reg;
        m_axis_tlast_reg <= temp_m_axis_tlast_reg;
        m_axis_tuser_reg <= temp_m_axis_tuser_reg;
    end

    if (store_axis_int_to_temp) begin
        temp_m_axis_tdata_reg <= m_axis_tdata_int;
        temp_m_axis_tkeep_reg <= m_axis_tkeep_int;
        temp_m_axis_tlast_reg <= m_axis_tlast_int;
        temp_m_axis_tuser_reg <= m_axis_tuser_int;
    end

    if (rst) begin
        m_axis_tvalid_reg <= 1'b0;
        m_axis_tready_int_reg <= 1'b0;
        temp_m_axis_tvalid_reg <= 1'b0;
        m_axis_tuser_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
