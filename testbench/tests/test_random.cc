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
