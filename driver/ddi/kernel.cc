// Kernel services: the platform hook, cmn_err, mutexes, condition
// variables, semaphores and time, with the checks a DEBUG kernel makes.
#include <cstdarg>
#include <cstdio>
#include <stdexcept>

#include "ddi/impl.h"

namespace ddi {

static Platform* the_platform = nullptr;

Platform& platform()
{
    if (!the_platform) {
        std::fprintf(stderr, "panic: no platform installed (ddi::set_platform)\n");
        std::abort();
    }
    return *the_platform;
}

void set_platform(Platform* p)
{
    // State built on the previous platform's locks and threads goes with it.
    impl::reset_callback_state();
    impl::reset_dma_state();
    impl::reset_intr_state();
    impl::reset_vm_state();
    the_platform = p;
}

void Platform::panic(const std::string& msg)
{
    std::fprintf(stderr, "panic[cpu0]/thread=%llu: %s\n",
                 static_cast<unsigned long long>(thread_id()), msg.c_str());
    std::fflush(stderr);
    std::abort();
}

} // namespace ddi

using ddi::platform;

static std::string vformat(const char* fmt, va_list ap)
{
    char buf[512];
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    return buf;
}

namespace ddi {
namespace impl {
void fatal(const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    std::string msg = vformat(fmt, ap);
    va_end(ap);
    platform().panic(msg);
    std::abort();       // a platform whose panic() returned
}
} // namespace impl
} // namespace ddi

void cmn_err(int level, const char* fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    std::string msg = vformat(fmt, ap);
    va_end(ap);
    if (level == CE_PANIC)
        platform().panic(msg);
    switch (level) {
    case CE_WARN:
        std::fprintf(stderr, "WARNING: %s\n", msg.c_str());
        break;
    case CE_NOTE:
        std::fprintf(stderr, "NOTICE: %s\n", msg.c_str());
        break;
    default:
        std::fprintf(stderr, "%s", msg.c_str());
        break;
    }
}

// ---------------------------------------------------------------- mutexes

void mutex_init(kmutex_t* mp, const char* name, kmutex_type_t, void*)
{
    mp->m = platform().make_mutex();
    mp->owner = 0;
    mp->name = name ? name : "mutex";
}

void mutex_destroy(kmutex_t* mp)
{
    if (mp->owner.load())
        cmn_err(CE_PANIC, "mutex_destroy: %s is held", mp->name.c_str());
    mp->m.reset();
}

void mutex_enter(kmutex_t* mp)
{
    if (!mp->m)
        cmn_err(CE_PANIC, "mutex_enter: mutex %p not initialised", static_cast<void*>(mp));
    uint64_t self = platform().thread_id();
    if (mp->owner == self)
        cmn_err(CE_PANIC, "recursive mutex_enter: %s", mp->name.c_str());
    mp->m->lock();
    mp->owner = self;
}

int mutex_tryenter(kmutex_t* mp)
{
    if (!mp->m)
        cmn_err(CE_PANIC, "mutex_tryenter: mutex %p not initialised", static_cast<void*>(mp));
    uint64_t self = platform().thread_id();
    if (mp->owner.load() == self)
        cmn_err(CE_PANIC, "recursive mutex_tryenter: %s", mp->name.c_str());
    if (mp->owner.load())
        return 0;
    mutex_enter(mp);
    return 1;
}

void mutex_exit(kmutex_t* mp)
{
    if (!mp->m)
        cmn_err(CE_PANIC, "mutex_exit: mutex %p not initialised", static_cast<void*>(mp));
    if (mp->owner.load() != platform().thread_id())
        cmn_err(CE_PANIC, "mutex_exit: %s not held by this thread", mp->name.c_str());
    mp->owner = 0;
    mp->m->unlock();
}

int mutex_owned(const kmutex_t* mp)
{
    uint64_t o = mp->owner.load();
    return o != 0 && o == platform().thread_id();
}

// ---------------------------------------------------------------- condition variables

static void assert_may_sleep(const char* what)
{
    if (platform().context() != ddi::Context::Kernel)
        cmn_err(CE_PANIC, "%s called from interrupt context", what);
}

void cv_init(kcondvar_t* cvp, const char* name, kcv_type_t, void*)
{
    cvp->cv = platform().make_condvar();
    cvp->name = name ? name : "cv";
}

void cv_destroy(kcondvar_t* cvp) { cvp->cv.reset(); }

void cv_wait(kcondvar_t* cvp, kmutex_t* mp)
{
    assert_may_sleep("cv_wait");
    if (!mutex_owned(mp))
        cmn_err(CE_PANIC, "cv_wait: %s not held", mp->name.c_str());
    uint64_t self = mp->owner.load();
    mp->owner = 0;
    cvp->cv->wait(*mp->m);
    mp->owner = self;
}

clock_t cv_timedwait(kcondvar_t* cvp, kmutex_t* mp, clock_t abstime)
{
    assert_may_sleep("cv_timedwait");
    if (!mutex_owned(mp))
        cmn_err(CE_PANIC, "cv_timedwait: %s not held", mp->name.c_str());
    if (abstime <= ddi_get_lbolt())
        return -1;
    uint64_t self = mp->owner.load();
    mp->owner = 0;
    bool woken = cvp->cv->wait_until(*mp->m, abstime);
    mp->owner = self;
    if (!woken)
        return -1;
    clock_t left = abstime - ddi_get_lbolt();
    return left > 0 ? left : 1;
}

void cv_signal(kcondvar_t* cvp) { cvp->cv->notify_one(); }
void cv_broadcast(kcondvar_t* cvp) { cvp->cv->notify_all(); }

// ---------------------------------------------------------------- semaphores

void sema_init(ksema_t* sp, uint_t count, const char* name)
{
    mutex_init(&sp->lock, name, MUTEX_DRIVER, nullptr);
    cv_init(&sp->cv, name, CV_DRIVER, nullptr);
    sp->count = static_cast<int>(count);
}

void sema_destroy(ksema_t* sp)
{
    cv_destroy(&sp->cv);
    mutex_destroy(&sp->lock);
}

void sema_p(ksema_t* sp)
{
    mutex_enter(&sp->lock);
    while (sp->count <= 0)
        cv_wait(&sp->cv, &sp->lock);
    sp->count--;
    mutex_exit(&sp->lock);
}

void sema_v(ksema_t* sp)
{
    mutex_enter(&sp->lock);
    sp->count++;
    cv_signal(&sp->cv);
    mutex_exit(&sp->lock);
}

// ---------------------------------------------------------------- time and context

clock_t ddi_get_lbolt() { return platform().now(); }

void delay(clock_t ticks)
{
    assert_may_sleep("delay");
    platform().delay(ticks);
}

int servicing_interrupt() { return platform().context() != ddi::Context::Kernel; }
