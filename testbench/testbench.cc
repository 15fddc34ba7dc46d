#include "testbench.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>

#include "xx/xx.h"

#ifndef DMA_WAVES_DIR
#define DMA_WAVES_DIR "waves"
#endif

using namespace sc_core;

namespace tb {

uint64_t test_seed(uint64_t fallback)
{
    const char* s = std::getenv("DMA_SEED");
    uint64_t seed = s && *s ? std::strtoull(s, nullptr, 0) : fallback;
    std::printf("seed %llu (replay with DMA_SEED=%llu)\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
    return seed;
}

static std::string sanitize(const std::string& s)
{
    std::string r;
    for (char c : s)
        r += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
    return r;
}

Testbench::Testbench(TestbenchConfig cfg) : cfg_(std::move(cfg))
{
    const char* w = std::getenv("DMA_WAVES");
    if (cfg_.waves.path.empty() && w && *w && std::string(w) != "0") {
        cfg_.waves.path = std::string(DMA_WAVES_DIR) + "/" + sanitize(cfg_.name) + ".fst";
        cfg_.waves.vcd = std::string(w) == "vcd";   // DMA_WAVES=vcd: a VCD beside the FST
        // A cycle window, so a long test does not write gigabytes.
        if (const char* f = std::getenv("DMA_WAVES_FROM"))
            cfg_.waves.from = std::strtoull(f, nullptr, 0);
        if (const char* t = std::getenv("DMA_WAVES_TO"))
            cfg_.waves.to = std::strtoull(t, nullptr, 0);
    }
    if (!cfg_.waves.path.empty())
        std::printf("waves: %s (cycles %llu to %llu)\n", cfg_.waves.path.c_str(),
                    static_cast<unsigned long long>(cfg_.waves.from),
                    static_cast<unsigned long long>(cfg_.waves.to));

    // With 64-bit addresses RAM sits above 4 GiB, so every address has
    // bits in the _hi registers and pointers.
    if (cfg_.addr_width == 64 && cfg_.ram_base < (1ull << 32))
        cfg_.ram_base += 0x7'0000'0000ull;
    ram_ = std::make_unique<ddi::PhysMem>(cfg_.ram_base, cfg_.ram_size);
    sim_ = std::make_unique<Sim>(*ram_, cfg_.mem, cfg_.disk, cfg_.seed, cfg_.waves, cfg_.data_width, cfg_.addr_width);
    plat_ = std::make_unique<ScPlatform>("platform", *sim_, *ram_);
    plat_->set_cycle_limit(cfg_.max_cycles);
    plat_->set_watchdog(cfg_.watchdog_cycles);
    sim_->memory().restrict_writes(true);
    ddi::set_platform(plat_.get());
    sim_->reset();

    dip_ = ddi::make_devinfo("xx", 0, plat_.get(), XX_REGS_SIZE, 0);
    ddi::set_devinfo_prop(dip_, "nblocks", static_cast<int>(sim_->disk().nblocks()));
    ddi::set_devinfo_prop(dip_, "queue-depth", cfg_.queue_depth);
    plat_->set_intr_latency(cfg_.intr_latency);
    if (cfg_.coalesce_count >= 0)
        ddi::set_devinfo_prop(dip_, "coalesce-count", cfg_.coalesce_count);
    if (cfg_.coalesce_timeout >= 0)
        ddi::set_devinfo_prop(dip_, "coalesce-timeout", cfg_.coalesce_timeout);
    // The driver's dev_ops power entry and its one component, off at boot.
    ddi::set_devinfo_power(dip_, xxpower, 1, 0);
}

Testbench::~Testbench()
{
    ddi::free_devinfo(dip_);
    ddi::set_platform(nullptr);
}

uint8_t* Testbench::alloc(uint64_t len, bool contiguous, uint64_t offset)
{
    uint64_t map_off = (offset - GUARD_BYTES) & ddi::PAGEOFFSET;
    uint8_t* base = ram_->map(len + 2 * GUARD_BYTES, contiguous, map_off, cfg_.seed * 7919 + allocs_++);
    if (!base)
        throw std::runtime_error("Testbench::alloc: out of physical memory");
    std::memset(base, GUARD_PATTERN, len + 2 * GUARD_BYTES);
    uint8_t* data = base + GUARD_BYTES;
    // Allow DMA writes to the buffer's bytes, page by page (they may scatter).
    for (uint64_t done = 0; done < len;) {
        uint64_t pa = 0;
        ram_->vtop(data + done, &pa);
        uint64_t n = std::min<uint64_t>(len - done, ddi::PAGESIZE - (pa & ddi::PAGEOFFSET));
        sim_->memory().allow_writes(pa, n);
        done += n;
    }
    buffers_.push_back({data, len});
    return data;
}

bool Testbench::guards_intact(const uint8_t* buffer) const
{
    for (const Buffer& b : buffers_) {
        if (b.data != buffer)
            continue;
        for (uint64_t i = 0; i < GUARD_BYTES; i++)
            if (b.data[-1 - static_cast<int64_t>(i)] != GUARD_PATTERN || b.data[b.len + i] != GUARD_PATTERN)
                return false;
        return true;
    }
    return false;
}

std::vector<std::string> Testbench::problems()
{
    std::vector<std::string> p;
    for (const std::string& v : sim_->violations().list())
        p.push_back("protocol: " + v);
    for (const std::string& w : sim_->memory().stray_writes())
        p.push_back("stray write: " + w);
    for (const Buffer& b : buffers_)
        if (!guards_intact(b.data))
            p.push_back("guard bytes around a buffer of " + std::to_string(b.len) + " bytes changed");
    if (sim_->assertion_failed())
        p.push_back("an RTL assertion failed (see the log above)");
    return p;
}

int Testbench::detach_driver()
{
    ddi::set_devinfo_detaching(dip_, true);
    int rv = xxdetach(dip_, DDI_DETACH);
    ddi::set_devinfo_detaching(dip_, false);
    return rv;
}

bool Testbench::run(std::function<void()> fn)
{
    std::exception_ptr failure;
    bool finished = false;
    plat_->spawn("main", ddi::Context::Kernel, [&] {
        try {
            fn();
        } catch (...) {
            failure = std::current_exception();
        }
        finished = true;
        plat_->hold_clock(true);
        sc_pause();     // sc_start returns; a later run() continues the simulation
    });
    auto t0 = std::chrono::steady_clock::now();
    plat_->hold_clock(false);
    sc_start();
    wall_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (failure)
        std::rethrow_exception(failure);
    if (!finished)
        std::fprintf(stderr, "simulation stopped at cycle %llu before the test finished\n",
                     static_cast<unsigned long long>(sim_->cycle()));
    if (finished && cfg_.check_idle_at_end)
        sim_->finish_checks();
    if (cfg_.fail_on_violation) {
        std::vector<std::string> p = problems();
        if (!p.empty()) {
            std::string msg = std::to_string(p.size()) + " problem(s) in the simulation:";
            for (size_t i = 0; i < p.size() && i < 10; i++)
                msg += "\n  " + p[i];
            throw std::runtime_error(msg);
        }
    }
    return finished;
}

} // namespace tb
