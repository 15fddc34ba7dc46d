// User address spaces and page lists: struct as with protections and page
// locks, ddi_dma_addr_bind_handle with an `as`, ddi_dma_buf_bind_handle
// choosing the object as sunddi.c does (kernel address, B_PHYS with b_proc,
// B_SHADOW, B_PAGEIO, B_REMAPPED, the uint_t size), physio over a user
// uio (as_pagelock across strategy), pageio_setup and bp_mapin.
#include <sys/mman.h>
#include <sys/uio.h>

#include <atomic>
#include <cstring>
#include <vector>

#include "helpers.h"

using ddi::Context;
using ddi::PAGEOFFSET;
using ddi::PAGESIZE;
using ddi::host::HostPlatform;

namespace {

struct Range {
    uint64_t pa;
    uint64_t len;
    bool operator==(const Range& o) const { return pa == o.pa && len == o.len; }
};
std::ostream& operator<<(std::ostream& os, const Range& r)
{
    return os << "{0x" << std::hex << r.pa << ", 0x" << r.len << std::dec << "}";
}

// What the cookies of a bind with open attributes must be: the buffer's
// bytes page by page (physical page addresses `pages`, starting `off` into
// the first), physically consecutive pieces merged.
std::vector<Range> expect(const std::vector<uint64_t>& pages, uint64_t off, uint64_t len)
{
    std::vector<Range> v;
    uint64_t done = 0;
    for (size_t i = 0; done < len; i++) {
        uint64_t start = (pages.at(i) & ~PAGEOFFSET) + (i == 0 ? off : 0);
        uint64_t n = std::min<uint64_t>(len - done, PAGESIZE - (start & PAGEOFFSET));
        if (!v.empty() && v.back().pa + v.back().len == start)
            v.back().len += n;
        else
            v.push_back(Range{start, n});
        done += n;
    }
    return v;
}

std::vector<Range> cookies(ddi_dma_handle_t h)
{
    std::vector<Range> v;
    for (const ddi_dma_cookie_t* c = ddi_dma_cookie_iter(h, nullptr); c; c = ddi_dma_cookie_iter(h, c))
        v.push_back(Range{c->dmac_laddress, c->dmac_size});
    return v;
}

std::vector<uint64_t> user_pages(struct as* as, caddr_t addr, size_t len)
{
    std::vector<uint64_t> v;
    uintptr_t a = reinterpret_cast<uintptr_t>(addr) & ~static_cast<uintptr_t>(PAGEOFFSET);
    uint64_t n = ((reinterpret_cast<uintptr_t>(addr) & PAGEOFFSET) + len + PAGEOFFSET) / PAGESIZE;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa = 0;
        REQUIRE(ddi::as_vtop(as, reinterpret_cast<caddr_t>(a + i * PAGESIZE), &pa));
        v.push_back(pa);
    }
    return v;
}

std::vector<uint64_t> kernel_pages(void* addr, size_t len)
{
    std::vector<uint64_t> v;
    uintptr_t a = reinterpret_cast<uintptr_t>(addr) & ~static_cast<uintptr_t>(PAGEOFFSET);
    uint64_t n = ((reinterpret_cast<uintptr_t>(addr) & PAGEOFFSET) + len + PAGEOFFSET) / PAGESIZE;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa = 0;
        REQUIRE(ddi::platform().memory().vtop(reinterpret_cast<void*>(a + i * PAGESIZE), &pa));
        v.push_back(pa);
    }
    return v;
}

std::vector<uint64_t> list_pages(page_t* pp, unsigned n)
{
    std::vector<uint64_t> v;
    for (unsigned i = 0; i < n; i++, pp = pp->p_next)
        v.push_back(ddi::ptob(pp->p_pagenum));
    return v;
}

std::vector<uint8_t> pattern(size_t n, unsigned seed)
{
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; i++)
        v[i] = static_cast<uint8_t>(i * 13 + seed);
    return v;
}

} // namespace

