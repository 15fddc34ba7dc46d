/*
 * uart_bridge: a byte protocol over a UART to an AXI4-Lite master (the
 * engine's registers) and to a word port into host memory.
 *
 * Commands (host to board); multi-byte fields are little-endian:
 *
 *   0x00 NOP                                   reply: STATUS
 *   0x01 REG_WR  addr[2] strb[1] data[4]       reply: STATUS
 *   0x02 REG_RD  addr[2]                       reply: data[4] STATUS
 *   0x03 MEM_WR  addr[4] len[2] byte[len]      reply: STATUS
 *   0x04 MEM_RD  addr[4] len[2]                reply: byte[len] STATUS
 *   other                                      reply: STATUS with RESP 3
 *
 * STATUS = {IRQ, 3'b101, 1'b0, OVERRUN, RESP[1:0]}: IRQ the engine's
 * interrupt line now, 0x50 a marker the host checks to stay in step,
 * OVERRUN a received byte was lost since the last STATUS, RESP the AXI
 * response of the command (for MEM_* the worst of its words: 2 SLVERR
 * outside the memory). MEM_* move any byte count (len 0 moves nothing) at
 * any byte address; the bridge merges bytes into 32-bit words with strobes.
 *
 * A command whose bytes stop arriving for TIMEOUT cycles is dropped
 * without a reply, so a host that lost its place waits that long and
 * sends NOP until it reads a STATUS.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module uart_bridge #
(
    parameter AXIL_ADDR_WIDTH = 12,
    // idle cycles inside a command before the bridge drops it
    parameter TIMEOUT = 1200000
)
(
    input  wire                       clk,
    input  wire                       rst,

    // bytes from the UART receiver, to the UART transmitter
    input  wire [7:0]                 s_rx_tdata,
    input  wire                       s_rx_tvalid,
    output wire                       s_rx_tready,
    input  wire                       rx_overrun,
    output wire [7:0]                 m_tx_tdata,
    output wire                       m_tx_tvalid,
    input  wire                       m_tx_tready,

    // AXI4-Lite master
    output wire [AXIL_ADDR_WIDTH-1:0] m_axil_awaddr,
    output wire [2:0]                 m_axil_awprot,
    output wire                       m_axil_awvalid,
    input  wire                       m_axil_awready,
    output wire [31:0]                m_axil_wdata,
    output wire [3:0]                 m_axil_wstrb,
    output wire                       m_axil_wvalid,
    input  wire                       m_axil_wready,
    input  wire [1:0]                 m_axil_bresp,
    input  wire                       m_axil_bvalid,
    output wire                       m_axil_bready,
    output wire [AXIL_ADDR_WIDTH-1:0] m_axil_araddr,
    output wire [2:0]                 m_axil_arprot,
    output wire                       m_axil_arvalid,
    input  wire                       m_axil_arready,
    input  wire [31:0]                m_axil_rdata,
    input  wire [1:0]                 m_axil_rresp,
    input  wire                       m_axil_rvalid,
    output wire                       m_axil_rready,

    // host memory word port: one request at a time, answered by mem_ack
    output wire                       mem_req,
    output wire                       mem_we,
    output wire [31:0]                mem_addr,      // byte address, word aligned
    output wire [31:0]                mem_wdata,
    output wire [3:0]                 mem_wstrb,
    input  wire                       mem_ack,
    input  wire [31:0]                mem_rdata,
    input  wire                       mem_err,

    input  wire                       irq
);

localparam [7:0] OP_NOP = 8'h00, OP_REG_WR = 8'h01, OP_REG_RD = 8'h02,
                 OP_MEM_WR = 8'h03, OP_MEM_RD = 8'h04;

localparam [3:0]
    S_OP      = 4'd0,   // wait for an opcode
    S_HDR     = 4'd1,   // collect the header fields
    S_DISPATCH = 4'd2,
    S_AXIL_W  = 4'd3,   // AW and W out, then B
    S_AXIL_R  = 4'd4,   // AR out, then R
    S_TX_DATA = 4'd5,   // send the 4 register data bytes
    S_MW_BYTE = 4'd6,   // MEM_WR: take the next data byte
    S_MW_MEM  = 4'd7,   // MEM_WR: write a word
    S_MR_MEM  = 4'd8,   // MEM_RD: read a word
    S_MR_BYTE = 4'd9,   // MEM_RD: send its bytes
    S_STATUS  = 4'd10;  // send STATUS

localparam TW = $clog2(TIMEOUT + 1);

reg [3:0]  state_reg = S_OP;
reg [7:0]  op_reg = 8'd0;
reg [55:0] hdr_reg = 56'd0;      // header bytes shifted in from the top: the last one highest
reg [2:0]  hdr_left_reg = 3'd0;
reg [1:0]  resp_reg = 2'b00;
reg        overrun_reg = 1'b0;
reg [TW-1:0] idle_reg = 0;

reg        awvalid_reg = 1'b0, wvalid_reg = 1'b0, arvalid_reg = 1'b0;
reg [31:0] data_reg = 32'd0;     // register data, or the memory word

reg [31:0] addr_reg = 32'd0;     // MEM_*: byte address of the next byte (REG_RD: its lane)
reg [15:0] len_reg = 16'd0;      // MEM_*: bytes left
reg [3:0]  strb_reg = 4'd0;
reg        mem_req_reg = 1'b0;

reg [7:0]  tx_data_reg = 8'd0;
reg        tx_valid_reg = 1'b0;

wire rx_take = s_rx_tvalid && s_rx_tready;
wire in_command = state_reg == S_HDR || state_reg == S_MW_BYTE;

assign s_rx_tready = state_reg == S_OP || in_command;
assign m_tx_tdata = tx_data_reg;
assign m_tx_tvalid = tx_valid_reg;

// header fields, by command. The header is a shift register (a byte-indexed
// write costs two 56-bit shifters), so a field's place depends on how many
// bytes its command has: REG_WR 7 (all of hdr_reg), MEM_* 6 (the top six
// bytes), REG_RD 2 (the top two).
wire [15:0] hdr_waddr = hdr_reg[15:0];
wire [3:0]  hdr_strb = hdr_reg[19:16];
wire [31:0] hdr_wdata = hdr_reg[55:24];
wire [31:0] hdr_maddr = hdr_reg[39:8];
wire [15:0] hdr_mlen = hdr_reg[55:40];
wire [15:0] hdr_raddr = hdr_reg[55:40];

assign m_axil_awaddr = hdr_waddr[AXIL_ADDR_WIDTH-1:0];
assign m_axil_awprot = 3'b000;
assign m_axil_awvalid = awvalid_reg;
assign m_axil_wdata = hdr_wdata;
assign m_axil_wstrb = hdr_strb;
assign m_axil_wvalid = wvalid_reg;
assign m_axil_bready = state_reg == S_AXIL_W && !awvalid_reg && !wvalid_reg;
assign m_axil_araddr = hdr_raddr[AXIL_ADDR_WIDTH-1:0];
assign m_axil_arprot = 3'b000;
assign m_axil_arvalid = arvalid_reg;
assign m_axil_rready = state_reg == S_AXIL_R && !arvalid_reg;

assign mem_req = mem_req_reg;
assign mem_we = state_reg == S_MW_MEM;
assign mem_addr = {addr_reg[31:2], 2'b00};
assign mem_wdata = data_reg;
assign mem_wstrb = strb_reg;

// header bytes per opcode; an unknown opcode has none
function [2:0] hdr_len(input [7:0] op);
    case (op)
        OP_REG_WR: hdr_len = 3'd7;
        OP_REG_RD: hdr_len = 3'd2;
        OP_MEM_WR, OP_MEM_RD: hdr_len = 3'd6;
        default: hdr_len = 3'd0;
    endcase
endfunction

function [1:0] worse(input [1:0] a, input [1:0] b);
    worse = (b != 2'b00 && a == 2'b00) ? b : a;
endfunction

integer k;

always @(posedge clk) begin
    if (rx_overrun)
        overrun_reg <= 1'b1;
    if (m_tx_tready)
        tx_valid_reg <= 1'b0;

    // drop a command whose bytes stop coming
    if (in_command && !rx_take) begin
        idle_reg <= idle_reg + 1;
        if (idle_reg == TIMEOUT[TW-1:0])
            state_reg <= S_OP;
    end else begin
        idle_reg <= 0;
    end

    case (state_reg)
    S_OP: if (rx_take) begin
        op_reg <= s_rx_tdata;
        resp_reg <= 2'b00;
        hdr_left_reg <= hdr_len(s_rx_tdata);
        state_reg <= hdr_len(s_rx_tdata) == 3'd0 ? S_DISPATCH : S_HDR;
    end
    S_HDR: if (rx_take) begin
        hdr_reg <= {s_rx_tdata, hdr_reg[55:8]};
        hdr_left_reg <= hdr_left_reg - 1;
        if (hdr_left_reg == 3'd1)
            state_reg <= S_DISPATCH;
    end
    S_DISPATCH: begin
        case (op_reg)
        OP_NOP: state_reg <= S_STATUS;
        OP_REG_WR: begin
            awvalid_reg <= 1'b1;
            wvalid_reg <= 1'b1;
            state_reg <= S_AXIL_W;
        end
        OP_REG_RD: begin
            arvalid_reg <= 1'b1;
            state_reg <= S_AXIL_R;
        end
        OP_MEM_WR, OP_MEM_RD: begin
            addr_reg <= hdr_maddr;
            len_reg <= hdr_mlen;
            strb_reg <= 4'd0;
            if (hdr_mlen == 16'd0)
                state_reg <= S_STATUS;
            else if (op_reg == OP_MEM_WR)
                state_reg <= S_MW_BYTE;
            else begin
                mem_req_reg <= 1'b1;
                state_reg <= S_MR_MEM;
            end
        end
        default: begin
            resp_reg <= 2'b11;
            state_reg <= S_STATUS;
        end
        endcase
    end
    S_AXIL_W: begin
        if (m_axil_awready)
            awvalid_reg <= 1'b0;
        if (m_axil_wready)
            wvalid_reg <= 1'b0;
        if (m_axil_bvalid && m_axil_bready) begin
            resp_reg <= m_axil_bresp;
            state_reg <= S_STATUS;
        end
    end
    S_AXIL_R: begin
        if (m_axil_arready)
            arvalid_reg <= 1'b0;
        if (m_axil_rvalid && m_axil_rready) begin
            resp_reg <= m_axil_rresp;
            data_reg <= m_axil_rdata;
            // the bytes go out through MEM_RD's lane select, lane 0 first
            addr_reg[1:0] <= 2'd0;
            state_reg <= S_TX_DATA;
        end
    end
    S_TX_DATA: if (!tx_valid_reg || m_tx_tready) begin
        tx_data_reg <= data_reg[8*addr_reg[1:0] +: 8];
        tx_valid_reg <= 1'b1;
        addr_reg[1:0] <= addr_reg[1:0] + 2'd1;
        if (addr_reg[1:0] == 2'd3)
            state_reg <= S_STATUS;
    end
    S_MW_BYTE: if (rx_take) begin
        // place the byte in its lane; write the word at its end or the last byte
        // (lane by lane with constant indices: a variable part-select
        // on the left is a shifter)
        for (k = 0; k < 4; k = k + 1) begin
            if (addr_reg[1:0] == k[1:0]) begin
                data_reg[8*k +: 8] <= s_rx_tdata;
                strb_reg[k] <= 1'b1;
            end
        end
        len_reg <= len_reg - 1;
        if (addr_reg[1:0] == 2'd3 || len_reg == 16'd1) begin
            mem_req_reg <= 1'b1;
            state_reg <= S_MW_MEM;
        end else begin
            addr_reg <= addr_reg + 1;
        end
    end
    S_MW_MEM: if (mem_ack) begin
        mem_req_reg <= 1'b0;
        resp_reg <= worse(resp_reg, mem_err ? 2'b10 : 2'b00);
        strb_reg <= 4'd0;
        addr_reg <= addr_reg + 1;
        state_reg <= len_reg == 16'd0 ? S_STATUS : S_MW_BYTE;
    end
    S_MR_MEM: if (mem_ack) begin
        mem_req_reg <= 1'b0;
        resp_reg <= worse(resp_reg, mem_err ? 2'b10 : 2'b00);
        data_reg <= mem_rdata;
        state_reg <= S_MR_BYTE;
    end
    S_MR_BYTE: if (!tx_valid_reg || m_tx_tready) begin
        tx_data_reg <= data_reg[8*addr_reg[1:0] +: 8];
        tx_valid_reg <= 1'b1;
        addr_reg <= addr_reg + 1;
        len_reg <= len_reg - 1;
        if (len_reg == 16'd1) begin
            state_reg <= S_STATUS;
        end else if (addr_reg[1:0] == 2'd3) begin
            mem_req_reg <= 1'b1;
            state_reg <= S_MR_MEM;
        end
    end
    S_STATUS: if (!tx_valid_reg || m_tx_tready) begin
        tx_data_reg <= {irq, 3'b101, 1'b0, overrun_reg || rx_overrun, resp_reg};
        tx_valid_reg <= 1'b1;
        overrun_reg <= 1'b0;
        state_reg <= S_OP;
    end
    default: state_reg <= S_OP;
    endcase

    if (rst) begin
        state_reg <= S_OP;
        awvalid_reg <= 1'b0;
        wvalid_reg <= 1'b0;
        arvalid_reg <= 1'b0;
        mem_req_reg <= 1'b0;
        tx_valid_reg <= 1'b0;
        overrun_reg <= 1'b0;
        idle_reg <= 0;
    end
end

endmodule

`resetall
`default_nettype wire
