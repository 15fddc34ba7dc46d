// DMA handles and binding, after the x86 root nexus (rootnex.c) as
// ../shared/docs/ddi-semantics.md describes it:
//  - a bind walks the buffer a 4 KiB page at a time and cuts it into
//    cookies at physical discontinuities, segment boundaries and the
//    largest cookie the attributes allow (maxseg);
//  - a page outside [addr_lo, addr_hi] goes through a bounce ("copy")
//    page: a cookie of its own, copied by ddi_dma_sync and the implicit
//    syncs at bind, getwin and unbind;
//  - when the buffer does not fit (bounce space, maxxfer, sgllen) and the
//    caller passed DDI_DMA_PARTIAL, it is cut into windows;
//  - cookie/window state and bounce space come from a bounded pool a test
//    may shrink (NORESOURCES), with DONTWAIT, SLEEP and function callbacks
//    on the system-wide list (callback.cc); so do DVMA pages, the I/O
//    address space an IOMMU nexus would map each window into;
//  - the object bound is a kernel or user virtual address, a shadow page
//    list (physio's as_pagelock) or a B_PAGEIO page list, chosen from the
//    buf as sunddi.c chooses it.
//
// All windows are computed at bind time; getwin only moves the cursor and
// syncs, which gives the same cookies as rootnex's trimming in place.
#include <algorithm>
#include <cstring>
#include <deque>
#include <mutex>
#include <vector>

#include "ddi/impl.h"
#include "ddi/physmem.h"

using ddi::PAGEOFFSET;
using ddi::PAGESIZE;

namespace {

// Pool costs: what rootnex allocates per handle and per bind.
constexpr uint64_t HANDLE_COST = 256;
constexpr uint64_t COOKIE_COST = sizeof(ddi_dma_cookie_t);
constexpr uint64_t WINDOW_COST = 64;

struct Piece {
    uint64_t pa;        // physical address of the buffer's bytes
    size_t off;         // offset in the buffer
    size_t len;
    bool bounce;        // outside [addr_lo, addr_hi]: goes through a copy page
};

struct Bounce {
    size_t off;         // buffer offset
    size_t len;
    uint64_t pa;        // the copy page's physical address (+ offset)
    uint64_t orig;      // the buffer's own bytes (physical): syncs copy between the two
};

// What a bind maps (ddi_dma_obj_t): a virtual address in an address space,
// a virtual address with the shadow list as_pagelock made for it, or a
// page list (B_PAGEIO).
struct DmaObject {
    enum Type { Vaddr, Shadow, Pages } type = Vaddr;
    caddr_t addr = nullptr;     // Vaddr, Shadow
    struct as* as = nullptr;    // Vaddr: NULL or &kas is the kernel's
    page_t** shadow = nullptr;  // Shadow: one page per page of [addr, addr + len)
    page_t* pages = nullptr;    // Pages: the first page
    size_t offset = 0;          // Pages: where the data starts in the first page
};

struct Window {
    size_t off = 0;
    size_t len = 0;
    std::vector<Piece> pieces;
    std::vector<ddi_dma_cookie_t> cookies;
    std::vector<Bounce> bounces;
    unsigned nbounce = 0;
};

struct Pool {
    std::unique_ptr<ddi::PlatformMutex> mu;
    std::unique_ptr<ddi::PlatformCondVar> cv;
    uint64_t limit = ~0ull;
    uint64_t used = 0;
    uint64_t handle_used = 0;   // the part of `used` held by allocated handles
    uint64_t copybuf_max = 0x100000;
    uint64_t dvma_limit = ~0ull;    // pages of DVMA space
    uint64_t dvma_used = 0;
};

std::mutex pool_init_mu;
std::unique_ptr<Pool> the_pool;

Pool& pool()
{
    std::lock_guard<std::mutex> g(pool_init_mu);
    if (!the_pool) {
        the_pool = std::make_unique<Pool>();
        the_pool->mu = ddi::platform().make_mutex();
        the_pool->cv = ddi::platform().make_condvar();
    }
    return *the_pool;
}

} // namespace

