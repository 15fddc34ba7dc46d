#include "host/host_platform.h"

#include <cstdio>
#include <cstdlib>

namespace ddi {
namespace host {

namespace {

std::atomic<uint64_t> next_id{1};

// Who the running thread is to the emulated kernel. A thread the platform
// did not start (the test's main thread) is Kernel context with an id given
// on first use.
struct Self {
    uint64_t id = 0;
    Context ctx = Context::Kernel;
};
thread_local Self self;

uint64_t self_id()
{
    if (self.id == 0)
        self.id = next_id++;
    return self.id;
}

class HostMutex : public PlatformMutex {
public:
    void lock() override { m.lock(); }
    void unlock() override { m.unlock(); }
    std::mutex m;
};

// FIFO wake-ups, as the platform interface promises: each waiter has its
// own flag, notify_one sets the oldest one's.
class HostCondVar : public PlatformCondVar {
public:
    void wait(PlatformMutex& m) override
    {
        Waiter w;
        {
            std::lock_guard<std::mutex> g(mu_);
            q_.push_back(&w);
        }
        m.unlock();
        {
            std::unique_lock<std::mutex> lk(mu_);
            cv_.wait(lk, [&] { return w.signaled; });
        }
        m.lock();
    }
    bool wait_until(PlatformMutex& m, uint64_t deadline) override
    {
        auto& hp = static_cast<HostPlatform&>(platform());
        Waiter w;
        {
            std::lock_guard<std::mutex> g(mu_);
            q_.push_back(&w);
        }
        m.unlock();
        bool signaled;
        {
            std::unique_lock<std::mutex> lk(mu_);
            for (;;) {
                if (w.signaled)
                    break;
                uint64_t now = hp.now();
                if (now >= deadline)
                    break;
                uint64_t left_ns = (deadline - now) * (1000000000ull / hp.ticks_per_second());
                cv_.wait_for(lk, std::chrono::nanoseconds(left_ns));
            }
            signaled = w.signaled;
            if (!signaled)
                for (auto it = q_.begin(); it != q_.end(); ++it)
                    if (*it == &w) {
                        q_.erase(it);
                        break;
                    }
        }
        m.lock();
        return signaled;
    }
    void notify_one() override
    {
        std::lock_guard<std::mutex> g(mu_);
        if (q_.empty())
            return;
        q_.front()->signaled = true;
        q_.pop_front();
        cv_.notify_all();
    }
    void notify_all() override
    {
        std::lock_guard<std::mutex> g(mu_);
        for (Waiter* w : q_)
            w->signaled = true;
        q_.clear();
        cv_.notify_all();
    }

private:
    struct Waiter {
        bool signaled = false;
    };
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<Waiter*> q_;
};

} // namespace

HostPlatform::HostPlatform(HostOptions opt)
    : opt_(opt), tick_ns_(opt.tick_ns ? opt.tick_ns : 1),
      mem_(std::make_unique<PhysMem>(opt.ram_base, opt.ram_bytes)),
      t0_(std::chrono::steady_clock::now())
{
    intr_thread_ = std::thread([this] { interrupt_thread(); });
    set_platform(this);
}

HostPlatform::~HostPlatform()
{
    try {
        join();
    } catch (...) {
        // A test that wanted the error called join() itself.
    }
    {
        std::lock_guard<std::mutex> g(mu_);
        stop_ = true;
    }
    cv_.notify_all();
    intr_thread_.join();
    set_platform(nullptr);
}

std::unique_ptr<PlatformMutex> HostPlatform::make_mutex() { return std::make_unique<HostMutex>(); }
std::unique_ptr<PlatformCondVar> HostPlatform::make_condvar() { return std::make_unique<HostCondVar>(); }

void HostPlatform::record(std::exception_ptr e)
{
    std::lock_guard<std::mutex> g(mu_);
    errors_.push_back(e);
}

void HostPlatform::spawn(const std::string&, Context ctx, std::function<void()> fn)
{
    std::lock_guard<std::mutex> g(mu_);
    threads_.emplace_back([this, ctx, fn = std::move(fn)] {
        self.id = next_id++;
        self.ctx = ctx;
        try {
            fn();
        } catch (...) {
            record(std::current_exception());
        }
    });
}

uint64_t HostPlatform::thread_id() const { return self_id(); }
Context HostPlatform::context() const { return self.ctx; }

uint64_t HostPlatform::now() const
{
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0_).count();
    return static_cast<uint64_t>(ns) / tick_ns_;
}

void HostPlatform::delay(uint64_t ticks)
{
    std::this_thread::sleep_for(std::chrono::nanoseconds(ticks * tick_ns_));
}

void HostPlatform::panic(const std::string& msg)
{
    panics_++;
    const char* ctx = self.ctx == Context::Kernel ? "kernel"
                    : self.ctx == Context::Interrupt ? "interrupt" : "soft interrupt";
    std::string full = "panic[thread " + std::to_string(self_id()) + ", " + ctx + "]: " + msg;
    if (opt_.panic_throws)
        throw Panic(full);
    std::fprintf(stderr, "%s\n", full.c_str());
    std::fflush(stderr);
    std::abort();
}

void HostPlatform::join()
{
    // Threads may spawn threads (a soft interrupt from an unbind in a
    // thread): join until none is left.
    for (;;) {
        std::vector<std::thread> ts;
        {
            std::lock_guard<std::mutex> g(mu_);
            ts.swap(threads_);
        }
        if (ts.empty())
            break;
        for (auto& t : ts)
            t.join();
    }
    rethrow_first();
}

void HostPlatform::rethrow_first()
{
    std::exception_ptr e;
    {
        std::lock_guard<std::mutex> g(mu_);
        if (errors_.empty())
            return;
        e = errors_.front();
        errors_.clear();
    }
    std::rethrow_exception(e);
}

void HostPlatform::run_in(Context ctx, std::function<void()> fn)
{
    std::exception_ptr err;
    std::thread t([&] {
        self.id = next_id++;
        self.ctx = ctx;
        try {
            fn();
        } catch (...) {
            err = std::current_exception();
        }
    });
    t.join();
    if (err)
        std::rethrow_exception(err);
}

void HostPlatform::attach_interrupt(int line, std::function<void()> dispatch)
{
    std::lock_guard<std::mutex> g(mu_);
    lines_[line].dispatch = std::move(dispatch);
    cv_.notify_all();
}

void HostPlatform::mask_interrupt(int line, bool m)
{
    std::lock_guard<std::mutex> g(mu_);
    lines_[line].masked = m;
    cv_.notify_all();
}

bool HostPlatform::masked(int line)
{
    std::lock_guard<std::mutex> g(mu_);
    return lines_[line].masked;
}

void HostPlatform::pulse(int line)
{
    std::lock_guard<std::mutex> g(mu_);
    lines_[line].pulses++;
    cv_.notify_all();
}

void HostPlatform::set_level(int line, bool asserted)
{
    std::lock_guard<std::mutex> g(mu_);
    lines_[line].level = asserted;
    cv_.notify_all();
}

void HostPlatform::wait_interrupts_idle()
{
    std::unique_lock<std::mutex> lk(mu_);
    cv_.wait(lk, [&] {
        if (intr_busy_)
            return false;
        for (auto& kv : lines_)
            if (kv.second.dispatch && !kv.second.masked && (kv.second.pulses || kv.second.level))
                return false;
        return true;
    });
}

// One CPU taking interrupts: one dispatch at a time, lowest line first.
void HostPlatform::interrupt_thread()
{
    self.id = next_id++;
    self.ctx = Context::Interrupt;
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
        std::function<void()>* fn = nullptr;
        cv_.wait(lk, [&] {
            if (stop_)
                return true;
            for (auto& kv : lines_) {
                LineState& l = kv.second;
                if (l.dispatch && !l.masked && (l.pulses || l.level)) {
                    if (l.pulses)
                        l.pulses--;
                    fn = &l.dispatch;
                    return true;
                }
            }
            return false;
        });
        if (stop_)
            return;
        intr_busy_ = true;
        std::function<void()> call = *fn;
        lk.unlock();
        try {
            call();
        } catch (...) {
            record(std::current_exception());
        }
        lk.lock();
        intr_busy_ = false;
        cv_.notify_all();
    }
}

} // namespace host
} // namespace ddi
