// The foundation slice end to end: bufs through xxstrategy, xxstart and
// xxintr on the verilated engine, every byte checked against the disk and
// memory models.
#include "rig.h"

using namespace tb;

namespace {

constexpr size_t BLK = XX_BLKSIZE;

// Run one synchronous transfer: strategy, then biowait.
int transfer(struct buf* bp)
{
    (void)xxstrategy(bp);
    return biowait(bp);
}

} // namespace

TEST_CASE("foundation: the driver attaches and reads the engine's id", "[foundation]")
{
    Testbench tb(named_config());
    uint32_t id = 0;
    int sgllen = 0;
    REQUIRE(tb.run([&] {
        attach(tb);
        struct xxstate* xsp = xx_getstate(0);
        id = ddi_get32(xsp->data_access_handle, &xsp->regp->id);
        sgllen = xsp->dma_attr.dma_attr_sgllen;
        detach(tb);
    }));
    CHECK(id >> 8 == XX_ID_MAGIC);
    CHECK(sgllen >= 1);
    // Register accesses took real bus cycles.
    CHECK(tb.platform().bus_accesses() >= 3);
    CHECK(tb.platform().bus_cycles() >= 2 * tb.platform().bus_accesses());
}

TEST_CASE("foundation: a read (DDI_DMA_READ) brings disk blocks into memory", "[foundation]")
{
    uint64_t seed = test_seed(11);
    Testbench tb(named_config());
    std::mt19937_64 rng(seed);
    const daddr_t blk = 37;
    const size_t len = 9 * BLK;     // crosses 4 KiB pages and bursts
    fill_random(&tb.sim().disk().data()[0], tb.sim().disk().data().size(), rng);
    GuardedBuffer b(tb, len);
    struct buf* bp = nullptr;
    int err = -1;
    REQUIRE(tb.run([&] {
        attach(tb);
        bp = make_buf(B_READ, blk, len, b.data);
        err = transfer(bp);
    }));
    CHECK(err == 0);
    CHECK(bp->b_resid == 0);
    CHECK((bp->b_flags & (B_DONE | B_ERROR)) == B_DONE);
    CHECK(std::memcmp(b.data, &tb.sim().disk().data()[blk * BLK], len) == 0);
    CHECK(b.guards_intact());
}

TEST_CASE("foundation: a write (DDI_DMA_WRITE) puts memory onto the disk", "[foundation]")
{
    uint64_t seed = test_seed(12);
    Testbench tb(named_config());
    std::mt19937_64 rng(seed);
    const daddr_t blk = 100;
    const size_t len = 17 * BLK;
    GuardedBuffer b(tb, len);
    fill_random(b.data, len, rng);
    std::vector<uint8_t> before = tb.sim().disk().data();
    struct buf* bp = nullptr;
    int err = -1;
    REQUIRE(tb.run([&] {
        attach(tb);
        bp = make_buf(B_WRITE, blk, len, b.data);
        err = transfer(bp);
    }));
    CHECK(err == 0);
    CHECK(bp->b_resid == 0);
    const std::vector<uint8_t>& disk = tb.sim().disk().data();
    CHECK(std::memcmp(&disk[blk * BLK], b.data, len) == 0);
    // Nothing else on the disk changed.
    CHECK(std::equal(disk.begin(), disk.begin() + blk * BLK, before.begin()));
    CHECK(std::equal(disk.begin() + blk * BLK + len, disk.end(), before.begin() + blk * BLK + len));
    CHECK(b.guards_intact());
}

TEST_CASE("foundation: queued bufs complete in order, each byte right", "[foundation]")
{
    uint64_t seed = test_seed(13);
    Testbench tb(named_config());
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 1024 * BLK, rng);
    const std::vector<uint8_t> disk0 = tb.sim().disk().data();

    constexpr int N = 8;
    std::vector<GuardedBuffer> bufs;
    std::vector<struct buf*> bps(N);
    std::vector<int> order;
    static std::vector<int>* order_p;
    order_p = &order;
    for (int i = 0; i < N; i++) {
        bufs.emplace_back(tb, (1 + i) * BLK);
        fill_random(bufs.back().data, bufs.back().len, rng);
    }
    REQUIRE(tb.run([&] {
        attach(tb);
        for (int i = 0; i < N; i++) {
            int dir = (i % 2) ? B_WRITE : B_READ;
            bps[i] = make_buf(dir | B_ASYNC, 64 * i, bufs[i].len, bufs[i].data);
            bps[i]->b_private = reinterpret_cast<void*>(static_cast<intptr_t>(i));
            bps[i]->b_iodone = [](struct buf* bp) {
                order_p->push_back(static_cast<int>(reinterpret_cast<intptr_t>(bp->b_private)));
                return 0;
            };
        }
        // All queued before the first completes: strategy does not wait.
        for (int i = 0; i < N; i++)
            (void)xxstrategy(bps[i]);
        struct xxstate* xsp = xx_getstate(0);
        mutex_enter(&xsp->mu);
        int queued = 0;
        for (struct buf* q = xsp->list_head; q; q = q->av_forw)
            queued++;
        mutex_exit(&xsp->mu);
        CHECK(queued == N - 1);     // one on the engine, the rest on av_forw
        while (order.size() < N)
            delay(1000);
        detach(tb);
    }));
    REQUIRE(order.size() == N);
    for (int i = 0; i < N; i++) {
        CHECK(order[i] == i);
        CHECK(bps[i]->b_resid == 0);
        CHECK(geterror(bps[i]) == 0);
        const uint8_t* d = &tb.sim().disk().data()[64 * i * BLK];
        if (i % 2)
            CHECK(std::memcmp(d, bufs[i].data, bufs[i].len) == 0);
        else
            CHECK(std::memcmp(bufs[i].data, &disk0[64 * i * BLK], bufs[i].len) == 0);
        CHECK(bufs[i].guards_intact());
    }
}