struct ddi_dma_impl {
    dev_info_t* dip;
    ddi_dma_attr_t attr;
    uint64_t maxseg;        // largest cookie
    uint64_t maxxfer;       // maxxfer rounded down to granular
    bool bound = false;
    uint_t flags = 0;
    int result = 0;         // what the bind returned (numwin needs PARTIAL_MAP)
    size_t len = 0;
    std::vector<Window> wins;
    uint_t nwin = 0;        // as getwin sees it: 0 after a fast-path bind
    size_t curwin = 0;
    size_t cursor = 0;      // next cookie ddi_dma_nextcookie returns
    std::vector<uint64_t> copybuf;  // bounce pages (physical)
    uint64_t cost = 0;      // pool bytes held by the bind
    uint64_t dvma = 0;      // DVMA pages held by the bind
};

namespace ddi {

// The pool's settings and counts, read or set under its lock; a new limit
// wakes the binds sleeping for resources (DDI_DMA_SLEEP).
static uint64_t pool_get(uint64_t Pool::*field)
{
    Pool& p = pool();
    p.mu->lock();
    uint64_t v = p.*field;
    p.mu->unlock();
    return v;
}

static void pool_set(uint64_t Pool::*field, uint64_t v)
{
    Pool& p = pool();
    p.mu->lock();
    p.*field = v;
    p.mu->unlock();
    p.cv->notify_all();
}

void dma_pool_set_limit(uint64_t bytes) { pool_set(&Pool::limit, bytes); }
uint64_t dma_pool_limit() { return pool_get(&Pool::limit); }
uint64_t dma_pool_used() { return pool_get(&Pool::used); }
void dma_set_copybuf_max(uint64_t bytes) { pool_set(&Pool::copybuf_max, std::max<uint64_t>(bytes & ~PAGEOFFSET, PAGESIZE)); }
void dma_dvma_set_pages(uint64_t pages) { pool_set(&Pool::dvma_limit, pages); }
uint64_t dma_dvma_pages() { return pool_get(&Pool::dvma_limit); }
uint64_t dma_dvma_used() { return pool_get(&Pool::dvma_used); }

uint64_t dma_handle_dvma(ddi_dma_handle_t h) { return h ? h->dvma : 0; }

namespace impl {
void reset_dma_state()
{
    std::lock_guard<std::mutex> g(pool_init_mu);
    the_pool.reset();
}
} // namespace impl
} // namespace ddi

// +1 without wrapping: a limit of all ones means "no limit".
static uint64_t plus1(uint64_t v) { return v == ~0ull ? v : v + 1; }

static bool attr_valid(const ddi_dma_attr_t* a, uint64_t maxseg)
{
    if (!a)
        return false;
    if (a->dma_attr_seg < 0xfff || a->dma_attr_count_max < 0xfff)
        return false;
    if (a->dma_attr_granular > PAGESIZE || a->dma_attr_granular == 0)
        return false;
    if (PAGESIZE % a->dma_attr_granular != 0)
        return false;
    if (a->dma_attr_maxxfer < PAGESIZE)
        return false;
    if (a->dma_attr_addr_hi <= a->dma_attr_addr_lo)
        return false;
    if ((a->dma_attr_seg & 0xfff) != 0xfff)
        return false;
    if (a->dma_attr_sgllen == 0)
        return false;
    if (maxseg < PAGESIZE)
        return false;
    return true;
}

