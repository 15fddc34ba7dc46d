/*
 * xx: a block driver for the DMA engine, written as the seeds write it
 * (Writing Device Drivers, examples 7-3, 8-1, 16-5, 16-6, 16-7).
 *
 * Locking: xsp->mu protects the transfer list, busy, bp and xfer_len.
 * xsp->callback_mutex protects cancel_callbacks and callback_count; it is
 * never taken while mu is held. Registers are programmed by the one thread
 * that set busy, so they need no lock of their own.
 */
#include "xx/xx.h"

#include <algorithm>

static void* statep;            /* soft state of every instance */

static int xxstart(caddr_t arg);

/* The device's DMA limits; sgllen, align and addr_hi come from the engine. */
static const ddi_dma_attr_t xx_dma_attr_template = {
    DMA_ATTR_V0,
    0x0ull,                     /* dma_attr_addr_lo */
    0xffffffffull,              /* dma_attr_addr_hi: 32-bit unless cap says 64 */
    0xffffffffull,              /* dma_attr_count_max: dma_size is 32 bits */
    0x4,                        /* dma_attr_align */
    0x7c,                       /* dma_attr_burstsizes: 4..64 bytes */
    1,                          /* dma_attr_minxfer */
    0xffffffffull,              /* dma_attr_maxxfer */
    0xffffffffffffffffull,      /* dma_attr_seg: the engine splits at 4 KiB itself */
    1,                          /* dma_attr_sgllen: register mode, one segment */
    XX_BLKSIZE,                 /* dma_attr_granular */
    0,                          /* dma_attr_flags */
};

int
xx_init()
{
    return ddi_soft_state_init(&statep, sizeof (struct xxstate), 1);
}

void
xx_fini()
{
    ddi_soft_state_fini(&statep);
}

struct xxstate *
xx_getstate(int instance)
{
    return static_cast<struct xxstate *>(ddi_get_soft_state(statep, instance));
}

int
xxattach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
    struct xxstate *xsp;
    ddi_device_acc_attr_t acc_attr;
    caddr_t regs;
    uint32_t id, cap;
    int instance, actual;

    if (cmd != DDI_ATTACH)
        return (DDI_FAILURE);
    instance = ddi_get_instance(dip);
    if (ddi_soft_state_zalloc(statep, instance) != DDI_SUCCESS)
        return (DDI_FAILURE);
    xsp = xx_getstate(instance);
    new (xsp) xxstate();        /* the soft state holds C++ members */
    xsp->dip = dip;

    acc_attr.devacc_attr_version = DDI_DEVICE_ATTR_V0;
    acc_attr.devacc_attr_endian_flags = DDI_STRUCTURE_LE_ACC;
    acc_attr.devacc_attr_dataorder = DDI_STRICTORDER_ACC;
    if (ddi_regs_map_setup(dip, 0, &regs, 0, XX_REGS_SIZE, &acc_attr,
        &xsp->data_access_handle) != DDI_SUCCESS)
        goto fail_state;
    xsp->regp = reinterpret_cast<struct device_reg *>(regs);

    /* Is it our engine?  Build the DMA attributes from what it reports. */
    id = ddi_get32(xsp->data_access_handle, &xsp->regp->id);
    if ((id >> 8) != XX_ID_MAGIC) {
        cmn_err(CE_WARN, "xx%d: no DMA engine (id 0x%08x)", instance, id);
        goto fail_regs;
    }
    cap = ddi_get32(xsp->data_access_handle, &xsp->regp->cap);
    xsp->dma_attr = xx_dma_attr_template;
    xsp->dma_attr.dma_attr_sgllen = std::max(1, static_cast<int>(XX_CAP_SGLLEN(cap)));
    xsp->dma_attr.dma_attr_align = 1ull << XX_CAP_ALIGN_LOG2(cap);
    if (XX_CAP_ADDR64(cap))
        xsp->dma_attr.dma_attr_addr_hi = 0xffffffffffffffffull;
    if (ddi_dma_alloc_handle(dip, &xsp->dma_attr, DDI_DMA_SLEEP, NULL,
        &xsp->handle) != DDI_SUCCESS)
        goto fail_regs;

    xsp->nblocks = static_cast<uint32_t>(ddi_prop_get_int(DDI_DEV_T_ANY, dip,
        DDI_PROP_DONTPASS, "nblocks", 0));

    mutex_init(&xsp->mu, "xx mu", MUTEX_DRIVER, NULL);
    mutex_init(&xsp->callback_mutex, "xx callback_mutex", MUTEX_DRIVER, NULL);
    cv_init(&xsp->callback_cv, "xx callback_cv", CV_DRIVER, NULL);

    /* Quiesce the engine: no interrupt before the handler is in place. */
    ddi_put8(xsp->data_access_handle, &xsp->regp->csr, CLEAR_INTERRUPT);

    if (ddi_intr_alloc(dip, &xsp->intr_handle, DDI_INTR_TYPE_FIXED, 0, 1,
        &actual, DDI_INTR_ALLOC_NORMAL) != DDI_SUCCESS)
        goto fail_dma;
    if (ddi_intr_add_handler(xsp->intr_handle, xxintr, xsp, NULL) !=
        DDI_SUCCESS) {
        (void) ddi_intr_free(xsp->intr_handle);
        goto fail_dma;
    }
    (void) ddi_intr_enable(xsp->intr_handle);
    return (DDI_SUCCESS);

