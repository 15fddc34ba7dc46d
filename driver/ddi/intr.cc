// Interrupt registration and dispatch. Fixed interrupts on shared lines are
// dispatched the x86 way: every enabled handler on the line is called and
// the results OR'd, and the chain runs again until a pass where nobody
// claims. A line that nobody claims INTR_UNCLAIMED_LIMIT times in a row is
// blocked, as the nexus does with "spurious interrupt ... blocked".
//
// Soft interrupts: priorities 1..9 on one soft-interrupt "CPU" (below).
//
// The tables are guarded by a std::mutex that is never held while a handler
// runs (a handler blocks on the bus in the SystemC platform).
#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <string>
#include <mutex>
#include <vector>

#include "ddi/impl.h"

struct ddi_intr_impl {
    dev_info_t* dip;
    int line;
    ddi_intr_handler_t handler = nullptr;
    void* arg1 = nullptr;
    void* arg2 = nullptr;
    std::atomic<bool> enabled{false};
    int running = 0;            // calls in progress (under HwWait::mu)
    uint64_t runner = 0;        // the platform thread running it
};

static void reset_softcpu();

namespace {
struct Line {
    std::vector<ddi_intr_impl*> handlers;   // in registration order
    ddi::IntrStats stats;
    bool attached = false;
};
std::mutex lines_mu;
std::map<int, Line> lines;

void dispatch_chain(int line_no);

// ddi_intr_disable waits for a handler call in progress to return, as
// rem_avintr does (wait_till_seen): after it, no CPU runs the handler, so
// detach may free what the handler uses. A platform lock, because the
// handler blocks on the bus on the SystemC platform.
struct HwWait {
    std::unique_ptr<ddi::PlatformMutex> mu;
    std::unique_ptr<ddi::PlatformCondVar> cv;
};
std::mutex hwwait_init_mu;
std::unique_ptr<HwWait> the_hwwait;

HwWait& hwwait()
{
    std::lock_guard<std::mutex> g(hwwait_init_mu);
    if (!the_hwwait) {
        the_hwwait = std::make_unique<HwWait>();
        the_hwwait->mu = ddi::platform().make_mutex();
        the_hwwait->cv = ddi::platform().make_condvar();
    }
    return *the_hwwait;
}

// Call one handler of the chain if it is enabled, counted as running.
uint_t call_handler(ddi_intr_impl* h)
{
    HwWait& w = hwwait();
    w.mu->lock();
    if (!h->enabled || !h->handler) {
        w.mu->unlock();
        return DDI_INTR_UNCLAIMED;
    }
    h->running++;
    h->runner = ddi::platform().thread_id();
    w.mu->unlock();
    uint_t r = h->handler(static_cast<caddr_t>(h->arg1), static_cast<caddr_t>(h->arg2));
    w.mu->lock();
    h->running--;
    w.cv->notify_all();
    w.mu->unlock();
    return r;
}

// A hardware interrupt: soft interrupts do not start while it runs.
void dispatch(int line_no)
{
    ddi::impl::hw_intr_enter();
    dispatch_chain(line_no);
    ddi::impl::hw_intr_exit();
}

void dispatch_chain(int line_no)
{
    {
        std::lock_guard<std::mutex> g(lines_mu);
        lines[line_no].stats.dispatches++;
    }
    bool first = true;
    for (;;) {
        uint_t claimed = DDI_INTR_UNCLAIMED;
        std::vector<ddi_intr_impl*> chain;
        {
            std::lock_guard<std::mutex> g(lines_mu);
            chain = lines[line_no].handlers;
        }
        for (ddi_intr_impl* h : chain)
            claimed |= call_handler(h);
        if (first) {
            bool block = false;
            unsigned in_row = 0;
            {
                std::lock_guard<std::mutex> g(lines_mu);
                ddi::IntrStats& st = lines[line_no].stats;
                if (claimed) {
                    st.claimed++;
                    st.unclaimed_in_row = 0;
                } else {
                    st.unclaimed++;
                    in_row = ++st.unclaimed_in_row;
                    if (in_row >= ddi::INTR_UNCLAIMED_LIMIT && !st.blocked)
                        block = st.blocked = true;
                }
            }
            if (block) {
                ddi::platform().mask_interrupt(line_no, true);
                cmn_err(CE_WARN, "spurious interrupt on line %d: %u unclaimed in a row, blocked",
                        line_no, in_row);
            }
        }
        first = false;
        if (!claimed)
            break;
    }
}
} // namespace

