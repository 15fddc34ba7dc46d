// DMA binding: cookies split as the x86 root nexus splits them (a table of
// hand-worked cases, one or more per attribute rule), bounce pages, partial
// mappings and windows, the cookie accessors, every return code, and a
// property test over random buffers and attributes.
#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include "helpers.h"

using ddi::Context;
using ddi::PAGESIZE;
using ddi::host::HostOptions;
using ddi::host::HostPlatform;

namespace {

struct C {
    uint64_t addr;
    size_t size;
    bool operator==(const C& o) const { return addr == o.addr && size == o.size; }
};
struct W {
    off_t off;
    size_t len;
    std::vector<C> cookies;
};

std::ostream& operator<<(std::ostream& os, const C& c)
{
    return os << "{0x" << std::hex << c.addr << ", 0x" << c.size << std::dec << "}";
}

// A bound handle's windows as getwin reports them (or the one window of a
// fast-path bind), every cookie read through nextcookie.
std::vector<W> windows_of(ddi_dma_handle_t h, const ddi_dma_cookie_t& first, uint_t ccount, int rv,
                          size_t len)
{
    std::vector<W> out;
    uint_t nwin = 1;
    if (rv == DDI_DMA_PARTIAL_MAP)
        REQUIRE(ddi_dma_numwin(h, &nwin) == DDI_SUCCESS);
    for (uint_t w = 0; w < nwin; w++) {
        W win;
        ddi_dma_cookie_t c = first;
        uint_t n = ccount;
        if (rv == DDI_DMA_PARTIAL_MAP) {
            size_t wlen = 0;
            REQUIRE(ddi_dma_getwin(h, w, &win.off, &wlen, &c, &n) == DDI_SUCCESS);
            win.len = wlen;
        } else {
            win.off = 0;
            win.len = len;
        }
        REQUIRE(n == static_cast<uint_t>(ddi_dma_ncookies(h)));
        for (uint_t i = 0; i < n; i++) {
            if (i > 0)
                ddi_dma_nextcookie(h, &c);
            win.cookies.push_back(C{c.dmac_laddress, c.dmac_size});
        }
        out.push_back(win);
    }
    return out;
}

struct Case {
    const char* name;
    std::function<void(ddi_dma_attr_t&)> attr;
    std::vector<uint64_t> pages;    // physical pages of the buffer
    uint64_t offset;
    size_t len;
    uint_t flags;
    int rv;
    std::vector<W> wins;            // expected (for MAPPED/PARTIAL_MAP)
};

const uint64_t P = 0x100000;        // pages of the hand-worked cases

} // namespace

