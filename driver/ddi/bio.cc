// buf(9S) life cycle: getrbuf, biodone, biowait, bioerror, geterror, as
// usr/src/uts/common/os/bio.c does them; disksort (bdev_dsort.c), minphys
// and physio (physio.c).
#include <sys/uio.h>

#include <algorithm>

#include "ddi/impl.h"
#include "ddi/physmem.h"

void bioinit(struct buf* bp)
{
    sema_init(&bp->b_io, 0, "b_io");
}

struct buf* getrbuf(int)
{
    auto* bp = new buf();
    bioinit(bp);
    return bp;
}

void freerbuf(struct buf* bp)
{
    sema_destroy(&bp->b_io);
    delete bp;
}

// Ready a buf for another transfer: flags and status cleared, the
// semaphore back at zero.
void bioreset(struct buf* bp)
{
    bp->b_flags = 0;
    bp->b_error = 0;
    bp->b_resid = 0;
    bp->av_forw = bp->av_back = nullptr;
    sema_destroy(&bp->b_io);
    bioinit(bp);
}

void bioerror(struct buf* bp, int error)
{
    if (error != 0)
        bp->b_flags |= B_ERROR;
    else
        bp->b_flags &= ~B_ERROR;
    bp->b_error = error;
}

int geterror(struct buf* bp)
{
    if (!(bp->b_flags & B_ERROR))
        return 0;
    return bp->b_error ? bp->b_error : EIO;
}

// Completion. With b_iodone set the callee owns the buf from here: it is
// called, b_iodone is left as it is and B_DONE is not set (the bio.c quirk;
// an iodone routine that wants the normal completion clears b_iodone and
// calls biodone again). Without it, biodone twice is fatal.
void biodone(struct buf* bp)
{
    if (bp->b_iodone) {
        (void)(*bp->b_iodone)(bp);
        return;
    }
    if (bp->b_flags & B_DONE)
        cmn_err(CE_PANIC, "biodone: buf %p already done", static_cast<void*>(bp));
    bp->b_flags |= B_DONE;
    if (bp->b_flags & B_ASYNC) {
        bp->b_flags &= ~B_BUSY;     // nobody waits for an async buf
        return;
    }
    sema_v(&bp->b_io);
}

int biowait(struct buf* bp)
{
    if (servicing_interrupt())
        cmn_err(CE_PANIC, "biowait(%p) called from interrupt context", static_cast<void*>(bp));
    sema_p(&bp->b_io);
    return geterror(bp);
}

// ---------------------------------------------------------------- disksort

// The one-way elevator. The list starts at the active request (the head)
// and holds two ascending runs of keys (b_resid): the requests still ahead
// of the head, then, after the inversion, those the next sweep serves.
// Equal keys go after the ones already queued.
void disksort(struct diskhd* dp, struct buf* bp)
{
    const size_t key = bp->b_resid;
    bp->av_forw = nullptr;
    struct buf* ap = dp->av_forw;
    if (!ap) {
        dp->av_forw = dp->av_back = bp;
        return;
    }
    if (key < ap->b_resid) {
        // Behind the head: find the second run (the inversion), then the
        // first request there with a larger key; else go at the end.
        while (ap->av_forw && ap->av_forw->b_resid >= ap->b_resid)
            ap = ap->av_forw;
        while (ap->av_forw && ap->av_forw->b_resid <= key)
            ap = ap->av_forw;
    } else {
        // In the first run: before the first larger key or the inversion.
        while (ap->av_forw && ap->av_forw->b_resid >= ap->b_resid && ap->av_forw->b_resid <= key)
            ap = ap->av_forw;
    }
    bp->av_forw = ap->av_forw;
    ap->av_forw = bp;
    if (dp->av_back == ap)
        dp->av_back = bp;
}

// ---------------------------------------------------------------- minphys, physio

size_t maxphys = 128 * 1024;

void minphys(struct buf* bp)
{
    if (bp->b_bcount > maxphys)
        bp->b_bcount = maxphys;
}

