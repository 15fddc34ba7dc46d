/*
 * tb_board: the board (dma_board, with the iCE40 SPRAM and EBR as the
 * board has them, from yosys's cells_sim.v) driven only through its UART,
 * the way the PC drives it. Run by fpga/sim/run.sh; seeded: +seed=N
 * (run.sh passes DMA_SEED, or a fresh one, and prints it).
 *
 * It checks the bridge (NOP, register read/write, memory bytes at odd
 * addresses and lengths, an unknown opcode, a truncated command dropped
 * after the timeout), then the engine: random data to host memory, DMA
 * memory -> RAM disk, other data over it, DMA disk -> memory elsewhere, and
 * the data must come back; then error paths: a disk command past the end
 * of the disk (device error, nothing written), a DMA from outside host
 * memory (data read error with its fault address).
 */

`timescale 1ns / 1ps
`default_nettype none

module tb_board;

localparam CLKS_PER_BIT = 8;
localparam TIMEOUT = 3000;
localparam DISK_BLOCKS = 16;
localparam MEM_BYTES = 131072;

reg clk = 1'b0;
reg rst = 1'b1;
reg rxd = 1'b1;
wire txd, irq, busy;

always #5 clk = !clk;

dma_board #(
    .CLKS_PER_BIT(CLKS_PER_BIT),
    .TIMEOUT(TIMEOUT),
    .USE_SPRAM(1),
    .DISK_BLOCKS(DISK_BLOCKS)
)
dut (
    .clk(clk), .rst(rst), .rxd(rxd), .txd(txd), .irq(irq), .busy(busy)
);

integer seed, seed0;
integer errors = 0;

