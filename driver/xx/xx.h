// The xx block driver: the seeds' xxattach, xxdetach, xxstrategy, xxstart,
// xxintr and xxdmacallback, ported to C++ on the emulated DDI.
#pragma once

#include "ddi/sunddi.h"
#include "xx/xxreg.h"

struct xxstate {
    dev_info_t* dip;
    kmutex_t mu;                    // protects the queue, busy and bp
    struct buf* list_head;          // transfer list, linked by av_forw
    struct buf* list_tail;
    struct buf* bp;                 // the buf the engine is working on
    int busy;                       // the engine has a command
    size_t xfer_len;                // bytes programmed for bp

    ddi_acc_handle_t data_access_handle;
    struct device_reg* regp;
    ddi_dma_attr_t dma_attr;        // built from the engine's cap register
    ddi_dma_handle_t handle;
    ddi_intr_handle_t intr_handle;
    uint32_t nblocks;               // device capacity, DEV_BSIZE blocks

    // Seed 000: DMA callbacks detach must wait for.
    int cancel_callbacks;
    int callback_count;
    kmutex_t callback_mutex;
    kcondvar_t callback_cv;

    // Counters (read under mu).
    uint64_t nintr_claimed;
    uint64_t nintr_unclaimed;
    uint64_t ncallbacks;
};

int xx_init();      // _init: soft state
void xx_fini();     // _fini
int xxattach(dev_info_t* dip, ddi_attach_cmd_t cmd);
int xxdetach(dev_info_t* dip, ddi_detach_cmd_t cmd);
int xxstrategy(struct buf* bp);
uint_t xxintr(caddr_t arg1, caddr_t arg2);

// The soft state of an attached instance (tests and tools look at it).
struct xxstate* xx_getstate(int instance);
