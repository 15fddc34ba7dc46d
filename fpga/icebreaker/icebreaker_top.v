/*
 * iCEBreaker (iCE40UP5K-SG48) top: dma_board at the board's 12 MHz clock.
 *
 * UART on the FTDI's second channel at 1,000,000 baud (12 clocks a bit);
 * reset at power-up and while the user button is pressed; green LED the
 * engine's irq, red LED the engine moving data.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module icebreaker_top (
    input  wire CLK,        // 12 MHz
    input  wire RX,         // from the FTDI
    output wire TX,         // to the FTDI
    input  wire BTN_N,
    output wire LEDR_N,
    output wire LEDG_N
);

// power-on reset: 16 cycles, and again while the button is held (the
// button is synchronized first: it is asynchronous)
reg [3:0] por_reg = 4'd0;
reg [1:0] btn_reg = 2'b11;
reg       rst_reg = 1'b1;
always @(posedge CLK) begin
    btn_reg <= {btn_reg[0], BTN_N};
    if (!btn_reg[1])
        por_reg <= 4'd0;
    else if (por_reg != 4'hf)
        por_reg <= por_reg + 1;
    rst_reg <= por_reg != 4'hf;
end

wire irq, busy;

dma_board #(
    .CLKS_PER_BIT(12),
    .TIMEOUT(1200000),      // 100 ms
    .USE_SPRAM(1),
    .DISK_BLOCKS(16)
)
board_inst (
    .clk(CLK),
    .rst(rst_reg),
    .rxd(RX),
    .txd(TX),
    .irq(irq),
    .busy(busy)
);

assign LEDG_N = !irq;
assign LEDR_N = !busy;

endmodule

`resetall
`default_nettype wire
