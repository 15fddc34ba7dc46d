// Soft-interrupt priorities (levels 1..9 on one soft-interrupt CPU): the
// highest pending level first, newest handler first within a level, a
// higher level may start while a lower one runs and never the other way,
// nothing starts under a hardware interrupt handler, set/get priority,
// remove, and the DMA callback list running at level 1.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "helpers.h"

using ddi::Context;
using ddi::host::HostPlatform;

namespace {

// What every handler of these tests records: who ran, in what order, and
// whether a level as high or higher was running when it started.
struct Log {
    std::mutex mu;
    std::vector<int> order;             // handler ids, in the order they started
    int running[DDI_INTR_SOFTPRI_MAX + 1] = {};
    int violations = 0;                 // started under an equal or higher level
    int wrong_context = 0;
    void start(int id, int lvl)
    {
        std::lock_guard<std::mutex> g(mu);
        order.push_back(id);
        for (int l = lvl; l <= DDI_INTR_SOFTPRI_MAX; l++)
            if (running[l])
                violations++;
        running[lvl]++;
        if (ddi::platform().context() != Context::SoftInterrupt)
            wrong_context++;
    }
    void end(int lvl)
    {
        std::lock_guard<std::mutex> g(mu);
        running[lvl]--;
    }
    std::vector<int> get()
    {
        std::lock_guard<std::mutex> g(mu);
        return order;
    }
    void clear()
    {
        std::lock_guard<std::mutex> g(mu);
        order.clear();
        violations = wrong_context = 0;
    }
};
Log the_log;

// A handler's identity: arg1 points at one of these.
struct Soft {
    int id = 0;
    int level = 0;
    ddi_softint_handle_t h = nullptr;
    std::atomic<bool>* gate = nullptr;      // hold the handler until it opens
    std::atomic<int> runs{0};
    Soft* trigger_inside = nullptr;         // trigger this one from the handler
    std::atomic<int> inner_rv{0};
};

uint_t soft(caddr_t a1, caddr_t)
{
    auto* s = reinterpret_cast<Soft*>(a1);
    the_log.start(s->id, s->level);
    if (s->trigger_inside)
        s->inner_rv = ddi_intr_trigger_softint(s->trigger_inside->h, nullptr);
    if (s->gate)
        while (!*s->gate)
            std::this_thread::yield();
    s->runs++;
    the_log.end(s->level);
    return DDI_INTR_CLAIMED;
}

void add(Soft& s, int id, int level)
{
    s.id = id;
    s.level = level;
    REQUIRE(ddi_intr_add_softint(nullptr, &s.h, level, soft, &s) == DDI_SUCCESS);
}

// Wait (bounded) until cond holds.
template <class F>
bool eventually(F cond)
{
    for (int i = 0; i < 20000; i++) {
        if (cond())
            return true;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return cond();
}

} // namespace

TEST_CASE("soft interrupts: the highest pending level runs first, the newest handler first within a level",
          "[intr][softint][priority]")
{
    HostPlatform plat;
    the_log.clear();
    std::atomic<bool> gate{false};
    Soft blocker, s1, s3, s5a, s5b, s7;
    add(blocker, 99, 9);
    blocker.gate = &gate;
    add(s1, 1, 1);
    add(s3, 3, 3);
    add(s5a, 50, 5);
    add(s5b, 51, 5);        // added after s5a: runs before it
    add(s7, 7, 7);
    REQUIRE(ddi_intr_trigger_softint(blocker.h, nullptr) == DDI_SUCCESS);
    REQUIRE(eventually([&] { return the_log.get().size() == 1; }));
    // Level 9 runs: nothing below it may start; trigger in a scrambled order.
    for (Soft* s : {&s3, &s1, &s7, &s5a, &s5b})
        REQUIRE(ddi_intr_trigger_softint(s->h, nullptr) == DDI_SUCCESS);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(the_log.get() == std::vector<int>{99});
    CHECK(ddi_intr_trigger_softint(s3.h, nullptr) == DDI_EPENDING);
    gate = true;
    plat.join();
    CHECK(the_log.get() == std::vector<int>{99, 7, 51, 50, 3, 1});
    CHECK(the_log.violations == 0);
    CHECK(the_log.wrong_context == 0);
    for (Soft* s : {&blocker, &s1, &s3, &s5a, &s5b, &s7}) {
        CHECK(s->runs == 1);
        CHECK(ddi_intr_remove_softint(s->h) == DDI_SUCCESS);
    }
}

TEST_CASE("soft interrupts: a higher level preempts a running lower one, a lower one waits",
          "[intr][softint][priority]")
{
    HostPlatform plat;
    the_log.clear();
    std::atomic<bool> gate{false};
    Soft low, high, lowest, same;
    add(low, 2, 2);
    add(high, 6, 6);
    add(lowest, 1, 1);
    add(same, 20, 2);
    low.gate = &gate;
    low.trigger_inside = &high;
    REQUIRE(ddi_intr_trigger_softint(low.h, nullptr) == DDI_SUCCESS);
    // Level 6, triggered from inside level 2, runs to completion while 2 is held.
    REQUIRE(eventually([&] { return high.runs == 1; }));
    CHECK(low.inner_rv == DDI_SUCCESS);
    CHECK(low.runs == 0);
    // Levels 1 and 2 (another handler of the same level) must wait for 2.
    REQUIRE(ddi_intr_trigger_softint(lowest.h, nullptr) == DDI_SUCCESS);
    REQUIRE(ddi_intr_trigger_softint(same.h, nullptr) == DDI_SUCCESS);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(lowest.runs == 0);
    CHECK(same.runs == 0);
    gate = true;
    plat.join();
    CHECK(the_log.get() == std::vector<int>{2, 6, 20, 1});
    CHECK(the_log.violations == 0);
    for (Soft* s : {&low, &high, &lowest, &same})
        CHECK(ddi_intr_remove_softint(s->h) == DDI_SUCCESS);
}

namespace {
std::atomic<int> hw_soft_overlap{0};
std::atomic<bool> hw_running{false};
Soft hw_soft;
std::atomic<int> hw_pending{0};
uint_t hw_handler(caddr_t, caddr_t)
{
    if (hw_pending == 0)
        return DDI_INTR_UNCLAIMED;      // the chain runs again until nobody claims
    hw_pending--;
    hw_running = true;
    (void)ddi_intr_trigger_softint(hw_soft.h, nullptr);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));    // room for a wrong start
    hw_running = false;
    return DDI_INTR_CLAIMED;
}
uint_t hw_soft_handler(caddr_t a1, caddr_t a2)
{
    if (hw_running)
        hw_soft_overlap++;
    return soft(a1, a2);
}
} // namespace

