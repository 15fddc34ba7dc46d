// The bounded DMA resource pool, NORESOURCES, DONTWAIT/SLEEP and the
// system-wide callback list: merge by (function, argument), runs from a
// soft interrupt after unbind/free, RUNOUT re-queue order.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "helpers.h"

using ddi::Context;
using ddi::host::HostPlatform;

namespace {

// Two handles and a buffer; the pool is then limited to exactly one bind.
struct Rig {
    HostPlatform& plat;
    ddi_dma_attr_t attr = open_attr();
    ddi_dma_handle_t h1 = nullptr, h2 = nullptr;
    uint8_t* va;
    size_t len = 3 * ddi::PAGESIZE;
    uint64_t one_bind = 0;

    explicit Rig(HostPlatform& p) : plat(p)
    {
        REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h1) == DDI_SUCCESS);
        REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h2) == DDI_SUCCESS);
        va = plat.memory().map(len, false, 0, 1);
        REQUIRE(va);
        uint64_t base = ddi::dma_pool_used();
        REQUIRE(bind(h1, DDI_DMA_DONTWAIT) == DDI_DMA_MAPPED);
        one_bind = ddi::dma_pool_used() - base;
        REQUIRE(one_bind > 0);
        REQUIRE(ddi_dma_unbind_handle(h1) == DDI_SUCCESS);
        plat.join();
        ddi::dma_pool_set_limit(base + one_bind);
    }
    ~Rig()
    {
        plat.join();
        ddi::dma_pool_set_limit(~0ull);
        (void)ddi_dma_unbind_handle(h1);      // whatever a failed test left bound
        (void)ddi_dma_unbind_handle(h2);
        plat.join();
        if (h1)
            ddi_dma_free_handle(&h1);
        if (h2)
            ddi_dma_free_handle(&h2);
        plat.join();
        plat.memory().unmap(va);
    }
    int bind(ddi_dma_handle_t h, ddi_dma_callback_t cb, caddr_t arg = nullptr)
    {
        ddi_dma_cookie_t c;
        uint_t n;
        return ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), len, DDI_DMA_READ, cb, arg,
                                        &c, &n);
    }
};

// A record of callback calls, in order.
std::mutex log_mu;
std::vector<std::pair<int, Context>> calls;     // (argument, context)
std::atomic<uint64_t> unbinder{0};
std::atomic<int> ran_on_unbinder{0};
int rv_for[8];                                  // what callback(arg) returns, per arg

int cb(caddr_t arg)
{
    int a = static_cast<int>(reinterpret_cast<intptr_t>(arg));
    std::lock_guard<std::mutex> g(log_mu);
    calls.push_back({a, ddi::platform().context()});
    if (ddi::platform().thread_id() == unbinder)
        ran_on_unbinder++;
    return rv_for[a];
}
int cb_other(caddr_t arg) { return cb(arg); }

caddr_t A(int i) { return reinterpret_cast<caddr_t>(static_cast<intptr_t>(i)); }

void reset_log()
{
    std::lock_guard<std::mutex> g(log_mu);
    calls.clear();
    ran_on_unbinder = 0;
    for (int& r : rv_for)
        r = DDI_DMA_CALLBACK_DONE;
}

std::vector<int> args_called()
{
    std::lock_guard<std::mutex> g(log_mu);
    std::vector<int> v;
    for (auto& c : calls)
        v.push_back(c.first);
    return v;
}

} // namespace

