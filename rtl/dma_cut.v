/*
 * dma_engine: a cut in the logic for synthesis
 *
 * Wires only, kept apart in synthesis (keep_hierarchy), so that the logic
 * on either side is mapped to LUTs as written: ABC sees the inputs as
 * outputs of the logic before and the outputs as inputs of the logic
 * after, and cannot share terms across it into deeper cones. (ABC maps
 * for area; on the UP5K a shared term that adds a LUT level to a per-beat
 * decision costs more than the LUT it saves. (* keep *) on a net does
 * not stop it.) dma_s2mm puts its W decision's first-level terms
 * through one. No logic of its own.
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

(* keep_hierarchy *)
module dma_cut #
(
    // Wires
    parameter WIDTH = 1
)
(
    input  wire [WIDTH-1:0] i,
    output wire [WIDTH-1:0] o
);

assign o = i;

endmodule

`resetall
`default_nettype wire