TEST_CASE("soft interrupts: none starts while a hardware interrupt handler runs", "[intr][softint][priority]")
{
    HostPlatform plat;
    the_log.clear();
    hw_soft_overlap = 0;
    hw_soft.id = 9;
    hw_soft.level = 9;
    hw_soft.runs = 0;
    REQUIRE(ddi_intr_add_softint(nullptr, &hw_soft.h, 9, hw_soft_handler, &hw_soft) == DDI_SUCCESS);
    dev_info_t* dip = ddi::make_devinfo("hw", 0, nullptr, 0, 4);
    ddi_intr_handle_t ih;
    REQUIRE(ddi_intr_alloc(dip, &ih, DDI_INTR_TYPE_FIXED, 0, 1, nullptr, 0) == DDI_SUCCESS);
    REQUIRE(ddi_intr_add_handler(ih, hw_handler, nullptr, nullptr) == DDI_SUCCESS);
    REQUIRE(ddi_intr_enable(ih) == DDI_SUCCESS);
    for (int i = 0; i < 5; i++) {
        hw_pending = 1;
        plat.pulse(4);
        plat.wait_interrupts_idle();
        plat.join();
    }
    CHECK(hw_soft.runs == 5);
    CHECK(hw_soft_overlap == 0);
    REQUIRE(ddi_intr_disable(ih) == DDI_SUCCESS);
    REQUIRE(ddi_intr_remove_handler(ih) == DDI_SUCCESS);
    REQUIRE(ddi_intr_free(ih) == DDI_SUCCESS);
    CHECK(ddi_intr_remove_softint(hw_soft.h) == DDI_SUCCESS);
    ddi::free_devinfo(dip);
}

