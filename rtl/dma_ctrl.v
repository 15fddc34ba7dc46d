/*
 * dma_engine: command sequencer
 *
 * Takes a validated command from the register file, sends the one device
 * command while the datapath of its direction starts in the same cycle
 * (its start comes from the command's source directly, a register; the
 * memory side may start early, the memory to device stream is held until
 * the device has taken the command: stream_enable), consumes the one
 * device status, and reports completion with the error causes, residue
 * and fault address.
 *
 * abort (a pulse from the register file while running) is held as a level
 * to both datapaths until the command ends; they stop after the bursts
 * already on the bus, and the command ends reporting done_aborted.
 *
 * done and the results are registers: the command ends (finish) in the
 * cycle both datapaths are idle (their busy is a register, low from the
 * cycle after their last event) with the status in, and done follows a
 * cycle later with the causes, residue and fault address
 * of that cycle. (finish spans both datapaths' end-of-command logic; a
 * register here keeps it off the enables of the register file's result
 * registers, and those off the datapaths' paths.) The result registers
 * follow their sources every cycle while running, so that no enable
 * depends on finish.
 *
 * done_early: for DDI_DMA_READ the last event is the B response of the
 * last burst, which dma_s2mm registers before it drops busy. dma_engine
 * sees that handshake (s2mm_last_b: every other burst answered, every W
 * beat sent, the stream ended); with the status in and no abort, the
 * command is over, so finish comes in the next cycle from a register of
 * it (early_reg) rather than a cycle later from busy, and done_early lets
 * irq rise before the registers are in (dma_engine asserts that done
 * follows two cycles later and that dma_s2mm's busy falls with it; the
 * register file holds AXI4-Lite reads until then).
 */

