// One regression per seed page, named after it: the xx driver's paths from
// ../shared/seeds/ running against the verilated engine, every buf checked
// by the scoreboard.
#include "rig.h"

#include <sys/mman.h>
#include <sys/uio.h>

#include <algorithm>

#include "checkers/scoreboard.h"

using namespace tb;

namespace {

constexpr size_t BLK = XX_BLKSIZE;

} // namespace

TEST_CASE("seed000 detach cancels pending DMA callbacks and waits for them", "[seed]")
{
    Testbench tb(named_config());
    Scoreboard sb(tb.sim().disk());
    GuardedBuffer a(tb, 4 * BLK), b(tb, 4 * BLK);
    int refused = -1, detached = -1;
    Counters before{};
    size_t list_before = 0, list_after = 99;
    uint64_t runs_before = 0, runs_after = 0;
    REQUIRE(tb.run([&] {
        attach(tb);
        struct xxstate* xsp = xx_getstate(0);
        Hog hog;
        hog.grab(tb, xsp);
        // A finds no resources: it stays queued, a callback is registered.
        struct buf* ba = make_buf(B_READ, 10, a.len, a.data);
        sb.issue(ba);
        (void)xxstrategy(ba);
        refused = tb.detach_driver();   // I/O queued: refused
        // Resources come back without an unbind, so no callback runs; B's
        // strategy starts A, then xxintr starts B. Each completion's unbind
        // runs the callback list: while the engine is busy xxdmacallback
        // answers RUNOUT and stays registered.
        ddi::dma_pool_set_limit(~0ull);
        struct buf* bb = make_buf(B_WRITE, 20, b.len, b.data);
        sb.issue(bb);
        (void)xxstrategy(bb);
        (void)biowait(ba);
        (void)biowait(bb);
        // B's unbind has scheduled one more run, a soft interrupt away:
        // detach now finds the callback outstanding and must wait for it.
        before = counters();
        list_before = ddi::dma_callback_list().size();
        runs_before = ddi::callback_runs();
        detached = tb.detach_driver();
        runs_after = ddi::callback_runs();
        list_after = ddi::dma_callback_list().size();
        hog.release();
        xx_fini();
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(refused == DDI_FAILURE);
    CHECK(before.noresources == 1);
    CHECK(before.callback_count == 1);      // outstanding when detach began
    CHECK(list_before == 1);
    CHECK(detached == DDI_SUCCESS);
    CHECK(runs_after > runs_before);        // detach returned only after it ran
    CHECK(list_after == 0);                 // and it did not reschedule itself
    CHECK(before.callbacks >= 1);           // it ran while busy, and answered RUNOUT
}

TEST_CASE("seed001 NORESOURCES, then the DMA callback, then the transfer", "[seed]")
{
    uint64_t seed = test_seed(31);
    Testbench tb(named_config());
    std::mt19937_64 rng(seed);
    fill_random(tb.sim().disk().data().data(), 64 * BLK, rng);
    Scoreboard sb(tb.sim().disk());
    GuardedBuffer a(tb, 8 * BLK);
    Counters mid{}, end{};
    uint64_t cb_runs = 0;
    REQUIRE(tb.run([&] {
        attach(tb);
        struct xxstate* xsp = xx_getstate(0);
        Hog hog;
        hog.grab(tb, xsp);
        struct buf* ba = make_buf(B_READ, 3, a.len, a.data);
        sb.issue(ba);
        (void)xxstrategy(ba);
        delay(2000);
        mid = counters();
        uint64_t runs0 = ddi::callback_runs();
        hog.release();              // the callback list runs from a soft interrupt
        (void)biowait(ba);
        cb_runs = ddi::callback_runs() - runs0;
        end = counters();
        detach(tb);
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(sb.completed() == 1);
    CHECK(mid.noresources == 1);
    CHECK(mid.starts == 0);         // nothing reached the engine before the callback
    CHECK(mid.callback_count == 1);
    CHECK(cb_runs >= 1);
    CHECK(end.callbacks == 1);      // xxdmacallback -> xxstart started it
    CHECK(end.starts >= 1);
    CHECK(end.callback_count == 0);
}

TEST_CASE("seed002 a transfer spanning several windows, pkt_resid at each step", "[seed]")
{
    uint64_t seed = test_seed(32);
    Testbench tb(named_config());
    std::mt19937_64 rng(seed);
    const size_t len = 160 * 1024;      // scattered pages: more cookies than SGLLEN
    fill_random(tb.sim().disk().data().data(), 1024 * BLK, rng);
    Scoreboard sb(tb.sim().disk());
    GuardedBuffer big(tb, len, false, 512);
    GuardedBuffer small(tb, 8 * BLK);
    fill_random(big.data, len, rng);
    std::vector<size_t> resids;
    uint_t nwin = 0;
    size_t moved = 0;
    bool null_after_end = false, null_func_no_sleep = false;
    uint64_t slept_until = 0, released_at = 0;
    Counters c{};
    REQUIRE(tb.run([&] {
        attach(tb);
        struct xxstate* xsp = xx_getstate(0);
        // tran_init_pkt by hand: the first portion, then move by move.
        struct buf* bp = make_buf(B_WRITE, 100, len, big.data);
        struct xx_cmd* pkt = xx_tran_init_pkt(xsp, nullptr, bp, PKT_DMA_PARTIAL, NULL_FUNC, nullptr);
        REQUIRE(pkt != nullptr);
        nwin = pkt->cmd_nwin;
        size_t prev = len;
        for (;;) {
            size_t portion = 0;
            for (uint_t i = 0; i < pkt->cmd_cookiecnt; i++)
                portion += pkt->cmd_dmacookies[i].dmac_size;
            CHECK(pkt->cmd_cookiecnt <= static_cast<uint_t>(xsp->sgllen));
            CHECK(portion % BLK == 0);              // whole device blocks per command
            CHECK(pkt->pkt_resid == prev - portion);
            moved += portion;
            prev = pkt->pkt_resid;
            resids.push_back(pkt->pkt_resid);
            if (pkt->pkt_resid == 0)
                break;
            REQUIRE(xx_tran_init_pkt(xsp, pkt, bp, PKT_DMA_PARTIAL, NULL_FUNC, nullptr) == pkt);
        }
        // Nothing left: an error, and the packet is not freed.
        null_after_end = xx_tran_init_pkt(xsp, pkt, bp, PKT_DMA_PARTIAL, NULL_FUNC, nullptr) == nullptr &&
                         bp->b_error == EFAULT;
        xx_tran_destroy_pkt(xsp, pkt);
        freerbuf(bp);

        // NULL_FUNC never sleeps; SLEEP_FUNC waits for resources.
        Hog hog;
        hog.grab(tb, xsp);
        struct buf* bp2 = make_buf(B_WRITE, 100, small.len, small.data);
        uint64_t t0 = ddi_get_lbolt();
        null_func_no_sleep = xx_tran_init_pkt(xsp, nullptr, bp2, PKT_DMA_PARTIAL, NULL_FUNC, nullptr) == nullptr &&
                             bp2->b_error == 0 && static_cast<uint64_t>(ddi_get_lbolt()) == t0;
        ddi::platform().spawn("release", ddi::Context::Kernel, [&] {
            delay(5000);
            released_at = ddi_get_lbolt();
            hog.release();
        });
        struct xx_cmd* p2 = xx_tran_init_pkt(xsp, nullptr, bp2, PKT_DMA_PARTIAL, SLEEP_FUNC, nullptr);
        slept_until = ddi_get_lbolt();
        REQUIRE(p2 != nullptr);
        xx_tran_destroy_pkt(xsp, p2);
        freerbuf(bp2);
        ddi::dma_pool_set_limit(~0ull);

        // And through the driver: one engine command per portion.
        struct buf* bp3 = make_buf(B_WRITE, 100, len, big.data);
        sb.issue(bp3);
        (void)xxstrategy(bp3);
        (void)biowait(bp3);
        c = counters();
        detach(tb);
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(nwin > 1);
    CHECK(resids.size() > 2);
    CHECK(moved == len);
    CHECK(null_after_end);
    CHECK(null_func_no_sleep);
    CHECK(slept_until >= released_at);
    CHECK(c.starts == resids.size());
    CHECK(c.starts_intr == resids.size() - 1);  // later portions start from xxintr
    CHECK(std::memcmp(&tb.sim().disk().data()[100 * BLK], big.data, len) == 0);
}

static std::vector<daddr_t>* done_order;
static int record_done(struct buf* bp)
{
    done_order->push_back(bp->b_blkno);
    return 0;
}

static void seed003(bool use_disksort, int queue_depth = 0)
{
    uint64_t seed = test_seed(33);
    TestbenchConfig cfg = named_config();
    cfg.queue_depth = queue_depth;
    Testbench tb(cfg);
    ddi::set_devinfo_prop(tb.dip(), "disksort", use_disksort ? 1 : 0);
    std::mt19937_64 rng(seed);
    fill_random(tb.sim().disk().data().data(), 4096 * BLK, rng);
    tb.sim().disk().fail_block(2001);
    Scoreboard sb(tb.sim().disk());
    constexpr int N = 16;
    std::vector<GuardedBuffer> bufs;
    std::vector<daddr_t> blocks;
    std::vector<daddr_t> slots;         // disjoint 8-block slots, none on the failing block
    for (daddr_t k = 0; k < 480; k++)
        if (k != 250)
            slots.push_back(8 * k);
    std::shuffle(slots.begin(), slots.end(), rng);
    for (int i = 0; i < N; i++) {
        bufs.emplace_back(tb, 4 * BLK, i % 2 == 0, 4 * (rng() % 64));
        blocks.push_back(i == N / 2 ? 2000 : slots[i]);
    }
    std::vector<daddr_t> order;
    done_order = &order;
    std::vector<struct buf*> bps(N);
    ddi::IntrStats s0{}, s1{};
    uint64_t completions = 0;
    REQUIRE(tb.run([&] {
        attach(tb);
        s0 = ddi::intr_stats(0);
        for (int i = 0; i < N; i++) {
            bool rd = i % 3 != 0;
            if (!rd)
                fill_random(bufs[i].data, bufs[i].len, rng);
            bps[i] = make_buf((rd ? B_READ : B_WRITE) | B_ASYNC, blocks[i], bufs[i].len, bufs[i].data);
            bps[i]->b_iodone = record_done;
            sb.issue(bps[i]);
        }
        for (int i = 0; i < N; i++)
            (void)xxstrategy(bps[i]);
        delay(3000);
        // A pulse that is nobody's, with the bufs in flight: every handler
        // says UNCLAIMED. The engine may interrupt at the same moment (the
        // pulse is not raised then, or xx claims the engine's interrupt in
        // its dispatch): try again a little later until a pulse is answered
        // UNCLAIMED. (The engine's own interrupts are all claimed: the
        // count is checked once more at the end.)
        for (int tries = 0;; tries++) {
            REQUIRE(tries < 50);
            uint64_t u = ddi::intr_stats(0).unclaimed;
            if (tb.platform().raise_spurious_interrupt()) {
                while (!tb.platform().interrupt_idle())
                    delay(10);
                if (ddi::intr_stats(0).unclaimed != u)
                    break;
            }
            delay(50 + static_cast<unsigned>(rng() % 200));
        }
        while (order.size() < N)
            delay(1000);
        s1 = ddi::intr_stats(0);
        completions = xx_getstate(0)->ncompletions;
        detach(tb);
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    REQUIRE(order.size() == N);
    CHECK(sb.failed_ios() == 1);                    // the one on the failing block
    CHECK(s1.unclaimed - s0.unclaimed == 1);        // the spurious pulse
    if (queue_depth == 0) {
        CHECK(s1.claimed - s0.claimed >= N);        // one interrupt per buf
    } else {
        CHECK(completions == N);                    // one command block per buf,
        CHECK(s1.claimed - s0.claimed < N);         // several reaped per interrupt
    }
    CHECK(order[0] == blocks[0]);                   // started at once
    if (!use_disksort) {
        CHECK(order == blocks);                     // FIFO
    } else {
        // The elevator: from the first queued buf's block upwards, then
        // the lower blocks upwards.
        daddr_t head = blocks[1];
        std::vector<daddr_t> up, low;
        for (int i = 1; i < N; i++)
            (blocks[i] >= head ? up : low).push_back(blocks[i]);
        std::stable_sort(up.begin(), up.end());
        std::stable_sort(low.begin(), low.end());
        std::vector<daddr_t> want{blocks[0]};
        want.insert(want.end(), up.begin(), up.end());
        want.insert(want.end(), low.begin(), low.end());
        CHECK(order == want);
    }
}

TEST_CASE("seed003 queued async bufs in FIFO order, an error in the middle, a spurious interrupt", "[seed][random]")
{
    seed003(false);
}

TEST_CASE("seed003 queued async bufs in disksort order, an error in the middle, a spurious interrupt", "[seed][random]")
{
    seed003(true);
}

TEST_CASE("seed003 queued async bufs through the engine's command queue, an error in the middle, a spurious interrupt", "[seed][random][queued]")
{
    seed003(false, 4);     // blocks complete in submission order: FIFO
}

TEST_CASE("seed004 xxstart from interrupt context, power raised before the device is touched", "[seed]")
{
    Testbench tb(named_config());
    Scoreboard sb(tb.sim().disk());
    std::vector<GuardedBuffer> bufs;
    for (int i = 0; i < 3; i++)
        bufs.emplace_back(tb, 2 * BLK);
    int level_before = -2, level_after = -2, busy_after = -2;
    Counters c{};
    REQUIRE(tb.run([&] {
        attach(tb);
        level_before = ddi::pm_level(tb.dip(), 0);
        std::vector<struct buf*> bps;
        for (int i = 0; i < 3; i++) {
            bps.push_back(make_buf(B_READ, 50 + 2 * i, bufs[i].len, bufs[i].data));
            sb.issue(bps.back());
        }
        for (struct buf* bp : bps)
            (void)xxstrategy(bp);
        for (struct buf* bp : bps)
            (void)biowait(bp);
        level_after = ddi::pm_level(tb.dip(), 0);
        busy_after = ddi::pm_busy_count(tb.dip(), 0);
        c = counters();
        detach(tb);
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(level_before == 0);       // off until the first transfer
    CHECK(level_after == 1);        // xxpower raised it (xx_start panics if it touches the engine at 0)
    CHECK(busy_after == 0);         // every pm_busy_component had its pm_idle_component
    CHECK(c.starts == 3);
    CHECK(c.starts_intr == 2);      // the 2nd and 3rd started by xxintr
}

TEST_CASE("xx attach, detach and attach again", "[seed]")
{
    Testbench tb(named_config());
    GuardedBuffer b(tb, 2 * BLK);
    int err1 = -1, err2 = -1;
    ddi::IntrStats before{}, after{};
    REQUIRE(tb.run([&] {
        for (int round = 0; round < 2; round++) {
            attach(tb);
            struct buf* bp = make_buf(B_READ, 7 + round, b.len, b.data);
            (void)xxstrategy(bp);
            (round ? err2 : err1) = biowait(bp);
            freerbuf(bp);
            detach(tb);
        }
        // Detached: an interrupt on the line runs no driver code (the soft
        // state is gone; xxintr would touch freed memory).
        before = ddi::intr_stats(0);
        REQUIRE(tb.platform().raise_spurious_interrupt());
        delay(200);
        after = ddi::intr_stats(0);
    }));
    CHECK(err1 == 0);
    CHECK(err2 == 0);
    CHECK(after.claimed == before.claimed);
}

TEST_CASE("xx physio entries: synchronous reads and writes in maxphys pieces", "[seed]")
{
    uint64_t seed = test_seed(34);
    Testbench tb(named_config());
    std::mt19937_64 rng(seed);
    const size_t len = 40 * 1024;
    GuardedBuffer out(tb, len), in(tb, len), tail(tb, 8 * BLK);
    fill_random(out.data, len, rng);
    const uint64_t nblocks = tb.sim().disk().nblocks();
    int werr = -1, rerr = -1, terr = -1;
    ssize_t wres = -1, rres = -1, tres = -1;
    uint64_t starts = 0;
    size_t saved_maxphys = maxphys;
    REQUIRE(tb.run([&] {
        attach(tb);
        maxphys = 16 * 1024;    // three bufs for 40 KiB
        struct iovec iov{out.data, len};
        struct uio uio;
        uio.uio_iov = &iov;
        uio.uio_iovcnt = 1;
        uio.uio_loffset = 300 * BLK;
        uio.uio_resid = static_cast<ssize_t>(len);
        werr = xxwrite(makedevice(42, 0), &uio);
        wres = uio.uio_resid;
        struct iovec iov2{in.data, len};
        uio.uio_iov = &iov2;
        uio.uio_loffset = 300 * BLK;
        uio.uio_resid = static_cast<ssize_t>(len);
        rerr = xxread(makedevice(42, 0), &uio);
        rres = uio.uio_resid;
        // Past the end of the device: what fits moves, the rest stays in uio_resid.
        struct iovec iov3{tail.data, 8 * BLK};
        uio.uio_iov = &iov3;
        uio.uio_loffset = static_cast<off_t>((nblocks - 3) * BLK);
        uio.uio_resid = 8 * BLK;
        terr = xxread(makedevice(42, 0), &uio);
        tres = uio.uio_resid;
        starts = counters().starts;
        maxphys = saved_maxphys;
        detach(tb);
    }));
    CHECK(werr == 0);
    CHECK(wres == 0);
    CHECK(std::memcmp(&tb.sim().disk().data()[300 * BLK], out.data, len) == 0);
    CHECK(rerr == 0);
    CHECK(rres == 0);
    CHECK(std::memcmp(in.data, out.data, len) == 0);
    CHECK(terr == 0);
    CHECK(tres == 5 * BLK);
    CHECK(std::memcmp(tail.data, &tb.sim().disk().data()[(nblocks - 3) * BLK], 3 * BLK) == 0);
    CHECK(starts == 3 + 3 + 1);     // 16 + 16 + 8 KiB each way, then the tail
}

// physio(9F) on a user buffer: a process's address space with scattered
// pages the kernel cannot dereference; physio locks them across strategy
// and biowait, and the driver binds the buf (b_proc's address space), not
// a kernel address. Both driver modes.
static void physio_user(int queue_depth)
{
    uint64_t seed = test_seed(35);
    TestbenchConfig cfg = named_config();
    cfg.queue_depth = queue_depth;
    Testbench tb(cfg);
    std::mt19937_64 rng(seed);
    const size_t len = 51 * BLK;            // 25.5 KiB over 7 user pages, 512 bytes into the first
    std::vector<uint8_t> pattern(len), back(len, 0);
    fill_random(pattern.data(), len, rng);
    int werr = -1, rerr = -1;
    ssize_t wres = -1, rres = -1;
    uint64_t locked_during = 0, locked_after = 1;
    REQUIRE(tb.run([&] {
        attach(tb);
        struct as* as = ddi::as_create();
        caddr_t ubuf = ddi::as_map(as, len, PROT_READ | PROT_WRITE, false, 512, seed);
        REQUIRE(ubuf != nullptr);
        // The engine may write the user pages (and nothing else).
        for (size_t off = 0; off < len;) {
            uint64_t pa = 0;
            REQUIRE(ddi::as_vtop(as, ubuf + off, &pa));
            size_t n = std::min<size_t>(len - off, 4096 - (pa & 4095));
            tb.sim().memory().allow_writes(pa, n);
            off += n;
        }
        proc_t p;
        p.p_as = as;
        p.p_pid = 100;
        ddi::set_curproc(&p);
        REQUIRE(ddi::as_write(as, ubuf, pattern.data(), len) == 0);
        struct iovec iov{ubuf, len};
        struct uio uio;
        uio.uio_iov = &iov;
        uio.uio_iovcnt = 1;
        uio.uio_loffset = 200 * BLK;
        uio.uio_resid = static_cast<ssize_t>(len);
        uio.uio_segflg = UIO_USERSPACE;
        // A thread looks at the page locks while the write is in flight.
        ddi::platform().spawn("peek", ddi::Context::Kernel, [&] {
            delay(50);
            locked_during = ddi::as_locked_pages(as);
        });
        werr = xxwrite(makedevice(42, 0), &uio);
        wres = uio.uio_resid;
        std::vector<uint8_t> zero(len, 0);
        REQUIRE(ddi::as_write(as, ubuf, zero.data(), len) == 0);
        iov = {ubuf, len};
        uio.uio_loffset = 200 * BLK;
        uio.uio_resid = static_cast<ssize_t>(len);
        rerr = xxread(makedevice(42, 0), &uio);
        rres = uio.uio_resid;
        REQUIRE(ddi::as_read(as, ubuf, back.data(), len) == 0);
        locked_after = ddi::as_locked_pages(as);
        ddi::set_curproc(nullptr);
        ddi::as_destroy(as);
        detach(tb);
    }));
    CHECK(werr == 0);
    CHECK(wres == 0);
    CHECK(std::memcmp(&tb.sim().disk().data()[200 * BLK], pattern.data(), len) == 0);
    CHECK(rerr == 0);
    CHECK(rres == 0);
    CHECK(back == pattern);
    CHECK(locked_during == 7);              // every page of the buffer, while the engine used it
    CHECK(locked_after == 0);
}

TEST_CASE("xx physio on a user buffer: scattered user pages locked while the engine moves them", "[seed]")
{
    physio_user(0);
}

TEST_CASE("xx physio on a user buffer in queued mode", "[seed][queued]")
{
    physio_user(4);
}
