// What every co-simulation test needs: a testbench named after the test,
// the xx driver attached, bufs over guarded kernel buffers.
#pragma once

#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <vector>

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

} // namespace tb