`resetall
`timescale 1ns / 1ps
`default_nettype none

module dma_ctrl #
(
    // Width of address bus in bits
    parameter ADDR_WIDTH = 32,
    // Width of the byte length
    parameter LEN_WIDTH = 32
)
(
    input  wire                   clk,
    input  wire                   rst,

    /*
     * Command from the register file (valid, only while idle)
     */
    input  wire                   start,
    input  wire                   start_write,     // 1: memory to device
    input  wire [LEN_WIDTH-1:0]   start_len,       // total of all segments
    input  wire                   abort_req,
    input  wire [31:0]            start_block,

    /*
     * Datapaths
     */
    output wire                   stream_enable,
    output wire                   abort,
    input  wire                   mm2s_busy,
    input  wire                   mm2s_err,
    input  wire [ADDR_WIDTH-1:0]  mm2s_err_addr,
    input  wire [LEN_WIDTH-1:0]   mm2s_xfer_bytes,
    input  wire [LEN_WIDTH-1:0]   mm2s_resid,      // start_len - mm2s_xfer_bytes
    input  wire                   s2mm_busy,
    input  wire                   s2mm_err,
    input  wire [ADDR_WIDTH-1:0]  s2mm_err_addr,
    input  wire                   s2mm_dev_err,
    input  wire [LEN_WIDTH-1:0]   s2mm_xfer_bytes,
    input  wire [LEN_WIDTH-1:0]   s2mm_resid,      // start_len - s2mm_xfer_bytes
    input  wire                   s2mm_last_b,     // dma_s2mm's last B response, this cycle
    input  wire                   s2mm_b_err,      // that response is not OKAY

    /*
     * Device command and status
     */
    output wire                   m_dev_cmd_valid,
    input  wire                   m_dev_cmd_ready,
    output wire                   m_dev_cmd_write,
    output wire [31:0]            m_dev_cmd_block,
    output wire [LEN_WIDTH-1:0]   m_dev_cmd_len,
    input  wire                   s_dev_sts_valid,
    output wire                   s_dev_sts_ready,
    input  wire                   s_dev_sts_error,

    /*
     * Completion (to the register file)
     */
    output wire                   done,
    output wire                   done_err_rd,     // RRESP error
    output wire                   done_err_wr,     // BRESP error
    output wire                   done_err_dev,    // device status error or wrong stream length
    output wire                   done_aborted,    // stopped by abort_req
    output wire [LEN_WIDTH-1:0]   done_resid,
    output wire [ADDR_WIDTH-1:0]  done_fault_addr,
    output wire [LEN_WIDTH-1:0]   xfer_bytes,      // transferred so far
    output wire                   done_early,      // done comes two cycles later
    output wire                   done_early_err   // and it is an error
);

reg running_reg = 1'b0, running_next;
reg write_reg = 1'b0, write_next;
reg [LEN_WIDTH-1:0] len_reg = {LEN_WIDTH{1'b0}}, len_next;
reg [31:0] block_reg = 32'd0, block_next;

reg m_dev_cmd_valid_reg = 1'b0, m_dev_cmd_valid_next;
reg cmd_accepted_reg = 1'b0, cmd_accepted_next;
reg s_dev_sts_ready_reg = 1'b0, s_dev_sts_ready_next;
reg sts_got_reg = 1'b0, sts_got_next;
reg sts_err_reg = 1'b0, sts_err_next;
reg abort_reg = 1'b0, abort_next;
reg early_reg = 1'b0;

// the completion, a cycle after finish
reg done_reg = 1'b0;
reg done_err_rd_reg = 1'b0;
reg done_err_wr_reg = 1'b0;
reg done_err_dev_reg = 1'b0;
reg done_aborted_reg = 1'b0;
reg [LEN_WIDTH-1:0] done_resid_reg = {LEN_WIDTH{1'b0}};
reg [ADDR_WIDTH-1:0] done_fault_addr_reg = {ADDR_WIDTH{1'b0}};

wire sts_hs = s_dev_sts_ready_reg && s_dev_sts_valid;
// the status counts in the cycle it is taken, saving a cycle to irq
wire sts_done = sts_got_reg || sts_hs;
wire sts_error = (sts_got_reg && sts_err_reg) || (sts_hs && s_dev_sts_error);

// the command's last cycle
wire finish = running_reg && ((cmd_accepted_reg && sts_done && !mm2s_busy && !s2mm_busy) || early_reg);
wire err_rd = write_reg && mm2s_err;
wire err_wr = !write_reg && s2mm_err;

assign done = done_reg;
assign done_err_rd = done_err_rd_reg;
assign done_err_wr = done_err_wr_reg;
assign done_err_dev = done_err_dev_reg;
assign done_aborted = done_aborted_reg;
assign done_resid = done_resid_reg;
assign done_fault_addr = done_fault_addr_reg;
assign done_early = running_reg && !write_reg && cmd_accepted_reg && sts_done && !mm2s_busy &&
                    s2mm_busy && s2mm_last_b && !abort_reg && !abort_req;
assign done_early_err = sts_error || s2mm_dev_err || s2mm_err || s2mm_b_err;
assign abort = abort_reg;
assign xfer_bytes = write_reg ? mm2s_xfer_bytes : s2mm_xfer_bytes;
// A device that reports an error on DDI_DMA_WRITE has confirmed none of
// the bytes it took: all of them are residual.
// (After an abort or a memory read error the device's error status is the
// abort beat's doing: the bytes it took before are counted as transferred.)
// (the datapaths count the residue down beside the bytes transferred, so
// that no subtracter sits between their counters and the result registers)
wire [LEN_WIDTH-1:0] resid = (write_reg && sts_error && !abort_reg && !mm2s_err) ? len_reg :
                             write_reg ? mm2s_resid : s2mm_resid;
// (a datapath's err_addr is only defined while its err is set)
wire [ADDR_WIDTH-1:0] fault_addr = err_rd ? mm2s_err_addr :
                                   err_wr ? s2mm_err_addr : {ADDR_WIDTH{1'b0}};

assign stream_enable = cmd_accepted_reg;

assign m_dev_cmd_valid = m_dev_cmd_valid_reg;
assign m_dev_cmd_write = write_reg;
assign m_dev_cmd_block = block_reg;
assign m_dev_cmd_len = len_reg;
assign s_dev_sts_ready = s_dev_sts_ready_reg;

always @* begin
    running_next = running_reg;
    write_next = write_reg;
    len_next = len_reg;
    block_next = block_reg;
    m_dev_cmd_valid_next = m_dev_cmd_valid_reg;
    cmd_accepted_next = cmd_accepted_reg;
    s_dev_sts_ready_next = s_dev_sts_ready_reg;
    sts_got_next = sts_got_reg;
    sts_err_next = sts_err_reg;
    abort_next = abort_reg || (abort_req && running_reg);

    if (m_dev_cmd_valid_reg && m_dev_cmd_ready) begin
        m_dev_cmd_valid_next = 1'b0;
        cmd_accepted_next = 1'b1;
    end

    // the status is taken whenever it comes, even early, so a device that
    // gives up is never left waiting on it
    if (sts_hs) begin
        s_dev_sts_ready_next = 1'b0;
        sts_got_next = 1'b1;
        sts_err_next = s_dev_sts_error;
    end

    if (finish) begin
        running_next = 1'b0;
        cmd_accepted_next = 1'b0;
        sts_got_next = 1'b0;
        abort_next = 1'b0;
    end

    if (start) begin
        // latch what the command needs: the registers may not change it
        running_next = 1'b1;
        write_next = start_write;
        len_next = start_len;
        block_next = start_block;
        m_dev_cmd_valid_next = 1'b1;
        cmd_accepted_next = 1'b0;
        s_dev_sts_ready_next = 1'b1;
        sts_got_next = 1'b0;
        sts_err_next = 1'b0;
        abort_next = 1'b0;
    end
end

always @(posedge clk) begin
    running_reg <= running_next;
    write_reg <= write_next;
    len_reg <= len_next;
    block_reg <= block_next;
    m_dev_cmd_valid_reg <= m_dev_cmd_valid_next;
    cmd_accepted_reg <= cmd_accepted_next;
    s_dev_sts_ready_reg <= s_dev_sts_ready_next;
    sts_got_reg <= sts_got_next;
    sts_err_reg <= sts_err_next;
    abort_reg <= abort_next;

    // the results as they are in finish's cycle: running falls after it
    done_reg <= finish;
    early_reg <= done_early;
    if (running_reg) begin
        done_err_rd_reg <= err_rd;
        done_err_wr_reg <= err_wr;
        done_err_dev_reg <= sts_error || (!write_reg && s2mm_dev_err);
        done_aborted_reg <= abort_reg;
        done_resid_reg <= resid;
        done_fault_addr_reg <= fault_addr;
    end

    if (rst) begin
        done_reg <= 1'b0;
        early_reg <= 1'b0;
        abort_reg <= 1'b0;
        running_reg <= 1'b0;
        m_dev_cmd_valid_reg <= 1'b0;
        cmd_accepted_reg <= 1'b0;
        s_dev_sts_ready_reg <= 1'b0;
        sts_got_reg <= 1'b0;
        sts_err_reg <= 1'b0;
    end
end

endmodule

`resetall
`default_nettype wire