TEST_CASE("cookie splitting and windows: hand-worked cases per attribute rule", "[dma][table]")
{
    const uint_t RW = DDI_DMA_WRITE, PART = DDI_DMA_WRITE | DDI_DMA_PARTIAL;
    auto none = [](ddi_dma_attr_t&) {};
    std::vector<Case> cases = {
        {"contiguous pages: one cookie", none, {P, P + 0x1000, P + 0x2000}, 0, 0x3000, RW,
         DDI_DMA_MAPPED, {{0, 0x3000, {{P, 0x3000}}}}},
        {"start offset: first cookie from the offset", none, {P, P + 0x1000, P + 0x2000}, 0x200, 0x2000, RW,
         DDI_DMA_MAPPED, {{0, 0x2000, {{P + 0x200, 0x2000}}}}},
        {"short buffer inside one page", none, {P}, 0x10, 0x20, RW,
         DDI_DMA_MAPPED, {{0, 0x20, {{P + 0x10, 0x20}}}}},
        {"physical discontinuity: new cookie", none, {P, 2 * P, 2 * P + 0x1000}, 0xf00, 0x1200, RW,
         DDI_DMA_MAPPED, {{0, 0x1200, {{P + 0xf00, 0x100}, {2 * P, 0x1100}}}}},
        {"pages in reverse physical order", none, {P + 0x1000, P}, 0, 0x2000, RW,
         DDI_DMA_MAPPED, {{0, 0x2000, {{P + 0x1000, 0x1000}, {P, 0x1000}}}}},
        {"seg 0xffff: never cross 64 KiB",
         [](ddi_dma_attr_t& a) { a.dma_attr_seg = 0xffff; },
         {P + 0xe000, P + 0xf000, P + 0x10000, P + 0x11000}, 0, 0x4000, RW,
         DDI_DMA_MAPPED, {{0, 0x4000, {{P + 0xe000, 0x2000}, {P + 0x10000, 0x2000}}}}},
        {"count_max 0x1fff: cookies of at most 8 KiB",
         [](ddi_dma_attr_t& a) { a.dma_attr_count_max = 0x1fff; },
         {P, P + 0x1000, P + 0x2000, P + 0x3000}, 0, 0x4000, RW,
         DDI_DMA_MAPPED, {{0, 0x4000, {{P, 0x2000}, {P + 0x2000, 0x2000}}}}},
        {"maxseg 0x1800: never split inside a page but at the start offset",
         [](ddi_dma_attr_t& a) { a.dma_attr_count_max = 0x17ff; },
         {P, P + 0x1000, P + 0x2000}, 0x800, 0x2800, RW,
         DDI_DMA_MAPPED, {{0, 0x2800, {{P + 0x800, 0x1800}, {P + 0x2000, 0x1000}}}}},
        {"maxxfer without DDI_DMA_PARTIAL: TOOBIG",
         [](ddi_dma_attr_t& a) { a.dma_attr_maxxfer = 0x2000; },
         {P, P + 0x1000, P + 0x2000}, 0, 0x3000, RW, DDI_DMA_TOOBIG, {}},
        {"maxxfer 0x2000 with PARTIAL: windows of maxxfer",
         [](ddi_dma_attr_t& a) { a.dma_attr_maxxfer = 0x2000; },
         {P, P + 0x1000, P + 0x2000}, 0, 0x3000, PART,
         DDI_DMA_PARTIAL_MAP, {{0, 0x2000, {{P, 0x2000}}}, {0x2000, 0x1000, {{P + 0x2000, 0x1000}}}}},
        {"maxxfer 0x2800: a cookie split so the window is exactly maxxfer",
         [](ddi_dma_attr_t& a) { a.dma_attr_maxxfer = 0x2800; },
         {P, P + 0x1000, P + 0x2000, P + 0x3000}, 0, 0x4000, PART,
         DDI_DMA_PARTIAL_MAP, {{0, 0x2800, {{P, 0x2000}, {P + 0x2000, 0x800}}},
                               {0x2800, 0x1800, {{P + 0x2800, 0x1800}}}}},
        // maxseg = maxxfer' too: the page walk stops the cookie at 0x2000
        // (a third page would pass 0x2e00), the window splits the next.
        {"maxxfer 0x2fff, granular 0x200: maxxfer' = 0x2e00",
         [](ddi_dma_attr_t& a) { a.dma_attr_maxxfer = 0x2fff; a.dma_attr_granular = 0x200; },
         {P, P + 0x1000, P + 0x2000}, 0, 0x3000, PART,
         DDI_DMA_PARTIAL_MAP, {{0, 0x2e00, {{P, 0x2000}, {P + 0x2000, 0xe00}}},
                               {0x2e00, 0x200, {{P + 0x2e00, 0x200}}}}},
        {"sgllen 2 without PARTIAL: TOOBIG",
         [](ddi_dma_attr_t& a) { a.dma_attr_sgllen = 2; },
         {P, 2 * P, 3 * P}, 0, 0x3000, RW, DDI_DMA_TOOBIG, {}},
        {"sgllen 2 with PARTIAL: windows of two cookies",
         [](ddi_dma_attr_t& a) { a.dma_attr_sgllen = 2; },
         {P, 2 * P, 3 * P}, 0, 0x3000, PART,
         DDI_DMA_PARTIAL_MAP, {{0, 0x2000, {{P, 0x1000}, {2 * P, 0x1000}}}, {0x2000, 0x1000, {{3 * P, 0x1000}}}}},
        {"sgllen 2, granular 0x200: the excess is cut off into the next window",
         [](ddi_dma_attr_t& a) { a.dma_attr_sgllen = 2; a.dma_attr_granular = 0x200; },
         {P, 2 * P, 3 * P}, 0x100, 0x2000, PART,
         DDI_DMA_PARTIAL_MAP, {{0, 0x1e00, {{P + 0x100, 0xf00}, {2 * P, 0xf00}}},
                               {0x1e00, 0x200, {{2 * P + 0xf00, 0x100}, {3 * P, 0x100}}}}},
        {"sgllen 1 and a granularity cut: NOMAPPING",
         [](ddi_dma_attr_t& a) { a.dma_attr_sgllen = 1; a.dma_attr_granular = 0x200; },
         {P, 2 * P}, 0x100, 0x1f00, PART, DDI_DMA_NOMAPPING, {}},
        {"sgllen 1, granular 1: one cookie per window",
         [](ddi_dma_attr_t& a) { a.dma_attr_sgllen = 1; },
         {P, 2 * P}, 0x100, 0x1f00, PART,
         DDI_DMA_PARTIAL_MAP, {{0, 0xf00, {{P + 0x100, 0xf00}}}, {0xf00, 0x1000, {{2 * P, 0x1000}}}}},
        {"sgllen 1, contiguous: fits, fast path",
         [](ddi_dma_attr_t& a) { a.dma_attr_sgllen = 1; },
         {P, P + 0x1000}, 0x100, 0x1f00, RW,
         DDI_DMA_MAPPED, {{0, 0x1f00, {{P + 0x100, 0x1f00}}}}},
        {"a zero-length last window is dropped",
         [](ddi_dma_attr_t& a) { a.dma_attr_maxxfer = 0x1000; },
         {P, P + 0x1000}, 0, 0x2000, PART,
         DDI_DMA_PARTIAL_MAP, {{0, 0x1000, {{P, 0x1000}}}, {0x1000, 0x1000, {{P + 0x1000, 0x1000}}}}},
    };

    for (const Case& tc : cases) {
        SECTION(tc.name)
        {
            HostPlatform plat;
            ddi_dma_attr_t attr = open_attr();
            tc.attr(attr);
            ddi_dma_handle_t h;
            REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_DONTWAIT, nullptr, &h) == DDI_SUCCESS);
            uint8_t* va = plat.memory().map_at(tc.pages, tc.offset);
            REQUIRE(va);
            ddi_dma_cookie_t c;
            uint_t n = 0;
            int rv = ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), tc.len, tc.flags,
                                              DDI_DMA_DONTWAIT, nullptr, &c, &n);
            REQUIRE(rv == tc.rv);
            if (rv == DDI_DMA_MAPPED || rv == DDI_DMA_PARTIAL_MAP) {
                std::vector<W> got = windows_of(h, c, n, rv, tc.len);
                REQUIRE(got.size() == tc.wins.size());
                for (size_t w = 0; w < got.size(); w++) {
                    INFO("window " << w);
                    CHECK(got[w].off == tc.wins[w].off);
                    CHECK(got[w].len == tc.wins[w].len);
                    CHECK(got[w].cookies == tc.wins[w].cookies);
                }
                CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
            } else {
                CHECK(ddi_dma_ncookies(h) == 0);
                CHECK(ddi_dma_unbind_handle(h) == DDI_FAILURE);     // nothing bound
            }
            ddi_dma_free_handle(&h);
            CHECK(h == nullptr);
            plat.memory().unmap(va);
        }
    }
}

