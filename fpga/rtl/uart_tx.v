/*
 * uart_tx: 8N1 UART transmitter. Takes a byte when idle (s_axis_tready).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module uart_tx #
(
    // clock cycles per bit (clock / baud)
    parameter CLKS_PER_BIT = 12
)
(
    input  wire       clk,
    input  wire       rst,
    input  wire [7:0] s_axis_tdata,
    input  wire       s_axis_tvalid,
    output wire       s_axis_tready,
    output wire       txd
);

localparam CW = $clog2(CLKS_PER_BIT + 1);
localparam integer FULL_BIT = CLKS_PER_BIT - 1;

reg [9:0]    shift_reg = 10'h3ff;
reg [3:0]    bits_reg = 4'd0;
reg [CW-1:0] cnt_reg = 0;

assign s_axis_tready = bits_reg == 4'd0;
assign txd = shift_reg[0];

always @(posedge clk) begin
    if (bits_reg == 4'd0) begin
        if (s_axis_tvalid) begin
            // stop bit, data LSB first, start bit
            shift_reg <= {1'b1, s_axis_tdata, 1'b0};
            bits_reg <= 4'd10;
            cnt_reg <= FULL_BIT[CW-1:0];
        end
    end else if (cnt_reg != 0) begin
        cnt_reg <= cnt_reg - 1;
    end else begin
        cnt_reg <= FULL_BIT[CW-1:0];
        shift_reg <= {1'b1, shift_reg[9:1]};
        bits_reg <= bits_reg - 1;
    end

    if (rst) begin
        shift_reg <= 10'h3ff;
        bits_reg <= 4'd0;
    end
end

endmodule

`resetall
`default_nettype wire