TEST_CASE("soft interrupts: get/set priority, EINVAL, set refused while pending, remove drops a pending trigger",
          "[intr][softint][rules]")
{
    HostPlatform plat;
    the_log.clear();
    std::atomic<bool> gate{false};
    Soft blocker, a, b;
    add(blocker, 99, 9);
    blocker.gate = &gate;
    add(a, 1, 3);
    add(b, 2, 3);
    ddi_softint_handle_t bad;
    CHECK(ddi_intr_add_softint(nullptr, &bad, 0, soft, &a) == DDI_EINVAL);
    CHECK(ddi_intr_add_softint(nullptr, &bad, 10, soft, &a) == DDI_EINVAL);
    CHECK(ddi_intr_add_softint(nullptr, &bad, 1, nullptr, &a) == DDI_EINVAL);
    uint_t pri = 0;
    REQUIRE(ddi_intr_get_softint_pri(a.h, &pri) == DDI_SUCCESS);
    CHECK(pri == 3);
    CHECK(ddi_intr_set_softint_pri(a.h, 0) == DDI_EINVAL);
    CHECK(ddi_intr_set_softint_pri(a.h, 10) == DDI_EINVAL);
    CHECK(ddi_intr_trigger_softint(nullptr, nullptr) == DDI_EINVAL);

    REQUIRE(ddi_intr_trigger_softint(blocker.h, nullptr) == DDI_SUCCESS);
    REQUIRE(eventually([&] { return the_log.get().size() == 1; }));
    REQUIRE(ddi_intr_trigger_softint(a.h, nullptr) == DDI_SUCCESS);
    CHECK(ddi_intr_set_softint_pri(a.h, 8) == DDI_FAILURE);     // pending
    REQUIRE(ddi_intr_get_softint_pri(a.h, &pri) == DDI_SUCCESS);
    CHECK(pri == 3);
    // b moves to level 4 (not pending): it now runs before a.
    REQUIRE(ddi_intr_set_softint_pri(b.h, 4) == DDI_SUCCESS);
    REQUIRE(ddi_intr_get_softint_pri(b.h, &pri) == DDI_SUCCESS);
    CHECK(pri == 4);
    REQUIRE(ddi_intr_trigger_softint(b.h, nullptr) == DDI_SUCCESS);
    // A third handle, triggered and removed before it could run: never runs.
    Soft c;
    add(c, 3, 5);
    REQUIRE(ddi_intr_trigger_softint(c.h, nullptr) == DDI_SUCCESS);
    CHECK(ddi_intr_remove_softint(c.h) == DDI_SUCCESS);
    gate = true;
    plat.join();
    CHECK(the_log.get() == std::vector<int>{99, 2, 1});
    CHECK(c.runs == 0);
    for (Soft* s : {&blocker, &a, &b})
        CHECK(ddi_intr_remove_softint(s->h) == DDI_SUCCESS);
}

namespace {
std::atomic<bool> rm_gate{false};
std::atomic<bool> rm_started{false};
std::atomic<int> rm_done{0};
ddi_softint_handle_t rm_self;
uint_t held(caddr_t, caddr_t)
{
    rm_started = true;
    while (!rm_gate)
        std::this_thread::yield();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    rm_done++;
    return DDI_INTR_CLAIMED;
}
uint_t removes_itself(caddr_t, caddr_t)
{
    (void)ddi_intr_remove_softint(rm_self);
    return DDI_INTR_CLAIMED;
}
} // namespace

TEST_CASE("soft interrupts: remove waits for a running handler, from the handler itself it panics",
          "[intr][softint][rules]")
{
    HostPlatform plat;
    rm_gate = false;
    rm_started = false;
    rm_done = 0;
    ddi_softint_handle_t h;
    REQUIRE(ddi_intr_add_softint(nullptr, &h, 2, held, nullptr) == DDI_SUCCESS);
    REQUIRE(ddi_intr_trigger_softint(h, nullptr) == DDI_SUCCESS);
    REQUIRE(eventually([&] { return rm_started.load(); }));
    std::thread opener([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        rm_gate = true;
    });
    CHECK(ddi_intr_remove_softint(h) == DDI_SUCCESS);
    int done_at_return = rm_done;       // the handler had returned
    opener.join();
    CHECK(done_at_return == 1);
    plat.join();

    REQUIRE(ddi_intr_add_softint(nullptr, &rm_self, 3, removes_itself, nullptr) == DDI_SUCCESS);
    REQUIRE(ddi_intr_trigger_softint(rm_self, nullptr) == DDI_SUCCESS);
    REQUIRE_PANICS(plat.join(), "called from its own handler");
    CHECK(ddi_intr_remove_softint(rm_self) == DDI_SUCCESS);
}