TEST_CASE("ddi_dma_alloc_handle: BADATTR for each attribute rule", "[dma][attr]")
{
    HostPlatform plat;
    ddi_dma_handle_t h = nullptr;
    CHECK(ddi_dma_alloc_handle(nullptr, nullptr, DDI_DMA_DONTWAIT, nullptr, &h) == DDI_DMA_BADATTR);
    std::vector<std::pair<const char*, std::function<void(ddi_dma_attr_t&)>>> bad = {
        {"seg < 0xfff", [](ddi_dma_attr_t& a) { a.dma_attr_seg = 0xffe; }},
        {"count_max < 0xfff", [](ddi_dma_attr_t& a) { a.dma_attr_count_max = 0x7ff; }},
        {"granular > PAGESIZE", [](ddi_dma_attr_t& a) { a.dma_attr_granular = 0x2000; }},
        {"maxxfer < PAGESIZE", [](ddi_dma_attr_t& a) { a.dma_attr_maxxfer = 0xfff; }},
        {"addr_hi <= addr_lo", [](ddi_dma_attr_t& a) { a.dma_attr_addr_lo = 0x1000; a.dma_attr_addr_hi = 0x1000; }},
        {"(seg & 0xfff) != 0xfff", [](ddi_dma_attr_t& a) { a.dma_attr_seg = 0x1ffe; }},
        {"PAGESIZE not a multiple of granular", [](ddi_dma_attr_t& a) { a.dma_attr_granular = 0x600; }},
        {"sgllen == 0", [](ddi_dma_attr_t& a) { a.dma_attr_sgllen = 0; }},
        // (maxseg < PAGESIZE cannot happen once seg, count_max and maxxfer
        // pass: granular divides PAGESIZE, so maxxfer' >= PAGESIZE.)
        {"granular 0", [](ddi_dma_attr_t& a) { a.dma_attr_granular = 0; }},
    };
    for (auto& b : bad) {
        INFO(b.first);
        ddi_dma_attr_t a = open_attr();
        b.second(a);
        CHECK(ddi_dma_alloc_handle(nullptr, &a, DDI_DMA_DONTWAIT, nullptr, &h) == DDI_DMA_BADATTR);
    }
    // The smallest legal values pass.
    ddi_dma_attr_t a = open_attr();
    a.dma_attr_seg = 0xfff;
    a.dma_attr_count_max = 0xfff;
    a.dma_attr_maxxfer = PAGESIZE;
    a.dma_attr_granular = PAGESIZE;
    a.dma_attr_sgllen = 1;
    a.dma_attr_addr_hi = 1;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &a, DDI_DMA_DONTWAIT, nullptr, &h) == DDI_SUCCESS);
    CHECK(ddi_dma_burstsizes(h) == 0x7c);
    ddi_dma_free_handle(&h);
}

