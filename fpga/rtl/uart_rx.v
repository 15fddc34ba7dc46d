/*
 * uart_rx: 8N1 UART receiver, one byte buffer.
 *
 * The line is synchronized by two flip-flops, a start bit is checked at its
 * middle, and the data bits are sampled at theirs. A received byte waits in
 * a one-byte buffer (m_axis_*) until taken; a byte that arrives while the
 * buffer is still full is dropped and `overrun` pulses, so a slow consumer
 * loses data visibly, never silently.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module uart_rx #
(
    // clock cycles per bit (clock / baud), 4 or more
    parameter CLKS_PER_BIT = 12
)
(
    input  wire       clk,
    input  wire       rst,
    input  wire       rxd,
    output wire [7:0] m_axis_tdata,
    output wire       m_axis_tvalid,
    input  wire       m_axis_tready,
    output wire       overrun
);

localparam CW = $clog2(CLKS_PER_BIT * 3 / 2 + 1);
localparam integer HALF_BIT = CLKS_PER_BIT / 2 - 1;
localparam integer FULL_BIT = CLKS_PER_BIT - 1;

reg [1:0]    sync_reg = 2'b11;
reg          busy_reg = 1'b0;
reg [CW-1:0] cnt_reg = 0;
reg [3:0]    bit_reg = 4'd0;
reg [7:0]    shift_reg = 8'd0;
reg [7:0]    data_reg = 8'd0;
reg          valid_reg = 1'b0;
reg          overrun_reg = 1'b0;

assign m_axis_tdata = data_reg;
assign m_axis_tvalid = valid_reg;
assign overrun = overrun_reg;

always @(posedge clk) begin
    sync_reg <= {sync_reg[0], rxd};
    overrun_reg <= 1'b0;
    if (m_axis_tready)
        valid_reg <= 1'b0;

    if (!busy_reg) begin
        if (!sync_reg[1]) begin
            // start bit edge: look again at its middle
            busy_reg <= 1'b1;
            cnt_reg <= HALF_BIT[CW-1:0];
            bit_reg <= 4'd0;
        end
    end else if (cnt_reg != 0) begin
        cnt_reg <= cnt_reg - 1;
    end else begin
        cnt_reg <= FULL_BIT[CW-1:0];
        bit_reg <= bit_reg + 1;
        if (bit_reg == 4'd0) begin
            // a glitch, not a start bit
            if (sync_reg[1])
                busy_reg <= 1'b0;
        end else if (bit_reg <= 4'd8) begin
            shift_reg <= {sync_reg[1], shift_reg[7:1]};
        end else begin
            // stop bit: keep the byte only if the line is high (no framing error)
            busy_reg <= 1'b0;
            if (sync_reg[1]) begin
                if (valid_reg && !m_axis_tready) begin
                    overrun_reg <= 1'b1;
                end else begin
                    data_reg <= shift_reg;
                    valid_reg <= 1'b1;
                end
            end
        end
    end

    if (rst) begin
        busy_reg <= 1'b0;
        valid_reg <= 1'b0;
        overrun_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