// Take `cost` pool bytes, `npages` bounce pages inside [lo, hi] and `dvma`
// DVMA pages under the caller's callback rule. Returns DDI_SUCCESS or
// DDI_DMA_NORESOURCES (after registering a function callback).
static int acquire(uint64_t cost, unsigned npages, uint64_t lo, uint64_t hi,
                   ddi_dma_callback_t callback, caddr_t arg, std::vector<uint64_t>* pages,
                   const char* who, bool handle, uint64_t dvma = 0)
{
    Pool& p = pool();
    ddi::PhysMem& mem = ddi::platform().memory();
    p.mu->lock();
    for (;;) {
        if (p.used + cost <= p.limit && p.limit >= cost && dvma <= p.dvma_limit - p.dvma_used &&
            p.dvma_used <= p.dvma_limit) {
            pages->clear();
            uint64_t pa;
            while (pages->size() < npages && mem.alloc_page(lo, hi, &pa))
                pages->push_back(pa);
            if (pages->size() == npages) {
                p.used += cost;
                p.dvma_used += dvma;
                if (handle)
                    p.handle_used += cost;
                p.mu->unlock();
                return DDI_SUCCESS;
            }
            for (uint64_t q : *pages)
                mem.free_page(q);
            pages->clear();
        }
        if (callback == DDI_DMA_DONTWAIT)
            break;
        if (callback == DDI_DMA_SLEEP) {
            // Sleep until an unbind or free gives something back. If no
            // bind holds anything, or the request could not fit even when
            // every bind is undone, nothing will come: fail, do not hang.
            // (Handles are held for a driver's lifetime: not counted on.)
            uint64_t binds = p.used - p.handle_used;
            if (binds == 0 || cost + p.handle_used > p.limit || dvma > p.dvma_limit) {
                cmn_err(CE_WARN, "%s: DDI_DMA_SLEEP for %llu bytes, %u bounce pages and %llu DVMA "
                        "pages that can never be available", who,
                        static_cast<unsigned long long>(cost), npages,
                        static_cast<unsigned long long>(dvma));
                break;
            }
            p.cv->wait(*p.mu);
            continue;
        }
        ddi_set_callback(callback, arg, &ddi::dma_callback_listid);
        break;
    }
    p.mu->unlock();
    return DDI_DMA_NORESOURCES;
}

static void release(uint64_t cost, std::vector<uint64_t>* pages, bool handle, uint64_t dvma = 0)
{
    Pool& p = pool();
    ddi::PhysMem& mem = ddi::platform().memory();
    p.mu->lock();
    p.used -= cost;
    p.dvma_used -= dvma;
    if (handle)
        p.handle_used -= cost;
    for (uint64_t q : *pages)
        mem.free_page(q);
    pages->clear();
    p.mu->unlock();
    p.cv->notify_all();
}

static void check_sleep(ddi_dma_callback_t callback, const char* who)
{
    if (callback == DDI_DMA_SLEEP && servicing_interrupt())
        cmn_err(CE_PANIC, "%s: DDI_DMA_SLEEP from interrupt context", who);
}

int ddi_dma_alloc_handle(dev_info_t* dip, const ddi_dma_attr_t* attr, ddi_dma_callback_t waitfp,
                         caddr_t arg, ddi_dma_handle_t* handlep)
{
    check_sleep(waitfp, "ddi_dma_alloc_handle");
    if (!attr || !handlep)
        return DDI_DMA_BADATTR;
    uint64_t maxxfer = attr->dma_attr_maxxfer;
    if (attr->dma_attr_granular > 1)
        maxxfer -= maxxfer % attr->dma_attr_granular;
    uint64_t maxseg = std::min({plus1(attr->dma_attr_seg), maxxfer, plus1(attr->dma_attr_count_max)});
    if (!attr_valid(attr, maxseg))
        return DDI_DMA_BADATTR;
    std::vector<uint64_t> none;
    int rv = acquire(HANDLE_COST, 0, 0, 0, waitfp, arg, &none, "ddi_dma_alloc_handle", true);
    if (rv != DDI_SUCCESS)
        return rv;
    auto* h = new ddi_dma_impl();
    h->dip = dip;
    h->attr = *attr;
    h->maxseg = maxseg;
    h->maxxfer = maxxfer;
    *handlep = h;
    return DDI_SUCCESS;
}

void ddi_dma_free_handle(ddi_dma_handle_t* handlep)
{
    ddi_dma_impl* h = handlep ? *handlep : nullptr;
    if (!h)
        return;
    if (h->bound)
        cmn_err(CE_PANIC, "ddi_dma_free_handle: handle %p is still bound", static_cast<void*>(h));
    delete h;
    *handlep = nullptr;
    std::vector<uint64_t> none;
    release(HANDLE_COST, &none, true);
    ddi_run_callback(&ddi::dma_callback_listid);
}