fail_dma:
    cv_destroy(&xsp->callback_cv);
    mutex_destroy(&xsp->callback_mutex);
    mutex_destroy(&xsp->mu);
    ddi_dma_free_handle(&xsp->handle);
fail_regs:
    ddi_regs_map_free(&xsp->data_access_handle);
fail_state:
    xsp->~xxstate();
    ddi_soft_state_free(statep, instance);
    return (DDI_FAILURE);
}

int
xxdetach(dev_info_t *dip, ddi_detach_cmd_t cmd)
{
    int instance = ddi_get_instance(dip);
    struct xxstate *xsp = xx_getstate(instance);

    if (cmd != DDI_DETACH || xsp == NULL)
        return (DDI_FAILURE);

    /* Refuse while I/O is queued or in flight. */
    mutex_enter(&xsp->mu);
    if (xsp->busy || xsp->list_head != NULL) {
        mutex_exit(&xsp->mu);
        return (DDI_FAILURE);
    }
    mutex_exit(&xsp->mu);

    /* Example 7-3: stop callbacks from rescheduling, wait for the rest. */
    mutex_enter(&xsp->callback_mutex);
    xsp->cancel_callbacks = 1;
    while (xsp->callback_count > 0)
        cv_wait(&xsp->callback_cv, &xsp->callback_mutex);
    mutex_exit(&xsp->callback_mutex);

    (void) ddi_intr_disable(xsp->intr_handle);
    (void) ddi_intr_remove_handler(xsp->intr_handle);
    (void) ddi_intr_free(xsp->intr_handle);
    ddi_dma_free_handle(&xsp->handle);
    ddi_regs_map_free(&xsp->data_access_handle);
    cv_destroy(&xsp->callback_cv);
    mutex_destroy(&xsp->callback_mutex);
    mutex_destroy(&xsp->mu);
    xsp->~xxstate();
    ddi_soft_state_free(statep, instance);
    return (DDI_SUCCESS);
}

/*
 * Example 16-5: validate, enqueue, start. Called in kernel context.
 */
int
xxstrategy(struct buf *bp)
{
    struct xxstate *xsp;
    minor_t instance;

    instance = getminor(bp->b_edev);
    xsp = xx_getstate(instance);
    DTRACE_PROBE1(xxstrategy, struct buf *, bp);

    /* validate transfer request */
    if (xsp == NULL) {
        bp->b_resid = bp->b_bcount;
        bioerror(bp, ENXIO);
        biodone(bp);
        return (0);
    }
    if (bp->b_bcount == 0 || bp->b_bcount % XX_BLKSIZE != 0 ||
        bp->b_blkno < 0 || static_cast<uint64_t>(bp->b_blkno) >= xsp->nblocks) {
        bp->b_resid = bp->b_bcount;
        bioerror(bp, EINVAL);
        biodone(bp);
        return (0);
    }

    /*
     * Add the request to the end of the queue.
     */
    mutex_enter(&xsp->mu);
    bp->av_forw = NULL;
    if (xsp->list_head) {
        /* Non-empty transfer list */
        xsp->list_tail->av_forw = bp;
        xsp->list_tail = bp;
    } else {
        /* Empty Transfer list */
        xsp->list_head = bp;
        xsp->list_tail = bp;
    }
    mutex_exit(&xsp->mu);

    /* Start the transfer if possible */
    (void) xxstart(reinterpret_cast<caddr_t>(xsp));
    return (0);
}

/*
 * Fail a buf that never reached the engine. Called without mu.
 */
static void
xx_fail(struct buf *bp, int error)
{
    bp->b_resid = bp->b_bcount;
    bioerror(bp, error);
    biodone(bp);
}

/*
 * Examples 16-6 and 8-1: dequeue the next buf, bind it, program the engine.
 *
 * Rules of its contexts: xxstart runs from xxstrategy (kernel), from
 * xxintr (interrupt) and as the DMA callback (soft interrupt), so it must
 * not sleep: the bind passes xxstart as the callback, never DDI_DMA_SLEEP.
 * As a callback it returns DDI_DMA_CALLBACK_RUNOUT only when it wants to be
 * called again; when busy or idle it is done, since xxintr calls it again.
 */
