// What every co-simulation test needs: a testbench named after the test,
// the xx driver attached, bufs over guarded kernel buffers.
#pragma once

#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <vector>

#include "checkers/scoreboard.h"
#include "testbench.h"
#include "workload.h"
#include "xx/xx.h"

namespace tb {

inline TestbenchConfig named_config(TestbenchConfig cfg = {})
{
    cfg.name = Catch::getResultCapture().getCurrentTestName();
    return cfg;
}

// A buffer in simulated RAM: the testbench puts guard bytes on both sides
// and fails the test if DMA writes anywhere outside it.
struct GuardedBuffer {
    Testbench* tb;
    uint8_t* data;
    size_t len;

    GuardedBuffer(Testbench& t, size_t n, bool contiguous = true, uint64_t offset = 0)
        : tb(&t), data(t.alloc(n, contiguous, offset)), len(n)
    {
    }
    bool guards_intact() const { return tb->guards_intact(data); }
};

inline struct buf* make_buf(int flags, daddr_t blkno, size_t len, uint8_t* data)
{
    struct buf* bp = getrbuf(KM_SLEEP);
    bp->b_flags = B_BUSY | flags;
    bp->b_blkno = blkno;
    bp->b_lblkno = static_cast<diskaddr_t>(blkno);
    bp->b_bcount = len;
    bp->b_bufsize = len;
    bp->b_un.b_addr = reinterpret_cast<caddr_t>(data);
    bp->b_edev = makedevice(42, 0);
    return bp;
}

inline void fill_random(uint8_t* p, size_t n, std::mt19937_64& rng)
{
    for (size_t i = 0; i < n; i++)
        p[i] = static_cast<uint8_t>(rng());
}

// Attach the driver to the testbench's engine (from a kernel thread); a
// hang report then includes the driver's state.
inline void attach(Testbench& tb)
{
    REQUIRE(xx_init() == 0);
    REQUIRE(xxattach(tb.dip(), DDI_ATTACH) == DDI_SUCCESS);
    allow_iopb_writebacks(tb);      // queued mode: the blocks' status words
    tb.platform().set_software_description([] {
        struct xxstate* xsp = xx_getstate(0);
        if (!xsp)
            return std::string("xx not attached");
        int queued = 0;
        for (struct buf* q = xsp->list_head; q; q = q->av_forw)
            queued++;
        return "xx0: busy " + std::to_string(xsp->busy) + ", buf in flight " +
               (xsp->cmd ? "yes" : "none") + ", " + std::to_string(queued) + " queued on av_forw, " +
               std::to_string(xsp->q_active) + " command blocks in use (queued mode), " +
               std::to_string(xsp->callback_count) + " DMA callbacks pending";
    });
}

// A DMA handle that holds the pool's resources, so that the driver's next
// bind finds none (NORESOURCES) until the hog lets go.
struct Hog {
    static constexpr size_t HOG_BYTES = 512 * 1024;
    ddi_dma_handle_t h = nullptr;
    uint8_t* buf = nullptr;
    void grab(Testbench& tb, struct xxstate* xsp)
    {
        buf = tb.alloc(HOG_BYTES, false);
        ddi_dma_attr_t attr = xsp->dma_attr;
        attr.dma_attr_sgllen = -1;
        REQUIRE(ddi_dma_alloc_handle(tb.dip(), &attr, DDI_DMA_DONTWAIT, nullptr, &h) == DDI_SUCCESS);
        ddi_dma_cookie_t c;
        uint_t n;
        REQUIRE(ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(buf), HOG_BYTES,
                                         DDI_DMA_WRITE, DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
        ddi::dma_pool_set_limit(ddi::dma_pool_used());     // full
    }
    // Unbinding runs the DMA callback list (from a soft interrupt).
    void release()
    {
        REQUIRE(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
        ddi_dma_free_handle(&h);
    }
};

// The driver's counters at one moment (read under its locks).
struct Counters {
    uint64_t callbacks, noresources, starts, starts_intr, portions, claimed, unclaimed, completions;
    int qdepth, q_active, callback_count;
};

inline Counters counters()
{
    struct xxstate* xsp = xx_getstate(0);
    Counters c{};
    mutex_enter(&xsp->mu);
    c = Counters{xsp->ncallbacks, xsp->nnoresources, xsp->nstarts,   xsp->nstarts_intr, xsp->nportions,
                 xsp->nintr_claimed, xsp->nintr_unclaimed, xsp->ncompletions, xsp->qdepth, xsp->q_active, 0};
    mutex_exit(&xsp->mu);
    mutex_enter(&xsp->callback_mutex);
    c.callback_count = xsp->callback_count;
    mutex_exit(&xsp->callback_mutex);
    return c;
}

inline void detach(Testbench& tb)
{
    REQUIRE(tb.detach_driver() == DDI_SUCCESS);
    xx_fini();
}

// The random workload of test_random and test_queued, in either driver
// mode: the engine at the given widths (queue_depth 0: simple mode),
// memory and device stalls drawn from the seed, the workload, and the
// checks every run needs (scoreboard clean, every buf completed once, each
// error counted); the test adds its own on the result. w.seed is the
// test's seed (printed; DMA_SEED replays).
struct RandomRun {
    unsigned data_width = 32, addr_width = 32;
    int queue_depth = 0;
    unsigned stall_steps = 8;       // memory and device stalls: 0.05 x [0, steps)
    bool random_cmd_latency = true; // device command latency 4..63 cycles
    WorkloadConfig w;
};

struct RandomResult {
    WorkloadStats st;
    uint32_t cap = 0;               // the engine's cap register
    uint64_t ram_base = 0;          // where the testbench put RAM on the bus
};

inline RandomResult random_workload(RandomRun r, uint64_t seed_default)
{
    uint64_t seed = test_seed(seed_default);
    std::mt19937_64 rng(seed);
    TestbenchConfig cfg = named_config();
    cfg.seed = seed;
    cfg.data_width = r.data_width;
    cfg.addr_width = r.addr_width;
    cfg.queue_depth = r.queue_depth;
    cfg.mem = MemoryConfig::stalls(0.05 * (rng() % r.stall_steps));
    cfg.disk.stall = 0.05 * (rng() % r.stall_steps);
    if (r.random_cmd_latency)
        cfg.disk.cmd_latency = 4 + rng() % 60;
    Testbench tb(cfg);
    // the AXI4-Lite master drives garbage addresses and data whenever a
    // VALID is low (after each handshake): the engine must use what it took
    tb.sim().regs().set_scramble(seed | 1);
    REQUIRE(tb.sim().data_bytes() == r.data_width / 8);
    r.w.seed = seed;
    workload_prepare(tb, r.w);
    Scoreboard sb(tb.sim().disk());
    RandomResult res;
    REQUIRE(tb.run([&] {
        res.cap = tb.platform().read(XX_REG_CAP, 4);
        res.st = workload_run(tb, sb, r.w, {});
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    res.ram_base = tb.ram().base();
    const WorkloadStats& st = res.st;
    CHECK(st.attached);
    CHECK(st.ios == r.w.ios);
    CHECK(sb.issued() == r.w.ios);
    CHECK(sb.completed() == r.w.ios);
    CHECK(st.error_count() == sb.failed_ios());
    CHECK(st.reads + st.writes + st.error_count() == r.w.ios);
    return res;
}

} // namespace tb