// The physical address of byte `done` of the object, a page at a time
// (`pp` follows a page list). False if it has no page there.
static bool object_pa(const DmaObject& o, size_t done, page_t** pp, uint64_t* pa)
{
    switch (o.type) {
    case DmaObject::Vaddr:
        return ddi::impl::as_translate(o.as, o.addr + done, pa);
    case DmaObject::Shadow: {
        size_t first = reinterpret_cast<uintptr_t>(o.addr) & PAGEOFFSET;
        size_t idx = (first + done) / PAGESIZE;
        uint64_t known = ddi::impl::shadow_len(o.shadow);
        if (known && idx >= known) {
            cmn_err(CE_WARN, "ddi_dma_buf_bind_handle: shadow list %p has %llu pages, the transfer needs more",
                    static_cast<void*>(o.shadow), static_cast<unsigned long long>(known));
            return false;
        }
        page_t* p = o.shadow[idx];
        if (!p)
            return false;
        *pa = ddi::ptob(p->p_pagenum) + ((first + done) & PAGEOFFSET);
        return true;
    }
    case DmaObject::Pages:
        if (done > 0) {
            // Next page of the list (rootnex: pp = pp->p_next). The list is
            // circular: coming back to the first page means it is too short.
            *pp = (*pp)->p_next;
            if (!*pp || *pp == o.pages) {
                cmn_err(CE_WARN, "ddi_dma_buf_bind_handle: page list %p is shorter than the transfer",
                        static_cast<void*>(o.pages));
                return false;
            }
        }
        *pa = ddi::ptob((*pp)->p_pagenum) + ((o.offset + done) & PAGEOFFSET);
        return true;
    }
    return false;
}

// The page walk: the object's len bytes into cookie pieces, in buffer order.
static int walk(ddi_dma_impl* h, const DmaObject& obj, size_t len, std::vector<Piece>* out)
{
    const ddi_dma_attr_t& a = h->attr;
    out->clear();
    size_t done = 0;
    uint64_t prev_end = 0;
    bool prev_bounce = false;
    page_t* pp = obj.pages;
    if (obj.type == DmaObject::Pages && !pp)
        return DDI_DMA_NOMAPPING;
    while (done < len) {
        uint64_t pa;
        if (!object_pa(obj, done, &pp, &pa))
            return DDI_DMA_NOMAPPING;
        size_t chunk = std::min<size_t>(len - done, PAGESIZE - (pa & PAGEOFFSET));
        bool bounce = pa < a.dma_attr_addr_lo || pa + chunk - 1 > a.dma_attr_addr_hi;
        bool extend = !bounce && !out->empty() && !prev_bounce && pa == prev_end &&
                      (pa & a.dma_attr_seg) != 0 && out->back().len + chunk <= h->maxseg;
        if (extend)
            out->back().len += chunk;
        else
            out->push_back(Piece{pa, done, chunk, bounce});
        prev_end = pa + chunk;
        prev_bounce = bounce;
        done += chunk;
    }
    return DDI_DMA_MAPPED;
}

static void add_piece(Window& w, const Piece& p)
{
    if (w.pieces.empty())
        w.off = p.off;
    w.pieces.push_back(p);
    w.len += p.len;
    if (p.bounce)
        w.nbounce++;
}

