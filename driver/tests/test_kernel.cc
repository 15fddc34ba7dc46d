// Locks, condition variables, semaphores, time and the context rules, on
// the host platform.
#include <atomic>
#include <thread>
#include <vector>

#include "helpers.h"

using ddi::Context;
using ddi::host::HostPlatform;

TEST_CASE("mutex: mutual exclusion across threads, MUTEX_HELD per thread", "[kernel]")
{
    HostPlatform plat;
    kmutex_t mu;
    mutex_init(&mu, "counter", MUTEX_DRIVER, nullptr);
    long counter = 0;
    for (int t = 0; t < 4; t++)
        plat.spawn("adder", Context::Kernel, [&] {
            for (int i = 0; i < 2000; i++) {
                mutex_enter(&mu);
                long v = counter;
                std::this_thread::yield();
                counter = v + 1;
                mutex_exit(&mu);
            }
        });
    plat.join();
    CHECK(counter == 8000);

    mutex_enter(&mu);
    CHECK(MUTEX_HELD(&mu));
    bool held_elsewhere = true;
    plat.run_in(Context::Kernel, [&] {
        held_elsewhere = MUTEX_HELD(&mu);
        CHECK(mutex_tryenter(&mu) == 0);
    });
    CHECK_FALSE(held_elsewhere);
    mutex_exit(&mu);
    CHECK_FALSE(MUTEX_HELD(&mu));
    CHECK(mutex_tryenter(&mu) == 1);
    mutex_exit(&mu);
    mutex_destroy(&mu);
}

TEST_CASE("mutex: recursive enter, exit not held, destroy held all panic", "[kernel][rules]")
{
    HostPlatform plat;
    kmutex_t mu;
    mutex_init(&mu, "xx mu", MUTEX_DRIVER, nullptr);
    REQUIRE_PANICS(mutex_exit(&mu), "mutex_exit: xx mu not held");
    mutex_enter(&mu);
    REQUIRE_PANICS(mutex_enter(&mu), "recursive mutex_enter: xx mu");
    REQUIRE_PANICS(mutex_tryenter(&mu), "recursive mutex_tryenter");
    // Held by this thread: another thread's exit is a bug too.
    REQUIRE_PANICS(plat.run_in(Context::Kernel, [&] { mutex_exit(&mu); }), "not held by this thread");
    REQUIRE_PANICS(mutex_destroy(&mu), "is held");
    CHECK(MUTEX_HELD(&mu));     // the failed calls changed nothing
    mutex_exit(&mu);
    mutex_destroy(&mu);
    CHECK(plat.panics() == 5);
}

TEST_CASE("cv: signal wakes one waiter in FIFO order, broadcast wakes all", "[kernel]")
{
    HostPlatform plat;
    kmutex_t mu;
    kcondvar_t cv;
    mutex_init(&mu, "mu", MUTEX_DRIVER, nullptr);
    cv_init(&cv, "cv", CV_DRIVER, nullptr);
    int waiting = 0, go = 0;
    std::vector<int> order;
    for (int t = 0; t < 3; t++) {
        // Start them one at a time so the queue order is known.
        plat.spawn("waiter", Context::Kernel, [&, t] {
            mutex_enter(&mu);
            waiting++;
            while (go == 0)
                cv_wait(&cv, &mu);
            go--;
            order.push_back(t);
            CHECK(MUTEX_HELD(&mu));
            mutex_exit(&mu);
        });
        for (;;) {
            mutex_enter(&mu);
            bool in = waiting == t + 1;
            mutex_exit(&mu);
            if (in)
                break;
            std::this_thread::yield();
        }
    }
    // Let the third really sleep in cv_wait (it incremented under the lock
    // and cv_wait releases it: taking the lock means it is asleep).
    mutex_enter(&mu);
    go = 1;
    cv_signal(&cv);
    mutex_exit(&mu);
    for (;;) {
        mutex_enter(&mu);
        size_t n = order.size();
        mutex_exit(&mu);
        if (n == 1)
            break;
        std::this_thread::yield();
    }
    mutex_enter(&mu);
    go = 2;
    cv_broadcast(&cv);
    mutex_exit(&mu);
    plat.join();
    REQUIRE(order.size() == 3);
    CHECK(order[0] == 0);       // the oldest waiter got the signal
    cv_destroy(&cv);
    mutex_destroy(&mu);
}