namespace ddi {
IntrStats intr_stats(int line)
{
    std::lock_guard<std::mutex> g(lines_mu);
    return lines[line].stats;
}
namespace impl {
void reset_intr_state()
{
    {
        std::lock_guard<std::mutex> g(lines_mu);
        lines.clear();
    }
    {
        std::lock_guard<std::mutex> g(hwwait_init_mu);
        the_hwwait.reset();     // its lock belongs to the old platform
    }
    reset_softcpu();
}
} // namespace impl
} // namespace ddi

int ddi_intr_alloc(dev_info_t* dip, ddi_intr_handle_t* h_array, int type, int inum, int count,
                   int* actualp, int)
{
    int line = ddi::devinfo_intr_line(dip);
    if (type != DDI_INTR_TYPE_FIXED || inum != 0 || count < 1 || line < 0 || !h_array)
        return DDI_FAILURE;
    auto* h = new ddi_intr_impl();
    h->dip = dip;
    h->line = line;
    h_array[0] = h;
    if (actualp)
        *actualp = 1;
    return DDI_SUCCESS;
}

int ddi_intr_free(ddi_intr_handle_t h)
{
    if (!h || h->handler)
        return DDI_FAILURE;         // remove the handler first
    delete h;
    return DDI_SUCCESS;
}

int ddi_intr_add_handler(ddi_intr_handle_t h, ddi_intr_handler_t handler, void* arg1, void* arg2)
{
    if (!h || !handler || h->handler || h->enabled)
        return DDI_FAILURE;
    h->handler = handler;
    h->arg1 = arg1;
    h->arg2 = arg2;
    bool attach = false;
    {
        std::lock_guard<std::mutex> g(lines_mu);
        Line& line = lines[h->line];
        line.handlers.push_back(h);
        if (!line.attached)
            attach = line.attached = true;
    }
    if (attach) {
        int n = h->line;
        ddi::platform().attach_interrupt(n, [n] { dispatch(n); });
    }
    return DDI_SUCCESS;
}

int ddi_intr_remove_handler(ddi_intr_handle_t h)
{
    if (!h || h->enabled || !h->handler)
        return DDI_FAILURE;         // disable first
    {
        std::lock_guard<std::mutex> g(lines_mu);
        auto& v = lines[h->line].handlers;
        v.erase(std::remove(v.begin(), v.end(), h), v.end());
    }
    h->handler = nullptr;
    return DDI_SUCCESS;
}

int ddi_intr_enable(ddi_intr_handle_t h)
{
    if (!h || !h->handler || h->enabled)
        return DDI_FAILURE;
    h->enabled = true;
    return DDI_SUCCESS;
}

int ddi_intr_disable(ddi_intr_handle_t h)
{
    if (!h || !h->enabled)
        return DDI_FAILURE;
    HwWait& w = hwwait();
    w.mu->lock();
    h->enabled = false;
    // A call in progress finishes first (not when it is this very call).
    while (h->running > 0 && h->runner != ddi::platform().thread_id())
        w.cv->wait(*w.mu);
    w.mu->unlock();
    return DDI_SUCCESS;
}

// ---------------------------------------------------------------- soft interrupts
//
// One soft-interrupt "CPU" for the machine, as i86pc's autovector code runs
// soft interrupts on a CPU: a chain of handles per level (1..9, the newest
// first, as insert_av links them), a pending mark per handle, the levels
// running now. A level is started by a runner the platform delivers
// (Platform::soft_interrupt); the runner re-checks the rules when it
// starts and gives way (to be started again later) if a level as high or
// higher runs, a higher level is pending, or a hardware interrupt handler
// runs. The state is guarded by a platform mutex that is never held while
// a handler runs; ddi_intr_remove_softint waits on a platform condition
// variable for a running handler to return.

struct ddi_softint_impl {
    dev_info_t* dip;
    ddi_intr_handler_t handler;
    void* arg1;
    void* arg2 = nullptr;
    int pri;
    bool pending = false;       // triggered, handler not called yet
    int running = 0;            // calls in progress
    uint64_t runner = 0;        // platform thread running it (remove from the handler)
};