// Cut the pieces into windows (section 1 of the reference). Returns
// DDI_DMA_MAPPED, or DDI_DMA_NOMAPPING for a granularity cut it cannot make.
static int make_windows(const ddi_dma_impl* h, const std::vector<Piece>& pieces,
                        uint64_t copybuf_max, std::vector<Window>* wins)
{
    const int sgllen = h->attr.dma_attr_sgllen;
    const uint64_t gran = h->attr.dma_attr_granular;
    const uint64_t maxbounce = copybuf_max / PAGESIZE;
    wins->assign(1, Window{});
    std::deque<Piece> todo(pieces.begin(), pieces.end());
    while (!todo.empty()) {
        Piece c = todo.front();
        Window* w = &wins->back();
        // (1) bounce space of this window exhausted
        if (c.bounce && w->nbounce >= maxbounce && !w->pieces.empty()) {
            wins->emplace_back();
            continue;
        }
        // (2) the window has sgllen cookies: new window, trimmed to granular
        if (sgllen > 0 && w->pieces.size() >= static_cast<size_t>(sgllen)) {
            uint64_t excess = gran > 1 ? w->len % gran : 0;
            if (excess) {
                if (sgllen == 1)
                    return DDI_DMA_NOMAPPING;
                std::vector<Piece> carry;
                while (excess > 0 && !w->pieces.empty()) {
                    Piece& last = w->pieces.back();
                    if (last.len > excess) {
                        last.len -= excess;
                        carry.push_back(Piece{last.pa + last.len, last.off + last.len,
                                              static_cast<size_t>(excess), last.bounce});
                        w->len -= excess;
                        excess = 0;
                    } else {
                        carry.push_back(last);
                        excess -= last.len;
                        w->len -= last.len;
                        if (last.bounce)
                            w->nbounce--;
                        w->pieces.pop_back();
                    }
                }
                if (w->pieces.empty())
                    return DDI_DMA_NOMAPPING;
                for (const Piece& p : carry)         // carry is last-first
                    todo.push_front(p);
            }
            wins->emplace_back();
            continue;
        }
        // (3) window + cookie > maxxfer': split so the window is exactly maxxfer'
        if (w->len + c.len > h->maxxfer) {
            size_t take = static_cast<size_t>(h->maxxfer - w->len);
            if (take > 0) {
                add_piece(*w, Piece{c.pa, c.off, take, c.bounce});
                todo.front() = Piece{c.pa + take, c.off + take, c.len - take, c.bounce};
            }
            wins->emplace_back();
            continue;
        }
        // (4) it fits
        add_piece(*w, c);
        todo.pop_front();
    }
    if (wins->back().pieces.empty())
        wins->pop_back();
    return DDI_DMA_MAPPED;
}

// Copy a window's bounce pages: FORDEV buffer to bounce, else bounce to buffer.
static void sync_window(ddi_dma_impl* h, const Window& w, size_t off, size_t len, uint_t type)
{
    ddi::PhysMem& mem = ddi::platform().memory();
    size_t end = len == 0 ? h->len : std::min(h->len, off + len);
    for (const Bounce& b : w.bounces) {
        size_t s = std::max(off, b.off), e = std::min(end, b.off + b.len);
        if (s >= e)
            continue;
        uint8_t* dev = mem.direct(b.pa + (s - b.off), e - s);
        uint8_t* cpu = mem.direct(b.orig + (s - b.off), e - s);
        if (type == DDI_DMA_SYNC_FORDEV)
            std::memcpy(dev, cpu, e - s);
        else
            std::memcpy(cpu, dev, e - s);
    }
}