TEST_CASE("user address space: map, the process's accesses, protections, page locks", "[user][as]")
{
    HostPlatform plat;
    uint64_t free0 = plat.memory().free_pages();
    struct as* as = ddi::as_create();
    REQUIRE(as);
    caddr_t u = ddi::as_map(as, 3 * PAGESIZE, PROT_READ | PROT_WRITE, false, 100, 7);
    REQUIRE(u);
    CHECK((reinterpret_cast<uintptr_t>(u) & PAGEOFFSET) == 100);
    CHECK(plat.memory().free_pages() == free0 - 4);
    auto data = pattern(3 * PAGESIZE, 1);
    REQUIRE(ddi::as_write(as, u, data.data(), data.size()) == 0);
    std::vector<uint8_t> back(data.size());
    REQUIRE(ddi::as_read(as, u, back.data(), back.size()) == 0);
    CHECK(back == data);
    // The bytes are in the physical pages the space maps.
    uint64_t pa;
    REQUIRE(ddi::as_vtop(as, u + PAGESIZE, &pa));
    CHECK(*plat.memory().direct(pa) == data[PAGESIZE]);
    // The kernel's translation does not know user addresses.
    CHECK_FALSE(plat.memory().vtop(u, &pa));
    // Past the mapping: the guard page.
    CHECK(ddi::as_read(as, u + 4 * PAGESIZE, back.data(), 1) == EFAULT);

    page_t** pl = nullptr;
    CHECK(as_pagelock(as, &pl, u + 4 * PAGESIZE, 10, S_READ) == EFAULT);
    CHECK(pl == nullptr);
    REQUIRE(ddi::as_setprot(as, u + 2 * PAGESIZE, 1, PROT_READ) == 0);
    CHECK(as_pagelock(as, &pl, u, 3 * PAGESIZE, S_WRITE) == EACCES);     // device would write a read-only page
    CHECK(ddi::as_locked_pages(as) == 0);
    REQUIRE(as_pagelock(as, &pl, u, 3 * PAGESIZE, S_READ) == 0);
    REQUIRE(pl);
    CHECK(ddi::as_locked_pages(as) == 4);
    for (int i = 0; i < 4; i++) {
        REQUIRE(ddi::as_vtop(as, u + i * PAGESIZE - (i ? 100 : 0), &pa));
        CHECK(ddi::ptob(pl[i]->p_pagenum) == (pa & ~PAGEOFFSET));
        CHECK(pl[i]->p_lckcnt == 1);
    }
    CHECK(ddi::as_unmap(as, u, PAGESIZE) == EBUSY);      // locked: nothing unmapped
    CHECK(ddi::as_read(as, u, back.data(), 1) == 0);
    REQUIRE_PANICS(ddi::as_destroy(as), "locked");
    as_pageunlock(as, pl, u, 3 * PAGESIZE, S_READ);
    CHECK(ddi::as_locked_pages(as) == 0);
    // Unlocking what is not locked is a bug a DEBUG kernel catches.
    REQUIRE(ddi::as_vtop(as, u, &pa));
    page_t* stale[1] = {page_numtopp_nolock(static_cast<pfn_t>(pa >> PAGESHIFT))};
    REQUIRE_PANICS(as_pageunlock(as, stale, u, 1, S_READ), "is not locked");
    CHECK(ddi::as_unmap(as, u, 3 * PAGESIZE) == 0);
    CHECK(ddi::as_read(as, u, back.data(), 1) == EFAULT);
    CHECK(plat.memory().free_pages() == free0);
    ddi::as_destroy(as);
}

TEST_CASE("ddi_dma_addr_bind_handle with a user address space", "[user][dma]")
{
    HostPlatform plat;
    struct as* as = ddi::as_create();
    size_t len = 5 * PAGESIZE - 300;
    caddr_t u = ddi::as_map(as, len, PROT_READ | PROT_WRITE, false, 300, 11);
    REQUIRE(u);
    ddi_dma_attr_t attr = open_attr();
    ddi_dma_handle_t h;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h) == DDI_SUCCESS);
    ddi_dma_cookie_t c;
    uint_t n = 0;
    REQUIRE(ddi_dma_addr_bind_handle(h, as, u, len, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) ==
            DDI_DMA_MAPPED);
    CHECK(cookies(h) == expect(user_pages(as, u, len), 300, len));
    CHECK(n == cookies(h).size());
    REQUIRE(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
    // The same address in the kernel's space (as NULL or &kas) is not mapped.
    CHECK(ddi_dma_addr_bind_handle(h, nullptr, u, len, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) ==
          DDI_DMA_NOMAPPING);
    CHECK(ddi_dma_addr_bind_handle(h, &kas, u, len, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) ==
          DDI_DMA_NOMAPPING);
    // Running off the mapping (the guard page): NOMAPPING, nothing bound.
    CHECK(ddi_dma_addr_bind_handle(h, as, u, len + PAGESIZE, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) ==
          DDI_DMA_NOMAPPING);
    CHECK(ddi_dma_unbind_handle(h) == DDI_FAILURE);
    ddi_dma_free_handle(&h);
    plat.join();
    ddi::as_destroy(as);
}

