#include "testbench.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "xx/xxreg.h"

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
    if (cfg_.waves.path.empty() && w && *w && std::string(w) != "0")
        cfg_.waves.path = std::string(DMA_WAVES_DIR) + "/" + sanitize(cfg_.name) + ".fst";

    ram_ = std::make_unique<ddi::PhysMem>(cfg_.ram_base, cfg_.ram_size);
    sim_ = std::make_unique<Sim>(*ram_, cfg_.mem, cfg_.disk, cfg_.seed, cfg_.waves);
    plat_ = std::make_unique<ScPlatform>("platform", *sim_, *ram_);
    plat_->set_cycle_limit(cfg_.max_cycles);
    ddi::set_platform(plat_.get());
    sim_->reset();

    dip_ = ddi::make_devinfo("xx", 0, plat_.get(), XX_REGS_SIZE, 0);
    ddi::set_devinfo_prop(dip_, "nblocks", static_cast<int>(sim_->disk().nblocks()));
}

Testbench::~Testbench()
{
    ddi::free_devinfo(dip_);
    ddi::set_platform(nullptr);
}

uint8_t* Testbench::alloc(uint64_t len, bool contiguous, uint64_t offset)
{
    uint8_t* p = ram_->map(len, contiguous, offset, cfg_.seed * 7919 + allocs_++);
    if (!p)
        throw std::runtime_error("Testbench::alloc: out of physical memory");
    return p;
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
        std::fprintf(stderr, "simulation stopped at cycle %llu (limit %llu) before the test finished\n",
                     static_cast<unsigned long long>(sim_->cycle()),
                     static_cast<unsigned long long>(cfg_.max_cycles));
    return finished;
}

} // namespace tb
