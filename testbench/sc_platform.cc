#include "sc_platform.h"

#include "xx/xxreg.h"

#include <algorithm>
#include <cstdio>

using namespace sc_core;

namespace tb {

namespace {

// A FIFO lock with hand-off: unlock gives the lock to the oldest waiter,
// so nobody barges in and every waiter gets it in turn.
class ScMutex : public ddi::PlatformMutex {
public:
    void lock() override
    {
        if (!locked_) {
            locked_ = true;
            return;
        }
        Waiter w;
        waiters_.push_back(&w);
        while (!w.granted)
            sc_core::wait(w.ev);
    }
    void unlock() override
    {
        if (waiters_.empty()) {
            locked_ = false;
            return;
        }
        Waiter* w = waiters_.front();
        waiters_.pop_front();
        w->granted = true;      // still locked: ownership moves to w
        w->ev.notify();
    }

private:
    struct Waiter {
        sc_event ev;
        bool granted = false;
    };
    bool locked_ = false;
    std::deque<Waiter*> waiters_;
};

class ScCondVar : public ddi::PlatformCondVar {
public:
    void wait(ddi::PlatformMutex& m) override
    {
        Waiter w;
        waiters_.push_back(&w);
        m.unlock();
        while (!w.signaled)
            sc_core::wait(w.ev);
        m.lock();
    }
    bool wait_until(ddi::PlatformMutex& m, uint64_t deadline) override
    {
        Waiter w;
        waiters_.push_back(&w);
        m.unlock();
        auto now = [] { return sc_time_stamp().value() / ScPlatform::period().value(); };
        while (!w.signaled && now() < deadline)
            sc_core::wait(ScPlatform::period() * static_cast<double>(deadline - now()), w.ev);
        if (!w.signaled)
            waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &w));
        m.lock();
        return w.signaled;
    }
    void notify_one() override
    {
        if (waiters_.empty())
            return;
        Waiter* w = waiters_.front();
        waiters_.pop_front();
        w->signaled = true;
        w->ev.notify();
    }
    void notify_all() override
    {
        while (!waiters_.empty())
            notify_one();
    }

private:
    struct Waiter {
        sc_event ev;
        bool signaled = false;
    };
    std::deque<Waiter*> waiters_;
};

} // namespace

ScPlatform::ScPlatform(sc_module_name name, Sim& sim, ddi::PhysMem& ram)
    : sc_module(name), sim_(sim), ram_(ram)
{
    SC_THREAD(clock_thread);
    SC_THREAD(intr_thread);
}

std::unique_ptr<ddi::PlatformMutex> ScPlatform::make_mutex() { return std::make_unique<ScMutex>(); }
std::unique_ptr<ddi::PlatformCondVar> ScPlatform::make_condvar() { return std::make_unique<ScCondVar>(); }

void ScPlatform::spawn(const std::string& name, ddi::Context ctx, std::function<void()> fn)
{
    uint64_t id = next_id_++;
    sc_spawn_options opts;
    sc_process_handle h = sc_spawn(std::move(fn), (name + "_" + std::to_string(id)).c_str(), &opts);
    threads_[h.get_process_object()] = ThreadInfo{id, ctx};
}

const ScPlatform::ThreadInfo* ScPlatform::current() const
{
    sc_process_handle h = sc_get_current_process_handle();
    auto it = threads_.find(h.valid() ? h.get_process_object() : nullptr);
    return it == threads_.end() ? nullptr : &it->second;
}

void ScPlatform::soft_interrupt(const std::string& name, std::function<void()> fn)
{
    uint64_t latency = softint_latency_;
    spawn(name, ddi::Context::SoftInterrupt, [latency, fn = std::move(fn)] {
        if (latency)
            sc_core::wait(period() * static_cast<double>(latency));
        fn();
    });
}

uint64_t ScPlatform::thread_id() const
{
    const ThreadInfo* t = current();
    return t ? t->id : 0;
}

ddi::Context ScPlatform::context() const
{
    const ThreadInfo* t = current();
    return t ? t->ctx : ddi::Context::Kernel;
}

void ScPlatform::delay(uint64_t ticks) { wait(period() * static_cast<double>(ticks)); }

void ScPlatform::attach_interrupt(int, std::function<void()> dispatch) { dispatch_ = std::move(dispatch); }

void ScPlatform::mask_interrupt(int, bool masked) { intr_masked_ = masked; }

bool ScPlatform::raise_spurious_interrupt()
{
    if (intr_running_ || intr_pending_ || !dispatch_)
        return false;
    intr_pending_ = true;
    intr_ev_.notify();
    return true;
}

void ScPlatform::probe(const char* name, uintptr_t arg)
{
    uint32_t id = 0;
    if (arg) {
        auto it = probe_ids_.find(arg);
        if (it == probe_ids_.end())
            it = probe_ids_.emplace(arg, static_cast<uint32_t>(probe_ids_.size() + 1)).first;
        id = it->second;
    }
    sim_.note(name, id);
}