namespace {
constexpr int NLEVELS = DDI_INTR_SOFTPRI_MAX + 1;

struct SoftCpu {
    std::unique_ptr<ddi::PlatformMutex> mu;
    std::unique_ptr<ddi::PlatformCondVar> cv;       // a handler returned
    std::vector<ddi_softint_impl*> chain[NLEVELS];  // dispatch order
    std::deque<std::function<void()>> softcalls;    // level 1, after its chain
    bool scheduled[NLEVELS] = {};                   // a runner is on its way
    std::vector<int> running;                       // levels running now
    int hw_active = 0;                              // hardware dispatches in progress
};
std::mutex softcpu_init_mu;
std::unique_ptr<SoftCpu> the_softcpu;

SoftCpu& softcpu()
{
    std::lock_guard<std::mutex> g(softcpu_init_mu);
    if (!the_softcpu) {
        the_softcpu = std::make_unique<SoftCpu>();
        the_softcpu->mu = ddi::platform().make_mutex();
        the_softcpu->cv = ddi::platform().make_condvar();
    }
    return *the_softcpu;
}

// With mu held.
bool level_pending(SoftCpu& c, int lvl)
{
    if (lvl == 1 && !c.softcalls.empty())
        return true;
    for (ddi_softint_impl* h : c.chain[lvl])
        if (h->pending)
            return true;
    return false;
}

int highest_pending(SoftCpu& c)
{
    for (int l = DDI_INTR_SOFTPRI_MAX; l >= DDI_INTR_SOFTPRI_MIN; l--)
        if (level_pending(c, l))
            return l;
    return 0;
}

int top_running(SoftCpu& c)
{
    int top = 0;
    for (int l : c.running)
        top = std::max(top, l);
    return top;
}

void run_level(int lvl);
} // namespace

static void reset_softcpu()
{
    std::lock_guard<std::mutex> g(softcpu_init_mu);
    the_softcpu.reset();
}

namespace {

// With mu held: the level that should start now, if one should, marked
// scheduled (the caller starts its runner after unlocking). 0 if none.
int kick(SoftCpu& c)
{
    if (c.hw_active)
        return 0;           // the hardware handler's exit kicks again
    int l = highest_pending(c);
    if (l == 0 || l <= top_running(c) || c.scheduled[l])
        return 0;
    c.scheduled[l] = true;
    return l;
}

void start_runner(int lvl)
{
    if (lvl)
        ddi::platform().soft_interrupt("softint" + std::to_string(lvl), [lvl] { run_level(lvl); });
}

// With mu held, which it releases: the level is done; start the next.
void leave_level(SoftCpu& c, int lvl)
{
    c.running.erase(std::find(c.running.begin(), c.running.end(), lvl));
    int next = kick(c);
    c.mu->unlock();
    start_runner(next);
}

// A runner: the level's handlers (and at level 1 the softcalls), each
// pending one once per trigger, until none of the level is pending.
void run_level(int lvl)
{
    SoftCpu& c = softcpu();
    c.mu->lock();
    c.scheduled[lvl] = false;
    if (c.hw_active || top_running(c) >= lvl || highest_pending(c) > lvl) {
        int next = kick(c);         // not now: whoever is in the way kicks again
        c.mu->unlock();
        start_runner(next);
        return;
    }
    c.running.push_back(lvl);
    const uint64_t self = ddi::platform().thread_id();
    while (level_pending(c, lvl)) {
        // One walk of the chain as av_dispatch_softvect makes it; a handle
        // triggered again meanwhile is taken on the next walk.
        std::vector<ddi_softint_impl*> chain = c.chain[lvl];
        for (ddi_softint_impl* h : chain) {
            // Still on this level's chain (removed or moved meanwhile: skip;
            // a removed handle may be freed, so look before touching it).
            if (std::find(c.chain[lvl].begin(), c.chain[lvl].end(), h) == c.chain[lvl].end() || !h->pending)
                continue;
            h->pending = false;
            h->running++;
            h->runner = self;
            void* a2 = h->arg2;
            c.mu->unlock();
            try {
                (void)h->handler(static_cast<caddr_t>(h->arg1), static_cast<caddr_t>(a2));
            } catch (...) {
                // A panic (the host platform throws): leave the state sane
                // for the test that catches it.
                c.mu->lock();
                h->running--;
                h->runner = 0;
                c.cv->notify_all();
                leave_level(c, lvl);
                throw;
            }
            c.mu->lock();
            h->running--;
            h->runner = 0;
            c.cv->notify_all();
        }
        if (lvl == 1) {
            while (!c.softcalls.empty()) {
                std::function<void()> fn = std::move(c.softcalls.front());
                c.softcalls.pop_front();
                c.mu->unlock();
                try {
                    fn();
                } catch (...) {
                    c.mu->lock();
                    leave_level(c, lvl);
                    throw;
                }
                c.mu->lock();
            }
        }
    }
    leave_level(c, lvl);
}
} // namespace