TEST_CASE("ddi_dma_buf_bind_handle: the object as sunddi.c picks it from the buf", "[user][dma][quirk]")
{
    HostPlatform plat;
    struct as* as = ddi::as_create();
    struct proc uproc;
    uproc.p_as = as;
    uproc.p_pid = 100;
    const size_t len = 3 * PAGESIZE + 100;
    const uint64_t off = 0xab0;
    caddr_t u = ddi::as_map(as, len, PROT_READ | PROT_WRITE, false, off, 5);
    uint8_t* k = plat.memory().map(len, false, off, 6);
    page_t* pl = ddi::page_list_alloc(4, false, 8);
    page_t* other = ddi::page_list_alloc(4, false, 9);     // a shadow list that is not the as's pages
    REQUIRE((u && k && pl && other));
    ddi_dma_attr_t attr = open_attr();
    ddi_dma_handle_t h;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h) == DDI_SUCCESS);
    page_t* shadow[4];
    {
        page_t* pp = other;
        for (auto& s : shadow) {
            s = pp;
            pp = pp->p_next;
        }
    }

    struct Case {
        const char* what;
        int flags;
        caddr_t addr;
        struct proc* proc;
        page_t** shadow;
        page_t* pages;
        size_t bcount;
        int rv;
        std::vector<Range> want;
    };
    std::vector<Case> cases = {
        {"kernel address, no process", B_READ, reinterpret_cast<caddr_t>(k), nullptr, nullptr, nullptr, len,
         DDI_DMA_MAPPED, expect(kernel_pages(k, len), off, len)},
        {"kernel address, p0 (kas)", B_READ | B_PHYS, reinterpret_cast<caddr_t>(k), &p0, nullptr, nullptr, len,
         DDI_DMA_MAPPED, expect(kernel_pages(k, len), off, len)},
        {"B_PHYS, a user process", B_READ | B_PHYS, u, &uproc, nullptr, nullptr, len, DDI_DMA_MAPPED,
         expect(user_pages(as, u, len), off, len)},
        {"user address, no process: looked up in kas", B_READ | B_PHYS, u, nullptr, nullptr, nullptr, len,
         DDI_DMA_NOMAPPING, {}},
        {"B_SHADOW: the shadow list, not the address space", B_READ | B_PHYS | B_SHADOW, u, &uproc, shadow,
         nullptr, len, DDI_DMA_MAPPED, expect(list_pages(other, 4), off, len)},
        {"B_SHADOW|B_REMAPPED: the address (kas), not the shadow", B_READ | B_SHADOW | B_REMAPPED,
         reinterpret_cast<caddr_t>(k), &uproc, shadow, nullptr, len, DDI_DMA_MAPPED,
         expect(kernel_pages(k, len), off, len)},
        {"B_PAGEIO: the page list from b_addr's page offset (high bits ignored)", B_READ | B_PAGEIO,
         reinterpret_cast<caddr_t>(0x77770000 + off), nullptr, nullptr, pl, len, DDI_DMA_MAPPED,
         expect(list_pages(pl, 4), off, len)},
        {"B_PAGEIO, list shorter than the transfer", B_READ | B_PAGEIO, reinterpret_cast<caddr_t>(off), nullptr,
         nullptr, pl, len + 4 * PAGESIZE, DDI_DMA_NOMAPPING, {}},
        {"B_PAGEIO, no list", B_READ | B_PAGEIO, nullptr, nullptr, nullptr, nullptr, len, DDI_DMA_NOMAPPING, {}},
        {"B_PAGEIO|B_REMAPPED: the kernel address", B_READ | B_PAGEIO | B_REMAPPED, reinterpret_cast<caddr_t>(k),
         nullptr, nullptr, pl, len, DDI_DMA_MAPPED, expect(kernel_pages(k, len), off, len)},
        {"size is (uint_t)b_bcount: 4 GiB + 512 binds 512 bytes", B_READ | B_PAGEIO,
         reinterpret_cast<caddr_t>(off), nullptr, nullptr, pl, (size_t{1} << 32) + 512, DDI_DMA_MAPPED,
         expect(list_pages(pl, 1), off, 512)},
    };
    for (const Case& t : cases) {
        INFO(t.what);
        struct buf* bp = getrbuf(KM_SLEEP);
        bp->b_flags = t.flags | B_BUSY;
        bp->b_un.b_addr = t.addr;
        bp->b_proc = t.proc;
        bp->b_shadow = t.shadow;
        bp->b_pages = t.pages;
        bp->b_bcount = t.bcount;
        ddi_dma_cookie_t c;
        uint_t n = 0;
        int rv = ddi_dma_buf_bind_handle(h, bp, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n);
        CHECK(rv == t.rv);
        if (rv == DDI_DMA_MAPPED) {
            CHECK(cookies(h) == t.want);
            CHECK(c.dmac_laddress == t.want[0].pa);
            CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
        }
        freerbuf(bp);
    }
    // A shadow list from as_pagelock knows its length: a b_bcount grown
    // past what was locked is NOMAPPING, not a read past the list.
    page_t** locked = nullptr;
    REQUIRE(as_pagelock(as, &locked, u, PAGESIZE, S_WRITE) == 0);      // pages 0 and 1 (0xab0 in)
    struct buf* bp = getrbuf(KM_SLEEP);
    bp->b_flags = B_BUSY | B_PHYS | B_SHADOW | B_READ;
    bp->b_un.b_addr = u;
    bp->b_proc = &uproc;
    bp->b_shadow = locked;
    bp->b_bcount = PAGESIZE;
    ddi_dma_cookie_t c;
    uint_t n;
    CHECK(ddi_dma_buf_bind_handle(h, bp, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
    CHECK(cookies(h) == expect(user_pages(as, u, PAGESIZE), off, PAGESIZE));
    CHECK(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
    bp->b_bcount = len;
    CHECK(ddi_dma_buf_bind_handle(h, bp, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_NOMAPPING);
    as_pageunlock(as, locked, u, PAGESIZE, S_WRITE);
    freerbuf(bp);
    ddi_dma_free_handle(&h);
    plat.join();
    ddi::page_list_free(pl);
    ddi::page_list_free(other);
    plat.memory().unmap(k);
    ddi::as_destroy(as);
}

TEST_CASE("bounce pages of a user buffer and of a page list: syncs copy the right bytes", "[user][dma][bounce]")
{
    HostPlatform plat;
    struct as* as = ddi::as_create();
    struct proc uproc;
    uproc.p_as = as;
    const size_t len = 2 * PAGESIZE + 500;
    // Contiguous, first fit: low in RAM, with room above for bounce pages.
    caddr_t u = ddi::as_map(as, len, PROT_READ | PROT_WRITE, true, 200, 3);
    page_t* pl = ddi::page_list_alloc(3, true, 4);
    REQUIRE((u && pl));
    // Every page is out of reach (addr_hi below RAM's end, lo above every page): all bounce.
    uint64_t top = 0;
    for (uint64_t pa : user_pages(as, u, len))
        top = std::max(top, pa);
    for (uint64_t pa : list_pages(pl, 3))
        top = std::max(top, pa);
    ddi_dma_attr_t attr = open_attr();
    attr.dma_attr_addr_lo = top + PAGESIZE;
    attr.dma_attr_addr_hi = plat.memory().base() + plat.memory().size() - 1;
    REQUIRE(attr.dma_attr_addr_lo < attr.dma_attr_addr_hi);
    ddi_dma_handle_t h;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h) == DDI_SUCCESS);
    auto data = pattern(len, 9);
    REQUIRE(ddi::as_write(as, u, data.data(), len) == 0);

    // A write (memory to device): the bind copies the user bytes to the bounce pages.
    struct buf* bp = getrbuf(KM_SLEEP);
    bp->b_flags = B_BUSY | B_PHYS | B_WRITE;
    bp->b_un.b_addr = u;
    bp->b_proc = &uproc;
    bp->b_bcount = len;
    ddi_dma_cookie_t c;
    uint_t n;
    REQUIRE(ddi_dma_buf_bind_handle(h, bp, DDI_DMA_WRITE, DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
    std::vector<uint8_t> seen;
    for (Range r : cookies(h)) {
        CHECK(r.pa >= attr.dma_attr_addr_lo);
        const uint8_t* p = plat.memory().direct(r.pa, r.len);
        seen.insert(seen.end(), p, p + r.len);
    }
    CHECK(seen == data);
    REQUIRE(ddi_dma_unbind_handle(h) == DDI_SUCCESS);

    // A read into a page list: the device fills the bounce pages, unbind copies back.
    freerbuf(bp);
    bp = pageio_setup(pl, len, nullptr, B_READ);
    bp->b_un.b_addr = reinterpret_cast<caddr_t>(uintptr_t{200});
    REQUIRE(ddi_dma_buf_bind_handle(h, bp, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
    size_t at = 0;
    for (Range r : cookies(h)) {
        std::memcpy(plat.memory().direct(r.pa, r.len), data.data() + at, r.len);
        at += r.len;
    }
    REQUIRE(at == len);
    REQUIRE(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
    bp_mapin(bp);
    CHECK(std::memcmp(bp->b_un.b_addr, data.data(), len) == 0);
    pageio_done(bp);
    ddi_dma_free_handle(&h);
    plat.join();
    ddi::page_list_free(pl);
    ddi::as_destroy(as);
}

TEST_CASE("pageio_setup and bp_mapin/bp_mapout", "[user][bio]")
{
    HostPlatform plat;
    page_t* pl = ddi::page_list_alloc(3, false, 21);
    REQUIRE(pl);
    uint64_t free0 = plat.memory().free_pages();
    auto data = pattern(3 * PAGESIZE, 4);
    {
        page_t* pp = pl;
        for (int i = 0; i < 3; i++, pp = pp->p_next)
            std::memcpy(plat.memory().direct(ddi::ptob(pp->p_pagenum), PAGESIZE), data.data() + i * PAGESIZE,
                        PAGESIZE);
    }
    struct buf* bp = pageio_setup(pl, 2 * PAGESIZE, nullptr, B_WRITE);
    CHECK(bp->b_flags == (B_PAGEIO | B_NOCACHE | B_BUSY | B_WRITE));
    CHECK(bp->b_pages == pl);
    CHECK(bp->b_bcount == 2 * PAGESIZE);
    CHECK(bp->b_un.b_addr == nullptr);
    bp->b_un.b_addr = reinterpret_cast<caddr_t>(uintptr_t{0x300});
    bp_mapin(bp);
    CHECK(bp->b_flags & B_REMAPPED);
    CHECK((reinterpret_cast<uintptr_t>(bp->b_un.b_addr) & PAGEOFFSET) == 0x300);
    CHECK(std::memcmp(bp->b_un.b_addr, data.data() + 0x300, 2 * PAGESIZE) == 0);
    bp->b_un.b_addr[5] = 0x5a;      // the kernel mapping writes the page itself
    CHECK(*plat.memory().direct(ddi::ptob(pl->p_pagenum) + 0x305) == 0x5a);
    CHECK(plat.memory().free_pages() == free0);     // an alias: no page taken
    bp_mapout(bp);
    CHECK_FALSE(bp->b_flags & B_REMAPPED);
    CHECK(bp->b_un.b_addr == reinterpret_cast<caddr_t>(uintptr_t{0x300}));
    CHECK(plat.memory().free_pages() == free0);
    pageio_done(bp);
    ddi::page_list_free(pl);
    CHECK(plat.memory().free_pages() == free0 + 3);

    // A user buf: bp_mapin maps the process's pages into the kernel.
    struct as* as = ddi::as_create();
    struct proc uproc;
    uproc.p_as = as;
    caddr_t u = ddi::as_map(as, 5000, PROT_READ | PROT_WRITE, false, 77, 2);
    REQUIRE(ddi::as_write(as, u, data.data(), 5000) == 0);
    bp = getrbuf(KM_SLEEP);
    bp->b_flags = B_BUSY | B_PHYS | B_READ;
    bp->b_un.b_addr = u;
    bp->b_proc = &uproc;
    bp->b_bcount = 5000;
    bp_mapin(bp);
    CHECK(bp->b_flags & B_REMAPPED);
    CHECK(bp->b_un.b_addr != u);
    CHECK(std::memcmp(bp->b_un.b_addr, data.data(), 5000) == 0);
    bp_mapout(bp);
    CHECK(bp->b_un.b_addr == u);
    freerbuf(bp);
    ddi::as_destroy(as);
}

// ---------------------------------------------------------------- physio on a user buffer

namespace {

// A RAM disk whose strategy does what a DMA driver does: bind the buf
// (ddi_dma_buf_bind_handle, or the kernel-address bind the xx driver uses
// today), "DMA" through the cookies, unbind, biodone.
std::vector<uint8_t> udisk;
ddi_dma_handle_t udh;
bool use_addr_bind = false;
struct as* expect_as = nullptr;
struct proc* expect_proc = nullptr;
std::vector<size_t> uchunks;
int bad_buf = 0;
std::vector<int> bind_rvs;

int udisk_strategy(struct buf* bp)
{
    uchunks.push_back(bp->b_bcount);
    // physio's promise: B_PHYS, the process, the chunk's pages locked.
    // (Kernel pages are never paged out: kas keeps no lock counts.)
    uint64_t npages = ((reinterpret_cast<uintptr_t>(bp->b_un.b_addr) & PAGEOFFSET) + bp->b_bcount + PAGEOFFSET) / PAGESIZE;
    if (!(bp->b_flags & B_PHYS) || !(bp->b_flags & B_SHADOW) || bp->b_proc != expect_proc || !bp->b_shadow ||
        (expect_as != &kas && ddi::as_locked_pages(expect_as) != npages))
        bad_buf++;
    size_t off = static_cast<size_t>(bp->b_lblkno) * DEV_BSIZE;
    uint_t dir = (bp->b_flags & B_READ) ? DDI_DMA_READ : DDI_DMA_WRITE;
    ddi_dma_cookie_t c;
    uint_t n;
    int rv = use_addr_bind ? ddi_dma_addr_bind_handle(udh, nullptr, bp->b_un.b_addr, bp->b_bcount, dir,
                                                      DDI_DMA_DONTWAIT, nullptr, &c, &n)
                           : ddi_dma_buf_bind_handle(udh, bp, dir, DDI_DMA_DONTWAIT, nullptr, &c, &n);
    bind_rvs.push_back(rv);
    if (rv != DDI_DMA_MAPPED) {
        bp->b_resid = bp->b_bcount;
        bioerror(bp, EFAULT);
        biodone(bp);
        return 0;
    }
    size_t at = off;
    for (const ddi_dma_cookie_t* k = ddi_dma_cookie_iter(udh, nullptr); k; k = ddi_dma_cookie_iter(udh, k)) {
        uint8_t* m = ddi::platform().memory().direct(k->dmac_laddress, k->dmac_size);
        if (bp->b_flags & B_READ)
            std::memcpy(m, udisk.data() + at, k->dmac_size);
        else
            std::memcpy(udisk.data() + at, m, k->dmac_size);
        at += k->dmac_size;
    }
    (void)ddi_dma_unbind_handle(udh);
    bp->b_resid = 0;
    biodone(bp);
    return 0;
}

void reset_udisk()
{
    udisk = pattern(64 * PAGESIZE, 3);
    uchunks.clear();
    bind_rvs.clear();
    bad_buf = 0;
    use_addr_bind = false;
}

} // namespace

TEST_CASE("physio on a user buffer: pages locked across strategy, the buf bound through its process",
          "[user][physio]")
{
    HostPlatform plat;
    size_t saved = maxphys;
    maxphys = 2 * PAGESIZE;
    reset_udisk();
    ddi_dma_attr_t attr = open_attr();
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &udh) == DDI_SUCCESS);
    struct as* as = ddi::as_create();
    struct proc uproc;
    uproc.p_as = as;
    uproc.p_pid = 42;
    expect_as = as;
    expect_proc = &uproc;
    const size_t len = 5 * PAGESIZE + 700;
    caddr_t u = ddi::as_map(as, len, PROT_READ | PROT_WRITE, false, 1000, 17);
    REQUIRE(u);
    ddi::set_curproc(&uproc);
    CHECK(curproc == &uproc);

    // Read 5 pages + 700 bytes from block 8 into the user buffer.
    iovec iov{u, len};
    uio uu;
    uu.uio_iov = &iov;
    uu.uio_iovcnt = 1;
    uu.uio_loffset = 8 * DEV_BSIZE;
    uu.uio_resid = static_cast<ssize_t>(len);
    uu.uio_segflg = UIO_USERSPACE;
    CHECK(physio(udisk_strategy, nullptr, 0, B_READ, minphys, &uu) == 0);
    CHECK(uchunks == std::vector<size_t>{2 * PAGESIZE, 2 * PAGESIZE, PAGESIZE + 700});
    CHECK(bad_buf == 0);
    CHECK(uu.uio_resid == 0);
    CHECK(ddi::as_locked_pages(as) == 0);       // unlocked after each chunk
    std::vector<uint8_t> got(len);
    REQUIRE(ddi::as_read(as, u, got.data(), len) == 0);
    CHECK(std::memcmp(got.data(), udisk.data() + 8 * DEV_BSIZE, len) == 0);

    // Write it back elsewhere (block 40).
    auto data = pattern(len, 77);
    REQUIRE(ddi::as_write(as, u, data.data(), len) == 0);
    iov = iovec{u, len};
    uu.uio_loffset = 40 * DEV_BSIZE;
    uu.uio_resid = static_cast<ssize_t>(len);
    uchunks.clear();
    CHECK(physio(udisk_strategy, nullptr, 0, B_WRITE, minphys, &uu) == 0);
    CHECK(uu.uio_resid == 0);
    CHECK(std::memcmp(udisk.data() + 40 * DEV_BSIZE, data.data(), len) == 0);

    // A read into a read-only page: EACCES before anything reaches the driver.
    // The mapping's pages: 0-2 hold the first chunk (1000 bytes in), 2-4 the
    // second; page 3 read-only stops the second.
    REQUIRE(ddi::as_setprot(as, u + 3 * PAGESIZE, 1, PROT_READ) == 0);
    iov = iovec{u, len};
    uu.uio_loffset = 0;
    uu.uio_resid = static_cast<ssize_t>(len);
    uchunks.clear();
    CHECK(physio(udisk_strategy, nullptr, 0, B_READ, minphys, &uu) == EACCES);
    CHECK(uchunks.size() == 1);
    CHECK(uu.uio_resid == static_cast<ssize_t>(len - 2 * PAGESIZE));
    CHECK(ddi::as_locked_pages(as) == 0);
    // Writing from it is fine (the device only reads the memory).
    iov = iovec{u, len};
    uu.uio_resid = static_cast<ssize_t>(len);
    CHECK(physio(udisk_strategy, nullptr, 0, B_WRITE, minphys, &uu) == 0);
    REQUIRE(ddi::as_setprot(as, u + 3 * PAGESIZE, 1, PROT_READ | PROT_WRITE) == 0);

    // Part of the buffer unmapped (page 5, in the third chunk): two chunks move, then EFAULT.
    REQUIRE(ddi::as_unmap(as, u + 5 * PAGESIZE, PAGESIZE) == 0);
    iov = iovec{u, len};
    uu.uio_resid = static_cast<ssize_t>(len);
    uchunks.clear();
    CHECK(physio(udisk_strategy, nullptr, 0, B_READ, minphys, &uu) == EFAULT);
    CHECK(uchunks.size() == 2);
    CHECK(uu.uio_resid == static_cast<ssize_t>(len - 4 * PAGESIZE));
    CHECK(ddi::as_locked_pages(as) == 0);

    // The xx driver's bind today, ddi_dma_addr_bind_handle with as NULL and
    // the buf's address: a user address is not in the kernel's space.
    REQUIRE(ddi::as_unmap(as, u, len) == 0);
    u = ddi::as_map(as, len, PROT_READ | PROT_WRITE, false, 1000, 18);
    iov = iovec{u, len};
    uu.uio_resid = static_cast<ssize_t>(len);
    uchunks.clear();
    bind_rvs.clear();
    use_addr_bind = true;
    CHECK(physio(udisk_strategy, nullptr, 0, B_READ, minphys, &uu) == EFAULT);
    CHECK(bind_rvs == std::vector<int>{DDI_DMA_NOMAPPING});
    CHECK(uu.uio_resid == static_cast<ssize_t>(len));

    // A kernel-space uio from the same thread: no page locking, b_proc NULL.
    ddi::set_curproc(nullptr);
    CHECK(curproc == &p0);
    ddi_dma_free_handle(&udh);
    plat.join();
    ddi::as_destroy(as);
    maxphys = saved;
}

TEST_CASE("physio with UIO_USERSPACE from a kernel thread: kas, kernel pages", "[user][physio]")
{
    HostPlatform plat;
    size_t saved = maxphys;
    maxphys = 2 * PAGESIZE;
    reset_udisk();
    ddi_dma_attr_t attr = open_attr();
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &udh) == DDI_SUCCESS);
    expect_as = &kas;
    expect_proc = &p0;
    const size_t len = 3 * PAGESIZE;
    uint8_t* k = plat.memory().map(len, false, 0, 12);
    iovec iov{k, len};
    uio uu;
    uu.uio_iov = &iov;
    uu.uio_iovcnt = 1;
    uu.uio_loffset = 0;
    uu.uio_resid = static_cast<ssize_t>(len);
    uu.uio_segflg = UIO_USERSPACE;
    CHECK(physio(udisk_strategy, nullptr, 0, B_READ, minphys, &uu) == 0);
    CHECK(uu.uio_resid == 0);
    CHECK(std::memcmp(k, udisk.data(), len) == 0);
    CHECK(bad_buf == 0);
    CHECK(bind_rvs == std::vector<int>{DDI_DMA_MAPPED, DDI_DMA_MAPPED});
    ddi_dma_free_handle(&udh);
    plat.join();
    plat.memory().unmap(k);
    maxphys = saved;
}

TEST_CASE("property: every kind of buf binds to exactly its own pages, in order", "[user][dma][property]")
{
    uint64_t seed = test_seed("user property");
    std::mt19937_64 rng(seed);
    HostPlatform plat;
    struct as* as = ddi::as_create();
    struct proc uproc;
    uproc.p_as = as;
    ddi_dma_attr_t attr = open_attr();
    ddi_dma_handle_t h;
    REQUIRE(ddi_dma_alloc_handle(nullptr, &attr, DDI_DMA_SLEEP, nullptr, &h) == DDI_SUCCESS);
    uint64_t free0 = plat.memory().free_pages();
    for (int i = 0; i < 300; i++) {
        const int kind = static_cast<int>(rng() % 4);   // kernel, user, user+shadow, page list
        const uint64_t off = rng() % PAGESIZE;
        const size_t len = 1 + rng() % (6 * PAGESIZE);
        const bool contig = rng() % 4 == 0;
        const unsigned npages = static_cast<unsigned>((off + len + PAGEOFFSET) / PAGESIZE);
        INFO("seed " << seed << " iteration " << i << " kind " << kind << " off " << off << " len " << len);
        struct buf* bp = getrbuf(KM_SLEEP);
        bp->b_flags = B_BUSY | B_READ;
        bp->b_bcount = len;
        uint8_t* k = nullptr;
        caddr_t u = nullptr;
        page_t* pl = nullptr;
        page_t** locked = nullptr;
        std::vector<uint64_t> pages;
        if (kind == 0) {
            k = plat.memory().map(len, contig, off, rng());
            bp->b_un.b_addr = reinterpret_cast<caddr_t>(k);
            pages = kernel_pages(k, len);
        } else if (kind == 1 || kind == 2) {
            u = ddi::as_map(as, len, PROT_READ | PROT_WRITE, contig, off, rng());
            REQUIRE(u);
            bp->b_flags |= B_PHYS;
            bp->b_un.b_addr = u;
            bp->b_proc = &uproc;
            pages = user_pages(as, u, len);
            if (kind == 2) {
                REQUIRE(as_pagelock(as, &locked, u, len, S_WRITE) == 0);
                bp->b_flags |= B_SHADOW;
                bp->b_shadow = locked;
            }
        } else {
            pl = ddi::page_list_alloc(npages, contig, rng());
            REQUIRE(pl);
            bp->b_flags |= B_PAGEIO;
            bp->b_pages = pl;
            bp->b_un.b_addr = reinterpret_cast<caddr_t>((rng() & ~uint64_t{PAGEOFFSET}) | off);
            pages = list_pages(pl, npages);
        }
        REQUIRE(pages.size() == npages);
        ddi_dma_cookie_t c;
        uint_t n = 0;
        REQUIRE(ddi_dma_buf_bind_handle(h, bp, DDI_DMA_READ, DDI_DMA_DONTWAIT, nullptr, &c, &n) == DDI_DMA_MAPPED);
        std::vector<Range> got = cookies(h);
        CHECK(got == expect(pages, off, len));
        CHECK(n == got.size());
        uint64_t total = 0;
        for (Range r : got)
            total += r.len;
        CHECK(total == len);
        REQUIRE(ddi_dma_unbind_handle(h) == DDI_SUCCESS);
        if (locked)
            as_pageunlock(as, locked, u, len, S_WRITE);
        if (u)
            REQUIRE(ddi::as_unmap(as, u, len) == 0);
        if (k)
            plat.memory().unmap(k);
        if (pl)
            ddi::page_list_free(pl);
        freerbuf(bp);
    }
    CHECK(plat.memory().free_pages() == free0);      // nothing leaked
    ddi_dma_free_handle(&h);
    plat.join();
    ddi::as_destroy(as);
}