void ScPlatform::access(AxilAccess& a)
{
    sc_event ev;
    a.cookie = &ev;
    sim_.regs().submit(&a);
    while (!a.done)
        wait(ev);
    bus_accesses_++;
    bus_cycles_ += a.done_at - a.issued_at;
}

uint32_t ScPlatform::read(uint64_t offset, unsigned size)
{
    AxilAccess a;
    a.write = false;
    a.offset = static_cast<uint32_t>(offset);
    a.size = size;
    access(a);
    return a.value;
}

void ScPlatform::write(uint64_t offset, unsigned size, uint32_t value)
{
    AxilAccess a;
    a.write = true;
    a.offset = static_cast<uint32_t>(offset);
    a.size = size;
    a.value = value;
    access(a);
}

void ScPlatform::clock_thread()
{
    const uint64_t per = period().value();
    for (;;) {
        // Run cycles in C++ for as long as no SystemC process has anything
        // to do: until the next timed wake-up, or until the hardware answers
        // someone.
        sc_time t = sc_time_to_pending_activity();
        if (t == SC_ZERO_TIME || hold_clock_) {
            // Others run in this delta; or the simulation is pausing at the
            // end of it and must not run ahead of the test that paused it.
            wait(SC_ZERO_TIME);
            continue;
        }
        uint64_t budget = t.value() / per;
        if (budget == 0) {
            wait(t);
            continue;
        }
        // Nobody waits for time: only the hardware can wake anyone now.
        const bool only_hardware = t >= sc_max_time() - sc_time_stamp();
        uint64_t n = 0;
        bool event = false;
        while (n < budget && !event) {
            if (AxilAccess* a = sim_.step()) {
                completed_.push_back(a);
                event = true;
            }
            n++;
            if (dispatch_ && !intr_masked_ && !intr_running_ && !intr_pending_ && sim_.irq()) {
                intr_pending_ = true;
                event = true;
            }
            if (sim_.cycle() >= cycle_limit_) {
                hit_limit_ = true;
                break;
            }
            if (only_hardware && sim_.cycle() - sim_.last_progress() > watchdog_) {
                watchdog_fired_ = true;
                break;
            }
        }
        wait(period() * static_cast<double>(n));
        for (AxilAccess* a : completed_)
            static_cast<sc_event*>(a->cookie)->notify();
        completed_.clear();
        if (intr_pending_ && !intr_running_)
            intr_ev_.notify();
        if (hit_limit_ || watchdog_fired_) {
            last_report_ = std::string(watchdog_fired_ ? "watchdog: no forward progress, nothing left to wake anyone"
                                                       : "cycle limit reached") +
                           " at cycle " + std::to_string(sim_.cycle()) + ":\n" + hang_report();
            std::fprintf(stderr, "%s", last_report_.c_str());
            sc_stop();
            return;
        }
    }
}

std::string ScPlatform::hang_report()
{
    std::string s = sim_.describe();
    static const struct {
        uint32_t off;
        const char* name;
    } regs[] = {{XX_REG_CSR, "csr/err"}, {XX_REG_DMA_CTL, "dma_ctl"}, {XX_REG_DMA_ADDR, "dma_addr"},
                {XX_REG_DMA_SIZE, "dma_size"}, {XX_REG_DEV_BLOCK, "dev_block"}, {XX_REG_RESID, "resid"},
                {XX_REG_XFER_COUNT, "xfer_count"}, {XX_REG_SG_COUNT, "sg_count"}};
    s += "  engine registers:";
    for (const auto& r : regs) {
        uint32_t v = 0;
        if (!sim_.peek_register(r.off, &v)) {
            s += " (the register bus does not answer)";
            break;
        }
        char b[48];
        std::snprintf(b, sizeof b, " %s=0x%x", r.name, v);
        s += b;
    }
    s += "\n  interrupt dispatcher: ";
    s += intr_running_ ? "running a handler" : (intr_masked_ ? "line blocked" : "idle");
    s += "\n";
    if (describe_sw_)
        s += "  software: " + describe_sw_() + "\n";
    return s;
}

void ScPlatform::intr_thread()
{
    threads_[sc_get_current_process_handle().get_process_object()] =
        ThreadInfo{next_id_++, ddi::Context::Interrupt};
    for (;;) {
        while (!intr_pending_)
            wait(intr_ev_);
        intr_running_ = true;
        interrupts_++;
        if (intr_latency_ > 0)
            wait(period() * static_cast<double>(intr_latency_));
        dispatch_();
        // End of interrupt: the line is looked at again a cycle later, so a
        // level the handler just cleared is not taken twice.
        wait(period());
        intr_running_ = false;
        intr_pending_ = false;
    }
}

} // namespace tb