TEST_CASE("quirks and return codes: numwin, getwin, INUSE, NOMAPPING, cookie accessors", "[dma][quirk]")
{
    HostPlatform plat;
    ddi_dma_attr_t attr = open_attr();
    ddi_dma_handle_t h;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h) == DDI_SUCCESS);
    uint8_t* va = plat.memory().map_at({P, 2 * P, 3 * P}, 0);
    REQUIRE(va);
    ddi_dma_cookie_t c;
    uint_t n;
    auto cva = reinterpret_cast<caddr_t>(va);

    CHECK(ddi_dma_addr_bind_handle(h, nullptr, cva, 0, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) ==
          DDI_DMA_NOMAPPING);
    CHECK(ddi_dma_addr_bind_handle(h, nullptr, cva, 0x3000, 0, DDI_DMA_DONTWAIT, nullptr, &c, &n) ==
          DDI_DMA_NOMAPPING);       // no direction
    int nomap = 0;                  // an address nothing maps
    CHECK(ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(&nomap), 4, DDI_DMA_READ,
                                   DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_NOMAPPING);

    REQUIRE(ddi_dma_addr_bind_handle(h, nullptr, cva, 0x3000, DDI_DMA_READ, DDI_DMA_SLEEP, nullptr, &c, &n) ==
            DDI_DMA_MAPPED);
    CHECK(n == 3);
    uint_t nwin = 99;
    CHECK(ddi_dma_numwin(h, &nwin) == DDI_FAILURE);         // MAPPED: numwin fails
    CHECK(nwin == 99);
    off_t off;
    size_t len;
    CHECK(ddi_dma_getwin(h, 0, &off, &len, &c, &n) == DDI_FAILURE);   // fast path: nwin 0
    // INUSE, always, whatever the arguments
    ddi_dma_cookie_t c2;
    CHECK(ddi_dma_addr_bind_handle(h, nullptr, cva, 0x3000, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c2, &n) ==
          DDI_DMA_INUSE);
    CHECK(ddi_dma_addr_bind_handle(h, nullptr, cva, 0, 0, DDI_DMA_DONTWAIT, nullptr, nullptr, nullptr) ==
          DDI_DMA_INUSE);
    CHECK(ddi_dma_ncookies(h) == 3);

    // cookie_iter and cookie_get are independent of the nextcookie cursor
    ddi_dma_nextcookie(h, &c2);
    CHECK(c2.dmac_laddress == 2 * P);
    const ddi_dma_cookie_t* it = ddi_dma_cookie_iter(h, nullptr);
    REQUIRE(it);
    CHECK(it->dmac_laddress == P);
    it = ddi_dma_cookie_iter(h, it);
    CHECK(it->dmac_laddress == 2 * P);
    it = ddi_dma_cookie_iter(h, it);
    CHECK(it->dmac_laddress == 3 * P);
    CHECK(ddi_dma_cookie_iter(h, it) == nullptr);
    CHECK(ddi_dma_cookie_get(h, 2)->dmac_laddress == 3 * P);
    CHECK(ddi_dma_cookie_get(h, 3) == nullptr);
    REQUIRE_PANICS(ddi_dma_cookie_one(h), "not one");
    ddi_dma_nextcookie(h, &c2);
    CHECK(c2.dmac_laddress == 3 * P);
    REQUIRE_PANICS(ddi_dma_nextcookie(h, &c2), "no cookie left");
    CHECK(c2.dmac_laddress == 3 * P);
    CHECK(ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORCPU) == DDI_SUCCESS);   // no bounce: no-op

    REQUIRE_PANICS(ddi_dma_free_handle(&h), "still bound");
    CHECK(h != nullptr);
    CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
    CHECK(ddi_dma_unbind_handle(h) == DDI_FAILURE);
    CHECK(ddi_dma_ncookies(h) == 0);
    CHECK(ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORCPU) == DDI_FAILURE);
    CHECK(ddi_dma_cookie_iter(h, nullptr) == nullptr);

    // One cookie: cookie_one; ccountp and cookiep may be NULL.
    REQUIRE(ddi_dma_addr_bind_handle(h, nullptr, cva + 0x10, 0x100, DDI_DMA_WRITE, DDI_DMA_DONTWAIT, nullptr,
                                     nullptr, nullptr) == DDI_DMA_MAPPED);
    CHECK(ddi_dma_cookie_one(h)->dmac_laddress == P + 0x10);
    CHECK(ddi_dma_cookie_one(h)->dmac_size == 0x100);
    CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);

    // buf bind: size b_bcount, direction only from the flags
    struct buf* bp = getrbuf(KM_SLEEP);
    bp->b_un.b_addr = cva;
    bp->b_bcount = 0x1800;
    bp->b_flags = B_READ;
    REQUIRE(ddi_dma_buf_bind_handle(h, bp, DDI_DMA_WRITE, DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
    CHECK(n == 2);
    CHECK(c.dmac_size == 0x1000);
    CHECK(ddi_dma_cookie_get(h, 1)->dmac_size == 0x800);
    CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
    freerbuf(bp);

    // SLEEP from interrupt context is fatal, for alloc and bind
    plat.run_in(Context::Interrupt, [&] {
        REQUIRE_PANICS(ddi_dma_addr_bind_handle(h, nullptr, cva, 0x100, DDI_DMA_READ, DDI_DMA_SLEEP, nullptr, &c, &n),
                       "DDI_DMA_SLEEP from interrupt context");
        ddi_dma_handle_t h2;
        REQUIRE_PANICS(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h2),
                       "DDI_DMA_SLEEP from interrupt context");
        CHECK(ddi_dma_addr_bind_handle(h, nullptr, cva, 0x100, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) ==
              DDI_DMA_MAPPED);
        CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
    });
    ddi_dma_free_handle(&h);
    plat.memory().unmap(va);
    plat.join();
}

