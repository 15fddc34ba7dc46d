/*
 * host_mem: the board's "host memory": an AXI4 slave (INCR bursts of full
 * 32-bit beats, what dma_engine issues) plus a word port for the UART
 * bridge, over one single-port RAM.
 *
 * USE_SPRAM 1: the UP5K's four SB_SPRAM256KA, two 16-bit halves per bank,
 * two banks: 32 K words, 128 KiB. USE_SPRAM 0: an inferred RAM of
 * MEM_WORDS words (EBR on an HX8K, and fast in simulation).
 *
 * One transaction at a time: the bridge's word (it has priority, it is one
 * cycle), a write burst, or a read burst. Beats outside the memory answer
 * SLVERR (reads return 0, writes change nothing), so the engine's error
 * paths can be exercised on the board. Reads: one beat a clock, the RAM's
 * one-cycle latency hidden by a two-entry output buffer (out, skid).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module host_mem #
(
    parameter ID_WIDTH = 4,
    parameter USE_SPRAM = 1,
    // words when USE_SPRAM is 0 (a power of two)
    parameter MEM_WORDS = 4096
)
(
    input  wire                clk,
    input  wire                rst,

    input  wire [ID_WIDTH-1:0] s_axi_awid,
    input  wire [31:0]         s_axi_awaddr,
    input  wire [7:0]          s_axi_awlen,
    input  wire                s_axi_awvalid,
    output wire                s_axi_awready,
    input  wire [31:0]         s_axi_wdata,
    input  wire [3:0]          s_axi_wstrb,
    input  wire                s_axi_wlast,
    input  wire                s_axi_wvalid,
    output wire                s_axi_wready,
    output wire [ID_WIDTH-1:0] s_axi_bid,
    output wire [1:0]          s_axi_bresp,
    output wire                s_axi_bvalid,
    input  wire                s_axi_bready,
    input  wire [ID_WIDTH-1:0] s_axi_arid,
    input  wire [31:0]         s_axi_araddr,
    input  wire [7:0]          s_axi_arlen,
    input  wire                s_axi_arvalid,
    output wire                s_axi_arready,
    output wire [ID_WIDTH-1:0] s_axi_rid,
    output wire [31:0]         s_axi_rdata,
    output wire [1:0]          s_axi_rresp,
    output wire                s_axi_rlast,
    output wire                s_axi_rvalid,
    input  wire                s_axi_rready,

    input  wire                mem_req,
    input  wire                mem_we,
    input  wire [31:0]         mem_addr,
    input  wire [31:0]         mem_wdata,
    input  wire [3:0]          mem_wstrb,
    output wire                mem_ack,
    output wire [31:0]         mem_rdata,
    output wire                mem_err
);

localparam WORDS = USE_SPRAM ? 32768 : MEM_WORDS;
localparam AW = $clog2(WORDS);

localparam [1:0] S_IDLE = 2'd0, S_WRITE = 2'd1, S_RESP = 2'd2, S_READ = 2'd3;

reg [1:0]          state_reg = S_IDLE;
reg [ID_WIDTH-1:0] id_reg = 0;
// next beat's byte address: only the bits the RAM decodes, and a flag for
// "outside the memory" (high address bits set at the burst's start, or a
// carry out of the RAM's bits since), instead of 32 bits compared each beat
reg [AW+1:0]       addr_reg = {(AW+2){1'b0}};
reg                addr_out_reg = 1'b0;
reg [8:0]          left_reg = 9'd0;     // read beats still to issue
reg                err_reg = 1'b0;

// the bridge's word: request seen in S_IDLE, answered the next cycle
reg                side_reg = 1'b0;
reg                side_err_reg = 1'b0;

// read pipeline: a RAM read issued last cycle, then out and skid
reg                pend_reg = 1'b0, pend_last_reg = 1'b0, pend_err_reg = 1'b0;
reg                out_valid_reg = 1'b0, out_last_reg = 1'b0, out_err_reg = 1'b0;
reg [31:0]         out_data_reg = 32'd0;
reg                skid_valid_reg = 1'b0, skid_last_reg = 1'b0, skid_err_reg = 1'b0;
reg [31:0]         skid_data_reg = 32'd0;

// RAM port
reg         ram_en;
reg         ram_we;
reg [AW+1:0] ram_byte_addr;
reg [31:0]  ram_wdata;
reg [3:0]   ram_wstrb;
wire [31:0] ram_rdata;

// an address is inside the memory when its bits above the RAM's are zero
wire mem_addr_ok = ~|mem_addr[31:AW+2];
wire awaddr_ok = ~|s_axi_awaddr[31:AW+2];
wire araddr_ok = ~|s_axi_araddr[31:AW+2];

wire [AW+2:0] addr_inc = {1'b0, addr_reg} + 4;

wire pop = out_valid_reg && s_axi_rready;
wire [1:0] occ = {1'b0, out_valid_reg} + {1'b0, skid_valid_reg} + {1'b0, pend_reg} - {1'b0, pop};
wire issue = state_reg == S_READ && left_reg != 0 && occ < 2'd2;

assign s_axi_awready = state_reg == S_IDLE && !mem_req && s_axi_awvalid;
assign s_axi_arready = state_reg == S_IDLE && !mem_req && !s_axi_awvalid && s_axi_arvalid;
assign s_axi_wready = state_reg == S_WRITE;
assign s_axi_bid = id_reg;
assign s_axi_bresp = err_reg ? 2'b10 : 2'b00;
assign s_axi_bvalid = state_reg == S_RESP;
assign s_axi_rid = id_reg;
assign s_axi_rdata = out_data_reg;
assign s_axi_rresp = out_err_reg ? 2'b10 : 2'b00;
assign s_axi_rlast = out_last_reg;
assign s_axi_rvalid = out_valid_reg;

assign mem_ack = side_reg;
assign mem_rdata = side_err_reg ? 32'd0 : ram_rdata;
assign mem_err = side_err_reg;

always @* begin
    ram_en = 1'b0;
    ram_we = 1'b0;
    ram_byte_addr = addr_reg;
    ram_wdata = s_axi_wdata;
    ram_wstrb = s_axi_wstrb;
    if (state_reg == S_IDLE && mem_req && !side_reg) begin
        ram_en = mem_addr_ok;
        ram_we = mem_we;
        ram_byte_addr = mem_addr[AW+1:0];
        ram_wdata = mem_wdata;
        ram_wstrb = mem_wstrb;
    end else if (state_reg == S_WRITE && s_axi_wvalid) begin
        ram_en = !addr_out_reg;
        ram_we = 1'b1;
    end else if (issue) begin
        ram_en = !addr_out_reg;
    end
end

always @(posedge clk) begin
    side_reg <= 1'b0;
    pend_reg <= issue;
    if (issue) begin
        pend_last_reg <= left_reg == 9'd1;
        pend_err_reg <= addr_out_reg;
        addr_reg <= addr_inc[AW+1:0];
        addr_out_reg <= addr_out_reg | addr_inc[AW+2];
        left_reg <= left_reg - 1;
    end

    // output buffer: pop, then place what the RAM returns
    if (pop) begin
        out_valid_reg <= skid_valid_reg;
        out_data_reg <= skid_data_reg;
        out_last_reg <= skid_last_reg;
        out_err_reg <= skid_err_reg;
        skid_valid_reg <= 1'b0;
    end
    if (pend_reg) begin
        if (!out_valid_reg || (pop && !skid_valid_reg)) begin
            out_valid_reg <= 1'b1;
            out_data_reg <= pend_err_reg ? 32'd0 : ram_rdata;
            out_last_reg <= pend_last_reg;
            out_err_reg <= pend_err_reg;
        end else begin
            skid_valid_reg <= 1'b1;
            skid_data_reg <= pend_err_reg ? 32'd0 : ram_rdata;
            skid_last_reg <= pend_last_reg;
            skid_err_reg <= pend_err_reg;
        end
    end

    case (state_reg)
    S_IDLE: begin
        if (mem_req && !side_reg) begin
            side_reg <= 1'b1;
            side_err_reg <= !mem_addr_ok;
        end else if (s_axi_awready) begin
            id_reg <= s_axi_awid;
            addr_reg <= s_axi_awaddr[AW+1:0];
            addr_out_reg <= !awaddr_ok;
            err_reg <= 1'b0;
            state_reg <= S_WRITE;
        end else if (s_axi_arready) begin
            id_reg <= s_axi_arid;
            addr_reg <= s_axi_araddr[AW+1:0];
            addr_out_reg <= !araddr_ok;
            left_reg <= {1'b0, s_axi_arlen} + 9'd1;
            state_reg <= S_READ;
        end
    end
    S_WRITE: if (s_axi_wvalid) begin
        addr_reg <= addr_inc[AW+1:0];
        addr_out_reg <= addr_out_reg | addr_inc[AW+2];
        if (addr_out_reg)
            err_reg <= 1'b1;
        if (s_axi_wlast)
            state_reg <= S_RESP;
    end
    S_RESP: if (s_axi_bready)
        state_reg <= S_IDLE;
    S_READ: if (pop && s_axi_rlast)
        state_reg <= S_IDLE;
    default: state_reg <= S_IDLE;
    endcase

    if (rst) begin
        state_reg <= S_IDLE;
        side_reg <= 1'b0;
        pend_reg <= 1'b0;
        out_valid_reg <= 1'b0;
        skid_valid_reg <= 1'b0;
        left_reg <= 9'd0;
    end
end

// the RAM itself
wire [AW-1:0] word = ram_byte_addr[AW+1:2];

generate
if (USE_SPRAM) begin : g_spram
    // bank = word[14]; each bank is two 16-bit SPRAMs side by side. The
    // read data's bank is the one addressed a cycle earlier.
    reg bank_reg = 1'b0;
    wire [15:0] dout [0:3];
    genvar b, h;
    always @(posedge clk)
        if (ram_en)
            bank_reg <= word[14];
    for (b = 0; b < 2; b = b + 1) begin : g_bank
        for (h = 0; h < 2; h = h + 1) begin : g_half
            SB_SPRAM256KA spram (
                .ADDRESS(word[13:0]),
                .DATAIN(ram_wdata[16*h +: 16]),
                // MASKWREN is per nibble: two per byte strobe
                .MASKWREN({ram_wstrb[2*h+1], ram_wstrb[2*h+1], ram_wstrb[2*h], ram_wstrb[2*h]}),
                .WREN(ram_we),
                .CHIPSELECT(ram_en && word[14] == b),
                .CLOCK(clk),
                .STANDBY(1'b0),
                .SLEEP(1'b0),
                .POWEROFF(1'b1),
                .DATAOUT(dout[2*b+h])
            );
        end
    end
    assign ram_rdata = bank_reg ? {dout[3], dout[2]} : {dout[1], dout[0]};
end else begin : g_infer
    reg [31:0] mem [0:WORDS-1];
    reg [31:0] rdata_reg = 32'd0;
    integer i;
    initial begin
        for (i = 0; i < WORDS; i = i + 1)
            mem[i] = 32'd0;
    end
    always @(posedge clk) begin
        if (ram_en) begin
            if (ram_we) begin
                if (ram_wstrb[0]) mem[word][7:0] <= ram_wdata[7:0];
                if (ram_wstrb[1]) mem[word][15:8] <= ram_wdata[15:8];
                if (ram_wstrb[2]) mem[word][23:16] <= ram_wdata[23:16];
                if (ram_wstrb[3]) mem[word][31:24] <= ram_wdata[31:24];
            end else begin
                rdata_reg <= mem[word];
            end
        end
    end
    assign ram_rdata = rdata_reg;
end
endgenerate

endmodule

`resetall
`default_nettype wire