TEST_CASE("pool: NORESOURCES on purpose, DONTWAIT registers nothing", "[dma][pool]")
{
    HostPlatform plat;
    reset_log();
    Rig r(plat);
    REQUIRE(r.bind(r.h1, DDI_DMA_DONTWAIT) == DDI_DMA_MAPPED);
    CHECK(r.bind(r.h2, DDI_DMA_DONTWAIT) == DDI_DMA_NORESOURCES);
    CHECK(ddi::dma_callback_list().empty());
    CHECK(ddi_dma_ncookies(r.h2) == 0);            // defined state: not bound
    CHECK(ddi_dma_unbind_handle(r.h2) == DDI_FAILURE);
    CHECK(ddi_dma_unbind_handle(r.h1) == DDI_SUCCESS);
    CHECK(r.bind(r.h2, DDI_DMA_DONTWAIT) == DDI_DMA_MAPPED);
    CHECK(ddi_dma_unbind_handle(r.h2) == DDI_SUCCESS);

    // alloc_handle takes from the same pool
    ddi::dma_pool_set_limit(ddi::dma_pool_used());
    ddi_dma_handle_t h3;
    CHECK(ddi_dma_alloc_handle(nullptr, &r.attr, DDI_DMA_DONTWAIT, nullptr, &h3) == DDI_DMA_NORESOURCES);
    CHECK(ddi_dma_alloc_handle(nullptr, &r.attr, cb, A(1), &h3) == DDI_DMA_NORESOURCES);
    REQUIRE(ddi::dma_callback_list().size() == 1);
    // SLEEP with nothing held that could come back: fails instead of hanging
    ddi_dma_free_handle(&r.h2);                    // frees a handle: the callback runs
    plat.join();
    CHECK(args_called() == std::vector<int>{1});
    CHECK(ddi::dma_callback_list().empty());
}

TEST_CASE("callbacks: merged by (function, arg), run later from a soft interrupt", "[dma][callback]")
{
    HostPlatform plat;
    reset_log();
    Rig r(plat);
    REQUIRE(r.bind(r.h1, DDI_DMA_DONTWAIT) == DDI_DMA_MAPPED);
    CHECK(r.bind(r.h2, cb, A(1)) == DDI_DMA_NORESOURCES);
    CHECK(r.bind(r.h2, cb, A(1)) == DDI_DMA_NORESOURCES);     // merged: count 2
    CHECK(r.bind(r.h2, cb, A(2)) == DDI_DMA_NORESOURCES);     // another arg: its own entry
    CHECK(r.bind(r.h2, cb_other, A(1)) == DDI_DMA_NORESOURCES);   // another function too
    auto l = ddi::dma_callback_list();
    REQUIRE(l.size() == 3);
    CHECK((l[0].func == cb && l[0].arg == A(1) && l[0].count == 2));
    CHECK((l[1].func == cb && l[1].arg == A(2) && l[1].count == 1));
    CHECK((l[2].func == cb_other && l[2].arg == A(1) && l[2].count == 1));
    CHECK(args_called().empty());

    unbinder = plat.thread_id();
    uint64_t runs0 = ddi::callback_runs();
    CHECK(ddi_dma_unbind_handle(r.h1) == DDI_SUCCESS);
    plat.join();
    CHECK(ddi::callback_runs() == runs0 + 1);
    // One call per recorded failure, in list order, none inside the unbind.
    CHECK(args_called() == std::vector<int>{1, 1, 2, 1});
    CHECK(ran_on_unbinder == 0);
    for (auto& c : calls)
        CHECK(c.second == Context::SoftInterrupt);
    CHECK(ddi::dma_callback_list().empty());
}