namespace {
std::atomic<int> cb_calls{0};
std::atomic<int> cb_under_level2{0};
std::atomic<bool> level2_running{false};
int dma_cb(caddr_t)
{
    cb_calls++;
    if (level2_running)
        cb_under_level2++;
    return DDI_DMA_CALLBACK_DONE;
}
uint_t level2(caddr_t a1, caddr_t)
{
    level2_running = true;
    auto* gate = reinterpret_cast<std::atomic<bool>*>(a1);
    while (!*gate)
        std::this_thread::yield();
    level2_running = false;
    return DDI_INTR_CLAIMED;
}
} // namespace

TEST_CASE("soft interrupts: DMA callbacks run at level 1, after a running level-2 handler", "[intr][softint][callback]")
{
    HostPlatform plat;
    cb_calls = 0;
    cb_under_level2 = 0;
    std::atomic<bool> gate{false};
    ddi_dma_attr_t attr = open_attr();
    ddi_dma_handle_t h1, h2;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h1) == DDI_SUCCESS);
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h2) == DDI_SUCCESS);
    uint8_t* va = plat.memory().map(2 * ddi::PAGESIZE, false, 0, 3);
    REQUIRE(va);
    ddi_dma_cookie_t c;
    uint_t n;
    auto bind = [&](ddi_dma_handle_t h, ddi_dma_callback_t cb) {
        return ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), 2 * ddi::PAGESIZE, DDI_DMA_READ,
                                        cb, nullptr, &c, &n);
    };
    uint64_t base = ddi::dma_pool_used();
    REQUIRE(bind(h1, DDI_DMA_DONTWAIT) == DDI_DMA_MAPPED);
    ddi::dma_pool_set_limit(ddi::dma_pool_used());     // room for this bind only
    REQUIRE(bind(h2, dma_cb) == DDI_DMA_NORESOURCES);
    ddi_softint_handle_t s2;
    REQUIRE(ddi_intr_add_softint(nullptr, &s2, 2, level2, &gate) == DDI_SUCCESS);
    REQUIRE(ddi_intr_trigger_softint(s2, nullptr) == DDI_SUCCESS);
    REQUIRE(eventually([&] { return level2_running.load(); }));
    REQUIRE(ddi_dma_unbind_handle(h1) == DDI_SUCCESS);     // schedules the callback run
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(cb_calls == 0);               // level 1 waits for level 2
    gate = true;
    plat.join();
    CHECK(cb_calls == 1);
    CHECK(cb_under_level2 == 0);
    CHECK(ddi_intr_remove_softint(s2) == DDI_SUCCESS);
    ddi::dma_pool_set_limit(~0ull);
    (void)base;
    ddi_dma_free_handle(&h1);
    ddi_dma_free_handle(&h2);
    plat.join();
    plat.memory().unmap(va);
}

TEST_CASE("soft interrupts property: whatever is pending runs highest level first, newest first within a level",
          "[intr][softint][property]")
{
    uint64_t seed = test_seed("softint property");
    std::mt19937_64 rng(seed);
    HostPlatform plat;
    for (int round = 0; round < 20; round++) {
        the_log.clear();
        std::atomic<bool> gate{false};
        Soft blocker;
        add(blocker, 999, 9);
        blocker.gate = &gate;
        int nh = 1 + static_cast<int>(rng() % 12);
        std::vector<std::unique_ptr<Soft>> hs;
        for (int i = 0; i < nh; i++) {
            hs.push_back(std::make_unique<Soft>());
            add(*hs.back(), i, 1 + static_cast<int>(rng() % 8));
        }
        REQUIRE(ddi_intr_trigger_softint(blocker.h, nullptr) == DDI_SUCCESS);
        REQUIRE(eventually([&] { return the_log.get().size() == 1; }));
        std::vector<int> triggered;
        for (int i = 0; i < nh; i++)
            if (rng() % 3 != 0) {
                REQUIRE(ddi_intr_trigger_softint(hs[i]->h, nullptr) == DDI_SUCCESS);
                triggered.push_back(i);
            }
        // Expected: by level descending, then by id descending (newest added first).
        std::vector<int> want = triggered;
        std::sort(want.begin(), want.end(), [&](int x, int y) {
            if (hs[x]->level != hs[y]->level)
                return hs[x]->level > hs[y]->level;
            return x > y;
        });
        want.insert(want.begin(), 999);
        gate = true;
        plat.join();
        INFO("seed " << seed << " round " << round);
        CHECK(the_log.get() == want);
        CHECK(the_log.violations == 0);
        for (auto& s : hs)
            CHECK(ddi_intr_remove_softint(s->h) == DDI_SUCCESS);
        CHECK(ddi_intr_remove_softint(blocker.h) == DDI_SUCCESS);
    }
}
