// The random workload: thousands of bufs of random sizes, buffer offsets,
// directions and blocks from several threads, contiguous and scattered
// buffers, random memory and device stalls, I/Os aimed at failing blocks.
// The scoreboard checks every byte and every completion; the testbench
// checks every cycle's protocol and that nothing outside a buffer was
// written. Replay a failure with DMA_SEED.
#include "rig.h"

#include "workload.h"

using namespace tb;

TEST_CASE("random workload: 2000 bufs from 4 threads under stalls and errors", "[random]")
{
    RandomRun r;
    r.w.ios = 2000;
    r.w.threads = 4;
    r.w.max_blocks = 24;
    r.w.align = 4;
    r.w.scatter_pct = 40;
    r.w.fail_pct = 2;
    RandomResult res = random_workload(r, 41);
    CHECK(res.st.errors["EIO"] > 0);        // the failing blocks were reached
}

// The same workload on the engine built with each data bus width: 64 and
// 128 bits, where a beat carries 8 or 16 bytes and buffers start on the
// bus width (the engine's alignment today, from its cap register).
static void workload_at_width(unsigned width, unsigned addr_width = 32)
{
    RandomRun r;
    r.data_width = width;
    r.addr_width = addr_width;
    r.stall_steps = 6;
    r.random_cmd_latency = false;
    r.w.ios = 400;
    r.w.threads = 3;
    r.w.max_blocks = 16;
    r.w.align = width / 8;
    r.w.scatter_pct = 40;
    r.w.fail_pct = 3;
    RandomResult res = random_workload(r, 42 + width + addr_width);
    CHECK(XX_CAP_DW_LOG2(res.cap) == (width == 64 ? 3u : 4u));
    CHECK(XX_CAP_ADDR64(res.cap) == (addr_width == 64 ? 1u : 0u));
    CHECK(((res.ram_base >> 32) != 0 || addr_width == 32));   // every bus address needs its high bits
}

TEST_CASE("random workload on the 64-bit engine", "[random]")
{
    workload_at_width(64);
}

TEST_CASE("random workload on the 128-bit engine", "[random]")
{
    workload_at_width(128);
}

TEST_CASE("random workload on the engine with 64-bit addresses, RAM above 4 GiB", "[random]")
{
    workload_at_width(64, 64);
}
