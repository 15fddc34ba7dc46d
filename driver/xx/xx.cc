/*
 * xx: a block driver for the DMA engine, written as the seeds write it
 * (Writing Device Drivers, examples 7-3, 8-1, 16-5, 16-6, 16-7, 18-4).
 *
 * Locking: xsp->mu protects the transfer list, busy, cmd, the queued
 * mode's slots and lists, and the counters. xsp->callback_mutex protects
 * cancel_callbacks and callback_count; it is never held while mu is taken.
 * Simple mode: registers are programmed by the one thread that set busy
 * (xxstart), or by xxintr while busy is still set, so they need no lock of
 * their own. Queued mode: the doorbell and the reaping of completions are
 * done under mu, so the engine's order is the in-flight list's. No lock is
 * held across pm_raise_power, which may call xxpower, nor across biodone,
 * whose b_iodone may call xxstrategy again.
 */
#include "xx/xx.h"

#include <algorithm>
#include <new>

static void *statep;            /* soft state of every instance */

static int xxstart(caddr_t arg);
static int xxdmacallback(caddr_t arg);
static int xx_queue_init(struct xxstate *xsp, uint32_t cap2);
static void xx_queue_fini(struct xxstate *xsp);
static uint_t xx_qintr(struct xxstate *xsp, uint8_t status);

/* Queued mode's interrupt coalescing defaults (the "coalesce-*" properties override). */
static const int xx_coalesce_timeout = 1024;    /* engine clock cycles: 10 us at 100 MHz */

/* The device's DMA limits; sgllen, align and addr_hi come from the engine. */
static const ddi_dma_attr_t xx_dma_attr_template = {
    DMA_ATTR_V0,
    0x0ull,                     /* dma_attr_addr_lo */
    0xffffffffull,              /* dma_attr_addr_hi: 32-bit unless cap says 64 */
    0xffffffffull,              /* dma_attr_count_max: sizes are 32 bits */
    0x4,                        /* dma_attr_align */
    0x7c,                       /* dma_attr_burstsizes: 4..64 bytes */
    1,                          /* dma_attr_minxfer */
    0x100000ull,                /* dma_attr_maxxfer: 1 MiB per engine command */
    0xffffffffffffffffull,      /* dma_attr_seg: the engine splits at 4 KiB itself */
    1,                          /* dma_attr_sgllen: set from the engine's SGLLEN */
    XX_BLKSIZE,                 /* dma_attr_granular: whole device blocks */
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
    return statep ? static_cast<struct xxstate *>(ddi_get_soft_state(statep, instance)) : NULL;
}

