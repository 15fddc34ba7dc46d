// Interrupt registration and dispatch. Fixed interrupts on shared lines are
// dispatched the x86 way: every enabled handler on the line is called and
// the results OR'd, and the chain runs again until a pass where nobody
// claims. A line that nobody claims INTR_UNCLAIMED_LIMIT times in a row is
// blocked, as the nexus does with "spurious interrupt ... blocked".
//
// Soft interrupts: ddi_intr_trigger_softint queues the handler on the
// platform's soft-interrupt delivery; a trigger while one is pending is
// DDI_EPENDING (one run covers both).
//
// The tables are guarded by a std::mutex that is never held while a handler
// runs (a handler blocks on the bus in the SystemC platform).
#include <algorithm>
#include <atomic>
#include <map>
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
};

namespace {
struct Line {
    std::vector<ddi_intr_impl*> handlers;   // in registration order
    ddi::IntrStats stats;
    bool attached = false;
};
std::mutex lines_mu;
std::map<int, Line> lines;

void dispatch(int line_no)
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
            if (h->enabled && h->handler)
                claimed |= h->handler(static_cast<caddr_t>(h->arg1), static_cast<caddr_t>(h->arg2));
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
    std::lock_guard<std::mutex> g(lines_mu);
    lines.clear();
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
    h->enabled = false;
    return DDI_SUCCESS;
}

// ---------------------------------------------------------------- soft interrupts

struct ddi_softint_impl {
    dev_info_t* dip;
    ddi_intr_handler_t handler;
    void* arg1;
    std::mutex mu;
    bool pending = false;       // triggered, handler not started yet
    int running = 0;            // runs in progress (remove waits for none)
    bool removed = false;
    void* arg2 = nullptr;
};

int ddi_intr_add_softint(dev_info_t* dip, ddi_softint_handle_t* hp, int soft_pri,
                         ddi_intr_handler_t handler, void* arg1)
{
    if (!hp || !handler || soft_pri < 1 || soft_pri > 9)
        return DDI_EINVAL;
    auto* h = new ddi_softint_impl();
    h->dip = dip;
    h->handler = handler;
    h->arg1 = arg1;
    *hp = h;
    return DDI_SUCCESS;
}

int ddi_intr_trigger_softint(ddi_softint_handle_t h, void* arg2)
{
    if (!h)
        return DDI_EINVAL;
    {
        std::lock_guard<std::mutex> g(h->mu);
        if (h->removed)
            return DDI_EINVAL;
        if (h->pending)
            return DDI_EPENDING;
        h->pending = true;
        h->arg2 = arg2;
    }
    ddi::platform().soft_interrupt("softint", [h] {
        void* a2;
        {
            std::lock_guard<std::mutex> g(h->mu);
            h->pending = false;
            h->running++;
            a2 = h->arg2;
        }
        (void)h->handler(static_cast<caddr_t>(h->arg1), static_cast<caddr_t>(a2));
        std::lock_guard<std::mutex> g(h->mu);
        h->running--;
    });
    return DDI_SUCCESS;
}

// Fails while a trigger is pending or the handler runs: the handle would be
// used after it is freed (the caller retries, as detach would wait).
int ddi_intr_remove_softint(ddi_softint_handle_t h)
{
    if (!h)
        return DDI_EINVAL;
    {
        std::lock_guard<std::mutex> g(h->mu);
        if (h->pending || h->running)
            return DDI_FAILURE;
        h->removed = true;
    }
    delete h;
    return DDI_SUCCESS;
}
