// The cycle engine: the verilated dma_tb_top, clocked directly from C++,
// with the memory, disk and register-bus models beside it. No SystemC
// here: one call to step() is one clock cycle, and costs two eval()s and
// the models' C++.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "checkers/protocol.h"
#include "ddi/physmem.h"
#include "models/axi_memory.h"
#include "models/axil_master.h"
#include "models/block_disk.h"
#include "model.h"
#include "models/signals.h"

class VerilatedContext;
class VerilatedFstC;

namespace tb {

struct WaveConfig {
    std::string path;               // empty: no waves
    uint64_t from = 0;              // first cycle dumped
    uint64_t to = ~0ull;            // last cycle dumped
    bool vcd = false;               // also convert the FST to VCD (fst2vcd) when closed
};

class Sim {
public:
    static constexpr uint64_t PERIOD_PS = 10000;    // 100 MHz

    // data_width picks the verilated model (32, 64 or 128 bits).
    Sim(ddi::PhysMem& ram, const MemoryConfig& mcfg, const DiskConfig& dcfg,
        uint64_t seed, const WaveConfig& waves, unsigned data_width = 32, unsigned addr_width = 32);
    ~Sim();

    void reset(unsigned cycles = 8);
    // One clock cycle. Returns the register access that completed, if any.
    AxilAccess* step();

    uint64_t cycle() const { return cycle_; }
    bool irq() const;
    unsigned data_bytes() const;

    // Finish the wave file now (it is also closed when Sim goes away).
    void close_waves();

    // Driver activity shown in the waves (tb_note, tb_buf).
    void note(const char* name, uint32_t buf);

    AxiMemory& memory() { return mem_; }
    BlockDisk& disk() { return disk_; }
    AxilMaster& regs() { return axil_; }

    // Protocol monitors on every interface, sampled every cycle.
    Violations& violations() { return violations_; }
    // End of a test: nothing may be left outstanding on any interface.
    void finish_checks();
    // An RTL assertion ($error/assert under --assert) fired.
    bool assertion_failed() const;

    // The last cycle any handshake happened on any interface, or irq changed.
    uint64_t last_progress() const { return last_progress_; }
    // What every interface is waiting for, for a hang report.
    std::string describe() const;
    // Read an engine register through the register bus, stepping the clock
    // until it answers (at most `patience` cycles): for hang reports, from
    // outside any driver thread. Returns false if the bus did not answer.
    bool peek_register(uint32_t offset, uint32_t* value, unsigned patience = 200);

    // Bus activity for efficiency figures.
    uint64_t data_beats() const { return mem_.read_beats() + mem_.write_beats(); }

private:
    void dump(uint64_t t);

    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Model> top_;
    std::unique_ptr<VerilatedFstC> fst_;
    WaveConfig waves_;
    AxiMemory mem_;
    BlockDisk disk_;
    AxilMaster axil_;

    Violations violations_;
    AxiMonitor axi_mon_;
    AxilMonitor axil_mon_;
    DevMonitor dev_mon_;
    uint64_t last_progress_ = 0;
    bool last_irq_ = false;

    AxiReq axi_req_;
    AxiResp axi_resp_;
    AxilReq axil_req_;
    AxilResp axil_resp_;
    DevReq dev_req_;
    DevResp dev_resp_;
    uint64_t cycle_ = 0;
};

} // namespace tb
