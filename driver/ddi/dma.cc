// DMA handles and binding, after the x86 root nexus (rootnex.c): a bind
// walks the buffer a 4 KiB page at a time and cuts it into cookies at
// physical discontinuities, segment boundaries and the largest cookie the
// attributes allow.
//
// Not yet here (issue 5): bounce pages for memory outside addr_lo/addr_hi,
// partial mappings and windows, resource pools with NORESOURCES and the
// callback list.
#include <algorithm>
#include <vector>

#include "ddi/physmem.h"
#include "ddi/sunddi.h"

using ddi::PAGEOFFSET;
using ddi::PAGESIZE;

struct ddi_dma_impl {
    dev_info_t* dip;
    ddi_dma_attr_t attr;
    uint64_t maxseg;        // largest cookie
    uint64_t maxxfer;       // maxxfer rounded down to granular
    bool bound = false;
    uint_t flags = 0;
    std::vector<ddi_dma_cookie_t> cookies;
    size_t cursor = 0;      // next cookie ddi_dma_nextcookie returns
};

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

int ddi_dma_alloc_handle(dev_info_t* dip, const ddi_dma_attr_t* attr, ddi_dma_callback_t,
                         caddr_t, ddi_dma_handle_t* handlep)
{
    if (!attr)
        return DDI_DMA_BADATTR;
    uint64_t maxxfer = attr->dma_attr_maxxfer;
    if (attr->dma_attr_granular > 1)
        maxxfer -= maxxfer % attr->dma_attr_granular;
    uint64_t maxseg = std::min({plus1(attr->dma_attr_seg), maxxfer, plus1(attr->dma_attr_count_max)});
    if (!attr_valid(attr, maxseg))
        return DDI_DMA_BADATTR;
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
    ddi_dma_impl* h = *handlep;
    if (h && h->bound)
        cmn_err(CE_PANIC, "ddi_dma_free_handle: handle %p is still bound", static_cast<void*>(h));
    delete h;
    *handlep = nullptr;
}

// Split [addr, addr + len) into cookies, or return a DDI_DMA_* failure.
static int make_cookies(ddi_dma_impl* h, caddr_t addr, size_t len,
                        std::vector<ddi_dma_cookie_t>* out)
{
    const ddi_dma_attr_t& a = h->attr;
    ddi::PhysMem& mem = ddi::platform().memory();
    out->clear();
    size_t done = 0;
    uint64_t prev_end = 0;
    while (done < len) {
        uint64_t pa;
        if (!mem.vtop(addr + done, &pa))
            return DDI_DMA_NOMAPPING;
        size_t chunk = std::min<size_t>(len - done, PAGESIZE - (pa & PAGEOFFSET));
        if (pa < a.dma_attr_addr_lo || pa + chunk - 1 > a.dma_attr_addr_hi) {
            cmn_err(CE_WARN, "ddi_dma bind: page 0x%llx outside the device's reach "
                    "(bounce buffers are not implemented yet)", static_cast<unsigned long long>(pa));
            return DDI_DMA_NOMAPPING;
        }
        bool extend = !out->empty() && pa == prev_end && (pa & a.dma_attr_seg) != 0 &&
                      out->back().dmac_size + chunk <= h->maxseg;
        if (extend) {
            out->back().dmac_size += chunk;
        } else {
            ddi_dma_cookie_t c{};
            c.dmac_laddress = pa;
            c.dmac_size = chunk;
            c.dmac_type = 0;
            out->push_back(c);
        }
        prev_end = pa + chunk;
        done += chunk;
    }
    return DDI_DMA_MAPPED;
}

int ddi_dma_addr_bind_handle(ddi_dma_handle_t h, void*, caddr_t addr, size_t len, uint_t flags,
                             ddi_dma_callback_t callback, caddr_t, ddi_dma_cookie_t* cookiep,
                             uint_t* ccountp)
{
    if (callback == DDI_DMA_SLEEP && servicing_interrupt())
        cmn_err(CE_PANIC, "ddi_dma_*_bind_handle: DDI_DMA_SLEEP from interrupt context");
    if (h->bound)
        return DDI_DMA_INUSE;
    if (len == 0)
        return DDI_DMA_NOMAPPING;
    if (!(flags & DDI_DMA_RDWR))
        return DDI_DMA_NOMAPPING;
    std::vector<ddi_dma_cookie_t> cookies;
    int rv = make_cookies(h, addr, len, &cookies);
    if (rv != DDI_DMA_MAPPED)
        return rv;
    bool fits = (h->attr.dma_attr_sgllen < 0 ||
                 cookies.size() <= static_cast<size_t>(h->attr.dma_attr_sgllen)) &&
                len <= h->maxxfer;
    if (!fits) {
        if (!(flags & DDI_DMA_PARTIAL))
            return DDI_DMA_TOOBIG;
        cmn_err(CE_WARN, "ddi_dma bind: partial mappings are not implemented yet");
        return DDI_DMA_NOMAPPING;
    }
    h->cookies = std::move(cookies);
    h->bound = true;
    h->flags = flags;
    h->cursor = 1;
    if (cookiep)
        *cookiep = h->cookies[0];
    if (ccountp)
        *ccountp = static_cast<uint_t>(h->cookies.size());
    return DDI_DMA_MAPPED;
}

int ddi_dma_buf_bind_handle(ddi_dma_handle_t h, struct buf* bp, uint_t flags,
                            ddi_dma_callback_t callback, caddr_t arg, ddi_dma_cookie_t* cookiep,
                            uint_t* ccountp)
{
    return ddi_dma_addr_bind_handle(h, nullptr, bp->b_un.b_addr, bp->b_bcount, flags, callback,
                                    arg, cookiep, ccountp);
}

int ddi_dma_unbind_handle(ddi_dma_handle_t h)
{
    if (!h->bound)
        return DDI_FAILURE;
    h->bound = false;
    h->cookies.clear();
    h->cursor = 0;
    return DDI_SUCCESS;
}

void ddi_dma_nextcookie(ddi_dma_handle_t h, ddi_dma_cookie_t* cookiep)
{
    if (!h->bound || h->cursor >= h->cookies.size())
        cmn_err(CE_PANIC, "ddi_dma_nextcookie: no cookie left on handle %p", static_cast<void*>(h));
    *cookiep = h->cookies[h->cursor++];
}

int ddi_dma_ncookies(ddi_dma_handle_t h) { return h->bound ? static_cast<int>(h->cookies.size()) : 0; }
