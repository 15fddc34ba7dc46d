// The platform under the kernel-interface layer: what a "machine" gives the
// emulated kernel. The testbench implements it with SystemC processes
// (time is bus clock cycles, register accesses are real AXI4-Lite
// transactions); nothing here names SystemC or Verilator.
//
// Everything above this interface (ddi/, xx/) is ordinary C++17.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace ddi {

class PhysMem;

// What a platform's panic() may throw instead of stopping the process (the
// host platform does, so a test can assert that a rule fires). The message
// says what was broken and where.
class Panic : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What kind of code is running, as a DEBUG kernel tracks it: sleeping is
// allowed in Kernel context only.
enum class Context { Kernel, Interrupt, SoftInterrupt };

// A platform lock. Not recursive; ownership checks live in kmutex_t.
class PlatformMutex {
public:
    virtual ~PlatformMutex() = default;
    virtual void lock() = 0;
    virtual void unlock() = 0;
};

// A platform condition variable. wait() releases m while blocked and holds
// it again on return; wake-ups are FIFO, one waiter per notify_one().
class PlatformCondVar {
public:
    virtual ~PlatformCondVar() = default;
    virtual void wait(PlatformMutex& m) = 0;
    // Returns false if the deadline (in ticks, see Platform::now) passed.
    virtual bool wait_until(PlatformMutex& m, uint64_t deadline) = 0;
    virtual void notify_one() = 0;
    virtual void notify_all() = 0;
};

// A device's register set as the bus reaches it. Accesses block the calling
// thread for as many bus cycles as the transaction takes. size is 1, 2 or 4;
// offset is a byte offset, naturally aligned to size.
class RegisterBus {
public:
    virtual ~RegisterBus() = default;
    virtual uint32_t read(uint64_t offset, unsigned size) = 0;
    virtual void write(uint64_t offset, unsigned size, uint32_t value) = 0;
};

class Platform {
public:
    virtual ~Platform() = default;

    virtual std::unique_ptr<PlatformMutex> make_mutex() = 0;
    virtual std::unique_ptr<PlatformCondVar> make_condvar() = 0;

    // Start a thread of the given context running fn.
    virtual void spawn(const std::string& name, Context ctx,
                       std::function<void()> fn) = 0;
    // A non-zero identifier of the running thread, stable while it lives.
    virtual uint64_t thread_id() const = 0;
    virtual Context context() const = 0;

    // Time in ticks. One tick is one bus clock cycle on the SystemC platform.
    virtual uint64_t now() const = 0;
    virtual void delay(uint64_t ticks) = 0;

    // Physical memory: what DMA reaches.
    virtual PhysMem& memory() = 0;

    // Interrupt line `line`: the platform calls dispatch() in Interrupt
    // context while the line is asserted (a level-triggered line is
    // delivered again after dispatch() returns if it is still asserted).
    virtual void attach_interrupt(int line, std::function<void()> dispatch) = 0;
    virtual void mask_interrupt(int line, bool masked) = 0;

    // A probe fired by driver code (DTRACE_PROBE): the testbench puts it in
    // the waves beside the hardware signals. arg identifies the object.
    virtual void probe(const char* name, uintptr_t arg) { (void)name; (void)arg; }

    // Run fn soon in SoftInterrupt context (a soft interrupt, as
    // ddi_intr_trigger_softint and the DMA callback list use). The default
    // is a fresh thread of that context; a platform may queue it on a
    // dedicated soft-interrupt thread instead.
    virtual void soft_interrupt(const std::string& name, std::function<void()> fn)
    {
        spawn(name, Context::SoftInterrupt, std::move(fn));
    }

    // A rule a DEBUG kernel enforces was broken: does not return.
    [[noreturn]] virtual void panic(const std::string& msg);
};

// The platform the emulated kernel runs on. One per process.
Platform& platform();
void set_platform(Platform* p);

} // namespace ddi