int
xxattach(dev_info_t *dip, ddi_attach_cmd_t cmd)
{
    struct xxstate *xsp;
    ddi_device_acc_attr_t acc_attr;
    caddr_t regs;
    uint32_t id, cap, cap2;
    int instance, actual, sgllen;

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
    cap2 = ((id & 0xff) >= 2) ?
        ddi_get32(xsp->data_access_handle, &xsp->regp->cap2) : 0;
    sgllen = XX_CAP_SGLLEN(cap) ? XX_CAP_SGLLEN(cap) : XX_CAP2_SGLLEN(cap2);
    xsp->sgllen = std::max(1, std::min(sgllen, XX_MAX_SGLLEN));
    xsp->dma_attr = xx_dma_attr_template;
    xsp->dma_attr.dma_attr_sgllen = xsp->sgllen;
    xsp->dma_attr.dma_attr_align = 1ull << XX_CAP_ALIGN_LOG2(cap);
    if (XX_CAP_ADDR64(cap))
        xsp->dma_attr.dma_attr_addr_hi = 0xffffffffffffffffull;
    if (ddi_dma_alloc_handle(dip, &xsp->dma_attr, DDI_DMA_SLEEP, NULL,
        &xsp->handle) != DDI_SUCCESS)
        goto fail_regs;

    xsp->nblocks = static_cast<uint32_t>(ddi_prop_get_int(DDI_DEV_T_ANY, dip,
        DDI_PROP_DONTPASS, "nblocks", 0));
    xsp->use_disksort = ddi_prop_get_int(DDI_DEV_T_ANY, dip,
        DDI_PROP_DONTPASS, "disksort", 0);
    if (xx_queue_init(xsp, cap2) != DDI_SUCCESS)
        goto fail_handle;

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
    xx_queue_fini(xsp);
fail_handle:
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
    if (xsp->busy || xsp->q_active > 0 || xsp->list_head != NULL ||
        xsp->dsort.av_forw != NULL) {
        mutex_exit(&xsp->mu);
        return (DDI_FAILURE);
    }
    mutex_exit(&xsp->mu);

    /*
     * Example 7-3: DMA callbacks cannot be cancelled. Stop them from
     * rescheduling themselves and wait until every one has run.
     */
    mutex_enter(&xsp->callback_mutex);
    xsp->cancel_callbacks = 1;
    while (xsp->callback_count > 0)
        cv_wait(&xsp->callback_cv, &xsp->callback_mutex);
    mutex_exit(&xsp->callback_mutex);

    /*
     * Quiesce: the engine raises no more interrupts (ENABLE_INTERRUPTS
     * off), and after ddi_intr_disable, which waits for a handler still
     * running, no interrupt runs xxintr.
     */
    ddi_put8(xsp->data_access_handle, &xsp->regp->csr, CLEAR_INTERRUPT);
    (void) ddi_intr_disable(xsp->intr_handle);

    /* Power the engine down; detach is the one place pm_lower_power may be called. */
    (void) pm_lower_power(dip, 0, 0);

    (void) ddi_intr_remove_handler(xsp->intr_handle);
    (void) ddi_intr_free(xsp->intr_handle);
    xx_queue_fini(xsp);
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
 * power(9E): component 0 is the engine, level 0 off and 1 on. Called by
 * pm_raise_power with no driver lock held. The engine is quiesced on the
 * way up; it may not go down while a command is in flight.
 */
int
xxpower(dev_info_t *dip, int component, int level)
{
    struct xxstate *xsp = xx_getstate(ddi_get_instance(dip));
    int count, timeout;

    if (xsp == NULL || component != 0 || level < 0 || level > 1)
        return (DDI_FAILURE);
    mutex_enter(&xsp->mu);
    if (level == 0 && (xsp->busy || xsp->q_active > 0 ||
        xsp->list_head != NULL || xsp->dsort.av_forw != NULL)) {
        mutex_exit(&xsp->mu);
        return (DDI_FAILURE);
    }
    xsp->power_level = level;
    mutex_exit(&xsp->mu);
    if (level == 1 && xsp->qdepth == 0) {
        ddi_put8(xsp->data_access_handle, &xsp->regp->csr, CLEAR_INTERRUPT);
    } else if (level == 1) {
        /*
         * Queued mode: completions interrupt through the QUEUE cause, so
         * interrupts stay enabled (simple mode enables them with each
         * START_TRANSFER); coalesce them as the properties say.
         */
        count = ddi_prop_get_int(DDI_DEV_T_ANY, dip, DDI_PROP_DONTPASS,
            "coalesce-count", (xsp->qdepth + 1) / 2);
        timeout = ddi_prop_get_int(DDI_DEV_T_ANY, dip, DDI_PROP_DONTPASS,
            "coalesce-timeout", xx_coalesce_timeout);
        /* More than we can have in flight would never be reached. */
        count = std::max(1, std::min(count, xsp->qdepth));
        /* A lone completion must not wait for company forever. */
        if (count > 1 && timeout <= 0)
            timeout = xx_coalesce_timeout;
        timeout = std::max(0, std::min(timeout, 0xffffff));
        ddi_put32(xsp->data_access_handle, &xsp->regp->irq_coalesce,
            XX_COALESCE(count, timeout));
        ddi_put8(xsp->data_access_handle, &xsp->regp->csr,
            ENABLE_INTERRUPTS | CLEAR_INTERRUPT);
    }
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
     * Add the request to the end of the queue, or where the elevator
     * puts it (disksort keys on b_resid: the block number until started).
     */
    mutex_enter(&xsp->mu);
    if (xsp->use_disksort) {
        bp->b_resid = static_cast<size_t>(bp->b_blkno);
        disksort(&xsp->dsort, bp);
    } else {
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
    }
    mutex_exit(&xsp->mu);

    /* Start the transfer if possible */
    (void) xxstart(reinterpret_cast<caddr_t>(xsp));
    return (0);
}

/* physio(9F) entries: a synchronous transfer straight from the caller's buffer. */
static void
xxminphys(struct buf *bp)
{
    minphys(bp);
}

int
xxread(dev_t dev, struct uio *uio)
{
    return (physio(xxstrategy, NULL, dev, B_READ, xxminphys, uio));
}

int
xxwrite(dev_t dev, struct uio *uio)
{
    return (physio(xxstrategy, NULL, dev, B_WRITE, xxminphys, uio));
}

/* Take the next buf off the queue (FIFO or elevator). Called with mu held. */
static struct buf *
xx_dequeue(struct xxstate *xsp)
{
    struct buf *bp;

    ASSERT_HELD(&xsp->mu);
    if (xsp->use_disksort) {
        bp = xsp->dsort.av_forw;
        if (bp != NULL) {
            xsp->dsort.av_forw = bp->av_forw;
            if (xsp->dsort.av_forw == NULL)
                xsp->dsort.av_back = NULL;
        }
    } else {
        bp = xsp->list_head;
        if (bp != NULL) {
            xsp->list_head = bp->av_forw;
            if (xsp->list_head == NULL)
                xsp->list_tail = NULL;
        }
    }
    if (bp != NULL)
        bp->av_forw = NULL;
    return (bp);
}

/* Put a buf back at the head of the queue (it found no resources). Called with mu held. */
static void
xx_requeue(struct xxstate *xsp, struct buf *bp)
{
    ASSERT_HELD(&xsp->mu);
    if (xsp->use_disksort) {
        bp->b_resid = static_cast<size_t>(bp->b_blkno);    /* the elevator's key again */
        bp->av_forw = xsp->dsort.av_forw;
        xsp->dsort.av_forw = bp;
        if (xsp->dsort.av_back == NULL)
            xsp->dsort.av_back = bp;
    } else {
        bp->av_forw = xsp->list_head;
        xsp->list_head = bp;
        if (xsp->list_tail == NULL)
            xsp->list_tail = bp;
    }
}

/*
 * Example 18-4 (isp_i_dma_move): move a command's DMA resources to its next
 * portion: the next cookies of this window, or the next window. Gathers up
 * to the engine's SGLLEN cookies and sets pkt_resid to what is left.
 * Returns 1 when there is a portion to move, 0 when there is none or the
 * window cannot be had. Never sleeps.
 */
/*
 * With the portion's first cookie in cmd_dmacookies[0], get the remaining
 * cookies in this window, up to our maximum, and what is left after them.
 */
static void
xx_gather_cookies(struct xxstate *xsp, struct xx_cmd *sp)
{
    int i = 0;

    sp->cmd_portion = 0;
    for (;;) {
        sp->cmd_portion += sp->cmd_dmacookies[i].dmac_size;
        sp->cmd_dmacount += sp->cmd_dmacookies[i++].dmac_size;
        sp->cmd_cookie++;
        if (i == xsp->sgllen || sp->cmd_cookie == sp->cmd_ncookies)
            break;
        ddi_dma_nextcookie(sp->cmd_handle, &sp->cmd_dmacookies[i]);
    }
    sp->cmd_cookiecnt = i;
    sp->pkt_resid = sp->cmd_xferlen - sp->cmd_dmacount;
}

static int
xx_i_dma_move(struct xxstate *xsp, struct xx_cmd *sp, struct buf *bp)
{

    ASSERT(sp->bp == bp);
    ASSERT(sp->cmd_flags & CFLAG_COMPLETED);
    sp->cmd_flags &= ~CFLAG_COMPLETED;
    /*
     * If there are no more cookies remaining in this window,
     * must move to the next window first.
     */
    if (sp->cmd_cookie == sp->cmd_ncookies) {
        /*
         * For small pkts, leave things where they are
         */
        if (sp->cmd_curwin == sp->cmd_nwin && sp->cmd_nwin == 1)
            return (1);
        /*
         * At last window, cannot move
         */
        if (++sp->cmd_curwin >= sp->cmd_nwin)
            return (0);
        if (ddi_dma_getwin(sp->cmd_handle, sp->cmd_curwin,
            &sp->cmd_dma_offset, &sp->cmd_dma_len,
            &sp->cmd_dmacookies[0], &sp->cmd_ncookies) == DDI_FAILURE)
            return (0);
        sp->cmd_cookie = 0;
    } else {
        /*
         * Still more cookies in this window - get the next one
         */
        ddi_dma_nextcookie(sp->cmd_handle, &sp->cmd_dmacookies[0]);
    }
    xx_gather_cookies(xsp, sp);
    return (1);
}

/*
 * tran_init_pkt(9E) for the engine (seed 002). With pkt NULL: allocate a
 * command and bind the buf (DDI_DMA_PARTIAL when PKT_DMA_PARTIAL: one
 * window at a time), taking the first portion. With a pkt whose pkt_resid
 * is not zero: move to its next portion. callback: NULL_FUNC never sleeps,
 * SLEEP_FUNC sleeps for resources (kernel context only), a function is the
 * DMA callback for NORESOURCES. On failure returns NULL with b_error set
 * (0 for no resources) and never frees a pkt it was given.
 */
struct xx_cmd *
xx_tran_init_pkt(struct xxstate *xsp, struct xx_cmd *pkt, struct buf *bp,
    int flags, int (*callback)(caddr_t), caddr_t arg, ddi_dma_handle_t handle)
{
    struct xx_cmd *sp = pkt;
    ddi_dma_callback_t dmacb;
    uint_t dmaflags;
    size_t len, saved_bcount;
    int rv;

    if (sp != NULL) {
        /* The next portion of a command already bound. */
        sp->cmd_flags |= CFLAG_COMPLETED;
        if (sp->pkt_resid == 0 || !xx_i_dma_move(xsp, sp, bp)) {
            bioerror(bp, EFAULT);
            return (NULL);
        }
        return (sp);
    }

    if (callback == SLEEP_FUNC)
        dmacb = DDI_DMA_SLEEP;
    else if (callback == NULL_FUNC)
        dmacb = DDI_DMA_DONTWAIT;
    else
        dmacb = callback;

    /* A request running past the end moves what fits (b_resid says the rest). */
    len = std::min<size_t>(bp->b_bcount,
        static_cast<size_t>(xsp->nblocks - bp->b_blkno) * XX_BLKSIZE);
    dmaflags = (bp->b_flags & B_READ) ? DDI_DMA_READ : DDI_DMA_WRITE;
    if (flags & PKT_DMA_PARTIAL)
        dmaflags |= DDI_DMA_PARTIAL;

    sp = new (std::nothrow) xx_cmd();
    if (sp == NULL) {
        bioerror(bp, 0);
        return (NULL);
    }
    sp->bp = bp;
    sp->cmd_handle = handle != NULL ? handle : xsp->handle;
    sp->cmd_xferlen = len;
    /*
     * Bind the buf itself (kernel, user or B_PAGEIO memory alike), but
     * only what the device can take: the bind maps b_bcount bytes, so
     * b_bcount says len for the duration of the call.
     */
    saved_bcount = bp->b_bcount;
    bp->b_bcount = len;
    rv = ddi_dma_buf_bind_handle(sp->cmd_handle, bp, dmaflags, dmacb, arg,
        &sp->cmd_dmacookies[0], &sp->cmd_ncookies);
    bp->b_bcount = saved_bcount;
    switch (rv) {
    case DDI_DMA_MAPPED:
        sp->cmd_nwin = 1;
        break;
    case DDI_DMA_PARTIAL_MAP:
        if (ddi_dma_numwin(sp->cmd_handle, &sp->cmd_nwin) == DDI_FAILURE)
            goto fail_unbind;
        break;
    case DDI_DMA_NORESOURCES:
        bioerror(bp, 0);
        delete sp;
        return (NULL);
    case DDI_DMA_TOOBIG:
        bioerror(bp, EINVAL);
        delete sp;
        return (NULL);
    default:
        bioerror(bp, EFAULT);
        delete sp;
        return (NULL);
    }
    sp->cmd_flags = CFLAG_DMAVALID;
    sp->cmd_curwin = 0;

    /* The first portion: the bind gave the first cookie, gather the rest. */
    sp->cmd_cookie = 0;
    xx_gather_cookies(xsp, sp);
    return (sp);

fail_unbind:
    (void) ddi_dma_unbind_handle(sp->cmd_handle);
    bioerror(bp, EFAULT);
    delete sp;
    return (NULL);
}

void
xx_tran_destroy_pkt(struct xxstate *xsp, struct xx_cmd *pkt)
{
    (void) xsp;
    if (pkt->cmd_flags & CFLAG_DMAVALID)
        (void) ddi_dma_unbind_handle(pkt->cmd_handle);
    delete pkt;
}

/*
 * Program the engine with the command's current portion: one segment in
 * dma_addr/dma_size, or the register sglist. Called by the holder of busy.
 */
static void
xx_program(struct xxstate *xsp, struct xx_cmd *sp)
{
    struct buf *bp = sp->bp;
    size_t portion = sp->cmd_portion;
    size_t before = sp->cmd_dmacount - portion;
    uint_t i;

    ddi_put32(xsp->data_access_handle, &xsp->regp->dma_ctl,
        (bp->b_flags & B_READ) ? XX_CTL_DIR_READ : XX_CTL_DIR_WRITE);
    if (sp->cmd_cookiecnt == 1) {
        ddi_put32(xsp->data_access_handle, &xsp->regp->sg_count, 0);
        ddi_put32(xsp->data_access_handle, &xsp->regp->dma_addr,
            sp->cmd_dmacookies[0].dmac_address);
        if (xsp->dma_attr.dma_attr_addr_hi > 0xffffffffull)
            ddi_put32(xsp->data_access_handle, &xsp->regp->dma_addr_hi,
                static_cast<uint32_t>(sp->cmd_dmacookies[0].dmac_laddress >> 32));
        ddi_put32(xsp->data_access_handle, &xsp->regp->dma_size,
            static_cast<uint32_t>(portion));
    } else {
        for (i = 0; i < sp->cmd_cookiecnt; i++) {
            ddi_put32(xsp->data_access_handle, &xsp->regp->sglist[i].addr,
                sp->cmd_dmacookies[i].dmac_address);
            if (xsp->dma_attr.dma_attr_addr_hi > 0xffffffffull)
                ddi_put32(xsp->data_access_handle,
                    &xsp->regp->sglist[i].addr_hi,
                    static_cast<uint32_t>(sp->cmd_dmacookies[i].dmac_laddress >> 32));
            ddi_put32(xsp->data_access_handle, &xsp->regp->sglist[i].size,
                static_cast<uint32_t>(sp->cmd_dmacookies[i].dmac_size));
        }
        ddi_put32(xsp->data_access_handle, &xsp->regp->sg_count,
            sp->cmd_cookiecnt);
    }
    ddi_put32(xsp->data_access_handle, &xsp->regp->dev_block,
        static_cast<uint32_t>(bp->b_blkno + before / XX_BLKSIZE));
    ddi_put8(xsp->data_access_handle, &xsp->regp->csr,
        ENABLE_INTERRUPTS | START_TRANSFER);
}

/* Fail a buf that never reached the engine. Called without mu. */
static void
xx_fail(struct buf *bp)
{
    bp->b_resid = bp->b_bcount;
    if (geterror(bp) == 0)
        bioerror(bp, EIO);
    biodone(bp);
}

/*
 * Examples 16-6 and 8-1: dequeue the next buf, raise power, bind it,
 * program the engine. cb is the DMA callback for NORESOURCES
 * (xxdmacallback), or DDI_DMA_DONTWAIT when called from that callback.
 *
 * It runs from xxstrategy (kernel), xxintr (interrupt) and the DMA
 * callback (soft interrupt), so it must not sleep: never SLEEP_FUNC.
 */
static int
xx_start(struct xxstate *xsp, int (*cb)(caddr_t))
{
    struct buf *bp;
    struct xx_cmd *sp;
    uint64_t gen;
    int raced;

again:
    mutex_enter(&xsp->mu);
    /*
     * If there is nothing more to do, or the device is
     * busy, return. Busy is RUNOUT (example 8-1): as a DMA callback,
     * "call me again"; xxintr restarts the queue anyway.
     */
    if (xsp->busy) {
        mutex_exit(&xsp->mu);
        return (DDI_DMA_CALLBACK_RUNOUT);
    }
    bp = xx_dequeue(xsp);
    if (bp == NULL) {
        mutex_exit(&xsp->mu);
        return (DDI_DMA_CALLBACK_DONE);
    }
    xsp->busy = 1;
    gen = xsp->ncallbacks;      /* see "No resources" below */
    mutex_exit(&xsp->mu);
    DTRACE_PROBE1(xxstart, struct buf *, bp);

    /*
     * The device has a power manageable component: mark it busy, then
     * make sure it is powered up before touching it. pm_raise_power may
     * block and may call xxpower, so it is called with no lock held and
     * only from kernel context. In interrupt and callback context the
     * engine is on already: xxpower refuses to power down while a buf is
     * queued or in flight, and xxintr keeps the component busy until the
     * next command has started.
     */
    (void) pm_busy_component(xsp->dip, 0);
    if (!servicing_interrupt()) {
        if (pm_raise_power(xsp->dip, 0, 1) != DDI_SUCCESS) {
            (void) pm_idle_component(xsp->dip, 0);
            bioerror(bp, EIO);
            xx_fail(bp);
            goto next;
        }
    }

    bp->b_resid = 0;        /* it held the disksort key */
    sp = xx_tran_init_pkt(xsp, NULL, bp, PKT_DMA_PARTIAL,
        cb == DDI_DMA_DONTWAIT ? NULL_FUNC : cb,
        reinterpret_cast<caddr_t>(xsp));
    if (sp == NULL) {
        (void) pm_idle_component(xsp->dip, 0);
        if (geterror(bp) != 0) {
            xx_fail(bp);
            goto next;
        }
        /*
         * No resources: leave it at the head; the callback starts it.
         * The bind registered the callback before the buf was back on
         * the queue: if it ran in between (resources came back), it
         * found nothing to start, so try again now.
         */
        mutex_enter(&xsp->mu);
        xx_requeue(xsp, bp);
        xsp->busy = 0;
        xsp->nnoresources++;
        raced = xsp->ncallbacks != gen;
        mutex_exit(&xsp->mu);
        if (cb != DDI_DMA_DONTWAIT) {
            mutex_enter(&xsp->callback_mutex);
            xsp->callback_count++;
            mutex_exit(&xsp->callback_mutex);
        }
        if (raced && cb != DDI_DMA_DONTWAIT)
            goto again;
        return (DDI_DMA_CALLBACK_RUNOUT);
    }

    mutex_enter(&xsp->mu);
    xsp->cmd = sp;
    xsp->nstarts++;
    if (servicing_interrupt())
        xsp->nstarts_intr++;
    if (sp->pkt_resid != 0)
        xsp->nportions++;
    if (xsp->power_level != 1)
        cmn_err(CE_PANIC, "xx: device touched at power level %d", xsp->power_level);
    mutex_exit(&xsp->mu);
    xx_program(xsp, sp);
    return (DDI_DMA_CALLBACK_DONE);

next:
    mutex_enter(&xsp->mu);
    xsp->busy = 0;
    mutex_exit(&xsp->mu);
    goto again;
}

static int xx_qstart(struct xxstate *xsp, int (*cb)(caddr_t));

/* Example 16-6's start(): from strategy and interrupt. */
static int
xxstart(caddr_t arg)
{
    struct xxstate *xsp = reinterpret_cast<struct xxstate *>(arg);

    if (xsp->qdepth > 0)
        return (xx_qstart(xsp, xxdmacallback));
    return (xx_start(xsp, xxdmacallback));
}

/*
 * Example 7-3's DMA callback, run from a soft interrupt after some
 * driver's unbind freed resources. While detach waits it only counts
 * itself out; otherwise it retries xxstart without registering again (the
 * RUNOUT return re-queues it).
 */
static int
xxdmacallback(caddr_t callbackarg)
{
    struct xxstate *xsp = reinterpret_cast<struct xxstate *>(callbackarg);
    int rv;

    mutex_enter(&xsp->callback_mutex);
    if (xsp->cancel_callbacks) {
        /* do not reschedule, in process of detaching */
        xsp->callback_count--;
        if (xsp->callback_count == 0)
            cv_signal(&xsp->callback_cv);
        mutex_exit(&xsp->callback_mutex);
        return (DDI_DMA_CALLBACK_DONE);     /* don't reschedule it */
    }
    mutex_exit(&xsp->callback_mutex);

    mutex_enter(&xsp->mu);
    xsp->ncallbacks++;
    mutex_exit(&xsp->mu);
    rv = xsp->qdepth > 0 ? xx_qstart(xsp, DDI_DMA_DONTWAIT) :
        xx_start(xsp, DDI_DMA_DONTWAIT);
    if (rv == DDI_DMA_CALLBACK_RUNOUT)
        return (DDI_DMA_CALLBACK_RUNOUT);   /* busy or no resources: call me again */

    mutex_enter(&xsp->callback_mutex);
    xsp->callback_count--;
    if (xsp->callback_count == 0)
        cv_signal(&xsp->callback_cv);
    mutex_exit(&xsp->callback_mutex);
    return (DDI_DMA_CALLBACK_DONE);
}

/*
 * Example 16-7: claim, error or success, biodone, restart. A command
 * moved in portions (seed 002) goes on to its next portion from here.
 * Runs in interrupt context: it must not sleep.
 */
uint_t
xxintr(caddr_t arg1, caddr_t)
{
    struct xxstate *xsp = reinterpret_cast<struct xxstate *>(arg1);
    struct xx_cmd *sp;
    struct buf *bp;
    uint8_t status;
    uint32_t resid;
    size_t portion;

    mutex_enter(&xsp->mu);
    status = ddi_get8(xsp->data_access_handle, &xsp->regp->csr);
    if (xsp->qdepth > 0)
        return (xx_qintr(xsp, status));     /* drops mu */
    if (!(status & INTERRUPTING) || xsp->cmd == NULL) {
        xsp->nintr_unclaimed++;
        mutex_exit(&xsp->mu);
        return (DDI_INTR_UNCLAIMED);
    }
    xsp->nintr_claimed++;
    /* Get the command responsible for this interrupt */
    sp = xsp->cmd;
    bp = sp->bp;
    DTRACE_PROBE1(xxintr, struct buf *, bp);
    portion = sp->cmd_portion;

    if (status & DEVICE_ERROR) {
        /* failure: the engine says how much of this portion it did not move */
        resid = ddi_get32(xsp->data_access_handle, &xsp->regp->resid);
        bp->b_resid = bp->b_bcount - sp->cmd_dmacount +
            std::min<size_t>(resid, portion);
        bioerror(bp, EIO);
    } else if (sp->pkt_resid != 0) {
        /* This portion is done: on to the next one, without sleeping. */
        ddi_put8(xsp->data_access_handle, &xsp->regp->csr, CLEAR_INTERRUPT);
        if (xx_tran_init_pkt(xsp, sp, bp, PKT_DMA_PARTIAL, NULL_FUNC,
            NULL) != NULL) {
            xsp->nstarts++;
            xsp->nstarts_intr++;
            xx_program(xsp, sp);
            mutex_exit(&xsp->mu);
            return (DDI_INTR_CLAIMED);
        }
        bp->b_resid = bp->b_bcount - sp->cmd_dmacount;
    } else {
        /* success; a request past the end moved only cmd_xferlen */
        bp->b_resid = bp->b_bcount - sp->cmd_xferlen;
    }
    ddi_put8(xsp->data_access_handle, &xsp->regp->csr, CLEAR_INTERRUPT);
    xsp->cmd = NULL;
    /* Release the DMA resources: this may schedule DMA callbacks. */
    xx_tran_destroy_pkt(xsp, sp);
    /* Let the next I/O thread have access to the device. */
    xsp->busy = 0;
    mutex_exit(&xsp->mu);
    /* The transfer has finished, successfully or not (no lock: b_iodone may call xxstrategy) */
    DTRACE_PROBE1(biodone, struct buf *, bp);
    biodone(bp);
    (void) xxstart(reinterpret_cast<caddr_t>(xsp));
    /* Idle only now, so the component stays busy from one command to the next. */
    (void) pm_idle_component(xsp->dip, 0);
    return (DDI_INTR_CLAIMED);
}

/*
 * Queued mode: the engine's command queue (register map version 3). Each
 * buf (each portion of one, seed 002) travels in a command block (iopb) in
 * DMA-able memory: xx_qstart fills free slots and rings the doorbell
 * (iopb_addr), xx_qintr reaps every completion the engine has queued,
 * in the order of submission, several per interrupt.
 */

/*
 * Attach: one slot per block the engine may hold, each with its own DMA
 * handle for the data (several bufs are bound at once) and a block from
 * ddi_dma_mem_alloc, bound once for its bus address. Kernel context.
 */
static int
xx_queue_init(struct xxstate *xsp, uint32_t cap2)
{
    ddi_device_acc_attr_t acc_attr;
    ddi_dma_attr_t iopb_attr;
    ddi_dma_cookie_t cookie;
    struct xx_slot *slot;
    caddr_t kaddr;
    size_t size, real;
    uint_t ccount;
    int depth, i;

    xsp->qdepth = 0;
    depth = ddi_prop_get_int(DDI_DEV_T_ANY, xsp->dip, DDI_PROP_DONTPASS,
        "queue-depth", 0);
    if (depth <= 0)
        return (DDI_SUCCESS);               /* simple mode */
    if (XX_CAP2_QUEUE_DEPTH(cap2) == 0) {
        cmn_err(CE_NOTE, "xx%d: the engine has no command queue: simple mode",
            ddi_get_instance(xsp->dip));
        return (DDI_SUCCESS);
    }
    depth = std::min({depth, static_cast<int>(XX_CAP2_QUEUE_DEPTH(cap2)),
        XX_MAX_QUEUE});

    /* A block and its inline entries, in one aligned piece: one cookie. */
    for (size = XX_IOPB_ALIGN; size < XX_IOPB_HDR_SIZE +
        xsp->sgllen * sizeof (device_reg::xx_sg_entry); size <<= 1)
        ;
    iopb_attr = xsp->dma_attr;
    iopb_attr.dma_attr_align = size;
    iopb_attr.dma_attr_sgllen = 1;
    iopb_attr.dma_attr_granular = 1;
    acc_attr.devacc_attr_version = DDI_DEVICE_ATTR_V0;
    acc_attr.devacc_attr_endian_flags = DDI_STRUCTURE_LE_ACC;
    acc_attr.devacc_attr_dataorder = DDI_STRICTORDER_ACC;

    for (i = 0; i < depth; i++) {
        slot = &xsp->slots[i];
        if (ddi_dma_alloc_handle(xsp->dip, &xsp->dma_attr, DDI_DMA_SLEEP,
            NULL, &slot->handle) != DDI_SUCCESS ||
            ddi_dma_alloc_handle(xsp->dip, &iopb_attr, DDI_DMA_SLEEP,
            NULL, &slot->iopb_handle) != DDI_SUCCESS ||
            ddi_dma_mem_alloc(slot->iopb_handle, size, &acc_attr,
            DDI_DMA_CONSISTENT, DDI_DMA_SLEEP, NULL, &kaddr, &real,
            &slot->iopb_acc) != DDI_SUCCESS)
            goto fail;
        slot->iopb = reinterpret_cast<struct xx_iopb *>(kaddr);
        if (ddi_dma_addr_bind_handle(slot->iopb_handle, NULL, kaddr, size,
            DDI_DMA_RDWR | DDI_DMA_CONSISTENT, DDI_DMA_SLEEP, NULL, &cookie,
            &ccount) != DDI_DMA_MAPPED || ccount != 1) {
            slot->iopb = NULL;
            goto fail;
        }
        slot->iopb_paddr = cookie.dmac_laddress;
        slot->next = xsp->q_free;
        xsp->q_free = slot;
    }
    xsp->qdepth = depth;
    return (DDI_SUCCESS);

fail:
    xsp->qdepth = depth;        /* so that fini looks at every slot */
    xx_queue_fini(xsp);
    return (DDI_FAILURE);
}

/* Detach (or a failed attach): give back what xx_queue_init took. */
static void
xx_queue_fini(struct xxstate *xsp)
{
    struct xx_slot *slot;
    int i;

    for (i = 0; i < xsp->qdepth; i++) {
        slot = &xsp->slots[i];
        ASSERT(slot->cmd == NULL);
        if (slot->iopb != NULL)
            (void) ddi_dma_unbind_handle(slot->iopb_handle);
        if (slot->iopb_acc != NULL)
            ddi_dma_mem_free(&slot->iopb_acc);
        if (slot->iopb_handle != NULL)
            ddi_dma_free_handle(&slot->iopb_handle);
        if (slot->handle != NULL)
            ddi_dma_free_handle(&slot->handle);
        *slot = xx_slot();
    }
    xsp->q_free = xsp->q_head = xsp->q_tail = NULL;
    xsp->qdepth = 0;
}

/*
 * Write the slot's command (its current portion) into its block: inline
 * entries, status zeroed, then sync it for the device. The slot is owned
 * by the caller (off the free list, not yet submitted, or just reaped),
 * so no lock is needed for the block itself.
 */
static void
xx_iopb_fill(struct xx_slot *slot)
{
    struct xx_cmd *sp = slot->cmd;
    struct buf *bp = sp->bp;
    struct xx_iopb *ip = slot->iopb;
    ddi_acc_handle_t acc = slot->iopb_acc;
    size_t portion = sp->cmd_portion;
    uint_t i;

    for (i = 0; i < sp->cmd_cookiecnt; i++) {
        ddi_put32(acc, &ip->sg[i].addr, sp->cmd_dmacookies[i].dmac_address);
        ddi_put32(acc, &ip->sg[i].addr_hi,
            static_cast<uint32_t>(sp->cmd_dmacookies[i].dmac_laddress >> 32));
        ddi_put32(acc, &ip->sg[i].size,
            static_cast<uint32_t>(sp->cmd_dmacookies[i].dmac_size));
        ddi_put32(acc, &ip->sg[i].rsvd, 0);
    }
    ddi_put32(acc, &ip->ctl, XX_IOPB_CTL((bp->b_flags & B_READ) ?
        XX_CTL_DIR_READ : XX_CTL_DIR_WRITE, sp->cmd_cookiecnt));
    ddi_put32(acc, &ip->dev_block, static_cast<uint32_t>(bp->b_blkno +
        (sp->cmd_dmacount - portion) / XX_BLKSIZE));
    ddi_put32(acc, &ip->byte_count, static_cast<uint32_t>(portion));
    ddi_put32(acc, &ip->rsvd0, 0);
    ddi_put32(acc, &ip->next_lo, 0);        /* no chains: one buf, one block */
    ddi_put32(acc, &ip->next_hi, 0);
    ddi_put32(acc, &ip->list_lo, 0);        /* entries inline */
    ddi_put32(acc, &ip->list_hi, 0);
    ddi_put32(acc, &ip->resid, 0);
    ddi_put32(acc, &ip->fault_lo, 0);
    ddi_put32(acc, &ip->fault_hi, 0);
    ddi_put32(acc, &ip->status, 0);
    (void) ddi_dma_sync(slot->iopb_handle, 0, 0, DDI_DMA_SYNC_FORDEV);
}

/*
 * Hand a filled slot to the engine: at the tail of the in-flight list and
 * through the doorbell, under mu so that the list's order is the
 * engine's order. The engine holds as many blocks as we have slots, so
 * the doorbell is never refused.
 */
static void
xx_qsubmit(struct xxstate *xsp, struct xx_slot *slot)
{
    ASSERT_HELD(&xsp->mu);
    slot->next = NULL;
    if (xsp->q_tail != NULL)
        xsp->q_tail->next = slot;
    else
        xsp->q_head = slot;
    xsp->q_tail = slot;
    if (xsp->dma_attr.dma_attr_addr_hi > 0xffffffffull)
        ddi_put32(xsp->data_access_handle, &xsp->regp->iopb_addr_hi,
            static_cast<uint32_t>(slot->iopb_paddr >> 32));
    ddi_put32(xsp->data_access_handle, &xsp->regp->iopb_addr,
        static_cast<uint32_t>(slot->iopb_paddr));
}

/* Give a slot back (its buf is done or never started). Called with mu held. */
static void
xx_slot_free(struct xxstate *xsp, struct xx_slot *slot)
{
    ASSERT_HELD(&xsp->mu);
    slot->cmd = NULL;
    slot->next = xsp->q_free;
    xsp->q_free = slot;
    xsp->q_active--;
}

/*
 * xxstart for queued mode: fill every free slot from the queue. Same
 * contexts and rules as xx_start (never sleeps; cb is the DMA callback
 * for NORESOURCES, or DDI_DMA_DONTWAIT from the callback itself). All
 * slots in flight is RUNOUT, as busy is in simple mode: xx_qintr restarts
 * the queue when it frees one.
 */
static int
xx_qstart(struct xxstate *xsp, int (*cb)(caddr_t))
{
    struct xx_slot *slot;
    struct xx_cmd *sp;
    struct buf *bp;
    uint64_t gen;
    int raced;

again:
    mutex_enter(&xsp->mu);
    if (xsp->q_free == NULL) {
        if (xsp->list_head == NULL && xsp->dsort.av_forw == NULL) {
            mutex_exit(&xsp->mu);
            return (DDI_DMA_CALLBACK_DONE);     /* nothing waits */
        }
        xsp->nqfull++;
        mutex_exit(&xsp->mu);
        return (DDI_DMA_CALLBACK_RUNOUT);
    }
    bp = xx_dequeue(xsp);
    if (bp == NULL) {
        mutex_exit(&xsp->mu);
        return (DDI_DMA_CALLBACK_DONE);
    }
    slot = xsp->q_free;
    xsp->q_free = slot->next;
    slot->next = NULL;
    xsp->q_active++;
    gen = xsp->ncallbacks;      /* see "No resources" below */
    mutex_exit(&xsp->mu);
    DTRACE_PROBE1(xxstart, struct buf *, bp);

    /* Power, as xx_start: raised only from kernel context. */
    (void) pm_busy_component(xsp->dip, 0);
    if (!servicing_interrupt() && pm_raise_power(xsp->dip, 0, 1) != DDI_SUCCESS) {
        (void) pm_idle_component(xsp->dip, 0);
        bioerror(bp, EIO);
        xx_fail(bp);
        mutex_enter(&xsp->mu);
        xx_slot_free(xsp, slot);
        mutex_exit(&xsp->mu);
        goto again;
    }

    bp->b_resid = 0;        /* it held the disksort key */
    sp = xx_tran_init_pkt(xsp, NULL, bp, PKT_DMA_PARTIAL,
        cb == DDI_DMA_DONTWAIT ? NULL_FUNC : cb,
        reinterpret_cast<caddr_t>(xsp), slot->handle);
    if (sp == NULL) {
        (void) pm_idle_component(xsp->dip, 0);
        if (geterror(bp) != 0) {
            xx_fail(bp);
            mutex_enter(&xsp->mu);
            xx_slot_free(xsp, slot);
            mutex_exit(&xsp->mu);
            goto again;
        }
        /* No resources: as in xx_start (a callback may have raced us). */
        mutex_enter(&xsp->mu);
        xx_requeue(xsp, bp);
        xx_slot_free(xsp, slot);
        xsp->nnoresources++;
        raced = xsp->ncallbacks != gen;
        mutex_exit(&xsp->mu);
        if (cb != DDI_DMA_DONTWAIT) {
            mutex_enter(&xsp->callback_mutex);
            xsp->callback_count++;
            mutex_exit(&xsp->callback_mutex);
        }
        if (raced && cb != DDI_DMA_DONTWAIT)
            goto again;
        return (DDI_DMA_CALLBACK_RUNOUT);
    }
    sp->cmd_slot = slot;
    slot->cmd = sp;
    xx_iopb_fill(slot);

    mutex_enter(&xsp->mu);
    xsp->nstarts++;
    if (servicing_interrupt())
        xsp->nstarts_intr++;
    if (sp->pkt_resid != 0)
        xsp->nportions++;
    if (xsp->power_level != 1)
        cmn_err(CE_PANIC, "xx: device touched at power level %d", xsp->power_level);
    xx_qsubmit(xsp, slot);
    mutex_exit(&xsp->mu);
    goto again;
}

/*
 * One completion, reaped: the block's status says how it went. A portion
 * that succeeded goes on to the buf's next portion in the same slot (back
 * on the queue, returns NULL); otherwise the buf is finished, the slot
 * freed, and the buf returned for the caller to biodone once mu is
 * dropped. Interrupt context, mu held: must not sleep.
 */
static struct buf *
xx_qcomplete(struct xxstate *xsp, struct xx_slot *slot, uint32_t st,
    uint32_t resid)
{
    struct xx_cmd *sp = slot->cmd;
    struct buf *bp = sp->bp;
    size_t portion = sp->cmd_portion;

    ASSERT_HELD(&xsp->mu);

    if (XX_IOPB_CODE(st) != XX_ERR_NONE) {
        /*
         * Failure. A block that never started, or failed its fetch or
         * its checks, moved nothing (the engine may say resid 0 when it
         * could not read the block at all: our own count is the truth).
         */
        if ((st & XX_IOPB_NOT_STARTED) || XX_IOPB_CODE(st) == XX_ERR_DESC_FETCH ||
            XX_IOPB_CODE(st) == XX_ERR_BAD_CMD || XX_IOPB_CODE(st) == XX_ERR_PROTECTION)
            resid = static_cast<uint32_t>(portion);
        bp->b_resid = bp->b_bcount - sp->cmd_dmacount +
            std::min<size_t>(resid, portion);
        bioerror(bp, EIO);
    } else if (sp->pkt_resid != 0) {
        /* This portion is done: on to the next one, without sleeping. */
        if (xx_tran_init_pkt(xsp, sp, bp, PKT_DMA_PARTIAL, NULL_FUNC,
            NULL) != NULL) {
            xsp->nstarts++;
            xsp->nstarts_intr++;
            xx_iopb_fill(slot);
            xx_qsubmit(xsp, slot);
            return (NULL);
        }
        bp->b_resid = bp->b_bcount - sp->cmd_dmacount;
    } else {
        /* success; a request past the end moved only cmd_xferlen */
        bp->b_resid = bp->b_bcount - sp->cmd_xferlen;
    }
    xx_slot_free(xsp, slot);
    /* Release the DMA resources: this may schedule DMA callbacks. */
    xx_tran_destroy_pkt(xsp, sp);
    return (bp);
}

/*
 * xxintr for queued mode, entered with mu held (dropped here). Claim when
 * the engine interrupts; reap every completion it holds: each is the
 * oldest block in flight (the engine completes in order, and iopb_addr
 * says which it is, as seed 001's register does), its status and residual
 * are in the block (or, if the engine could not write them back, in
 * cq_status/cq_resid); POP it. Then restart the queue. Interrupt context:
 * must not sleep.
 */
static uint_t
xx_qintr(struct xxstate *xsp, uint8_t status)
{
    struct xx_slot *slot;
    struct buf *bp, *done_head = NULL, *done_tail = NULL;
    uint32_t qs, n, k, done, addr, st, resid, cqs;

    ASSERT_HELD(&xsp->mu);
    if (!(status & INTERRUPTING)) {
        xsp->nintr_unclaimed++;
        mutex_exit(&xsp->mu);
        return (DDI_INTR_UNCLAIMED);
    }
    xsp->nintr_claimed++;
    qs = ddi_get32(xsp->data_access_handle, &xsp->regp->queue_status);
    n = XX_QS_CQ_COUNT(qs);
    if (n == 0) {
        /* DONE/ERROR of a register-mode command: none is ever started here */
        ddi_put8(xsp->data_access_handle, &xsp->regp->csr,
            ENABLE_INTERRUPTS | CLEAR_INTERRUPT);
    }
    done = 0;
    for (k = 0; k < n; k++) {
        slot = xsp->q_head;
        addr = ddi_get32(xsp->data_access_handle, &xsp->regp->iopb_addr);
        if (slot == NULL || addr != static_cast<uint32_t>(slot->iopb_paddr))
            cmn_err(CE_PANIC, "xx: the engine completed block 0x%x, "
                "expected 0x%x", addr, slot ? static_cast<uint32_t>(slot->iopb_paddr) : 0);
        (void) ddi_dma_sync(slot->iopb_handle, 0, 0, DDI_DMA_SYNC_FORKERNEL);
        st = ddi_get32(slot->iopb_acc, &slot->iopb->status);
        resid = ddi_get32(slot->iopb_acc, &slot->iopb->resid);
        if (!(st & XX_IOPB_DONE)) {
            /* not written back (the write failed): the registers have it */
            cqs = ddi_get32(xsp->data_access_handle, &xsp->regp->cq_status);
            resid = ddi_get32(xsp->data_access_handle, &xsp->regp->cq_resid);
            st = XX_IOPB_DONE | (cqs & (XX_CQ_NOT_STARTED | 0xf));
        }
        ddi_put32(xsp->data_access_handle, &xsp->regp->queue_ctl, XX_QUEUE_POP);
        xsp->q_head = slot->next;
        if (xsp->q_head == NULL)
            xsp->q_tail = NULL;
        xsp->ncompletions++;
        bp = xx_qcomplete(xsp, slot, st, resid);
        if (bp != NULL) {
            /* finished: on the local done list, in completion order */
            bp->av_forw = NULL;
            if (done_tail != NULL)
                done_tail->av_forw = bp;
            else
                done_head = bp;
            done_tail = bp;
            done++;
        }
    }
    mutex_exit(&xsp->mu);
    /* The transfers have finished, successfully or not (no lock held). */
    while ((bp = done_head) != NULL) {
        done_head = bp->av_forw;
        bp->av_forw = NULL;
        DTRACE_PROBE1(biodone, struct buf *, bp);
        biodone(bp);
    }
    /* Fill the slots just freed, then idle one busy mark per buf done. */
    (void) xxstart(reinterpret_cast<caddr_t>(xsp));
    for (k = 0; k < done; k++)
        (void) pm_idle_component(xsp->dip, 0);
    return (DDI_INTR_CLAIMED);
}