// Memory above addr_hi goes through bounce pages, synced at bind (WRITE),
// unbind (READ), getwin and ddi_dma_sync.
TEST_CASE("bounce pages: addr_lo/addr_hi, a cookie each, copies by sync", "[dma][bounce]")
{
    HostOptions o;
    o.ram_bytes = 16ull << 20;
    HostPlatform plat(o);
    ddi::PhysMem& mem = plat.memory();
    ddi_dma_attr_t attr = open_attr();
    attr.dma_attr_addr_hi = 0x7fffff;       // the device reaches the low 8 MiB
    ddi_dma_handle_t h;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_DONTWAIT, nullptr, &h) == DDI_SUCCESS);
    const uint64_t HI = 0xa00000;
    uint8_t* va = mem.map_at({P, HI, P + 0x1000, HI + 0x1000}, 0x100);
    REQUIRE(va);
    const size_t len = 0x3e00;
    for (size_t i = 0; i < len; i++)
        va[i] = static_cast<uint8_t>(i * 13 + 1);
    std::memset(va + len, 0xa5, 0x100);     // the rest of the last page: a sentinel
    ddi_dma_cookie_t c;
    uint_t n;

    SECTION("WRITE: copied to the bounce page at bind")
    {
        REQUIRE(ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), len, DDI_DMA_WRITE,
                                         DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
        uint_t nwin;
        CHECK(ddi_dma_numwin(h, &nwin) == DDI_FAILURE);
        off_t off;
        size_t wl;
        CHECK(ddi_dma_getwin(h, 0, &off, &wl, &c, &n) == DDI_SUCCESS);     // slow path: nwin 1
        CHECK(off == 0);
        CHECK(wl == len);
        CHECK(ddi_dma_getwin(h, 1, &off, &wl, &c, &n) == DDI_FAILURE);
        // in, bounce, in (contiguous with the first but after a bounce: new), bounce
        REQUIRE(n == 4);
        std::vector<size_t> sizes = {0xf00, 0x1000, 0x1000, 0xf00};
        size_t boff = 0;
        for (uint_t i = 0; i < n; i++) {
            const ddi_dma_cookie_t* k = ddi_dma_cookie_get(h, i);
            CHECK(k->dmac_size == sizes[i]);
            CHECK(k->dmac_laddress + k->dmac_size - 1 <= attr.dma_attr_addr_hi);
            // what the device reads at the cookie is the buffer's bytes
            CHECK(std::memcmp(mem.direct(k->dmac_laddress, k->dmac_size), va + boff, k->dmac_size) == 0);
            boff += k->dmac_size;
        }
        CHECK(ddi_dma_cookie_get(h, 0)->dmac_laddress == P + 0x100);
        CHECK(ddi_dma_cookie_get(h, 2)->dmac_laddress == P + 0x1000);
        CHECK(ddi_dma_cookie_get(h, 1)->dmac_laddress % PAGESIZE == 0);
        CHECK(ddi_dma_cookie_get(h, 3)->dmac_laddress % PAGESIZE == 0);
        // A later CPU write reaches the device only with a FORDEV sync.
        const ddi_dma_cookie_t* b = ddi_dma_cookie_get(h, 1);
        va[0xf00] = 0x5a;
        CHECK(*mem.direct(b->dmac_laddress) != 0x5a);
        CHECK(ddi_dma_sync(h, 0xf00, 1, DDI_DMA_SYNC_FORDEV) == DDI_SUCCESS);
        CHECK(*mem.direct(b->dmac_laddress) == 0x5a);
        CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
    }
    SECTION("READ: the device's bytes reach the buffer at sync and unbind")
    {
        REQUIRE(ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), len, DDI_DMA_READ,
                                         DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
        REQUIRE(n == 4);
        for (uint_t i = 0; i < n; i++) {        // the device writes every cookie
            const ddi_dma_cookie_t* k = ddi_dma_cookie_get(h, i);
            std::memset(mem.direct(k->dmac_laddress, k->dmac_size), 0x40 + i, k->dmac_size);
        }
        CHECK(va[0xf00] != 0x41);               // bounce: not yet in the buffer
        CHECK(va[0] == 0x40);                   // direct: already there
        CHECK(ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORCPU) == DDI_SUCCESS);
        CHECK(va[0xf00] == 0x41);
        CHECK(va[0x1eff] == 0x41);
        CHECK(va[0x2f00] == 0x43);
        std::memset(mem.direct(ddi_dma_cookie_get(h, 3)->dmac_laddress, 1), 0x77, 1);
        CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);   // implicit FORCPU
        CHECK(va[0x2f00] == 0x77);
        for (size_t i = len; i < len + 0x100; i++)      // nothing past the buffer
            CHECK(va[i] == 0xa5);
    }
    SECTION("copy buffer of one page: partial, a window per bounce page")
    {
        ddi::dma_set_copybuf_max(PAGESIZE);
        CHECK(ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), len, DDI_DMA_WRITE,
                                       DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_TOOBIG);
        REQUIRE(ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), len,
                                         DDI_DMA_RDWR | DDI_DMA_PARTIAL, DDI_DMA_DONTWAIT, nullptr, &c,
                                         &n) == DDI_DMA_PARTIAL_MAP);
        uint_t nwin;
        REQUIRE(ddi_dma_numwin(h, &nwin) == DDI_SUCCESS);
        CHECK(nwin == 2);
        CHECK(n == 3);      // in, bounce, in
        uint64_t bounce0 = ddi_dma_cookie_get(h, 1)->dmac_laddress;
        CHECK(std::memcmp(mem.direct(bounce0, 0x1000), va + 0xf00, 0x1000) == 0);
        std::memset(mem.direct(bounce0, 0x1000), 0xcc, 0x1000);       // the device writes
        off_t off;
        size_t wl;
        REQUIRE(ddi_dma_getwin(h, 1, &off, &wl, &c, &n) == DDI_SUCCESS);
        CHECK(va[0xf00] == 0xcc);                    // old window synced for the CPU
        CHECK(off == 0x2f00);
        CHECK(wl == 0xf00);
        CHECK(n == 1);
        CHECK(c.dmac_laddress == bounce0);           // the copy page is reused
        // Sync touches only the current window's bounce pages: the byte of
        // window 0's bounce page in the buffer stays as the CPU left it.
        va[0xf00] = 0x11;
        va[0x2f00] = 0x22;
        std::memset(mem.direct(bounce0, 0x1000), 0x33, 0x1000);
        CHECK(ddi_dma_sync(h, 0, 0, DDI_DMA_SYNC_FORCPU) == DDI_SUCCESS);
        CHECK(va[0xf00] == 0x11);
        CHECK(va[0x2f00] == 0x33);
        CHECK(ddi_dma_sync(h, 0x2f10, 0x10, DDI_DMA_SYNC_FORKERNEL) == DDI_SUCCESS);
        va[0x2f00] = 0x22;
        CHECK(ddi_dma_sync(h, 0x2f00, 1, DDI_DMA_SYNC_FORDEV) == DDI_SUCCESS);
        CHECK(*mem.direct(bounce0) == 0x22);
        CHECK(*mem.direct(bounce0 + 1) == 0x33);     // only the range asked for
        CHECK(std::memcmp(mem.direct(c.dmac_laddress, 0xf00), va + 0x2f00, 0xf00) == 0);
        CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
    }
    ddi_dma_free_handle(&h);
    mem.unmap(va);
}

