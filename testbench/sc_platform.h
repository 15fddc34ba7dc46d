// The SystemC side of the co-simulation: the platform the emulated kernel
// runs on. Driver threads and the interrupt dispatcher are SystemC
// processes; the clock is not. One "clock thread" runs Sim::step() in a
// plain C++ loop for as many cycles as no other process needs to run
// (sc_time_to_pending_activity), then advances SystemC time by that many
// periods and wakes whoever the hardware answered: a register access that
// completed, or the interrupt line. SystemC time and Sim::cycle() agree
// whenever a driver thread runs.
#pragma once

#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include "ddi/platform.h"
#include "sim.h"

namespace tb {

class ScPlatform : public sc_core::sc_module, public ddi::Platform, public ddi::RegisterBus {
public:
    SC_HAS_PROCESS(ScPlatform);
    ScPlatform(sc_core::sc_module_name name, Sim& sim, ddi::PhysMem& ram);

    // ddi::Platform
    std::unique_ptr<ddi::PlatformMutex> make_mutex() override;
    std::unique_ptr<ddi::PlatformCondVar> make_condvar() override;
    void spawn(const std::string& name, ddi::Context ctx, std::function<void()> fn) override;
    uint64_t thread_id() const override;
    ddi::Context context() const override;
    uint64_t now() const override { return sim_.cycle(); }
    void delay(uint64_t ticks) override;
    ddi::PhysMem& memory() override { return ram_; }
    void attach_interrupt(int line, std::function<void()> dispatch) override;
    void mask_interrupt(int line, bool masked) override;
    void probe(const char* name, uintptr_t arg) override;
    // Soft interrupts run at a lower priority than the hardware's: a few
    // cycles after they are triggered, never inside the caller.
    void soft_interrupt(const std::string& name, std::function<void()> fn) override;
    void set_softint_latency(uint64_t cycles) { softint_latency_ = cycles; }
    // The CPU's cost of taking an interrupt: cycles from the dispatcher
    // seeing the line to the handler running (0: at once). A real x86
    // takes a microsecond or two; dmasim and the benchmarks model it.
    void set_intr_latency(uint64_t cycles) { intr_latency_ = cycles; }

    // ddi::RegisterBus: the engine's registers through the AXI4-Lite master.
    uint32_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint32_t value) override;

    // Stop running cycles: the caller is about to sc_pause() or sc_stop().
    // sc_start() clears it again (see Testbench::run).
    void hold_clock(bool hold) { hold_clock_ = hold; }

    // A pulse on the interrupt line that no device raised. false (and no
    // pulse) while an interrupt is pending or its handlers run: the line is
    // level-triggered, a pulse then would merge into that interrupt.
    [[nodiscard]] bool raise_spurious_interrupt();
    // No interrupt pending and no handler running.
    bool interrupt_idle() const { return !intr_running_ && !intr_pending_; }

    // Stop the simulation after this many cycles (a test that hangs fails).
    void set_cycle_limit(uint64_t c) { cycle_limit_ = c; }
    bool hit_cycle_limit() const { return hit_limit_; }

    // Watchdog: when no SystemC process waits for anything but the hardware
    // and the hardware makes no handshake for this many cycles, nothing can
    // ever happen again: stop and report what waited on what.
    void set_watchdog(uint64_t cycles) { watchdog_ = cycles; }
    bool watchdog_fired() const { return watchdog_fired_; }
    // The software's side of a hang report (the driver's queue, busy...).
    void set_software_description(std::function<std::string()> f) { describe_sw_ = std::move(f); }
    // Sim::describe, the engine's registers and the software's state.
    std::string hang_report();
    // The report printed when the watchdog or the cycle limit stopped the run.
    const std::string& last_hang_report() const { return last_report_; }

    uint64_t interrupts_taken() const { return interrupts_; }
    uint64_t bus_accesses() const { return bus_accesses_; }
    uint64_t bus_cycles() const { return bus_cycles_; }

    static sc_core::sc_time period() { return sc_core::sc_time(Sim::PERIOD_PS, sc_core::SC_PS); }

private:
    struct ThreadInfo {
        uint64_t id;
        ddi::Context ctx;
    };

    void clock_thread();
    void intr_thread();
    const ThreadInfo* current() const;
    void access(AxilAccess& a);

    Sim& sim_;
    ddi::PhysMem& ram_;
    std::unordered_map<const void*, ThreadInfo> threads_;
    uint64_t next_id_ = 1;

    // Interrupt delivery (one line, the engine's).
    std::function<void()> dispatch_;
    bool intr_masked_ = false;
    bool intr_running_ = false;
    bool intr_pending_ = false;
    sc_core::sc_event intr_ev_;
    uint64_t interrupts_ = 0;

    std::deque<AxilAccess*> completed_;     // register accesses to wake
    uint64_t bus_accesses_ = 0, bus_cycles_ = 0;

    std::unordered_map<uintptr_t, uint32_t> probe_ids_;
    bool hold_clock_ = false;
    uint64_t softint_latency_ = 10;
    uint64_t intr_latency_ = 0;
    uint64_t watchdog_ = 1'000'000;
    bool watchdog_fired_ = false;
    std::function<std::string()> describe_sw_;
    std::string last_report_;
    uint64_t cycle_limit_ = ~0ull;
    bool hit_limit_ = false;
};

} // namespace tb