TEST_CASE("cv_timedwait: -1 at the deadline, time left when signalled", "[kernel]")
{
    HostPlatform plat;      // 1 tick = 1 us
    kmutex_t mu;
    kcondvar_t cv;
    mutex_init(&mu, "mu", MUTEX_DRIVER, nullptr);
    cv_init(&cv, "cv", CV_DRIVER, nullptr);

    mutex_enter(&mu);
    clock_t t0 = ddi_get_lbolt();
    CHECK(cv_timedwait(&cv, &mu, t0 + 20000) == -1);
    CHECK(ddi_get_lbolt() >= t0 + 20000);
    CHECK(MUTEX_HELD(&mu));
    CHECK(cv_timedwait(&cv, &mu, ddi_get_lbolt() - 1) == -1);   // already past
    mutex_exit(&mu);

    bool flag = false;
    plat.spawn("signaller", Context::Kernel, [&] {
        delay(5000);
        mutex_enter(&mu);
        flag = true;
        cv_signal(&cv);
        mutex_exit(&mu);
    });
    mutex_enter(&mu);
    clock_t deadline = ddi_get_lbolt() + 10000000;     // 10 s
    clock_t left = 1;
    while (!flag && left > 0)
        left = cv_timedwait(&cv, &mu, deadline);
    CHECK(flag);
    CHECK(left > 0);
    CHECK(ddi_get_lbolt() < deadline);
    mutex_exit(&mu);
    plat.join();
    cv_destroy(&cv);
    mutex_destroy(&mu);
}

TEST_CASE("sleeping from interrupt context panics: cv_wait, cv_timedwait, delay, biowait", "[kernel][rules]")
{
    HostPlatform plat;
    kmutex_t mu;
    kcondvar_t cv;
    mutex_init(&mu, "mu", MUTEX_DRIVER, nullptr);
    cv_init(&cv, "cv", CV_DRIVER, nullptr);
    struct buf* bp = getrbuf(KM_SLEEP);
    for (Context ctx : {Context::Interrupt, Context::SoftInterrupt}) {
        plat.run_in(ctx, [&] {
            CHECK(servicing_interrupt());
            mutex_enter(&mu);
            REQUIRE_PANICS(cv_wait(&cv, &mu), "cv_wait called from interrupt context");
            REQUIRE_PANICS(cv_timedwait(&cv, &mu, ddi_get_lbolt() + 100), "cv_timedwait called from interrupt");
            mutex_exit(&mu);
            REQUIRE_PANICS(delay(1), "delay called from interrupt");
            REQUIRE_PANICS(biowait(bp), "biowait");
        });
    }
    // cv_wait without the mutex is a bug in any context.
    REQUIRE_PANICS(cv_wait(&cv, &mu), "cv_wait: mu not held");
    CHECK_FALSE(servicing_interrupt());
    freerbuf(bp);
    cv_destroy(&cv);
    mutex_destroy(&mu);
}

TEST_CASE("sema: P blocks until V, counts are kept", "[kernel]")
{
    HostPlatform plat;
    ksema_t s;
    sema_init(&s, 2, "s");
    sema_p(&s);
    sema_p(&s);
    std::atomic<bool> got{false};
    plat.spawn("p", Context::Kernel, [&] {
        sema_p(&s);
        got = true;
    });
    delay(20000);
    CHECK_FALSE(got);
    sema_v(&s);
    plat.join();
    CHECK(got);
    sema_destroy(&s);
}

TEST_CASE("host platform: a panic in a spawned thread is rethrown by join", "[kernel][host]")
{
    HostPlatform plat;
    kmutex_t mu;
    mutex_init(&mu, "mu", MUTEX_DRIVER, nullptr);
    plat.spawn("bad", Context::Kernel, [&] { mutex_exit(&mu); });
    REQUIRE_PANICS(plat.join(), "mutex_exit: mu not held");
    mutex_destroy(&mu);
    CHECK(plat.context() == Context::Kernel);
    CHECK(plat.thread_id() != 0);
}
