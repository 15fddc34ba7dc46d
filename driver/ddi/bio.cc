// buf(9S) life cycle: getrbuf, biodone, biowait, bioerror, geterror, as
// usr/src/uts/common/os/bio.c does them.
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
// called and B_DONE is not set (the bio.c quirk). biodone twice is fatal.
void biodone(struct buf* bp)
{
    if (bp->b_iodone) {
        int (*f)(struct buf*) = bp->b_iodone;
        bp->b_iodone = nullptr;
        (void)f(bp);
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
        cmn_err(CE_PANIC, "biowait called from interrupt context");
    sema_p(&bp->b_io);
    return geterror(bp);
}