static int
xxstart(caddr_t arg)
{
    struct xxstate *xsp = reinterpret_cast<struct xxstate *>(arg);
    struct buf *bp;
    ddi_dma_cookie_t cookie;
    uint_t ccount;
    uint_t flags;
    size_t len;
    int error;

again:
    mutex_enter(&xsp->mu);
    /*
     * If there is nothing more to do, or the device is
     * busy, return.
     */
    if (xsp->list_head == NULL || xsp->busy) {
        mutex_exit(&xsp->mu);
        return (DDI_DMA_CALLBACK_DONE);
    }
    xsp->busy = 1;
    /* Get the first buffer off the transfer list */
    bp = xsp->list_head;
    /* Update the head and tail pointer */
    xsp->list_head = xsp->list_head->av_forw;
    if (xsp->list_head == NULL)
        xsp->list_tail = NULL;
    bp->av_forw = NULL;
    mutex_exit(&xsp->mu);
    DTRACE_PROBE1(xxstart, struct buf *, bp);

    flags = (bp->b_flags & B_READ) ? DDI_DMA_READ : DDI_DMA_WRITE;
    error = ddi_dma_buf_bind_handle(xsp->handle, bp, flags, xxstart,
        arg, &cookie, &ccount);
    switch (error) {
    case DDI_DMA_MAPPED:
        break;
    case DDI_DMA_NORESOURCES:
        /* Put it back at the head; the callback will start it. */
        mutex_enter(&xsp->mu);
        bp->av_forw = xsp->list_head;
        xsp->list_head = bp;
        if (xsp->list_tail == NULL)
            xsp->list_tail = bp;
        xsp->busy = 0;
        mutex_exit(&xsp->mu);
        mutex_enter(&xsp->callback_mutex);
        xsp->callback_count++;
        mutex_exit(&xsp->callback_mutex);
        return (DDI_DMA_CALLBACK_RUNOUT);
    case DDI_DMA_TOOBIG:
        xx_fail(bp, EINVAL);
        goto next;
    default:
        xx_fail(bp, EFAULT);
        goto next;
    }

    /* A request running past the end moves what fits (b_resid says the rest). */
    len = std::min<size_t>(bp->b_bcount,
        static_cast<size_t>(xsp->nblocks - bp->b_blkno) * XX_BLKSIZE);

    mutex_enter(&xsp->mu);
    xsp->bp = bp;
    xsp->xfer_len = len;
    mutex_exit(&xsp->mu);

    ddi_put32(xsp->data_access_handle, &xsp->regp->dma_ctl,
        (flags == DDI_DMA_READ) ? XX_CTL_DIR_READ : XX_CTL_DIR_WRITE);
    ddi_put32(xsp->data_access_handle, &xsp->regp->dma_addr,
        cookie.dmac_address);
    if (xsp->dma_attr.dma_attr_addr_hi > 0xffffffffull)
        ddi_put32(xsp->data_access_handle, &xsp->regp->dma_addr_hi,
            static_cast<uint32_t>(cookie.dmac_laddress >> 32));
    ddi_put32(xsp->data_access_handle, &xsp->regp->dma_size,
        static_cast<uint32_t>(len));
    ddi_put32(xsp->data_access_handle, &xsp->regp->dev_block,
        static_cast<uint32_t>(bp->b_blkno));
    ddi_put8(xsp->data_access_handle, &xsp->regp->csr,
        ENABLE_INTERRUPTS | START_TRANSFER);
    return (DDI_DMA_CALLBACK_DONE);

next:
    mutex_enter(&xsp->mu);
    xsp->busy = 0;
    mutex_exit(&xsp->mu);
    goto again;
}

/*
 * Example 16-7: claim, error or success, biodone, restart.
 * Runs in interrupt context: it must not sleep.
 */
uint_t
xxintr(caddr_t arg1, caddr_t)
{
    struct xxstate *xsp = reinterpret_cast<struct xxstate *>(arg1);
    struct buf *bp;
    uint8_t status;
    uint32_t resid;

    mutex_enter(&xsp->mu);
    status = ddi_get8(xsp->data_access_handle, &xsp->regp->csr);
    if (!(status & INTERRUPTING) || xsp->bp == NULL) {
        xsp->nintr_unclaimed++;
        mutex_exit(&xsp->mu);
        return (DDI_INTR_UNCLAIMED);
    }
    xsp->nintr_claimed++;
    /* Get the buf responsible for this interrupt */
    bp = xsp->bp;
    xsp->bp = NULL;
    DTRACE_PROBE1(xxintr, struct buf *, bp);
    if (status & DEVICE_ERROR) {
        /* failure: the engine says how much it did not move */
        resid = ddi_get32(xsp->data_access_handle, &xsp->regp->resid);
        bp->b_resid = bp->b_bcount - xsp->xfer_len + std::min<size_t>(resid, xsp->xfer_len);
        bioerror(bp, EIO);
    } else {
        /* success; a request past the end moved only xfer_len */
        bp->b_resid = bp->b_bcount - xsp->xfer_len;
    }
    ddi_put8(xsp->data_access_handle, &xsp->regp->csr, CLEAR_INTERRUPT);
    (void) ddi_dma_unbind_handle(xsp->handle);
    /* The transfer has finished, successfully or not */
    DTRACE_PROBE1(biodone, struct buf *, bp);
    biodone(bp);
    /* Let the next I/O thread have access to the device. */
    xsp->busy = 0;
    mutex_exit(&xsp->mu);
    (void) xxstart(reinterpret_cast<caddr_t>(xsp));
    return (DDI_INTR_CLAIMED);
}