static int bind(ddi_dma_handle_t h, const DmaObject& obj, size_t len, uint_t flags,
                ddi_dma_callback_t callback, caddr_t arg, ddi_dma_cookie_t* cookiep, uint_t* ccountp)
{
    check_sleep(callback, "ddi_dma_*_bind_handle");
    if (!h)
        cmn_err(CE_PANIC, "ddi_dma_*_bind_handle: NULL handle");
    if (h->bound) {
        // Loud, as the DEBUG-kernel rules are, but the return code is the
        // interface: a driver may test for it.
        cmn_err(CE_WARN, "ddi_dma_*_bind_handle: handle %p is already bound (DDI_DMA_INUSE)",
                static_cast<void*>(h));
        return DDI_DMA_INUSE;
    }
    if (len == 0 || !(flags & DDI_DMA_RDWR))
        return DDI_DMA_NOMAPPING;

    std::vector<Piece> pieces;
    int rv = walk(h, obj, len, &pieces);
    if (rv != DDI_DMA_MAPPED)
        return rv;

    Pool& p = pool();
    p.mu->lock();
    uint64_t copybuf_max = p.copybuf_max;
    p.mu->unlock();

    uint64_t nbounce = 0;
    for (const Piece& pc : pieces)
        nbounce += pc.bounce;
    const int sgllen = h->attr.dma_attr_sgllen;
    bool too_many = sgllen > 0 && pieces.size() > static_cast<size_t>(sgllen);
    bool partial = nbounce * PAGESIZE > copybuf_max || len > h->maxxfer || too_many;

    std::vector<Window> wins;
    uint_t nwin;
    if (!partial && nbounce == 0) {
        // Fast path: one window that getwin does not know about.
        wins.assign(1, Window{});
        for (const Piece& pc : pieces)
            add_piece(wins[0], pc);
        nwin = 0;
        rv = DDI_DMA_MAPPED;
    } else {
        if (partial && !(flags & DDI_DMA_PARTIAL))
            return DDI_DMA_TOOBIG;
        rv = make_windows(h, pieces, copybuf_max, &wins);
        if (rv != DDI_DMA_MAPPED)
            return rv;
        nwin = static_cast<uint_t>(wins.size());
        rv = wins.size() > 1 ? DDI_DMA_PARTIAL_MAP : DDI_DMA_MAPPED;
    }

    unsigned ncopy = 0;
    uint64_t ncookies = 0;
    for (const Window& w : wins) {
        ncopy = std::max(ncopy, w.nbounce);
        ncookies += w.pieces.size();
    }
    uint64_t cost = ncookies * COOKIE_COST + wins.size() * WINDOW_COST + ncopy * PAGESIZE;

    // DVMA: the pages of the largest window (an IOMMU maps one window at a
    // time into the same range), one more for a red zone; none when the
    // device bypasses the IOMMU.
    uint64_t dvma = 0;
    if (!(h->attr.dma_attr_flags & DDI_DMA_FORCE_PHYSICAL)) {
        for (const Window& w : wins)
            dvma = std::max<uint64_t>(dvma, ((w.pieces[0].pa & PAGEOFFSET) + w.len + PAGEOFFSET) / PAGESIZE);
        if (flags & DDI_DMA_REDZONE)
            dvma++;
    }
    p.mu->lock();
    uint64_t dvma_limit = p.dvma_limit;
    p.mu->unlock();
    if (dvma > dvma_limit)
        return DDI_DMA_TOOBIG;      // could never fit, whatever is freed

    std::vector<uint64_t> copybuf;
    int arv = acquire(cost, ncopy, h->attr.dma_attr_addr_lo, h->attr.dma_attr_addr_hi, callback,
                      arg, &copybuf, "ddi_dma_*_bind_handle", false, dvma);
    if (arv != DDI_SUCCESS)
        return arv;

    // Cookies: bounce pieces take the window's copy pages in order.
    for (Window& w : wins) {
        unsigned k = 0;
        for (const Piece& pc : w.pieces) {
            ddi_dma_cookie_t c{};
            c.dmac_laddress = pc.pa;
            c.dmac_size = pc.len;
            c.dmac_type = 0;
            if (pc.bounce) {
                uint64_t bpa = copybuf[k++] + (pc.pa & PAGEOFFSET);
                c.dmac_laddress = bpa;
                w.bounces.push_back(Bounce{pc.off, pc.len, bpa, pc.pa});
            }
            w.cookies.push_back(c);
        }
    }

    h->wins = std::move(wins);
    h->nwin = nwin;
    h->copybuf = std::move(copybuf);
    h->cost = cost;
    h->dvma = dvma;
    h->bound = true;
    h->flags = flags;
    h->result = rv;
    h->len = len;
    h->curwin = 0;
    h->cursor = 1;
    if (flags & DDI_DMA_WRITE)
        sync_window(h, h->wins[0], 0, 0, DDI_DMA_SYNC_FORDEV);
    if (cookiep)
        *cookiep = h->wins[0].cookies[0];
    if (ccountp)
        *ccountp = static_cast<uint_t>(h->wins[0].cookies.size());
    return rv;
}

int ddi_dma_addr_bind_handle(ddi_dma_handle_t h, struct as* as, caddr_t addr, size_t len, uint_t flags,
                             ddi_dma_callback_t callback, caddr_t arg, ddi_dma_cookie_t* cookiep,
                             uint_t* ccountp)
{
    DmaObject o;
    o.type = DmaObject::Vaddr;
    o.addr = addr;
    o.as = as == &kas ? nullptr : as;
    return bind(h, o, len, flags, callback, arg, cookiep, ccountp);
}