TEST_CASE("callbacks: RUNOUT puts the remaining count back at the tail, pending bounds the run", "[dma][callback]")
{
    HostPlatform plat;
    reset_log();
    uintptr_t list = 0;
    ddi_set_callback(cb, A(1), &list);
    ddi_set_callback(cb, A(1), &list);
    ddi_set_callback(cb, A(2), &list);
    ddi_set_callback(cb, A(3), &list);
    ddi_set_callback(cb, A(1), &list);       // A(1) count 3, at the head
    rv_for[1] = DDI_DMA_CALLBACK_RUNOUT;
    ddi_run_callback(&list);
    plat.join();
    // pending 5: A(1) fails at once, its 3 go back (pending 2), A(2) and A(3) run.
    CHECK(args_called() == std::vector<int>{1, 2, 3});

    // DONE uses one count each; a RUNOUT in the middle keeps what is left.
    reset_log();
    ddi_set_callback(cb, A(4), &list);      // list: A(1)x3, A(4)x1
    int n1 = 0;
    rv_for[1] = DDI_DMA_CALLBACK_DONE;
    // second call of A(1) fails: make it fail after one success
    static std::atomic<int> left{1};
    left = 1;
    auto flaky = [](caddr_t arg) -> int {
        cb(arg);
        return left-- > 0 ? DDI_DMA_CALLBACK_DONE : DDI_DMA_CALLBACK_RUNOUT;
    };
    uintptr_t list2 = 0;
    int (*fl)(caddr_t) = flaky;
    ddi_set_callback(fl, A(5), &list2);
    ddi_set_callback(fl, A(5), &list2);
    ddi_set_callback(fl, A(5), &list2);
    ddi_set_callback(cb, A(6), &list2);
    ddi_run_callback(&list2);
    plat.join();
    // A(5): DONE (pending 3), RUNOUT with 2 left (pending 1), A(6) DONE (0).
    CHECK(args_called() == std::vector<int>{5, 5, 6});
    (void)n1;
    // What is left of A(5) is a new tail entry with count 2; the other list
    // is untouched until it runs.
    ddi_run_callback(&list2);
    plat.join();
    CHECK(args_called() == std::vector<int>{5, 5, 6, 5});      // RUNOUT again at once
    ddi_run_callback(&list);
    plat.join();
    CHECK(args_called() == std::vector<int>{5, 5, 6, 5, 1, 1, 1, 4});
}

// The xx pattern: the callback retries the bind with itself as callback.
namespace {
Rig* the_rig;
std::atomic<int> retry_calls{0};
std::atomic<int> retry_done{0};
int retry(caddr_t)
{
    retry_calls++;
    if (retry_done)         // a driver looks at its queue first: nothing to do
        return DDI_DMA_CALLBACK_DONE;
    int rv = the_rig->bind(the_rig->h2, retry, nullptr);
    if (rv == DDI_DMA_MAPPED) {
        retry_done++;
        return DDI_DMA_CALLBACK_DONE;
    }
    return DDI_DMA_CALLBACK_RUNOUT;
}
} // namespace

TEST_CASE("NORESOURCES, then the callback, then success, a retrying callback registers twice", "[dma][callback]")
{
    HostPlatform plat;
    reset_log();
    Rig r(plat);
    the_rig = &r;
    retry_calls = 0;
    retry_done = 0;
    REQUIRE(r.bind(r.h1, DDI_DMA_DONTWAIT) == DDI_DMA_MAPPED);
    CHECK(r.bind(r.h2, retry, nullptr) == DDI_DMA_NORESOURCES);
    REQUIRE(ddi::dma_callback_list().size() == 1);

    // A run while still short: the retry fails (NORESOURCES registers it
    // again) and returns RUNOUT (its count goes back, merged): count 2.
    ddi_run_callback(&ddi::dma_callback_listid);
    plat.join();
    CHECK(retry_calls == 1);
    auto l = ddi::dma_callback_list();
    REQUIRE(l.size() == 1);
    CHECK(l[0].count == 2);

    // Resources come back: the callback binds.
    CHECK(ddi_dma_unbind_handle(r.h1) == DDI_SUCCESS);
    plat.join();
    CHECK(retry_done == 1);
    CHECK(ddi_dma_ncookies(r.h2) == 3);
    // Both counts called it: the first bound, the second found nothing to do.
    CHECK(retry_calls == 3);
    CHECK(ddi::dma_callback_list().empty());
    CHECK(ddi_dma_unbind_handle(r.h2) == DDI_SUCCESS);
    plat.join();
}