TEST_CASE("foundation: a device error ends in B_ERROR, EIO and b_resid == b_bcount", "[foundation]")
{
    Testbench tb(named_config());
    const size_t len = 4 * BLK;
    GuardedBuffer rb(tb, len), wb(tb, len), ok(tb, len);
    std::memset(rb.data, 0x11, len);
    std::memset(wb.data, 0x22, len);
    tb.sim().disk().fail_block(200);     // the read's first block
    tb.sim().disk().fail_command(1);     // the write: the second command
    struct buf *r = nullptr, *w = nullptr, *after = nullptr;
    int rerr = 0, werr = 0, aerr = -1;
    REQUIRE(tb.run([&] {
        attach(tb);
        r = make_buf(B_READ, 200, len, rb.data);
        rerr = transfer(r);
        w = make_buf(B_WRITE, 300, len, wb.data);
        werr = transfer(w);
        // The engine is usable again without a reset.
        after = make_buf(B_READ, 400, len, ok.data);
        aerr = transfer(after);
        detach(tb);
    }));
    CHECK(rerr == EIO);
    CHECK((r->b_flags & B_ERROR) != 0);
    CHECK(r->b_resid == r->b_bcount);
    CHECK(werr == EIO);
    CHECK(w->b_resid == w->b_bcount);
    CHECK(aerr == 0);
    CHECK(after->b_resid == 0);
    CHECK(std::memcmp(ok.data, &tb.sim().disk().data()[400 * BLK], len) == 0);
    // The failed read wrote nothing into the buffer.
    for (size_t i = 0; i < len; i++)
        if (rb.data[i] != 0x11) {
            FAIL("byte " << i << " of the failed read's buffer changed");
            break;
        }
    CHECK(rb.guards_intact());
}

TEST_CASE("foundation: an interrupt that is not ours is DDI_INTR_UNCLAIMED", "[foundation]")
{
    Testbench tb(named_config());
    uint_t direct = 99;
    ddi::IntrStats before{}, after{};
    uint64_t claimed = 0, unclaimed = 0;
    REQUIRE(tb.run([&] {
        attach(tb);
        struct xxstate* xsp = xx_getstate(0);
        // Called with the engine idle: not ours.
        direct = xxintr(reinterpret_cast<caddr_t>(xsp), nullptr);
        // A spurious pulse on the line: the dispatcher runs the chain,
        // nobody claims it.
        before = ddi::intr_stats(0);
        REQUIRE(tb.platform().raise_spurious_interrupt());
        delay(100);
        after = ddi::intr_stats(0);
        mutex_enter(&xsp->mu);
        claimed = xsp->nintr_claimed;
        unclaimed = xsp->nintr_unclaimed;
        mutex_exit(&xsp->mu);
        detach(tb);
    }));
    CHECK(direct == DDI_INTR_UNCLAIMED);
    CHECK(after.dispatches == before.dispatches + 1);
    CHECK(after.unclaimed == before.unclaimed + 1);
    CHECK(claimed == 0);
    CHECK(unclaimed == 2);
}

TEST_CASE("foundation: bad bufs fail with EINVAL and b_resid == b_bcount", "[foundation]")
{
    Testbench tb(named_config());
    GuardedBuffer b(tb, 4 * BLK);
    std::vector<struct buf*> bps;
    std::vector<int> errs;
    uint64_t nblocks = tb.sim().disk().nblocks();
    REQUIRE(tb.run([&] {
        attach(tb);
        bps.push_back(make_buf(B_READ, 0, 0, b.data));              // zero length
        bps.push_back(make_buf(B_READ, 0, BLK + 1, b.data));        // not whole blocks
        bps.push_back(make_buf(B_WRITE, static_cast<daddr_t>(nblocks), BLK, b.data));  // past the end
        for (struct buf* bp : bps)
            errs.push_back(transfer(bp));
        detach(tb);
    }));
    for (size_t i = 0; i < bps.size(); i++) {
        CHECK(errs[i] == EINVAL);
        CHECK(bps[i]->b_resid == bps[i]->b_bcount);
    }
    CHECK(tb.sim().disk().commands() == 0);     // none reached the device
    CHECK(b.guards_intact());
}

TEST_CASE("foundation: a request running past the end moves what fits", "[foundation]")
{
    uint64_t seed = test_seed(14);
    Testbench tb(named_config());
    std::mt19937_64 rng(seed);
    uint64_t nblocks = tb.sim().disk().nblocks();
    fill_random(&tb.sim().disk().data()[(nblocks - 2) * BLK], 2 * BLK, rng);
    GuardedBuffer b(tb, 4 * BLK);
    std::memset(b.data, 0, 4 * BLK);
    struct buf* bp = nullptr;
    int err = -1;
    REQUIRE(tb.run([&] {
        attach(tb);
        bp = make_buf(B_READ, static_cast<daddr_t>(nblocks - 2), 4 * BLK, b.data);
        err = transfer(bp);
        detach(tb);
    }));
    CHECK(err == 0);
    CHECK(bp->b_resid == 2 * BLK);
    CHECK(std::memcmp(b.data, &tb.sim().disk().data()[(nblocks - 2) * BLK], 2 * BLK) == 0);
    CHECK(b.data[2 * BLK] == 0);
    CHECK(b.guards_intact());
}
