// ddi::Platform on std::thread: what the layer's own unit tests run on (and
// CI runs under ThreadSanitizer). Threads are OS threads, time is the
// steady clock in ticks of `tick_ns`, interrupt lines are driven by the
// test (pulse or level), and panic() throws ddi::Panic so a test can
// assert that a context rule fires.
//
// Constructing a HostPlatform installs it (ddi::set_platform); destroying
// it joins every thread it started and uninstalls it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "ddi/physmem.h"
#include "ddi/platform.h"

namespace ddi {
namespace host {

struct HostOptions {
    uint64_t ram_base = 0;
    uint64_t ram_bytes = 64ull << 20;
    uint64_t tick_ns = 1000;         // one tick = 1 us
    bool panic_throws = true;        // false: print and abort, as a kernel would
};

class HostPlatform : public Platform {
public:
    explicit HostPlatform(HostOptions opt = {});
    ~HostPlatform() override;
    HostPlatform(const HostPlatform&) = delete;
    HostPlatform& operator=(const HostPlatform&) = delete;

    std::unique_ptr<PlatformMutex> make_mutex() override;
    std::unique_ptr<PlatformCondVar> make_condvar() override;
    void spawn(const std::string& name, Context ctx, std::function<void()> fn) override;
    uint64_t thread_id() const override;
    Context context() const override;
    uint64_t now() const override;
    void delay(uint64_t ticks) override;
    PhysMem& memory() override { return *mem_; }
    void attach_interrupt(int line, std::function<void()> dispatch) override;
    void mask_interrupt(int line, bool masked) override;
    [[noreturn]] void panic(const std::string& msg) override;

    // ---- for tests
    // Wait for every spawned thread (soft interrupts included, and those
    // they spawn) to end; rethrow the first exception one of them threw.
    void join();
    // Run fn on a new thread of context ctx, wait for it, rethrow what it threw.
    void run_in(Context ctx, std::function<void()> fn);
    // Interrupt lines. pulse: one dispatch (if attached and not masked).
    // level: dispatched again and again while asserted and not masked.
    void pulse(int line);
    void set_level(int line, bool asserted);
    // Block until no interrupt is pending or running.
    void wait_interrupts_idle();
    bool masked(int line);
    uint64_t panics() const { return panics_; }
    uint64_t ticks_per_second() const { return 1000000000ull / tick_ns_; }

private:
    struct LineState {
        std::function<void()> dispatch;
        bool masked = false;
        bool level = false;
        int pulses = 0;
    };
    void interrupt_thread();
    void record(std::exception_ptr e);
    void rethrow_first();

    HostOptions opt_;
    uint64_t tick_ns_;
    std::unique_ptr<PhysMem> mem_;
    std::chrono::steady_clock::time_point t0_;

    std::mutex mu_;                     // threads_, errors_, lines_
    std::condition_variable cv_;
    std::vector<std::thread> threads_;
    std::vector<std::exception_ptr> errors_;
    std::map<int, LineState> lines_;
    bool intr_busy_ = false;
    bool stop_ = false;
    std::thread intr_thread_;
    std::atomic<uint64_t> panics_{0};
};

} // namespace host
} // namespace ddi
