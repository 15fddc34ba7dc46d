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
    uint64_t seed = test_seed(41);
    std::mt19937_64 rng(seed);
    TestbenchConfig cfg = named_config();
    cfg.seed = seed;
    cfg.mem = MemoryConfig::stalls(0.05 * (rng() % 8));     // 0 to 0.35
    cfg.disk.stall = 0.05 * (rng() % 8);
    cfg.disk.cmd_latency = 4 + rng() % 60;
    Testbench tb(cfg);
    WorkloadConfig w;
    w.ios = 2000;
    w.threads = 4;
    w.min_blocks = 1;
    w.max_blocks = 24;
    w.read_pct = 50;
    w.align = 4;
    w.scatter_pct = 40;
    w.fail_pct = 2;
    w.seed = seed;
    workload_prepare(tb, w);
    Scoreboard sb(tb.sim().disk());
    WorkloadStats st;
    REQUIRE(tb.run([&] { st = workload_run(tb, sb, w, {}); }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(st.attached);
    CHECK(st.ios == 2000);
    CHECK(sb.issued() == 2000);
    CHECK(sb.completed() == 2000);
    CHECK(st.error_count() == sb.failed_ios());
    CHECK(st.errors["EIO"] > 0);            // the failing blocks were reached
    CHECK(st.reads + st.writes + st.error_count() == 2000);
}

// The same workload on the engine built with each data bus width: 64 and
// 128 bits, where a beat carries 8 or 16 bytes and buffers start on the
// bus width (the engine's alignment today, from its cap register).
static void workload_at_width(unsigned width, unsigned addr_width = 32)
{
    uint64_t seed = test_seed(42 + width + addr_width);
    std::mt19937_64 rng(seed);
    TestbenchConfig cfg = named_config();
    cfg.seed = seed;
    cfg.data_width = width;
    cfg.addr_width = addr_width;
    cfg.mem = MemoryConfig::stalls(0.05 * (rng() % 6));
    cfg.disk.stall = 0.05 * (rng() % 6);
    Testbench tb(cfg);
    REQUIRE(tb.sim().data_bytes() == width / 8);
    WorkloadConfig w;
    w.ios = 400;
    w.threads = 3;
    w.max_blocks = 16;
    w.align = width / 8;
    w.scatter_pct = 40;
    w.fail_pct = 3;
    w.seed = seed;
    workload_prepare(tb, w);
    Scoreboard sb(tb.sim().disk());
    WorkloadStats st;
    uint32_t cap = 0;
    REQUIRE(tb.run([&] {
        cap = tb.platform().read(0x04, 4);
        st = workload_run(tb, sb, w, {});
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(XX_CAP_DW_LOG2(cap) == (width == 64 ? 3u : 4u));
    CHECK(XX_CAP_ADDR64(cap) == (addr_width == 64 ? 1u : 0u));
    CHECK(((tb.ram().base() >> 32) != 0 || addr_width == 32));   // every bus address needs its high bits
    CHECK(sb.completed() == 400);
    CHECK(st.reads + st.writes + st.error_count() == 400);
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
