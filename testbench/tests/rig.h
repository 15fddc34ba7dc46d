// What every co-simulation test needs: a testbench named after the test,
// the xx driver attached, bufs over guarded kernel buffers.
#pragma once

#include <catch2/catch.hpp>

#include <cstring>
#include <random>
#include <vector>

#include "testbench.h"
#include "xx/xx.h"

namespace tb {

constexpr uint8_t GUARD = 0xa5;
constexpr size_t GUARD_LEN = 64;

inline TestbenchConfig named_config(TestbenchConfig cfg = {})
{
    cfg.name = Catch::getResultCapture().getCurrentTestName();
    return cfg;
}

// A buffer with guard bytes on both sides, in simulated RAM.
struct GuardedBuffer {
    uint8_t* base = nullptr;
    uint8_t* data = nullptr;
    size_t len = 0;

    GuardedBuffer(Testbench& tb, size_t n, bool contiguous = true)
        : len(n)
    {
        base = tb.alloc(n + 2 * GUARD_LEN, contiguous);
        std::memset(base, GUARD, n + 2 * GUARD_LEN);
        data = base + GUARD_LEN;
    }
    bool guards_intact() const
    {
        for (size_t i = 0; i < GUARD_LEN; i++)
            if (base[i] != GUARD || data[len + i] != GUARD)
                return false;
        return true;
    }
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

// Attach the driver to the testbench's engine (from a kernel thread).
inline void attach(Testbench& tb)
{
    REQUIRE(xx_init() == 0);
    REQUIRE(xxattach(tb.dip(), DDI_ATTACH) == DDI_SUCCESS);
}

inline void detach(Testbench& tb)
{
    REQUIRE(xxdetach(tb.dip(), DDI_DETACH) == DDI_SUCCESS);
    xx_fini();
}

} // namespace tb
