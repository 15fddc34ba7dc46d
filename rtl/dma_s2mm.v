/*
 * dma_engine: device to memory datapath (DDI_DMA_READ)
 *
 * Writes the device stream to the buffer with AXI4 INCR bursts (at most
 * MAX_BURST_LEN beats, never across a 4 KiB boundary).
 *
 * AW bursts are issued ahead of the data, up to MAX_OUTSTANDING without a
 * B response; W beats only ever belong to a burst already accepted on AW.
 * The AW, W and B sides each walk the same burst sequence with their own
 * pointer (dma_burst_len), so no FIFO of burst lengths is needed. W goes
 * through an output register plus skid register, so s_axis_tready is a
 * register and the stream still moves one beat per cycle, burst boundaries
 * included.
 *
 * A burst on AW is never broken: when the stream ends early (tlast before
 * the expected last beat) or a B response fails, no further AW is issued
 * and the rest of every burst already issued is sent with wstrb 0, which
 * writes nothing. Beats past the expected count, and after a failed B
 * response, are accepted and dropped until tlast so the device never
 * stalls.
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
    input  wire [ADDR_WIDTH-1:0]  start_addr,
    input  wire [LEN_WIDTH-1:0]   start_len,       // bytes, non-zero multiple of STRB_WIDTH
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
localparam [LEN_WIDTH-1:0] LEN_ONE = 1;

// command state
reg active_reg = 1'b0, active_next;

// AW side: start and length of what is still to issue
reg [ADDR_WIDTH-1:0] aw_addr_reg = {ADDR_WIDTH{1'b0}}, aw_addr_next;
reg [LEN_WIDTH-1:0] aw_beats_reg = {LEN_WIDTH{1'b0}}, aw_beats_next;
// bursts loaded on AW and not yet answered on B
reg [OUT_WIDTH-1:0] outstanding_reg = {OUT_WIDTH{1'b0}}, outstanding_next;

// W side: bursts accepted on AW whose first W beat has not been produced,
// the burst pointer (page offset and beats left) and the beats left in the
// burst being sent (0: none open)
reg [OUT_WIDTH-1:0] w_pending_reg = {OUT_WIDTH{1'b0}}, w_pending_next;
reg [11:0] w_page_reg = 12'd0, w_page_next;
reg [LEN_WIDTH-1:0] w_beats_reg = {LEN_WIDTH{1'b0}}, w_beats_next;
reg [8:0] w_left_reg = 9'd0, w_left_next;

// stream side: beats still expected, tlast seen, stream ended early
reg [LEN_WIDTH-1:0] in_beats_reg = {LEN_WIDTH{1'b0}}, in_beats_next;
reg in_done_reg = 1'b0, in_done_next;
reg short_reg = 1'b0, short_next;
reg dev_err_reg = 1'b0, dev_err_next;

// B side: burst pointer, first failure
reg [ADDR_WIDTH-1:0] b_addr_reg = {ADDR_WIDTH{1'b0}}, b_addr_next;
reg [LEN_WIDTH-1:0] b_beats_reg = {LEN_WIDTH{1'b0}}, b_beats_next;
reg b_err_reg = 1'b0, b_err_next;
reg [ADDR_WIDTH-1:0] err_addr_reg = {ADDR_WIDTH{1'b0}}, err_addr_next;

// beats acknowledged OKAY contiguously from the start, beats of device
// data put on W; what reached memory is the smaller of the two
reg [LEN_WIDTH-1:0] okay_beats_reg = {LEN_WIDTH{1'b0}}, okay_beats_next;
reg [LEN_WIDTH-1:0] real_beats_reg = {LEN_WIDTH{1'b0}}, real_beats_next;

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
reg data_mode;
reg pad_mode;
reg data_mode_next;
reg drop_mode_next;
reg w_avail_next;

// where the next burst starts: at start straight from the command, so the
// first AW is loaded in the start cycle
wire [ADDR_WIDTH-1:0] aw_cur_addr = start ? start_addr : aw_addr_reg;
wire [LEN_WIDTH-1:0] aw_cur_beats = start ? (start_len >> OFFSET) : aw_beats_reg;

wire [8:0] aw_burst_len;
wire [8:0] w_burst_len;
wire [8:0] b_burst_len;

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

dma_burst_len #(
    .LEN_WIDTH(LEN_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN)
)
w_burst_len_inst (
    .page_addr(w_page_reg),
    .beats_left(w_beats_reg),
    .burst_len(w_burst_len)
);

dma_burst_len #(
    .LEN_WIDTH(LEN_WIDTH),
    .STRB_WIDTH(STRB_WIDTH),
    .MAX_BURST_LEN(MAX_BURST_LEN)
)
b_burst_len_inst (
    .page_addr(b_addr_reg[11:0]),
    .beats_left(b_beats_reg),
    .burst_len(b_burst_len)
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
wire finished = in_done_reg &&
                (aw_beats_reg == {LEN_WIDTH{1'b0}} || short_reg || b_err_reg) &&
                outstanding_reg == {OUT_WIDTH{1'b0}} &&
                w_pending_reg == {OUT_WIDTH{1'b0}} && w_left_reg == 9'd0 &&
                !m_axi_wvalid_reg && !temp_m_axi_wvalid_reg;

assign busy = active_reg && !finished;
assign err = b_err_reg;
assign err_addr = err_addr_reg;
assign dev_err = dev_err_reg;
assign xfer_bytes = ((okay_beats_reg < real_beats_reg) ? okay_beats_reg : real_beats_reg) << OFFSET;

assign m_axi_awaddr = m_axi_awaddr_reg;
assign m_axi_awlen = m_axi_awlen_reg;
assign m_axi_awvalid = m_axi_awvalid_reg;
assign m_axi_bready = m_axi_bready_reg;
assign s_axis_tready = s_axis_tready_reg;

always @* begin
    active_next = active_reg;
    aw_addr_next = aw_addr_reg;
    aw_beats_next = aw_beats_reg;
    outstanding_next = outstanding_reg;
    w_pending_next = w_pending_reg;
    w_page_next = w_page_reg;
    w_beats_next = w_beats_reg;
    w_left_next = w_left_reg;
    in_beats_next = in_beats_reg;
    in_done_next = in_done_reg;
    short_next = short_reg;
    dev_err_next = dev_err_reg;
    b_addr_next = b_addr_reg;
    b_beats_next = b_beats_reg;
    b_err_next = b_err_reg;
    err_addr_next = err_addr_reg;
    okay_beats_next = okay_beats_reg;
    real_beats_next = real_beats_reg;

    m_axi_awaddr_next = m_axi_awaddr_reg;
    m_axi_awlen_next = m_axi_awlen_reg;
    m_axi_awvalid_next = m_axi_awvalid_reg && !m_axi_awready;

    aw_load = 1'b0;
    aw_issued = m_axi_awvalid_reg && m_axi_awready;
    b_done = 1'b0;

    if (active_reg && finished) begin
        active_next = 1'b0;
    end

    // Stream modes this cycle. Data: device beats go to W. Pad: the data
    // will not come (stream ended, or a write failed), so W beats of the
    // bursts already issued go out with wstrb 0. Beats that arrive in
    // neither mode are dropped (see s_axis_tready_next).
    data_mode = !in_done_reg && !b_err_reg && in_beats_reg != {LEN_WIDTH{1'b0}};
    pad_mode = in_done_reg || b_err_reg;

    // The W beat produced now either continues the open burst or opens the
    // next burst issued on AW, so there is no bubble between bursts.
    w_open = w_left_reg == 9'd0 && w_pending_reg != {OUT_WIDTH{1'b0}};
    w_cur_left = w_open ? w_burst_len : w_left_reg;

    m_axi_wdata_int = s_axis_tdata;
    m_axi_wstrb_int = s_axis_tkeep;
    m_axi_wlast_int = w_cur_left == 9'd1;
    m_axi_wvalid_int = 1'b0;

    // device stream
    if (s_axis_tready_reg && s_axis_tvalid) begin
        if (data_mode) begin
            // s_axis_tready_reg was only set with a W burst available and
            // room in the output stage
            m_axi_wvalid_int = 1'b1;
            in_beats_next = in_beats_reg - 1;
            // a beat with no bytes (tkeep 0) is how a device ends a
            // stream it cannot finish: it carries nothing transferred
            if (s_axis_tkeep != {STRB_WIDTH{1'b0}}) begin
                real_beats_next = real_beats_reg + 1;
            end
            if (s_axis_tlast) begin
                in_done_next = 1'b1;
                if (in_beats_reg != LEN_ONE) begin
                    // stream ended early
                    short_next = 1'b1;
                    dev_err_next = 1'b1;
                end
            end
        end else begin
            // drop: a beat past the expected count is a device error, a
            // beat drained after a write failure is not
            if (!b_err_reg) begin
                dev_err_next = 1'b1;
            end
            if (s_axis_tlast) begin
                in_done_next = 1'b1;
            end
        end
    end

    // padding beats (never in the same cycle as a data beat)
    if (pad_mode && m_axi_wready_int_reg && w_cur_left != 9'd0) begin
        m_axi_wvalid_int = 1'b1;
        m_axi_wdata_int = {DATA_WIDTH{1'b0}};
        m_axi_wstrb_int = {STRB_WIDTH{1'b0}};
    end

    if (m_axi_wvalid_int) begin
        if (w_open) begin
            w_page_next = w_page_reg + ({3'd0, w_burst_len} << OFFSET);
            w_beats_next = w_beats_reg - {{(LEN_WIDTH-9){1'b0}}, w_burst_len};
        end
        w_left_next = w_cur_left - 9'd1;
    end

    // B channel: responses come in order (one ID), so the B pointer walks
    // the same bursts as AW did
    if (m_axi_bready_reg && m_axi_bvalid) begin
        b_done = 1'b1;
        b_addr_next = b_addr_reg + ({{(ADDR_WIDTH-9){1'b0}}, b_burst_len} << OFFSET);
        b_beats_next = b_beats_reg - {{(LEN_WIDTH-9){1'b0}}, b_burst_len};
        if (!b_err_reg) begin
            if (m_axi_bresp != 2'b00) begin
                b_err_next = 1'b1;
                err_addr_next = b_addr_reg;
            end else begin
                okay_beats_next = okay_beats_reg + {{(LEN_WIDTH-9){1'b0}}, b_burst_len};
            end
        end
    end

    // start only comes while idle: nothing above is in progress
    if (start) begin
        active_next = 1'b1;
        aw_addr_next = start_addr;
        aw_beats_next = start_len >> OFFSET;
        w_page_next = start_addr[11:0];
        w_beats_next = start_len >> OFFSET;
        w_left_next = 9'd0;
        in_beats_next = start_len >> OFFSET;
        in_done_next = 1'b0;
        short_next = 1'b0;
        dev_err_next = 1'b0;
        b_addr_next = start_addr;
        b_beats_next = start_len >> OFFSET;
        b_err_next = 1'b0;
        err_addr_next = {ADDR_WIDTH{1'b0}};
        okay_beats_next = {LEN_WIDTH{1'b0}};
        real_beats_next = {LEN_WIDTH{1'b0}};
    end

    // AW channel: load the next burst as soon as the register is free; none
    // after the stream ended early or a write failed
    if ((active_reg || start) && !b_err_next && !short_next && aw_cur_beats != {LEN_WIDTH{1'b0}} &&
            (!m_axi_awvalid_reg || m_axi_awready) && outstanding_reg < MAX_OUT) begin
        aw_load = 1'b1;
        m_axi_awaddr_next = aw_cur_addr;
        m_axi_awlen_next = aw_burst_len[7:0] - 8'd1;
        m_axi_awvalid_next = 1'b1;
        aw_addr_next = aw_cur_addr + ({{(ADDR_WIDTH-9){1'b0}}, aw_burst_len} << OFFSET);
        aw_beats_next = aw_cur_beats - {{(LEN_WIDTH-9){1'b0}}, aw_burst_len};
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

// s_axis_tready for the next cycle: take a data beat only when a W burst is
// open or pending and the output stage has room; drain freely when
// dropping; nothing once tlast is in. (A block of its own: the output
// stage's early ready depends on this cycle's W beat.)
always @* begin
    data_mode_next = !in_done_next && !b_err_next && in_beats_next != {LEN_WIDTH{1'b0}};
    drop_mode_next = !in_done_next && !data_mode_next;
    w_avail_next = w_left_next != 9'd0 || w_pending_next != {OUT_WIDTH{1'b0}};
    s_axis_tready_next = active_next && (drop_mode_next ||
                         (data_mode_next && w_avail_next && m_axi_wready_int_early));
end

always @(posedge clk) begin
    active_reg <= active_next;
    aw_addr_reg <= aw_addr_next;
    aw_beats_reg <= aw_beats_next;
    outstanding_reg <= outstanding_next;
    w_pending_reg <= w_pending_next;
    w_page_reg <= w_page_next;
    w_beats_reg <= w_beats_next;
    w_left_reg <= w_left_next;
    in_beats_reg <= in_beats_next;
    in_done_reg <= in_done_next;
    short_reg <= short_next;
    dev_err_reg <= dev_err_next;
    b_addr_reg <= b_addr_next;
    b_beats_reg <= b_beats_next;
    b_err_reg <= b_err_next;
    err_addr_reg <= err_addr_next;
    okay_beats_reg <= okay_beats_next;
    real_beats_reg <= real_beats_next;

    m_axi_awaddr_reg <= m_axi_awaddr_next;
    m_axi_awlen_reg <= m_axi_awlen_next;
    m_axi_awvalid_reg <= m_axi_awvalid_next;
    m_axi_bready_reg <= m_axi_bready_next;
    s_axis_tready_reg <= s_axis_tready_next;

    if (rst) begin
        active_reg <= 1'b0;
        aw_beats_reg <= {LEN_WIDTH{1'b0}};
        outstanding_reg <= {OUT_WIDTH{1'b0}};
        w_pending_reg <= {OUT_WIDTH{1'b0}};
        w_left_reg <= 9'd0;
        in_beats_reg <= {LEN_WIDTH{1'b0}};
        in_done_reg <= 1'b0;
        short_reg <= 1'b0;
        dev_err_reg <= 1'b0;
        b_err_reg <= 1'b0;
        err_addr_reg <= {ADDR_WIDTH{1'b0}};
        okay_beats_reg <= {LEN_WIDTH{1'b0}};
        real_beats_reg <= {LEN_WIDTH{1'b0}};
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