// The object from the buf, as sunddi.c's ddi_dma_buf_bind_handle builds it.
int ddi_dma_buf_bind_handle(ddi_dma_handle_t h, struct buf* bp, uint_t flags,
                            ddi_dma_callback_t callback, caddr_t arg, ddi_dma_cookie_t* cookiep,
                            uint_t* ccountp)
{
    if (!bp)
        cmn_err(CE_PANIC, "ddi_dma_buf_bind_handle: NULL buf");
    DmaObject o;
    if ((bp->b_flags & (B_PAGEIO | B_REMAPPED)) == B_PAGEIO) {
        o.type = DmaObject::Pages;
        o.pages = bp->b_pages;
        o.offset = reinterpret_cast<uintptr_t>(bp->b_un.b_addr) & PAGEOFFSET;
    } else {
        o.addr = bp->b_un.b_addr;
        if ((bp->b_flags & (B_SHADOW | B_REMAPPED)) == B_SHADOW) {
            o.type = DmaObject::Shadow;
            o.shadow = bp->b_shadow;
            if (!o.shadow)
                return DDI_DMA_NOMAPPING;
        }
        // No process, the kernel's, or remapped into the kernel: kas.
        if (!bp->b_proc || bp->b_proc->p_as == &kas || (bp->b_flags & B_REMAPPED))
            o.as = nullptr;
        else
            o.as = bp->b_proc->p_as;
    }
    // dmao_size is a uint_t: a b_bcount of 4 GiB or more is cut (the kernel does the same).
    size_t len = static_cast<uint_t>(bp->b_bcount);
    return bind(h, o, len, flags, callback, arg, cookiep, ccountp);
}

int ddi_dma_unbind_handle(ddi_dma_handle_t h)
{
    if (!h || !h->bound)
        return DDI_FAILURE;
    if (h->flags & DDI_DMA_READ)
        sync_window(h, h->wins[h->curwin], 0, 0, DDI_DMA_SYNC_FORCPU);
    h->bound = false;
    h->wins.clear();
    h->nwin = 0;
    h->curwin = 0;
    h->cursor = 0;
    h->result = 0;
    uint64_t cost = h->cost, dvma = h->dvma;
    h->cost = 0;
    h->dvma = 0;
    release(cost, &h->copybuf, false, dvma);
    ddi_run_callback(&ddi::dma_callback_listid);
    return DDI_SUCCESS;
}

static const std::vector<ddi_dma_cookie_t>* cur_cookies(ddi_dma_handle_t h)
{
    if (!h || !h->bound)
        return nullptr;
    return &h->wins[h->curwin].cookies;
}

void ddi_dma_nextcookie(ddi_dma_handle_t h, ddi_dma_cookie_t* cookiep)
{
    auto* v = cur_cookies(h);
    if (!v || h->cursor >= v->size())
        cmn_err(CE_PANIC, "ddi_dma_nextcookie: no cookie left on handle %p", static_cast<void*>(h));
    *cookiep = (*v)[h->cursor++];
}

int ddi_dma_ncookies(ddi_dma_handle_t h)
{
    auto* v = cur_cookies(h);
    return v ? static_cast<int>(v->size()) : 0;
}

const ddi_dma_cookie_t* ddi_dma_cookie_iter(ddi_dma_handle_t h, const ddi_dma_cookie_t* prev)
{
    auto* v = cur_cookies(h);
    if (!v || v->empty())
        return nullptr;
    if (!prev)
        return &(*v)[0];
    if (prev < v->data() || prev >= v->data() + v->size())
        cmn_err(CE_PANIC, "ddi_dma_cookie_iter: %p is not a cookie of handle %p's window",
                static_cast<const void*>(prev), static_cast<void*>(h));
    size_t i = static_cast<size_t>(prev - v->data()) + 1;
    return i < v->size() ? &(*v)[i] : nullptr;
}

const ddi_dma_cookie_t* ddi_dma_cookie_get(ddi_dma_handle_t h, uint_t index)
{
    auto* v = cur_cookies(h);
    return v && index < v->size() ? &(*v)[index] : nullptr;
}

const ddi_dma_cookie_t* ddi_dma_cookie_one(ddi_dma_handle_t h)
{
    auto* v = cur_cookies(h);
    if (!v || v->size() != 1)
        cmn_err(CE_PANIC, "ddi_dma_cookie_one: handle %p has %zu cookies, not one",
                static_cast<void*>(h), v ? v->size() : size_t(0));
    return &(*v)[0];
}

int ddi_dma_numwin(ddi_dma_handle_t h, uint_t* nwinp)
{
    if (!h || !h->bound || h->result != DDI_DMA_PARTIAL_MAP)
        return DDI_FAILURE;
    if (nwinp)
        *nwinp = h->nwin;
    return DDI_SUCCESS;
}

