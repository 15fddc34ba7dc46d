// The xx driver's queued mode on the engine's command queue: bufs travel in
// command blocks in memory, several in flight, completions reaped several
// per interrupt. The scoreboard checks every buf; the testbench allows the
// engine to write only the blocks' status words (and the buffers).
#include "rig.h"

#include "checkers/scoreboard.h"

using namespace tb;

namespace {

constexpr size_t BLK = XX_BLKSIZE;

TestbenchConfig queued_config(int depth = 4)
{
    TestbenchConfig cfg = named_config();
    cfg.queue_depth = depth;
    return cfg;
}

void queued_workload(unsigned width, uint64_t ios, unsigned threads, unsigned inflight, uint64_t seed_default,
                     unsigned addr_width = 32)
{
    RandomRun r;
    r.data_width = width;
    r.addr_width = addr_width;
    r.queue_depth = 4;
    r.w.ios = ios;
    r.w.threads = threads;
    r.w.inflight = inflight;
    r.w.max_blocks = 24;
    r.w.align = std::max(4u, width / 8);
    r.w.scatter_pct = 40;
    r.w.fail_pct = 2;
    WorkloadStats st = random_workload(r, seed_default).st;
    CHECK(st.queue_depth == 4);
    // every block submitted was reaped, and interrupts were shared by several
    CHECK(st.completions == st.starts);
    CHECK(st.completions >= ios - st.errors["EINVAL"]);
    CHECK(st.interrupts < st.completions);
    INFO("completions per interrupt " << double(st.completions) / double(st.interrupts));
}

} // namespace

TEST_CASE("queued random workload: 2000 bufs from 4 threads, 3 in flight each, under stalls and errors", "[queued][random]")
{
    queued_workload(32, 2000, 4, 3, 51);
}

TEST_CASE("queued random workload on the 64-bit engine", "[queued][random]")
{
    queued_workload(64, 400, 3, 3, 52);
}

TEST_CASE("queued random workload on the 128-bit engine", "[queued][random]")
{
    queued_workload(128, 400, 3, 3, 53);
}

// Command blocks, their entries and the doorbell all above 4 GiB.
TEST_CASE("queued random workload on the engine with 64-bit addresses, RAM above 4 GiB", "[queued][random]")
{
    queued_workload(64, 400, 3, 3, 56, 64);
}