TEST_CASE("DDI_DMA_SLEEP blocks until an unbind frees resources", "[dma][pool]")
{
    HostPlatform plat;
    reset_log();
    Rig r(plat);
    REQUIRE(r.bind(r.h1, DDI_DMA_DONTWAIT) == DDI_DMA_MAPPED);
    std::atomic<int> rv{99};
    plat.spawn("sleeper", Context::Kernel, [&] { rv = r.bind(r.h2, DDI_DMA_SLEEP); });
    delay(30000);
    CHECK(rv == 99);                // still asleep
    CHECK(ddi_dma_unbind_handle(r.h1) == DDI_SUCCESS);
    plat.join();
    CHECK(rv == DDI_DMA_MAPPED);
    CHECK(ddi_dma_unbind_handle(r.h2) == DDI_SUCCESS);

    // SLEEP when nothing is held and the request exceeds the pool: no hang.
    ddi::dma_pool_set_limit(ddi::dma_pool_used() + 1);
    CHECK(r.bind(r.h1, DDI_DMA_SLEEP) == DDI_DMA_NORESOURCES);
    // and from interrupt context, fatal
    plat.run_in(Context::Interrupt, [&] { REQUIRE_PANICS(r.bind(r.h1, DDI_DMA_SLEEP), "interrupt context"); });
}

TEST_CASE("bounce pages come from the pool too", "[dma][pool]")
{
    HostPlatform plat;
    reset_log();
    ddi_dma_attr_t attr = open_attr();
    attr.dma_attr_addr_hi = 0x7fffff;
    ddi_dma_handle_t h;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_DONTWAIT, nullptr, &h) == DDI_SUCCESS);
    uint8_t* va = plat.memory().map_at({0x1000000, 0x1001000});    // above addr_hi
    REQUIRE(va);
    ddi::dma_pool_set_limit(ddi::dma_pool_used() + ddi::PAGESIZE);  // less than two copy pages
    ddi_dma_cookie_t c;
    uint_t n;
    CHECK(ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), 0x2000, DDI_DMA_WRITE,
                                   DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_NORESOURCES);
    uint64_t free_before = plat.memory().free_pages();
    ddi::dma_pool_set_limit(~0ull);
    REQUIRE(ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), 0x2000, DDI_DMA_WRITE,
                                     DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
    CHECK(n == 2);
    CHECK(plat.memory().free_pages() == free_before - 2);
    CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
    CHECK(plat.memory().free_pages() == free_before);
    ddi_dma_free_handle(&h);
    plat.memory().unmap(va);
    plat.join();
}

// Many threads binding through a pool that fits one large bind at a time: SLEEP
// waiters and callback binders all get through, nothing leaks. (Under
// ThreadSanitizer this is the race hunt of the pool and the callback list.)
namespace {
struct Job {
    ddi_dma_handle_t h = nullptr;
    uint8_t* va = nullptr;
    size_t len = 0;
    std::mutex mu;                  // the "driver's" lock: one bind at a time
    std::atomic<int> requested{0};
    std::atomic<int> done{0};
    std::atomic<int> noresources{0};
    std::atomic<int> bad{0};        // Catch2 is not thread-safe: threads count, main checks
};
// A callback that binds only while a request is outstanding, as a driver's
// start routine looks at its queue: extra counts find nothing to do.
int job_cb(caddr_t arg)
{
    auto* j = reinterpret_cast<Job*>(arg);
    std::lock_guard<std::mutex> g(j->mu);
    if (j->done >= j->requested)
        return DDI_DMA_CALLBACK_DONE;
    ddi_dma_cookie_t c;
    uint_t n;
    int rv = ddi_dma_addr_bind_handle(j->h, nullptr, reinterpret_cast<caddr_t>(j->va), j->len, DDI_DMA_READ,
                                      job_cb, arg, &c, &n);
    if (rv != DDI_DMA_MAPPED) {
        j->bad += rv != DDI_DMA_NORESOURCES;
        j->noresources++;
        return DDI_DMA_CALLBACK_RUNOUT;
    }
    j->done++;
    j->bad += ddi_dma_unbind_handle(j->h) != DDI_SUCCESS;
    return DDI_DMA_CALLBACK_DONE;
}
} // namespace

