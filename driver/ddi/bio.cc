// buf(9S) life cycle: getrbuf, biodone, biowait, bioerror, geterror, as
// usr/src/uts/common/os/bio.c does them; disksort (bdev_dsort.c), minphys
// and physio (physio.c).
#include <sys/uio.h>

#include <algorithm>

#include "ddi/sunddi.h"

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
    int error = 0;
    for (int i = 0; i < uio->uio_iovcnt && !error; i++) {
        struct iovec* iov = &uio->uio_iov[i];
        while (iov->iov_len > 0) {
            bioreset(bp);
            bp->b_flags = B_BUSY | B_PHYS | rw;
            bp->b_edev = dev;
            bp->b_un.b_addr = static_cast<caddr_t>(iov->iov_base);
            bp->b_bcount = iov->iov_len;
            bp->b_lblkno = static_cast<diskaddr_t>(uio->uio_loffset) / DEV_BSIZE;
            bp->b_blkno = static_cast<daddr_t>(bp->b_lblkno);
            mincnt(bp);
            size_t c = bp->b_bcount;
            (void)strat(bp);
            error = biowait(bp);
            size_t resid = std::min(bp->b_resid, c);
            size_t done = c - resid;
            iov->iov_base = static_cast<char*>(iov->iov_base) + done;
            iov->iov_len -= done;
            uio->uio_loffset += static_cast<off_t>(done);
            uio->uio_resid -= static_cast<ssize_t>(done);
            if (error || resid != 0) {
                if (!error)
                    i = uio->uio_iovcnt;    // a short transfer ends the request
                break;
            }
        }
    }
    bp->b_flags &= ~(B_BUSY | B_PHYS);
    if (own)
        freerbuf(bp);
    return error;
}