// Seed 002 in queued mode: a buf of more cookies than the engine's SGLLEN
// goes portion by portion, each portion a command block of its own, while
// other bufs come and go through the same queue.
TEST_CASE("queued: a buf of more cookies than SGLLEN moves portion by portion beside other bufs", "[queued]")
{
    uint64_t seed = test_seed(54);
    std::mt19937_64 rng(seed);
    Testbench tb(queued_config());
    fill_random(tb.sim().disk().data().data(), 2048 * BLK, rng);
    Scoreboard sb(tb.sim().disk());
    constexpr size_t BIG = 40 * 4096;               // 40 scattered pages: 40 cookies
    GuardedBuffer big(tb, BIG, false), back(tb, BIG, false);
    std::vector<GuardedBuffer> small;
    for (int i = 0; i < 6; i++)
        small.emplace_back(tb, 8 * BLK, i % 2 == 0, 4 * (rng() % 64));
    fill_random(big.data, BIG, rng);
    Counters c{};
    REQUIRE(tb.run([&] {
        attach(tb);
        std::vector<struct buf*> bps;
        struct buf* wr = make_buf(B_WRITE, 100, BIG, big.data);
        sb.issue(wr);
        (void)xxstrategy(wr);
        for (int i = 0; i < 6; i++) {
            bool rd = i % 2 == 0;
            if (!rd)
                fill_random(small[i].data, small[i].len, rng);
            bps.push_back(make_buf(rd ? B_READ : B_WRITE, 1000 + 16 * i, small[i].len, small[i].data));
            sb.issue(bps.back());
            (void)xxstrategy(bps.back());
        }
        REQUIRE(biowait(wr) == 0);
        CHECK(wr->b_resid == 0);
        struct buf* rd = make_buf(B_READ, 100, BIG, back.data);
        sb.issue(rd);
        (void)xxstrategy(rd);
        REQUIRE(biowait(rd) == 0);
        for (struct buf* bp : bps)
            CHECK(biowait(bp) == 0);
        c = counters();
        detach(tb);
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(std::memcmp(big.data, back.data, BIG) == 0);
    CHECK(c.portions == 2);                          // the big write and the big read
    CHECK(c.starts >= 6 + 2 * 3);                    // 40 cookies: at least 3 portions of 16 each
    CHECK(c.completions == c.starts);
    CHECK(big.guards_intact());
    CHECK(back.guards_intact());
}

// Seed 001 in queued mode: the first bind finds no resources, the buf
// stays queued and xxdmacallback fills the queue when resources return.
TEST_CASE("queued: NORESOURCES, then the DMA callback fills the queue", "[queued]")
{
    uint64_t seed = test_seed(55);
    std::mt19937_64 rng(seed);
    Testbench tb(queued_config());
    fill_random(tb.sim().disk().data().data(), 1024 * BLK, rng);
    Scoreboard sb(tb.sim().disk());
    std::vector<GuardedBuffer> bufs;
    for (int i = 0; i < 6; i++)
        bufs.emplace_back(tb, 4 * BLK, false);
    Counters before{}, after{};
    REQUIRE(tb.run([&] {
        attach(tb);
        Hog hog;
        hog.grab(tb, xx_getstate(0));       // nothing left
        std::vector<struct buf*> bps;
        for (int i = 0; i < 6; i++) {
            bool rd = i % 2 == 1;
            if (!rd)
                fill_random(bufs[i].data, bufs[i].len, rng);
            bps.push_back(make_buf(rd ? B_READ : B_WRITE, 8 * i, bufs[i].len, bufs[i].data));
            sb.issue(bps.back());
            (void)xxstrategy(bps.back());
        }
        delay(2000);
        before = counters();
        ddi::dma_pool_set_limit(~0ull);
        hog.release();                      // runs the callback list
        for (struct buf* bp : bps)
            CHECK(biowait(bp) == 0);
        after = counters();
        detach(tb);
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(before.starts == 0);                       // nothing could be bound
    CHECK(before.noresources >= 1);
    CHECK(before.q_active == 0);                     // no slot held by a buf without resources
    CHECK(after.callbacks >= 1);
    CHECK(after.completions == 6);
}

TEST_CASE("queued: detach refused with blocks in flight, then attach, detach and attach again", "[queued]")
{
    Testbench tb(queued_config());
    Scoreboard sb(tb.sim().disk());
    std::vector<GuardedBuffer> bufs;
    for (int i = 0; i < 4; i++)
        bufs.emplace_back(tb, 16 * BLK);
    int refused = -1, second = -1;
    Counters c{};
    REQUIRE(tb.run([&] {
        attach(tb);
        std::vector<struct buf*> bps;
        for (int i = 0; i < 4; i++) {
            bps.push_back(make_buf(B_READ, 64 * i, bufs[i].len, bufs[i].data));
            sb.issue(bps.back());
            (void)xxstrategy(bps.back());
        }
        c = counters();
        refused = tb.detach_driver();
        for (struct buf* bp : bps)
            CHECK(biowait(bp) == 0);
        detach(tb);
        attach(tb);
        struct buf* bp = make_buf(B_WRITE, 500, bufs[0].len, bufs[0].data);
        sb.issue(bp);
        (void)xxstrategy(bp);
        CHECK(biowait(bp) == 0);
        second = counters().completions == 1;
        detach(tb);
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(c.q_active == 4);                          // all four in flight at once
    CHECK(refused == DDI_FAILURE);
    CHECK(second == 1);
}

// The driver takes no more slots than the engine has (cap2.QUEUE_DEPTH),
// and with a coalescing count of 4 and a long timeout, four bufs issued
// together complete in one interrupt.
TEST_CASE("queued: the depth is the engine's at most, and four completions share one interrupt", "[queued]")
{
    TestbenchConfig cfg = queued_config(16);
    cfg.coalesce_count = 4;
    cfg.coalesce_timeout = 100000;
    Testbench tb(cfg);
    Scoreboard sb(tb.sim().disk());
    std::vector<GuardedBuffer> bufs;
    for (int i = 0; i < 4; i++)
        bufs.emplace_back(tb, 2 * BLK);
    uint32_t cap2 = 0;
    Counters c0{}, c1{};
    REQUIRE(tb.run([&] {
        cap2 = tb.platform().read(XX_REG_CAP2, 4);
        attach(tb);
        c0 = counters();
        std::vector<struct buf*> bps;
        for (int i = 0; i < 4; i++) {
            bps.push_back(make_buf(i % 2 ? B_READ : B_WRITE, 32 * i, bufs[i].len, bufs[i].data));
            sb.issue(bps.back());
            (void)xxstrategy(bps.back());
        }
        for (struct buf* bp : bps)
            CHECK(biowait(bp) == 0);
        c1 = counters();
        detach(tb);
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(XX_CAP2_QUEUE_DEPTH(cap2) >= 1);
    CHECK(c0.qdepth == static_cast<int>(std::min<uint32_t>(16, XX_CAP2_QUEUE_DEPTH(cap2))));
    CHECK(c1.completions - c0.completions == 4);
    CHECK(c1.claimed - c0.claimed == 1);
}

// A command block the engine cannot read (an error response on its
// header: CODE 3) moved nothing: the buf fails with EIO and b_resid =
// b_bcount, whatever resid the engine could report; the queue goes on.
TEST_CASE("queued: a block whose fetch fails ends its buf with EIO and the whole count as residual", "[queued]")
{
    uint64_t seed = test_seed(57);
    std::mt19937_64 rng(seed);
    Testbench tb(queued_config());
    fill_random(tb.sim().disk().data().data(), 256 * BLK, rng);
    GuardedBuffer a(tb, 8 * BLK), b(tb, 8 * BLK);
    std::memset(a.data, 0x5a, a.len);
    int err_a = -1, err_b = -1;
    size_t resid_a = 0, resid_b = 1;
    REQUIRE(tb.run([&] {
        attach(tb);
        struct xxstate* xsp = xx_getstate(0);
        for (int i = 0; i < xsp->qdepth; i++)
            tb.sim().memory().add_error_range(xsp->slots[i].iopb_paddr, xsp->slots[i].iopb_paddr + 0x1f, 2);
        struct buf* bp = make_buf(B_READ, 16, a.len, a.data);
        (void)xxstrategy(bp);
        err_a = biowait(bp);
        resid_a = bp->b_resid;
        tb.sim().memory().clear_error_ranges();
        struct buf* bq = make_buf(B_READ, 16, b.len, b.data);
        (void)xxstrategy(bq);
        err_b = biowait(bq);
        resid_b = bq->b_resid;
        detach(tb);
    }));
    CHECK(err_a == EIO);
    CHECK(resid_a == a.len);
    CHECK(a.data[0] == 0x5a);                       // nothing was read into it
    CHECK(err_b == 0);
    CHECK(resid_b == 0);
    CHECK(std::memcmp(b.data, &tb.sim().disk().data()[16 * BLK], b.len) == 0);
}
