// The DVMA space: pages of I/O address space a bind holds until its
// unbind (its largest window, a red-zone page, none with
// DDI_DMA_FORCE_PHYSICAL), NORESOURCES when it runs out, the callback that
// runs when an unbind frees it, SLEEP, TOOBIG for a bind that can never fit.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "helpers.h"

using ddi::Context;
using ddi::PAGESIZE;
using ddi::host::HostPlatform;

TEST_CASE("DVMA: pages per bind, by hand-worked cases", "[dma][dvma][table]")
{
    HostPlatform plat;
    struct Case {
        const char* what;
        uint64_t off;           // buffer offset in its first page
        uint64_t len;
        uint64_t maxxfer;       // 0: unlimited
        uint_t attr_flags;
        uint_t bind_flags;
        int rv;
        uint64_t pages;
    };
    const Case cases[] = {
        {"one byte", 0, 1, 0, 0, 0, DDI_DMA_MAPPED, 1},
        {"one page, aligned", 0, PAGESIZE, 0, 0, 0, DDI_DMA_MAPPED, 1},
        {"one page, 0x800 in: two pages", 0x800, PAGESIZE, 0, 0, 0, DDI_DMA_MAPPED, 2},
        {"5 pages + 1", 0, 5 * PAGESIZE + 1, 0, 0, 0, DDI_DMA_MAPPED, 6},
        {"red zone: one more", 0, 2 * PAGESIZE, 0, 0, DDI_DMA_REDZONE, DDI_DMA_MAPPED, 3},
        {"FORCE_PHYSICAL: none", 0x800, 3 * PAGESIZE, 0, DDI_DMA_FORCE_PHYSICAL, DDI_DMA_REDZONE,
         DDI_DMA_MAPPED, 0},
        // Windows of at most 2 pages: the largest window's pages, not the buffer's.
        {"partial, windows of 2 pages, aligned", 0, 7 * PAGESIZE, 2 * PAGESIZE, 0, DDI_DMA_PARTIAL,
         DDI_DMA_PARTIAL_MAP, 2},
        {"partial, windows of 2 pages, 0x100 in", 0x100, 7 * PAGESIZE, 2 * PAGESIZE, 0, DDI_DMA_PARTIAL,
         DDI_DMA_PARTIAL_MAP, 3},
    };
    for (const Case& t : cases) {
        INFO(t.what);
        ddi_dma_attr_t attr = open_attr();
        if (t.maxxfer)
            attr.dma_attr_maxxfer = t.maxxfer;
        attr.dma_attr_flags = t.attr_flags;
        ddi_dma_handle_t h;
        REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h) == DDI_SUCCESS);
        uint8_t* va = plat.memory().map(t.len, false, t.off, 5);
        REQUIRE(va);
        ddi_dma_cookie_t c;
        uint_t n;
        CHECK(ddi::dma_dvma_used() == 0);
        CHECK(ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), t.len,
                                       DDI_DMA_READ | t.bind_flags, DDI_DMA_DONTWAIT, nullptr, &c, &n) == t.rv);
        CHECK(ddi::dma_handle_dvma(h) == t.pages);
        CHECK(ddi::dma_dvma_used() == t.pages);
        if (t.rv == DDI_DMA_PARTIAL_MAP) {
            // getwin reuses the same pages: nothing more is taken.
            uint_t nwin = 0;
            REQUIRE(ddi_dma_numwin(h, &nwin) == DDI_SUCCESS);
            off_t o;
            size_t l;
            for (uint_t w = 0; w < nwin; w++)
                REQUIRE(ddi_dma_getwin(h, w, &o, &l, &c, &n) == DDI_SUCCESS);
            CHECK(ddi::dma_dvma_used() == t.pages);
        }
        REQUIRE(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
        CHECK(ddi::dma_handle_dvma(h) == 0);
        CHECK(ddi::dma_dvma_used() == 0);
        ddi_dma_free_handle(&h);
        plat.join();
        plat.memory().unmap(va);
    }
}

namespace {
std::atomic<int> cb_calls{0};
std::atomic<int> cb_rv{-100};
ddi_dma_handle_t cb_handle;
uint8_t* cb_va;
size_t cb_len;
std::atomic<int> cb_ctx_ok{0};

// The seed's xxdmacallback, reduced: retry the bind, DONTWAIT.
int retry(caddr_t)
{
    cb_calls++;
    if (ddi::platform().context() == Context::SoftInterrupt)
        cb_ctx_ok++;
    ddi_dma_cookie_t c;
    uint_t n;
    int rv = ddi_dma_addr_bind_handle(cb_handle, nullptr, reinterpret_cast<caddr_t>(cb_va), cb_len, DDI_DMA_READ,
                                      DDI_DMA_DONTWAIT, nullptr, &c, &n);
    cb_rv = rv;
    return rv == DDI_DMA_NORESOURCES ? DDI_DMA_CALLBACK_RUNOUT : DDI_DMA_CALLBACK_DONE;
}
} // namespace

