/*
 * iCE40-HX8K Breakout Board (iCE40HX8K-CT256) top: dma_board at the
 * board's 12 MHz clock. No SPRAM on the HX parts: host memory is 8 KiB of
 * EBR (2048 words) and the RAM disk 8 blocks (4 KiB), 24 of the 32 EBR.
 *
 * UART on the FTDI's second channel at 1,000,000 baud; reset at power-up
 * only (the board has no user button); LED D2 the engine's irq, D3 the
 * engine moving data.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module hx8k_top (
    input  wire       CLK,      // 12 MHz
    input  wire       RX,
    output wire       TX,
    output wire [1:0] LED
);

reg [3:0] por_reg = 4'd0;
reg       rst_reg = 1'b1;
always @(posedge CLK) begin
    if (por_reg != 4'hf)
        por_reg <= por_reg + 1;
    rst_reg <= por_reg != 4'hf;
end

wire irq, busy;

dma_board #(
    .CLKS_PER_BIT(12),
    .TIMEOUT(1200000),
    .USE_SPRAM(0),
    .MEM_WORDS(2048),
    .DISK_BLOCKS(8)
)
board_inst (
    .clk(CLK),
    .rst(rst_reg),
    .rxd(RX),
    .txd(TX),
    .irq(irq),
    .busy(busy)
);

assign LED = {busy, irq};

endmodule

`resetall
`default_nettype wire