// os/physio.c's default_physio, but walking the iovecs by index: uio_iov
// and uio_iovcnt are left as they were (callers here reuse a uio).
int physio(int (*strat)(struct buf*), struct buf* bp, dev_t dev, int rw, void (*mincnt)(struct buf*),
           struct uio* uio)
{
    if (servicing_interrupt())
        cmn_err(CE_PANIC, "physio called from interrupt context");
    if (!strat || !uio || (rw != B_READ && rw != B_WRITE))
        return EINVAL;
    bool own = bp == nullptr;
    if (own)
        bp = getrbuf(KM_SLEEP);
    if (!mincnt)
        mincnt = minphys;
    struct proc* procp = nullptr;
    struct as* asp = &kas;
    bool user = uio->uio_segflg == UIO_USERSPACE || uio->uio_segflg == UIO_USERISPACE;
    if (user) {
        procp = curproc;
        asp = procp->p_as;
    }
    const seg_rw srw = rw == B_READ ? S_WRITE : S_READ;   // a read writes the memory
    int error = 0;
    bool stop = false;
    for (int i = 0; i < uio->uio_iovcnt && !stop; i++) {
        struct iovec* iov = &uio->uio_iov[i];
        while (iov->iov_len > 0) {
            if (uio->uio_resid <= 0)
                break;
            if (uio->uio_loffset < 0) {
                error = EINVAL;
                break;
            }
            bioreset(bp);
            bp->b_proc = procp;
            bp->b_flags = B_BUSY | B_PHYS | rw;
            bp->b_edev = dev;
            bp->b_lblkno = static_cast<diskaddr_t>(uio->uio_loffset) / DEV_BSIZE;
            bp->b_blkno = static_cast<daddr_t>(bp->b_lblkno);
            caddr_t a = bp->b_un.b_addr = static_cast<caddr_t>(iov->iov_base);
            bp->b_bcount = std::min<size_t>(iov->iov_len, static_cast<size_t>(uio->uio_resid));
            mincnt(bp);
            size_t c = bp->b_bcount;
            page_t** pplist = nullptr;
            if (user) {
                // Lock the chunk's pages for the transfer; a page that is
                // not there (or not writable for a read) ends the request
                // before anything reaches the driver.
                error = as_pagelock(asp, &pplist, a, c, srw);
                if (error != 0) {
                    bp->b_flags |= B_ERROR;
                    bp->b_error = error;
                    bp->b_flags &= ~(B_BUSY | B_WANTED | B_PHYS);
                    break;
                }
                bp->b_shadow = pplist;
                if (pplist)
                    bp->b_flags |= B_SHADOW;
            }
            bp->b_flags |= B_STARTED;
            (void)strat(bp);
            error = biowait(bp);
            if (user)
                as_pageunlock(asp, pplist, a, c, srw);
            bp->b_shadow = nullptr;
            size_t resid = std::min(bp->b_resid, c);
            size_t done = c - resid;
            iov->iov_base = static_cast<char*>(iov->iov_base) + done;
            iov->iov_len -= done;
            uio->uio_loffset += static_cast<off_t>(done);
            uio->uio_resid -= static_cast<ssize_t>(done);
            if (resid != 0 || error)
                break;
        }
        bp->b_flags &= ~(B_BUSY | B_WANTED | B_PHYS | B_SHADOW);
        if (bp->b_resid || error)
            stop = true;
    }
    if (own)
        freerbuf(bp);
    return error;
}

// ---------------------------------------------------------------- page I/O bufs, bp_mapin

struct buf* pageio_setup(page_t* pp, size_t len, struct vnode*, int flags)
{
    struct buf* bp = getrbuf(KM_SLEEP);
    bp->b_flags = B_PAGEIO | B_NOCACHE | B_BUSY | flags;
    bp->b_pages = pp;
    bp->b_bcount = bp->b_bufsize = len;
    bp->b_un.b_addr = nullptr;      // the offset into the first page
    return bp;
}

void pageio_done(struct buf* bp)
{
    if (bp->b_flags & B_REMAPPED)
        bp_mapout(bp);
    freerbuf(bp);
}

// The physical pages of a buf's data, in order: from the page list, the
// shadow list or the address space.
static bool buf_pages(struct buf* bp, std::vector<uint64_t>* pas, uint64_t* off)
{
    uintptr_t a = reinterpret_cast<uintptr_t>(bp->b_un.b_addr);
    *off = a & ddi::PAGEOFFSET;
    uint64_t n = (*off + bp->b_bcount + ddi::PAGEOFFSET) / ddi::PAGESIZE;
    pas->clear();
    if (bp->b_flags & B_PAGEIO) {
        page_t* pp = bp->b_pages;
        for (uint64_t i = 0; i < n; i++, pp = pp->p_next) {
            if (!pp || (i > 0 && pp == bp->b_pages))
                return false;
            pas->push_back(ddi::ptob(pp->p_pagenum));
        }
        return true;
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t pa;
        if (bp->b_flags & B_SHADOW)
            pa = ddi::ptob(bp->b_shadow[i]->p_pagenum);
        else if (!ddi::impl::as_translate(bp->b_proc ? bp->b_proc->p_as : nullptr,
                                          reinterpret_cast<void*>((a & ~ddi::PAGEOFFSET) + i * ddi::PAGESIZE), &pa))
            return false;
        pas->push_back(pa & ~ddi::PAGEOFFSET);
    }
    return true;
}

void bp_mapin(struct buf* bp)
{
    if (bp->b_flags & B_REMAPPED)
        return;
    bool user = bp->b_proc && bp->b_proc->p_as != &kas;
    if (!(bp->b_flags & B_PAGEIO) && !((bp->b_flags & B_PHYS) && user))
        return;     // already a kernel address
    std::vector<uint64_t> pas;
    uint64_t off = 0;
    if (bp->b_bcount == 0 || !buf_pages(bp, &pas, &off))
        cmn_err(CE_PANIC, "bp_mapin: buf %p: its pages cannot be found (address %p, %zu bytes)",
                static_cast<void*>(bp), static_cast<void*>(bp->b_un.b_addr), bp->b_bcount);
    uint8_t* kva = ddi::platform().memory().map_alias(pas, off);
    if (!kva)
        cmn_err(CE_PANIC, "bp_mapin: buf %p: no kernel mapping", static_cast<void*>(bp));
    bp->b_saddr = bp->b_un.b_addr;
    bp->b_un.b_addr = reinterpret_cast<caddr_t>(kva);
    bp->b_flags |= B_REMAPPED;
}

void bp_mapout(struct buf* bp)
{
    if (!(bp->b_flags & B_REMAPPED))
        return;
    ddi::platform().memory().unmap(reinterpret_cast<uint8_t*>(bp->b_un.b_addr));
    if (bp->b_flags & B_PAGEIO)
        bp->b_un.b_addr = reinterpret_cast<caddr_t>(reinterpret_cast<uintptr_t>(bp->b_un.b_addr) & ddi::PAGEOFFSET);
    else
        bp->b_un.b_addr = bp->b_saddr;
    bp->b_saddr = nullptr;
    bp->b_flags &= ~B_REMAPPED;
}