TEST_CASE("stress: threads share a small pool through SLEEP and callbacks", "[dma][pool][stress]")
{
    HostPlatform plat;
    uint64_t seed = test_seed("pool stress");
    ddi_dma_attr_t attr = open_attr();
    attr.dma_attr_sgllen = 4;
    const int T = 4, ROUNDS = 40;
    std::vector<ddi_dma_handle_t> hs(T);
    std::vector<uint8_t*> bufs(T);
    for (int t = 0; t < T; t++) {
        REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &hs[t]) == DDI_SUCCESS);
        bufs[t] = plat.memory().map(4 * ddi::PAGESIZE, false, 0, seed + t);
        REQUIRE(bufs[t]);
    }
    // Calibrate: the largest bind, twice.
    uint64_t base = ddi::dma_pool_used();
    ddi_dma_cookie_t c;
    uint_t n;
    REQUIRE(ddi_dma_addr_bind_handle(hs[0], nullptr, reinterpret_cast<caddr_t>(bufs[0]), 4 * ddi::PAGESIZE,
                                     DDI_DMA_READ | DDI_DMA_PARTIAL, DDI_DMA_DONTWAIT, nullptr, &c, &n) >= 0);
    uint64_t one = ddi::dma_pool_used() - base;
    REQUIRE(ddi_dma_unbind_handle(hs[0]) == DDI_SUCCESS);
    plat.join();
    ddi::dma_pool_set_limit(base + one);

    std::atomic<int> sleep_binds{0};
    std::atomic<int> bad_binds{0};
    for (int t = 0; t < T - 1; t++)
        plat.spawn("binder", Context::Kernel, [&, t] {
            std::mt19937_64 rng(seed * 31 + t);
            for (int r = 0; r < ROUNDS; r++) {
                size_t len = 1 + rng() % (4 * ddi::PAGESIZE);
                ddi_dma_cookie_t ck;
                uint_t cnt;
                int rv = ddi_dma_addr_bind_handle(hs[t], nullptr, reinterpret_cast<caddr_t>(bufs[t]), len,
                                                  DDI_DMA_WRITE | DDI_DMA_PARTIAL, DDI_DMA_SLEEP, nullptr, &ck,
                                                  &cnt);
                // Catch2 is not thread-safe: threads count, the test thread checks.
                bad_binds += !(rv == DDI_DMA_MAPPED || rv == DDI_DMA_PARTIAL_MAP) || cnt > 4;
                sleep_binds++;
                delay(200 + rng() % 800);   // hold it a while: others must wait
                bad_binds += ddi_dma_unbind_handle(hs[t]) != DDI_SUCCESS;
            }
        });
    // The last handle binds with a callback, from a soft interrupt when short.
    Job job;
    job.h = hs[T - 1];
    job.va = bufs[T - 1];
    job.len = 3 * ddi::PAGESIZE;
    int direct = 0;
    std::mt19937_64 mrng(seed);
    for (int r = 0; r < ROUNDS; r++) {
        delay(mrng() % 300);
        int before = job.done;
        job.requested++;
        if (job_cb(reinterpret_cast<caddr_t>(&job)) == DDI_DMA_CALLBACK_DONE && job.done > before)
            direct++;
        // wait for this round's bind before the next
        for (int spin = 0; job.done == before && spin < 200000; spin++)
            std::this_thread::yield();
        if (job.done == before) {
            // nobody freed anything after we registered: binders are done
            ddi_run_callback(&ddi::dma_callback_listid);
            plat.join();
        }
        REQUIRE(job.done == before + 1);
    }
    plat.join();
    CHECK(sleep_binds == (T - 1) * ROUNDS);
    CHECK(bad_binds == 0);
    CHECK(job.bad == 0);
    CHECK(job.done == ROUNDS);
    std::printf("pool stress: %d SLEEP binds, %d callback binds (%d direct, %d NORESOURCES), pool %llu of %llu\n",
                sleep_binds.load(), job.done.load(), direct, job.noresources.load(),
                static_cast<unsigned long long>(one), static_cast<unsigned long long>(base));
    ddi::dma_pool_set_limit(~0ull);
    ddi_run_callback(&ddi::dma_callback_listid);    // anything left registered runs and finds it done
    plat.join();
    CHECK(ddi::dma_pool_used() == base);
    for (int t = 0; t < T; t++) {
        ddi_dma_free_handle(&hs[t]);
        plat.memory().unmap(bufs[t]);
    }
    plat.join();
}
