// Interrupt registration and dispatch. Fixed interrupts on shared lines are
// dispatched the x86 way: every enabled handler on the line is called and
// the results OR'd, and the chain runs again until a pass where nobody
// claims. A line that nobody claims INTR_UNCLAIMED_LIMIT times in a row is
// blocked, as the nexus does with "spurious interrupt ... blocked".
#include <algorithm>
#include <map>
#include <vector>

#include "ddi/sunddi.h"

namespace ddi {
int devinfo_intr_line(dev_info_t* dip);
}

struct ddi_intr_impl {
    dev_info_t* dip;
    int line;
    ddi_intr_handler_t handler = nullptr;
    void* arg1 = nullptr;
    void* arg2 = nullptr;
    bool enabled = false;
};

namespace {
struct Line {
    std::vector<ddi_intr_impl*> handlers;   // in registration order
    ddi::IntrStats stats;
    bool attached = false;
};
std::map<int, Line> lines;

void dispatch(int line_no)
{
    Line& line = lines[line_no];
    line.stats.dispatches++;
    bool first = true;
    for (;;) {
        uint_t claimed = DDI_INTR_UNCLAIMED;
        // Copy: a handler may not change the chain, but be robust if it does.
        std::vector<ddi_intr_impl*> chain = line.handlers;
        for (ddi_intr_impl* h : chain)
            if (h->enabled && h->handler)
                claimed |= h->handler(static_cast<caddr_t>(h->arg1), static_cast<caddr_t>(h->arg2));
        if (first) {
            if (claimed) {
                line.stats.claimed++;
                line.stats.unclaimed_in_row = 0;
            } else {
                line.stats.unclaimed++;
                if (++line.stats.unclaimed_in_row >= ddi::INTR_UNCLAIMED_LIMIT && !line.stats.blocked) {
                    line.stats.blocked = true;
                    ddi::platform().mask_interrupt(line_no, true);
                    cmn_err(CE_WARN, "spurious interrupt on line %d: %u unclaimed in a row, blocked",
                            line_no, line.stats.unclaimed_in_row);
                }
            }
        }
        first = false;
        if (!claimed)
            break;
    }
}
} // namespace

namespace ddi {
IntrStats intr_stats(int line) { return lines[line].stats; }
} // namespace ddi

int ddi_intr_alloc(dev_info_t* dip, ddi_intr_handle_t* h_array, int type, int inum, int count,
                   int* actualp, int)
{
    int line = ddi::devinfo_intr_line(dip);
    if (type != DDI_INTR_TYPE_FIXED || inum != 0 || count < 1 || line < 0)
        return DDI_FAILURE;
    h_array[0] = new ddi_intr_impl{dip, line};
    if (actualp)
        *actualp = 1;
    return DDI_SUCCESS;
}

int ddi_intr_free(ddi_intr_handle_t h)
{
    if (h->handler)
        return DDI_FAILURE;         // remove the handler first
    delete h;
    return DDI_SUCCESS;
}

int ddi_intr_add_handler(ddi_intr_handle_t h, ddi_intr_handler_t handler, void* arg1, void* arg2)
{
    if (!handler || h->handler)
        return DDI_FAILURE;
    h->handler = handler;
    h->arg1 = arg1;
    h->arg2 = arg2;
    Line& line = lines[h->line];
    line.handlers.push_back(h);
    if (!line.attached) {
        line.attached = true;
        int n = h->line;
        ddi::platform().attach_interrupt(n, [n] { dispatch(n); });
    }
    return DDI_SUCCESS;
}

int ddi_intr_remove_handler(ddi_intr_handle_t h)
{
    if (h->enabled || !h->handler)
        return DDI_FAILURE;         // disable first
    auto& v = lines[h->line].handlers;
    v.erase(std::remove(v.begin(), v.end(), h), v.end());
    h->handler = nullptr;
    return DDI_SUCCESS;
}

int ddi_intr_enable(ddi_intr_handle_t h)
{
    if (!h->handler || h->enabled)
        return DDI_FAILURE;
    h->enabled = true;
    return DDI_SUCCESS;
}

int ddi_intr_disable(ddi_intr_handle_t h)
{
    if (!h->enabled)
        return DDI_FAILURE;
    h->enabled = false;
    return DDI_SUCCESS;
}