namespace ddi {
namespace impl {
void softcall(std::function<void()> fn)
{
    SoftCpu& c = softcpu();
    c.mu->lock();
    c.softcalls.push_back(std::move(fn));
    int next = kick(c);
    c.mu->unlock();
    start_runner(next);
}

void hw_intr_enter()
{
    SoftCpu& c = softcpu();
    c.mu->lock();
    c.hw_active++;
    c.mu->unlock();
}

void hw_intr_exit()
{
    SoftCpu& c = softcpu();
    c.mu->lock();
    c.hw_active--;
    int next = kick(c);
    c.mu->unlock();
    start_runner(next);
}
} // namespace impl
} // namespace ddi

int ddi_intr_add_softint(dev_info_t* dip, ddi_softint_handle_t* hp, int soft_pri,
                         ddi_intr_handler_t handler, void* arg1)
{
    if (!hp || !handler || soft_pri < DDI_INTR_SOFTPRI_MIN || soft_pri > DDI_INTR_SOFTPRI_MAX)
        return DDI_EINVAL;
    auto* h = new ddi_softint_impl();
    h->dip = dip;
    h->handler = handler;
    h->arg1 = arg1;
    h->pri = soft_pri;
    SoftCpu& c = softcpu();
    c.mu->lock();
    c.chain[soft_pri].insert(c.chain[soft_pri].begin(), h);
    c.mu->unlock();
    *hp = h;
    return DDI_SUCCESS;
}

int ddi_intr_trigger_softint(ddi_softint_handle_t h, void* arg2)
{
    if (!h)
        return DDI_EINVAL;
    SoftCpu& c = softcpu();
    c.mu->lock();
    if (h->pending) {
        c.mu->unlock();
        return DDI_EPENDING;
    }
    h->pending = true;
    h->arg2 = arg2;
    int next = kick(c);
    c.mu->unlock();
    start_runner(next);
    return DDI_SUCCESS;
}

int ddi_intr_get_softint_pri(ddi_softint_handle_t h, uint_t* soft_prip)
{
    if (!h || !soft_prip)
        return DDI_EINVAL;
    SoftCpu& c = softcpu();
    c.mu->lock();
    *soft_prip = static_cast<uint_t>(h->pri);
    c.mu->unlock();
    return DDI_SUCCESS;
}

// i_ddi_set_softint_pri: refused while pending; the handle moves to the
// head of its new level's chain.
int ddi_intr_set_softint_pri(ddi_softint_handle_t h, uint_t soft_pri)
{
    if (!h)
        return DDI_EINVAL;
    if (soft_pri < static_cast<uint_t>(DDI_INTR_SOFTPRI_MIN) || soft_pri > static_cast<uint_t>(DDI_INTR_SOFTPRI_MAX))
        return DDI_EINVAL;
    SoftCpu& c = softcpu();
    c.mu->lock();
    if (h->pending) {
        c.mu->unlock();
        return DDI_FAILURE;
    }
    auto& from = c.chain[h->pri];
    from.erase(std::find(from.begin(), from.end(), h));
    h->pri = static_cast<int>(soft_pri);
    c.chain[h->pri].insert(c.chain[h->pri].begin(), h);
    c.mu->unlock();
    return DDI_SUCCESS;
}

// rem_avsoftintr: off the chain (a pending trigger is dropped with it),
// then wait until no CPU runs the handler (wait_till_seen).
int ddi_intr_remove_softint(ddi_softint_handle_t h)
{
    if (!h)
        return DDI_EINVAL;
    SoftCpu& c = softcpu();
    c.mu->lock();
    if (h->running && h->runner == ddi::platform().thread_id()) {
        c.mu->unlock();
        ddi::impl::fatal("ddi_intr_remove_softint(%p) called from its own handler: it would wait "
                         "for itself forever", static_cast<void*>(h));
    }
    auto& chain = c.chain[h->pri];
    chain.erase(std::find(chain.begin(), chain.end(), h));
    h->pending = false;
    while (h->running)
        c.cv->wait(*c.mu);
    c.mu->unlock();
    delete h;
    return DDI_SUCCESS;
}
