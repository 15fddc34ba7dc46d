// Register-level tests of the engine (tests/test_engine_*.cc): the engine
// programmed straight through its AXI4-Lite port, without the driver, with
// random backpressure on every bus channel.
#pragma once

#include "rig.h"

#include <cinttypes>
#include <cstdio>

#include "xx/xxreg.h"

namespace tb {

// Random stalls on every AXI channel and the device stream, random memory
// latency, all drawn from `seed` (which the test prints via test_seed).
inline TestbenchConfig stressed_config(uint64_t seed)
{
    TestbenchConfig cfg = named_config();
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> p(0.05, 0.4);
    cfg.seed = seed;
    cfg.mem.ar_stall = p(rng);
    cfg.mem.r_stall = p(rng);
    cfg.mem.aw_stall = p(rng);
    cfg.mem.w_stall = p(rng);
    cfg.mem.b_stall = p(rng);
    cfg.mem.read_latency = 1 + static_cast<unsigned>(rng() % 12);
    cfg.mem.write_latency = 1 + static_cast<unsigned>(rng() % 12);
    cfg.disk.stall = p(rng);
    cfg.disk.cmd_latency = 1 + static_cast<unsigned>(rng() % 40);
    std::printf("stress: ar %.2f r %.2f aw %.2f w %.2f b %.2f disk %.2f, latency r %u w %u cmd %u\n",
                cfg.mem.ar_stall, cfg.mem.r_stall, cfg.mem.aw_stall, cfg.mem.w_stall,
                cfg.mem.b_stall, cfg.disk.stall, cfg.mem.read_latency, cfg.mem.write_latency,
                cfg.disk.cmd_latency);
    return cfg;
}

// The engine's registers from a kernel thread inside Testbench::run.
struct Regs {
    Testbench& tb;
    uint32_t rd(uint32_t off) { return tb.platform().read(off, 4); }
    uint8_t rd8(uint32_t off) { return static_cast<uint8_t>(tb.platform().read(off, 1)); }
    void wr(uint32_t off, uint32_t v) { tb.platform().write(off, 4, v); }
    void wr8(uint32_t off, uint8_t v) { tb.platform().write(off, 1, v); }
    uint8_t csr() { return rd8(XX_REG_CSR); }
    uint8_t err() { return rd8(XX_REG_ERR); }

    void sg_entry(unsigned i, uint64_t addr, uint32_t size)
    {
        uint32_t base = XX_REG_SGLIST + i * XX_SG_STRIDE;
        wr(base + XX_SG_ADDR, static_cast<uint32_t>(addr));
        wr(base + XX_SG_ADDR_HI, static_cast<uint32_t>(addr >> 32));
        wr(base + XX_SG_SIZE, size);
    }
    void start(uint32_t dir, uint32_t block, uint8_t extra = ENABLE_INTERRUPTS)
    {
        wr(XX_REG_DMA_CTL, dir);
        wr(XX_REG_DEV_BLOCK, block);
        wr8(XX_REG_CSR, START_TRANSFER | extra);
    }
    // Wait for INTERRUPTING (polled, so it works with interrupts masked);
    // fails the test after `limit` cycles.
    uint8_t wait_done(uint64_t limit = 2'000'000)
    {
        uint64_t t0 = tb.sim().cycle();
        for (;;) {
            uint8_t c = csr();
            if (c & INTERRUPTING)
                return c;
            if (tb.sim().cycle() - t0 > limit) {
                FAIL("engine did not complete in " << limit << " cycles, csr 0x" << std::hex << unsigned(c));
            }
            delay(20);
        }
    }
    // Wait until BUSY drops (for commands whose interrupt is masked).
    void wait_idle(uint64_t limit = 2'000'000)
    {
        uint64_t t0 = tb.sim().cycle();
        while (csr() & CSR_BUSY) {
            if (tb.sim().cycle() - t0 > limit)
                FAIL("engine still BUSY after " << limit << " cycles");
            delay(20);
        }
    }
    void clear() { wr8(XX_REG_CSR, CLEAR_INTERRUPT); }

    // One single-segment command with its interrupt masked, run to the end:
    // its csr, err and resid as the engine left them, then CLEAR_INTERRUPT.
    struct Outcome {
        uint8_t csr, err;
        uint32_t resid;
    };
    Outcome one_segment(uint64_t pa, uint32_t len, uint32_t dir, uint32_t block)
    {
        wr(XX_REG_SG_COUNT, 0);
        wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(pa));
        wr(XX_REG_DMA_ADDR_HI, static_cast<uint32_t>(pa >> 32));
        wr(XX_REG_DMA_SIZE, len);
        start(dir, block, 0);
        Outcome o;
        o.csr = wait_done();
        o.err = err();
        o.resid = rd(XX_REG_RESID);
        clear();
        return o;
    }
};

inline uint64_t paddr_of(Testbench& tb, const void* p)
{
    uint64_t pa = 0;
    REQUIRE(tb.ram().vtop(p, &pa));
    return pa;
}

// A scatter-gather list over guarded buffers in simulated RAM: `n`
// segments of random sizes (multiples of `unit`, so 1 for any length), each
// in a buffer of its own, so a stray byte shows in a guard. With
// `max_offset`, each segment starts a random 0..max_offset bytes into its
// buffer; the bytes skipped keep the guard pattern and are checked too.
struct SgList {
    std::vector<GuardedBuffer> bufs;
    std::vector<uint32_t> offs;
    std::vector<uint32_t> sizes;
    uint32_t total = 0;

    SgList(Testbench& tb, unsigned n, uint32_t unit, uint32_t max_units, std::mt19937_64& rng,
           uint32_t max_offset = 0)
    {
        bufs.reserve(n);
        for (unsigned i = 0; i < n; i++) {
            uint32_t sz = unit * (1 + static_cast<uint32_t>(rng() % max_units));
            uint32_t off = max_offset ? static_cast<uint32_t>(rng() % (max_offset + 1)) : 0;
            sizes.push_back(sz);
            offs.push_back(off);
            total += sz;
            bufs.emplace_back(tb, sz + off, true);
        }
    }
    uint8_t* seg(size_t i) const { return bufs[i].data + offs[i]; }
    void program(Testbench& tb, Regs& r) const
    {
        for (size_t i = 0; i < bufs.size(); i++)
            r.sg_entry(static_cast<unsigned>(i), paddr_of(tb, seg(i)), sizes[i]);
        r.wr(XX_REG_SG_COUNT, static_cast<uint32_t>(bufs.size()));
    }
    void fill(std::mt19937_64& rng) const
    {
        for (size_t i = 0; i < bufs.size(); i++)
            fill_random(seg(i), sizes[i], rng);
    }
    // The segments concatenated.
    std::vector<uint8_t> gather() const
    {
        std::vector<uint8_t> v;
        for (size_t i = 0; i < bufs.size(); i++)
            v.insert(v.end(), seg(i), seg(i) + sizes[i]);
        return v;
    }
    bool guards_intact() const
    {
        for (size_t i = 0; i < bufs.size(); i++) {
            if (!bufs[i].guards_intact())
                return false;
            for (uint32_t k = 0; k < offs[i]; k++)
                if (bufs[i].data[k] != Testbench::GUARD_PATTERN)
                    return false;
        }
        return true;
    }
};

} // namespace tb
