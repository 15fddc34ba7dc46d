/*
 * dma_engine: registered output stage of a datapath (skid buffer)
 *
 * An output register plus a skid register, as the output stages of
 * verilog-axi (axi_dma_rd, axi_dma_wr): the producer sees s_ready as a
 * register, and the stream still moves one beat per cycle. A beat is
 * taken when s_valid is high in a cycle where s_ready is high; the
 * producer only raises s_valid in such a cycle. s_ready_next is the value
 * s_ready will have in the next cycle, for a producer whose own ready
 * (rready, tready) is a register that must only be high when s_ready is.
 *
 * Used by dma_mm2s (the device stream: data, tkeep, tlast, tuser) and by
 * dma_s2mm (W: data, wstrb, wlast).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_skid #
(
    // Bits of a beat
    parameter WIDTH = 8
)
(
    input  wire             clk,
    input  wire             rst,

    input  wire [WIDTH-1:0] s_data,
    input  wire             s_valid,
    output wire             s_ready,
    output wire             s_ready_next,

    output wire [WIDTH-1:0] m_data,
    output wire             m_valid,
    input  wire             m_ready,

    // nothing held: both registers empty
    output wire             empty
);

reg [WIDTH-1:0] out_data_reg = {WIDTH{1'b0}};
reg             out_valid_reg = 1'b0, out_valid_next;
reg [WIDTH-1:0] temp_data_reg = {WIDTH{1'b0}};
reg             temp_valid_reg = 1'b0, temp_valid_next;
reg             ready_reg = 1'b0;

reg store_in_to_out;
reg store_temp_to_out;

assign s_ready = ready_reg;
// ready next cycle if the output is ready, or the skid register will not
// be filled next cycle (output register empty or no input)
assign s_ready_next = m_ready || (!temp_valid_reg && (!out_valid_reg || !s_valid));
assign m_data = out_data_reg;
assign m_valid = out_valid_reg;
assign empty = !out_valid_reg && !temp_valid_reg;

always @* begin
    out_valid_next = out_valid_reg;
    temp_valid_next = temp_valid_reg;

    store_in_to_out = 1'b0;
    store_temp_to_out = 1'b0;

    if (ready_reg) begin
        // input is ready
        if (m_ready || !out_valid_reg) begin
            // output is ready or not valid: input to the output register
            out_valid_next = s_valid;
            store_in_to_out = 1'b1;
        end else begin
            // output is held: input to the skid register
            temp_valid_next = s_valid;
        end
    end else if (m_ready) begin
        // input is not ready, output is: skid register to the output
        out_valid_next = temp_valid_reg;
        temp_valid_next = 1'b0;
        store_temp_to_out = 1'b1;
    end
end

always @(posedge clk) begin
    out_valid_reg <= out_valid_next;
    temp_valid_reg <= temp_valid_next;
    ready_reg <= s_ready_next;

    if (store_in_to_out) begin
        out_data_reg <= s_data;
    end else if (store_temp_to_out) begin
        out_data_reg <= temp_data_reg;
    end

    // (whenever the input is ready: the skid register is empty then, and
    // counts as full only from temp_valid; so its wide enable is a
    // register, not a function of m_ready)
    if (ready_reg) begin
        temp_data_reg <= s_data;
    end

    if (rst) begin
        out_valid_reg <= 1'b0;
        temp_valid_reg <= 1'b0;
        ready_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
