// One co-simulation: RAM, the verilated engine with its models, the SystemC
// platform, and the engine's device node, ready for the driver to attach.
// SystemC elaborates once per process, so a process builds one Testbench.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ddi/physmem.h"
#include "ddi/sunddi.h"
#include "sc_platform.h"
#include "sim.h"

namespace tb {

struct TestbenchConfig {
    std::string name = "dma";       // names the wave file
    uint64_t seed = 1;
    unsigned data_width = 32;       // the engine's DATA_WIDTH: 32, 64 or 128
    unsigned addr_width = 32;       // its ADDR_WIDTH: 32, or 64 (with DATA_WIDTH 64; RAM then above 4 GiB)
    MemoryConfig mem;
    DiskConfig disk;
    uint64_t ram_base = 0x80000000ull;
    uint64_t ram_size = 64ull << 20;
    uint64_t max_cycles = 200'000'000;
    uint64_t watchdog_cycles = 1'000'000;   // no handshake while only hardware can wake anyone
    bool check_idle_at_end = true;          // every interface quiet when run() returns
    bool fail_on_violation = true;          // run() throws on a protocol violation or stray write
    WaveConfig waves;               // waves.path empty: DMA_WAVES decides
    // The driver's properties: queue-depth > 0 is queued mode (command
    // blocks, coalesced interrupts); < 0 leaves a property unset.
    int queue_depth = 0;
    int coalesce_count = -1;
    int coalesce_timeout = -1;
    // Cycles the CPU takes to enter an interrupt handler (see ScPlatform).
    uint64_t intr_latency = 0;
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

    // Kernel memory for a buffer: `len` bytes starting `offset` bytes into
    // a page, physically contiguous or scattered, with GUARD_BYTES of guard
    // pattern on each side. Only the buffer itself may be written by DMA:
    // a write anywhere else is a stray write and fails the test.
    static constexpr uint64_t GUARD_BYTES = 64;
    static constexpr uint8_t GUARD_PATTERN = 0xa5;
    uint8_t* alloc(uint64_t len, bool contiguous = true, uint64_t offset = 0);
    // Problems found so far: protocol violations, stray writes, guard bytes
    // changed, RTL assertions. run() checks them after every run.
    std::vector<std::string> problems();
    bool guards_intact(const uint8_t* buffer) const;

    double wall_seconds() const { return wall_; }

    // The framework's side of detach(9E): mark the node detaching (the
    // window in which the driver may pm_lower_power), call xxdetach.
    int detach_driver();

private:
    TestbenchConfig cfg_;
    std::unique_ptr<ddi::PhysMem> ram_;
    std::unique_ptr<Sim> sim_;
    std::unique_ptr<ScPlatform> plat_;
    dev_info_t* dip_ = nullptr;
    double wall_ = 0;
    uint64_t allocs_ = 0;
    struct Buffer {
        uint8_t* data;
        uint64_t len;
    };
    std::vector<Buffer> buffers_;
};

} // namespace tb