int ddi_dma_getwin(ddi_dma_handle_t h, uint_t win, off_t* offp, size_t* lenp,
                   ddi_dma_cookie_t* cookiep, uint_t* ccountp)
{
    if (!h || !h->bound || win >= h->nwin)
        return DDI_FAILURE;
    if (h->flags & DDI_DMA_READ)
        sync_window(h, h->wins[h->curwin], 0, 0, DDI_DMA_SYNC_FORCPU);
    h->curwin = win;
    h->cursor = 1;
    const Window& w = h->wins[win];
    if (h->flags & DDI_DMA_WRITE)
        sync_window(h, w, 0, 0, DDI_DMA_SYNC_FORDEV);
    if (offp)
        *offp = static_cast<off_t>(w.off);
    if (lenp)
        *lenp = w.len;
    if (cookiep)
        *cookiep = w.cookies[0];
    if (ccountp)
        *ccountp = static_cast<uint_t>(w.cookies.size());
    return DDI_SUCCESS;
}

int ddi_dma_sync(ddi_dma_handle_t h, off_t off, size_t len, uint_t type)
{
    if (!h || !h->bound || off < 0 || type > DDI_DMA_SYNC_FORKERNEL)
        return DDI_FAILURE;
    const Window& w = h->wins[h->curwin];
    if (w.bounces.empty())
        return DDI_SUCCESS;
    if (off == 0 && len == 0)
        sync_window(h, w, w.off, w.len, type);
    else
        sync_window(h, w, static_cast<size_t>(off), len, type);
    return DDI_SUCCESS;
}

int ddi_dma_burstsizes(ddi_dma_handle_t h) { return h ? static_cast<int>(h->attr.dma_attr_burstsizes) : 0; }

// ---------------------------------------------------------------- DMA memory

int ddi_dma_mem_alloc(ddi_dma_handle_t h, size_t length, const ddi_device_acc_attr_t*, uint_t flags,
                      ddi_dma_callback_t waitfp, caddr_t arg, caddr_t* kaddrp, size_t* real_length,
                      ddi_acc_handle_t* handlep)
{
    check_sleep(waitfp, "ddi_dma_mem_alloc");
    if (!h || length == 0 || !kaddrp || !handlep ||
        (flags & (DDI_DMA_CONSISTENT | DDI_DMA_STREAMING)) == (DDI_DMA_CONSISTENT | DDI_DMA_STREAMING))
        return DDI_FAILURE;
    uint64_t align = h->attr.dma_attr_align ? h->attr.dma_attr_align : 1;
    if (align & (align - 1))
        return DDI_FAILURE;     // not a power of two
    ddi::PhysMem& mem = ddi::platform().memory();
    uint8_t* va = nullptr;
    Pool& p = pool();
    p.mu->lock();
    for (;;) {
        va = mem.map_range(length, h->attr.dma_attr_addr_lo, h->attr.dma_attr_addr_hi, align);
        if (va || waitfp != DDI_DMA_SLEEP || p.used == p.handle_used)
            break;
        p.cv->wait(*p.mu);      // memory comes back with an unbind or free
    }
    p.mu->unlock();
    if (!va) {
        if (waitfp != DDI_DMA_DONTWAIT && waitfp != DDI_DMA_SLEEP)
            ddi_set_callback(waitfp, arg, &ddi::dma_callback_listid);
        return DDI_FAILURE;
    }
    auto* acc = new ddi_acc_impl{nullptr, nullptr, length, 0, va};
    *kaddrp = reinterpret_cast<caddr_t>(va);
    if (real_length)
        *real_length = length;
    *handlep = acc;
    return DDI_SUCCESS;
}

void ddi_dma_mem_free(ddi_acc_handle_t* handlep)
{
    ddi_acc_impl* acc = handlep ? *handlep : nullptr;
    if (!acc)
        return;
    if (!acc->dma_mem)
        cmn_err(CE_PANIC, "ddi_dma_mem_free: %p is not a DMA memory handle", static_cast<void*>(acc));
    ddi::platform().memory().unmap(acc->dma_mem);
    delete acc;
    *handlep = nullptr;
    pool().cv->notify_all();
    ddi_run_callback(&ddi::dma_callback_listid);
}