// Random buffers and attributes: the cookies cover the buffer exactly once,
// in order, and break no attribute limit.
TEST_CASE("property: cookies tile the buffer and respect every limit", "[dma][property]")
{
    HostOptions o;
    o.ram_bytes = 32ull << 20;
    HostPlatform plat(o);
    ddi::PhysMem& mem = plat.memory();
    uint64_t seed = test_seed("dma property");
    std::mt19937_64 rng(seed);
    auto pick = [&](std::initializer_list<uint64_t> v) { return *(v.begin() + rng() % v.size()); };
    int binds = 0, partial = 0, nomapping = 0, bounced = 0;
    for (int iter = 0; iter < 400; iter++) {
        ddi_dma_attr_t a = open_attr();
        a.dma_attr_seg = pick({0xfff, 0x1fff, 0xffff, 0x3ffff, ~0ull});
        a.dma_attr_count_max = pick({0xfff, 0x17ff, 0x2fff, 0xffff, ~0ull});
        a.dma_attr_maxxfer = pick({0x1000, 0x2800, 0x5000, 0x10000, ~0ull});
        a.dma_attr_granular = static_cast<uint32_t>(pick({1, 4, 0x200, 0x1000}));
        a.dma_attr_sgllen = static_cast<int>(pick({1, 2, 3, 17, static_cast<uint64_t>(-1)}));
        if (rng() % 3 == 0)
            a.dma_attr_addr_hi = pick({0xffffff, 0x7fffff, 0x1ffffff});
        if (rng() % 4 == 0)
            ddi::dma_set_copybuf_max(pick({0x1000, 0x3000, 0x100000}));
        ddi_dma_handle_t h;
        int arv = ddi_dma_alloc_handle(nullptr, &a, DDI_DMA_DONTWAIT, nullptr, &h);
        if (arv == DDI_DMA_BADATTR)
            continue;
        REQUIRE(arv == DDI_SUCCESS);
        size_t len = 1 + rng() % (rng() % 2 ? 0x3000 : 0x30000);
        uint64_t offset = rng() % PAGESIZE;
        uint8_t* va = mem.map(len, rng() % 4 == 0, offset, rng());
        REQUIRE(va);
        for (size_t i = 0; i < len; i++)
            va[i] = static_cast<uint8_t>(rng());
        uint64_t maxxfer = a.dma_attr_maxxfer - (a.dma_attr_granular > 1 ? a.dma_attr_maxxfer % a.dma_attr_granular : 0);
        uint64_t maxseg = std::min<uint64_t>({a.dma_attr_seg == ~0ull ? ~0ull : a.dma_attr_seg + 1, maxxfer,
                                    a.dma_attr_count_max == ~0ull ? ~0ull : a.dma_attr_count_max + 1});
        INFO("iter " << iter << " len " << len << " offset " << offset << " seg " << a.dma_attr_seg
                     << " count_max " << a.dma_attr_count_max << " maxxfer " << a.dma_attr_maxxfer
                     << " granular " << a.dma_attr_granular << " sgllen " << a.dma_attr_sgllen
                     << " addr_hi " << a.dma_attr_addr_hi);
        ddi_dma_cookie_t c;
        uint_t n;
        int rv = ddi_dma_addr_bind_handle(h, nullptr, reinterpret_cast<caddr_t>(va), len,
                                          DDI_DMA_WRITE | DDI_DMA_PARTIAL, DDI_DMA_DONTWAIT, nullptr, &c, &n);
        if (rv == DDI_DMA_NOMAPPING) {
            // only a granularity cut with sgllen 1 may fail
            CHECK(a.dma_attr_sgllen == 1);
            CHECK(a.dma_attr_granular > 1);
            nomapping++;
        } else {
            REQUIRE((rv == DDI_DMA_MAPPED || rv == DDI_DMA_PARTIAL_MAP));
            binds++;
            partial += rv == DDI_DMA_PARTIAL_MAP;
            uint_t nwin = 1;
            if (rv == DDI_DMA_PARTIAL_MAP)
                REQUIRE(ddi_dma_numwin(h, &nwin) == DDI_SUCCESS);
            size_t covered = 0;
            for (uint_t w = 0; w < nwin; w++) {
                off_t woff = 0;
                size_t wlen = len;
                if (rv == DDI_DMA_PARTIAL_MAP || w > 0)
                    REQUIRE(ddi_dma_getwin(h, w, &woff, &wlen, &c, &n) == DDI_SUCCESS);
                CHECK(static_cast<size_t>(woff) == covered);        // in order, no gap, no overlap
                CHECK(wlen <= maxxfer);
                CHECK(wlen > 0);
                if (a.dma_attr_sgllen > 0)
                    CHECK(n <= static_cast<uint_t>(a.dma_attr_sgllen));
                size_t in_win = 0;
                for (const ddi_dma_cookie_t* k = ddi_dma_cookie_iter(h, nullptr); k; k = ddi_dma_cookie_iter(h, k)) {
                    uint64_t ad = k->dmac_laddress;
                    size_t sz = k->dmac_size;
                    REQUIRE(sz > 0);
                    CHECK(sz <= maxseg);
                    CHECK((ad & ~a.dma_attr_seg) == ((ad + sz - 1) & ~a.dma_attr_seg));
                    CHECK(ad >= a.dma_attr_addr_lo);
                    CHECK(ad + sz - 1 <= a.dma_attr_addr_hi);
                    // The device sees exactly the buffer's bytes here, whether
                    // the cookie is the buffer's own pages or a bounce page.
                    const uint8_t* dev = mem.direct(ad, sz);
                    REQUIRE(dev);
                    CHECK(std::memcmp(dev, va + covered + in_win, sz) == 0);
                    uint64_t pa;
                    if (mem.vtop(va + covered + in_win, &pa) && pa == ad) {
                        // not bounced: physically contiguous with the buffer all along
                        for (size_t x = PAGESIZE - (ad % PAGESIZE); x < sz; x += PAGESIZE) {
                            uint64_t pb;
                            REQUIRE(mem.vtop(va + covered + in_win + x, &pb));
                            CHECK(pb == ad + x);
                        }
                    } else {
                        bounced++;
                        CHECK(sz <= PAGESIZE);
                    }
                    in_win += sz;
                }
                CHECK(in_win == wlen);
                covered += wlen;
            }
            CHECK(covered == len);
            CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
        }
        ddi_dma_free_handle(&h);
        mem.unmap(va);
        ddi::dma_set_copybuf_max(0x100000);
    }
    std::printf("dma property: %d binds, %d partial, %d NOMAPPING, %d bounce cookies\n", binds, partial,
                nomapping, bounced);
    CHECK(binds > 100);
    CHECK(partial > 10);
    CHECK(bounced > 10);
    CHECK(ddi::dma_pool_used() == 0);
}
