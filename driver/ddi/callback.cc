// Callback lists as sunddi.c keeps them (ddi_set_callback,
// ddi_run_callback): FIFO, merged by (function, argument) with a count of
// recorded failures. A run happens later, from a soft interrupt, never
// inside the unbind or free that released the resources:
//   pending = sum of the counts; take the head entry; call f(arg) up to
//   count times, each DONE using one count; a RUNOUT puts the remaining
//   count back (merged, or at the tail if new) and moves on; stop when
//   pending reaches 0 or the list is empty. One call per recorded failure.
//
// A std::mutex guards the lists; it is never held while a callback runs.
#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <mutex>

#include "ddi/impl.h"

namespace ddi {
uintptr_t dma_callback_listid = 0;
}

namespace {
struct Entry {
    int (*func)(caddr_t);
    caddr_t arg;
    int count;
};
struct List {
    std::deque<Entry> entries;
    bool scheduled = false;     // a soft interrupt is queued and not started
};
std::mutex mu;
std::map<uintptr_t*, List> lists;
std::atomic<uint64_t> runs{0};

// With mu held.
void insert(List& l, int (*f)(caddr_t), caddr_t arg, int count)
{
    for (Entry& e : l.entries)
        if (e.func == f && e.arg == arg) {
            e.count += count;
            return;
        }
    l.entries.push_back(Entry{f, arg, count});
}

void run(uintptr_t* listid)
{
    std::unique_lock<std::mutex> lk(mu);
    List& l = lists[listid];
    l.scheduled = false;
    runs++;
    long pending = 0;
    for (const Entry& e : l.entries)
        pending += e.count;
    while (pending > 0 && !l.entries.empty()) {
        Entry e = l.entries.front();
        l.entries.pop_front();
        int count = e.count;
        while (count > 0) {
            lk.unlock();
            int rv = e.func(e.arg);
            lk.lock();
            if (rv == DDI_DMA_CALLBACK_RUNOUT) {
                insert(l, e.func, e.arg, count);
                pending -= count;
                break;
            }
            pending--;
            count--;
        }
    }
}
} // namespace

void ddi_set_callback(int (*funcp)(caddr_t), caddr_t arg, uintptr_t* listid)
{
    std::lock_guard<std::mutex> g(mu);
    insert(lists[listid], funcp, arg, 1);
}

void ddi_run_callback(uintptr_t* listid)
{
    {
        std::lock_guard<std::mutex> g(mu);
        auto it = lists.find(listid);
        if (it == lists.end() || it->second.entries.empty() || it->second.scheduled)
            return;
        it->second.scheduled = true;
    }
    // softcall(): the level-1 soft interrupt runs the list.
    ddi::impl::softcall([listid] { run(listid); });
}

namespace ddi {

std::vector<CallbackEntry> dma_callback_list()
{
    std::lock_guard<std::mutex> g(mu);
    std::vector<CallbackEntry> v;
    auto it = lists.find(&dma_callback_listid);
    if (it != lists.end())
        for (const Entry& e : it->second.entries)
            v.push_back(CallbackEntry{e.func, e.arg, e.count});
    return v;
}

uint64_t callback_runs() { return runs; }

namespace impl {
void reset_callback_state()
{
    std::lock_guard<std::mutex> g(mu);
    lists.clear();
    runs = 0;
}
} // namespace impl
} // namespace ddi
