/*
 * dma_engine: memory to device datapath (DDI_DMA_WRITE)
 *
 * Reads the buffer with AXI4 INCR bursts (at most MAX_BURST_LEN beats,
 * never across a 4 KiB boundary) and forwards the R beats to the device
 * stream, tlast on the last beat of the command.
 *
 * Up to MAX_OUTSTANDING bursts may be requested ahead of their data; the
 * next AR is loaded in the cycle the previous one is accepted, so the
 * address channel never idles between bursts. R data goes through a two
 * register output stage (output register plus skid register, as in
 * verilog-axi), so rready is a register and the stream still moves one beat
 * per cycle.
 *
 * On a beat with RRESP != OKAY: no further AR is issued, that beat is
 * replaced by an abort beat (tkeep 0, tlast 1, tuser 1) so the device can
 * abandon the command, and every later R beat of the bursts already issued
 * is accepted and dropped (rready held high) so no handshake is broken.
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
    input  wire [ADDR_WIDTH-1:0]  start_addr,
    input  wire [LEN_WIDTH-1:0]   start_len,       // bytes, non-zero multiple of STRB_WIDTH
    input  wire                   stream_enable,   // device has taken the command: data may flow
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
localparam [LEN_WIDTH-1:0] LEN_ONE = 1;

// command state
reg active_reg = 1'b0, active_next;

// address side: start and length of what is still to request
reg [ADDR_WIDTH-1:0] ar_addr_reg = {ADDR_WIDTH{1'b0}}, ar_addr_next;
reg [LEN_WIDTH-1:0] ar_beats_reg = {LEN_WIDTH{1'b0}}, ar_beats_next;
// bursts loaded on AR whose last R beat has not come yet
reg [OUT_WIDTH-1:0] outstanding_reg = {OUT_WIDTH{1'b0}}, outstanding_next;

// data side: beats still to receive, address of the next R beat
reg [LEN_WIDTH-1:0] r_beats_reg = {LEN_WIDTH{1'b0}}, r_beats_next;
reg [ADDR_WIDTH-1:0] r_addr_reg = {ADDR_WIDTH{1'b0}}, r_addr_next;

reg err_reg = 1'b0, err_next;
reg [ADDR_WIDTH-1:0] err_addr_reg = {ADDR_WIDTH{1'b0}}, err_addr_next;
reg [LEN_WIDTH-1:0] xfer_beats_reg = {LEN_WIDTH{1'b0}}, xfer_beats_next;

reg [ADDR_WIDTH-1:0] m_axi_araddr_reg = {ADDR_WIDTH{1'b0}}, m_axi_araddr_next;
reg [7:0] m_axi_arlen_reg = 8'd0, m_axi_arlen_next;
reg m_axi_arvalid_reg = 1'b0, m_axi_arvalid_next;
reg m_axi_rready_reg = 1'b0, m_axi_rready_next;

// internal stream into the output stage
reg [DATA_WIDTH-1:0] m_axis_tdata_int;
reg                  m_axis_tvalid_int;
reg                  m_axis_tlast_int;
reg                  m_axis_tuser_int;
reg                  m_axis_tready_int_reg = 1'b0;
wire                 m_axis_tready_int_early;

reg ar_load;
reg burst_done;

// where the next burst starts: at start straight from the command, so the
// first AR is loaded in the start cycle
wire [ADDR_WIDTH-1:0] ar_cur_addr = start ? start_addr : ar_addr_reg;
wire [LEN_WIDTH-1:0] ar_cur_beats = start ? (start_len >> OFFSET) : ar_beats_reg;

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
reg                  m_axis_tvalid_reg = 1'b0, m_axis_tvalid_next;
reg                  m_axis_tlast_reg = 1'b0;
reg                  m_axis_tuser_reg = 1'b0;

reg [DATA_WIDTH-1:0] temp_m_axis_tdata_reg = {DATA_WIDTH{1'b0}};
reg                  temp_m_axis_tvalid_reg = 1'b0, temp_m_axis_tvalid_next;
reg                  temp_m_axis_tlast_reg = 1'b0;
reg                  temp_m_axis_tuser_reg = 1'b0;

// Everything requested has come back (or was dropped) and the stream has
// handed its last beat to the device. Outstanding bursts include an AR
// still waiting for arready.
wire finished = (ar_beats_reg == {LEN_WIDTH{1'b0}} || err_reg) &&
                outstanding_reg == {OUT_WIDTH{1'b0}} &&
                !m_axis_tvalid_reg && !temp_m_axis_tvalid_reg;

assign busy = active_reg && !finished;
assign err = err_reg;
assign err_addr = err_addr_reg;
assign xfer_bytes = xfer_beats_reg << OFFSET;

assign m_axi_araddr = m_axi_araddr_reg;
assign m_axi_arlen = m_axi_arlen_reg;
assign m_axi_arvalid = m_axi_arvalid_reg;
assign m_axi_rready = m_axi_rready_reg;

always @* begin
    active_next = active_reg;
    ar_addr_next = ar_addr_reg;
    ar_beats_next = ar_beats_reg;
    outstanding_next = outstanding_reg;
    r_beats_next = r_beats_reg;
    r_addr_next = r_addr_reg;
    err_next = err_reg;
    err_addr_next = err_addr_reg;
    xfer_beats_next = xfer_beats_reg;

    m_axi_araddr_next = m_axi_araddr_reg;
    m_axi_arlen_next = m_axi_arlen_reg;
    m_axi_arvalid_next = m_axi_arvalid_reg && !m_axi_arready;

    m_axis_tdata_int = m_axi_rdata;
    m_axis_tvalid_int = 1'b0;
    m_axis_tlast_int = r_beats_reg == LEN_ONE;
    m_axis_tuser_int = 1'b0;

    ar_load = 1'b0;
    burst_done = 1'b0;

    if (active_reg && finished) begin
        active_next = 1'b0;
    end

    // R channel: rready is only high when the output stage can take the
    // beat, or when dropping after an error.
    if (m_axi_rready_reg && m_axi_rvalid) begin
        r_beats_next = r_beats_reg - 1;
        r_addr_next = r_addr_reg + BEAT_BYTES;
        burst_done = m_axi_rlast;
        if (!err_reg) begin
            m_axis_tvalid_int = 1'b1;
            if (m_axi_rresp != 2'b00) begin
                // first failing beat: it becomes the abort beat
                err_next = 1'b1;
                err_addr_next = r_addr_reg;
                m_axis_tdata_int = {DATA_WIDTH{1'b0}};
                m_axis_tlast_int = 1'b1;
                m_axis_tuser_int = 1'b1;
            end
        end
    end

    // bytes the device accepted (the abort beat carries none)
    if (m_axis_tvalid_reg && m_axis_tready && !m_axis_tuser_reg) begin
        xfer_beats_next = xfer_beats_reg + 1;
    end

    // start only comes while idle: nothing above is in progress
    if (start) begin
        active_next = 1'b1;
        ar_addr_next = start_addr;
        ar_beats_next = start_len >> OFFSET;
        r_beats_next = start_len >> OFFSET;
        r_addr_next = start_addr;
        err_next = 1'b0;
        err_addr_next = {ADDR_WIDTH{1'b0}};
        xfer_beats_next = {LEN_WIDTH{1'b0}};
    end

    // AR channel: load the next burst as soon as the register is free, so
    // bursts go out back to back; stop at once on an error.
    if ((active_reg || start) && !err_next && ar_cur_beats != {LEN_WIDTH{1'b0}} &&
            (!m_axi_arvalid_reg || m_axi_arready) && outstanding_reg < MAX_OUT) begin
        ar_load = 1'b1;
        m_axi_araddr_next = ar_cur_addr;
        m_axi_arlen_next = ar_burst_len[7:0] - 8'd1;
        m_axi_arvalid_next = 1'b1;
        ar_addr_next = ar_cur_addr + ({{(ADDR_WIDTH-9){1'b0}}, ar_burst_len} << OFFSET);
        ar_beats_next = ar_cur_beats - {{(LEN_WIDTH-9){1'b0}}, ar_burst_len};
    end

    if (ar_load && !burst_done) begin
        outstanding_next = outstanding_reg + 1'b1;
    end else if (!ar_load && burst_done) begin
        outstanding_next = outstanding_reg - 1'b1;
    end

end

// rready for the next cycle: when the output stage will have room (and the
// device has the command), or always while dropping after an error. (A
// block of its own: the output stage's early ready depends on this cycle's
// R beat.)
always @* begin
    m_axi_rready_next = active_next && (err_next || (stream_enable && m_axis_tready_int_early));
end

always @(posedge clk) begin
    active_reg <= active_next;
    ar_addr_reg <= ar_addr_next;
    ar_beats_reg <= ar_beats_next;
    outstanding_reg <= outstanding_next;
    r_beats_reg <= r_beats_next;
    r_addr_reg <= r_addr_next;
    err_reg <= err_next;
    err_addr_reg <= err_addr_next;
    xfer_beats_reg <= xfer_beats_next;

    m_axi_araddr_reg <= m_axi_araddr_next;
    m_axi_arlen_reg <= m_axi_arlen_next;
    m_axi_arvalid_reg <= m_axi_arvalid_next;
    m_axi_rready_reg <= m_axi_rready_next;

    if (rst) begin
        active_reg <= 1'b0;
        ar_beats_reg <= {LEN_WIDTH{1'b0}};
        outstanding_reg <= {OUT_WIDTH{1'b0}};
        r_beats_reg <= {LEN_WIDTH{1'b0}};
        err_reg <= 1'b0;
        err_addr_reg <= {ADDR_WIDTH{1'b0}};
        xfer_beats_reg <= {LEN_WIDTH{1'b0}};
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
assign m_axis_tkeep = {STRB_WIDTH{!m_axis_tuser_reg}};
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
        m_axis_tlast_reg <= m_axis_tlast_int;
        m_axis_tuser_reg <= m_axis_tuser_int;
    end else if (store_axis_temp_to_output) begin
        m_axis_tdata_reg <= temp_m_axis_tdata_reg;
        m_axis_tlast_reg <= temp_m_axis_tlast_reg;
        m_axis_tuser_reg <= temp_m_axis_tuser_reg;
    end

    if (store_axis_int_to_temp) begin
        temp_m_axis_tdata_reg <= m_axis_tdata_int;
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
