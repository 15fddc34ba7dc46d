// One co-simulation: RAM, the verilated engine with its models, the SystemC
// platform, and the engine's device node, ready for the driver to attach.
// SystemC elaborates once per process, so a process builds one Testbench.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ddi/physmem.h"
#include "ddi/sunddi.h"
#include "sc_platform.h"
#include "sim.h"

namespace tb {

struct TestbenchConfig {
    std::string name = "dma";       // names the wave file
    uint64_t seed = 1;
    MemoryConfig mem;
    DiskConfig disk;
    uint64_t ram_base = 0x80000000ull;
    uint64_t ram_size = 64ull << 20;
    uint64_t max_cycles = 200'000'000;
    WaveConfig waves;               // waves.path empty: DMA_WAVES decides
};

// The seed for a random test: DMA_SEED if set, else `fallback`. Printed, so
// a failure can be replayed.
uint64_t test_seed(uint64_t fallback);

class Testbench {
public:
    explicit Testbench(TestbenchConfig cfg);
    ~Testbench();

    // Run fn as a kernel thread and simulate until it returns. An exception
    // in fn (a failed REQUIRE) stops the simulation and is rethrown here.
    // Returns false if the cycle limit stopped the simulation first.
    bool run(std::function<void()> fn);

    Sim& sim() { return *sim_; }
    ScPlatform& platform() { return *plat_; }
    ddi::PhysMem& ram() { return *ram_; }
    dev_info_t* dip() { return dip_; }
    const TestbenchConfig& config() const { return cfg_; }
    const std::string& wave_path() const { return cfg_.waves.path; }

    // Kernel memory for a buffer: `len` bytes at `offset` into a page,
    // physically contiguous or scattered. Freed with the Testbench.
    uint8_t* alloc(uint64_t len, bool contiguous = true, uint64_t offset = 0);

    double wall_seconds() const { return wall_; }

private:
    TestbenchConfig cfg_;
    std::unique_ptr<ddi::PhysMem> ram_;
    std::unique_ptr<Sim> sim_;
    std::unique_ptr<ScPlatform> plat_;
    dev_info_t* dip_ = nullptr;
    double wall_ = 0;
    uint64_t allocs_ = 0;
};

} // namespace tb