TEST_CASE("DVMA exhausted on purpose: NORESOURCES, then the callback runs when an unbind frees it",
          "[dma][dvma][callback]")
{
    HostPlatform plat;
    cb_calls = 0;
    cb_rv = -100;
    cb_ctx_ok = 0;
    ddi_dma_attr_t attr = open_attr();
    ddi_dma_handle_t h1, h2;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h1) == DDI_SUCCESS);
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h2) == DDI_SUCCESS);
    cb_len = 3 * PAGESIZE;
    uint8_t* va1 = plat.memory().map(cb_len, false, 0, 1);
    cb_va = plat.memory().map(cb_len, false, 0, 2);
    cb_handle = h2;
    ddi::dma_dvma_set_pages(5);         // one 3-page bind fits, two do not
    CHECK(ddi::dma_dvma_pages() == 5);
    ddi_dma_cookie_t c;
    uint_t n;
    REQUIRE(ddi_dma_addr_bind_handle(h1, nullptr, reinterpret_cast<caddr_t>(va1), cb_len, DDI_DMA_WRITE,
                                     DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
    CHECK(ddi::dma_dvma_used() == 3);
    // DONTWAIT: NORESOURCES and nothing registered.
    CHECK(ddi_dma_addr_bind_handle(h2, nullptr, reinterpret_cast<caddr_t>(cb_va), cb_len, DDI_DMA_READ,
                                   DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_NORESOURCES);
    CHECK(ddi::dma_callback_list().empty());
    // A callback: NORESOURCES, registered; it runs only after the unbind.
    CHECK(ddi_dma_addr_bind_handle(h2, nullptr, reinterpret_cast<caddr_t>(cb_va), cb_len, DDI_DMA_READ, retry,
                                   nullptr, &c, &n) == DDI_DMA_NORESOURCES);
    REQUIRE(ddi::dma_callback_list().size() == 1);
    CHECK(ddi::dma_callback_list()[0].count == 1);
    CHECK(ddi::dma_pool_used() < ddi::dma_pool_limit());     // the byte pool was not what ran out
    plat.join();
    CHECK(cb_calls == 0);
    REQUIRE(ddi_dma_unbind_handle(h1) == DDI_SUCCESS);
    plat.join();
    CHECK(cb_calls == 1);
    CHECK(cb_ctx_ok == 1);
    CHECK(cb_rv == DDI_DMA_MAPPED);
    CHECK(ddi::dma_dvma_used() == 3);
    CHECK(ddi::dma_callback_list().empty());

    // SLEEP waits for the space: h1 sleeps until h2 unbinds.
    std::atomic<int> slept_rv{-100};
    std::atomic<bool> returned{false};
    std::thread t([&] {
        ddi_dma_cookie_t c2;
        uint_t n2;
        slept_rv = ddi_dma_addr_bind_handle(h1, nullptr, reinterpret_cast<caddr_t>(va1), cb_len, DDI_DMA_WRITE,
                                            DDI_DMA_SLEEP, nullptr, &c2, &n2);
        returned = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK_FALSE(returned.load());
    REQUIRE(ddi_dma_unbind_handle(h2) == DDI_SUCCESS);
    t.join();
    CHECK(slept_rv == DDI_DMA_MAPPED);
    CHECK(ddi::dma_dvma_used() == 3);

    // More than the whole space can never fit: TOOBIG at once, whatever the callback rule.
    ddi_dma_handle_t h3;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h3) == DDI_SUCCESS);
    uint8_t* big = plat.memory().map(6 * PAGESIZE, false, 0, 3);
    for (ddi_dma_callback_t cb : {DDI_DMA_DONTWAIT, DDI_DMA_SLEEP, static_cast<ddi_dma_callback_t>(retry)})
        CHECK(ddi_dma_addr_bind_handle(h3, nullptr, reinterpret_cast<caddr_t>(big), 6 * PAGESIZE, DDI_DMA_READ, cb,
                                       nullptr, &c, &n) == DDI_DMA_TOOBIG);
    CHECK(ddi::dma_callback_list().empty());
    REQUIRE(ddi_dma_unbind_handle(h1) == DDI_SUCCESS);
    ddi::dma_dvma_set_pages(~0ull);
    plat.join();
    for (ddi_dma_handle_t* h : {&h1, &h2, &h3})
        ddi_dma_free_handle(h);
    plat.join();
    plat.memory().unmap(va1);
    plat.memory().unmap(cb_va);
    plat.memory().unmap(big);
}

namespace {
std::atomic<int> stress_errors{0};
}

TEST_CASE("DVMA stress: threads share a small space through SLEEP, the count never goes over", "[dma][dvma][stress]")
{
    uint64_t seed = test_seed("dvma stress");
    HostPlatform plat;
    stress_errors = 0;
    const uint64_t space = 8;
    ddi::dma_dvma_set_pages(space);
    const int nthreads = 4;
    std::vector<std::thread> ts;
    for (int t = 0; t < nthreads; t++)
        ts.emplace_back([&, t] {
            std::mt19937_64 rng(seed + t);
            ddi_dma_attr_t attr = open_attr();
            ddi_dma_handle_t h;
            if (ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h) != DDI_SUCCESS) {
                stress_errors++;
                return;
            }
            for (int i = 0; i < 200; i++) {
                size_t len = 1 + rng() % (4 * PAGESIZE);
                uint8_t* va = ddi::platform().memory().map(len, false, rng() % PAGESIZE, rng());
                ddi_dma_cookie_t c;
                uint_t n;
                int rv = ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), len, DDI_DMA_READ,
                                                  DDI_DMA_SLEEP, nullptr, &c, &n);
                if (rv != DDI_DMA_MAPPED || ddi::dma_dvma_used() > space)
                    stress_errors++;
                if (rv == DDI_DMA_MAPPED)
                    (void)ddi_dma_unbind_handle(h);
                ddi::platform().memory().unmap(va);
            }
            ddi_dma_free_handle(&h);
        });
    for (auto& t : ts)
        t.join();
    plat.join();
    CHECK(stress_errors == 0);
    CHECK(ddi::dma_dvma_used() == 0);
    ddi::dma_dvma_set_pages(~0ull);
}