// ---------------------------------------------------------------- UART host
// receiver: every byte the board sends goes into a queue
reg [7:0] rxq [0:131071];
integer rxq_head = 0, rxq_tail = 0;
integer b;
reg [7:0] rbyte;
always begin
    @(negedge txd);
    repeat (CLKS_PER_BIT + CLKS_PER_BIT / 2) @(posedge clk);
    for (b = 0; b < 8; b = b + 1) begin
        rbyte[b] = txd;
        repeat (CLKS_PER_BIT) @(posedge clk);
    end
    if (txd !== 1'b1) begin
        $display("FAIL: framing error on txd at %0t", $time);
        errors = errors + 1;
    end
    rxq[rxq_tail] = rbyte;
    rxq_tail = rxq_tail + 1;
end

task send(input [7:0] v);
    integer i;
    begin
        rxd = 1'b0;
        repeat (CLKS_PER_BIT) @(posedge clk);
        for (i = 0; i < 8; i = i + 1) begin
            rxd = v[i];
            repeat (CLKS_PER_BIT) @(posedge clk);
        end
        rxd = 1'b1;
        repeat (CLKS_PER_BIT) @(posedge clk);
    end
endtask

// the next byte from the board; a byte that does not come fails (no hang)
task recv(output [7:0] v);
    integer t;
    begin
        t = 0;
        while (rxq_head == rxq_tail && t < 200 * CLKS_PER_BIT * 10) begin
            @(posedge clk);
            t = t + 1;
        end
        if (rxq_head == rxq_tail) begin
            $display("FAIL: no reply byte from the board at %0t", $time);
            errors = errors + 1;
            $display("FAIL tb_board: %0d errors (seed %0d)", errors, seed0);
            $finish;
        end
        v = rxq[rxq_head];
        rxq_head = rxq_head + 1;
    end
endtask

task send16(input [15:0] v); begin send(v[7:0]); send(v[15:8]); end endtask
task send32(input [31:0] v); begin send16(v[15:0]); send16(v[31:16]); end endtask

task check(input ok, input [8*64-1:0] what);
    if (!ok) begin
        $display("FAIL: %0s at %0t", what, $time);
        errors = errors + 1;
    end
endtask

reg [7:0] st;

task expect_status(input [1:0] resp, input [8*64-1:0] what);
    begin
        recv(st);
        if (st[6:4] !== 3'b101 || st[1:0] !== resp) begin
            $display("FAIL: %0s: status 0x%02x, want RESP %0d", what, st, resp);
            errors = errors + 1;
        end
    end
endtask

task nop; begin send(8'h00); expect_status(2'b00, "NOP"); end endtask

task reg_wr(input [11:0] addr, input [3:0] strb, input [31:0] data);
    begin
        send(8'h01); send16({4'd0, addr}); send({4'd0, strb}); send32(data);
        expect_status(2'b00, "REG_WR");
    end
endtask

task reg_rd(input [11:0] addr, output [31:0] data);
    reg [7:0] x0, x1, x2, x3;
    begin
        send(8'h02); send16({4'd0, addr});
        recv(x0); recv(x1); recv(x2); recv(x3);
        data = {x3, x2, x1, x0};
        expect_status(2'b00, "REG_RD");
    end
endtask

// host-side copy of what the test put where
reg [7:0] buf_a [0:4095];
reg [7:0] buf_b [0:4095];
reg [7:0] got [0:4095];

task mem_wr_a(input [31:0] addr, input integer len, input [1:0] resp);
    integer i;
    begin
        send(8'h03); send32(addr); send16(len[15:0]);
        for (i = 0; i < len; i = i + 1)
            send(buf_a[i]);
        expect_status(resp, "MEM_WR");
    end
endtask

task mem_wr_b(input [31:0] addr, input integer len);
    integer i;
    begin
        send(8'h03); send32(addr); send16(len[15:0]);
        for (i = 0; i < len; i = i + 1)
            send(buf_b[i]);
        expect_status(2'b00, "MEM_WR");
    end
endtask

task mem_rd(input [31:0] addr, input integer len, input [1:0] resp);
    integer i;
    begin
        send(8'h04); send32(addr); send16(len[15:0]);
        for (i = 0; i < len; i = i + 1)
            recv(got[i]);
        expect_status(resp, "MEM_RD");
    end
endtask

task compare(input integer which, input integer len, input [8*64-1:0] what);
    integer i, bad;
    begin
        bad = 0;
        for (i = 0; i < len; i = i + 1)
            if (got[i] !== (which == 0 ? buf_a[i] : buf_b[i])) begin
                if (bad < 4)
                    $display("  byte %0d: got 0x%02x want 0x%02x", i, got[i],
                             which == 0 ? buf_a[i] : buf_b[i]);
                bad = bad + 1;
            end
        check(bad == 0, what);
    end
endtask

// poll with NOP until the interrupt line is up (bounded)
task wait_irq;
    integer n;
    begin
        n = 0;
        st = 8'h00;
        while (!st[7] && n < 400) begin
            send(8'h00);
            recv(st);
            n = n + 1;
        end
        check(st[7], "irq never came");
    end
endtask

localparam [11:0] R_ID = 12'h000, R_CAP = 12'h004, R_CSR = 12'h008, R_CTL = 12'h00c,
                  R_ADDR = 12'h010, R_SIZE = 12'h018, R_BLOCK = 12'h01c, R_RESID = 12'h020,
                  R_FAULT = 12'h024, R_XFER = 12'h02c;

// one engine command: program, start with interrupts on, wait, return csr/err
task dma(input [1:0] dir, input [31:0] addr, input [31:0] size, input [31:0] block,
         output [31:0] csr);
    begin
        reg_wr(R_CTL, 4'hf, {30'd0, dir});
        reg_wr(R_ADDR, 4'hf, addr);
        reg_wr(R_SIZE, 4'hf, size);
        reg_wr(R_BLOCK, 4'hf, block);
        reg_wr(R_CSR, 4'h1, 32'h03);          // ENABLE_INTERRUPTS | START_TRANSFER
        wait_irq;
        reg_rd(R_CSR, csr);
        reg_wr(R_CSR, 4'h1, 32'h11);          // ENABLE_INTERRUPTS | CLEAR_INTERRUPT
    end
endtask

integer i, len, blk, nblk;
reg [31:0] v, csr, addr_a, addr_b, resid, fault;

initial begin
    if (!$value$plusargs("seed=%d", seed))
        seed = 1;
    seed0 = seed;
    $display("tb_board: seed %0d (replay: DMA_SEED=%0d fpga/sim/run.sh)", seed, seed);
    if ($test$plusargs("vcd")) begin
        $dumpfile("tb_board.vcd");
        $dumpvars(0, tb_board);
    end
    repeat (20) @(posedge clk);
    rst = 1'b0;
    repeat (20) @(posedge clk);

    // --- the bridge alone
    nop;
    reg_rd(R_ID, v);
    check(v[31:8] == 24'h444d41, "id register reads DMA");
    reg_rd(R_CAP, v);
    check(v[11:8] == 4'd2, "cap says a 32-bit bus");
    send(8'h7e);
    expect_status(2'b11, "unknown opcode answers RESP 3");
    // a truncated command is dropped after TIMEOUT cycles, without a reply
    send(8'h01); send(8'h10);
    repeat (TIMEOUT + 100) @(posedge clk);
    check(rxq_head == rxq_tail, "no reply to a truncated command");
    nop;

    // memory bytes at an odd address, odd length, both paths
    len = 1 + ({$random(seed)} % 37);
    addr_a = 32'h100 + ({$random(seed)} % 8);
    for (i = 0; i < len; i = i + 1) buf_a[i] = $random(seed);
    mem_wr_a(addr_a, len, 2'b00);
    mem_rd(addr_a, len, 2'b00);
    compare(0, len, "MEM_WR then MEM_RD, odd address and length");
    // outside the memory: SLVERR, and the status says so
    mem_rd(MEM_BYTES - 4, 8, 2'b10);

    // --- the engine: memory -> disk -> memory elsewhere
    nblk = 1 + ({$random(seed)} % 3);
    len = 512 * nblk;
    blk = {$random(seed)} % (DISK_BLOCKS - nblk + 1);
    addr_a = 32'h1000 + 4 * ({$random(seed)} % 4096);
    addr_b = 32'h8000 + 4 * ({$random(seed)} % 4096);
    $display("tb_board: %0d bytes, A 0x%0x -> disk block %0d -> B 0x%0x", len, addr_a, blk, addr_b);
    for (i = 0; i < len; i = i + 1) begin
        buf_a[i] = $random(seed);
        buf_b[i] = $random(seed);
    end
    mem_wr_a(addr_a, len, 2'b00);
    mem_wr_b(addr_b, len + 4);

    dma(2'd1, addr_a, len, blk, csr);          // DDI_DMA_WRITE: memory to device
    check(csr[2] && !csr[3], "write: INTERRUPTING without DEVICE_ERROR");
    check(csr[15:8] == 8'd0, "write: err 0");
    reg_rd(R_RESID, resid);
    check(resid == 0, "write: resid 0");
    reg_rd(R_XFER, v);
    check(v == len, "write: xfer_count is the size");
    reg_rd(R_CSR, v);
    check(!v[2] && !irq, "CLEAR_INTERRUPT drops INTERRUPTING and irq");

    dma(2'd2, addr_b, len, blk, csr);          // DDI_DMA_READ: device to memory
    check(csr[2] && !csr[3], "read: INTERRUPTING without DEVICE_ERROR");
    reg_rd(R_RESID, resid);
    check(resid == 0, "read: resid 0");
    mem_rd(addr_b, len, 2'b00);
    compare(0, len, "data back from the disk");
    // the bytes just past B were not touched
    mem_rd(addr_b + len, 4, 2'b00);
    check(got[0] === buf_b[len] && got[1] === buf_b[len + 1] && got[2] === buf_b[len + 2] &&
          got[3] === buf_b[len + 3], "nothing written past the buffer");

    // --- errors
    // a read past the end of the disk: device error, resid = size, memory untouched
    for (i = 0; i < 512; i = i + 1) buf_b[i] = $random(seed);
    mem_wr_b(addr_b, 512);
    dma(2'd2, addr_b, 1024, DISK_BLOCKS - 1, csr);
    check(csr[2] && csr[3], "read past the disk end: DEVICE_ERROR");
    check(csr[11:8] == 4'd4, "read past the disk end: err CODE 4 (device)");
    reg_rd(R_RESID, resid);
    check(resid == 1024, "read past the disk end: resid is the size");
    mem_rd(addr_b, 512, 2'b00);
    compare(1, 512, "read past the disk end wrote nothing");

    // a DMA from outside host memory: data read error, fault address
    dma(2'd1, MEM_BYTES + 32'h200, 512, 0, csr);
    check(csr[2] && csr[3], "write from outside memory: DEVICE_ERROR");
    check(csr[11:8] == 4'd1, "write from outside memory: err CODE 1 (data read)");
    reg_rd(R_FAULT, fault);
    check(fault >= MEM_BYTES && fault < MEM_BYTES + 32'h400, "fault address in the bad range");

    // and the engine still works after the errors
    dma(2'd2, addr_a, 512, blk, csr);
    check(csr[2] && !csr[3], "read after errors succeeds");
    mem_rd(addr_a, 512, 2'b00);
    for (i = 0; i < 512; i = i + 1) buf_b[i] = buf_a[i];
    compare(1, 512, "data after errors");

    if (errors == 0)
        $display("PASS tb_board (seed %0d, %0t ns simulated)", seed0, $time);
    else
        $display("FAIL tb_board: %0d errors (seed %0d)", errors, seed0);
    $finish;
end

// a hung simulation fails too
initial begin
    #400000000;
    $display("FAIL tb_board: timeout (seed %0d)", seed0);
    $finish;
end

endmodule

`default_nettype wire
