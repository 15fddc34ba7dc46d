// The xx block driver: the seeds' xxattach, xxdetach, xxstrategy, xxstart,
// xxintr and xxdmacallback, and the HBA's window-by-window DMA move
// (isp_i_dma_move), ported to C++ on the emulated DDI.
#pragma once

#include "ddi/sunddi.h"
#include "xx/xxreg.h"

#ifndef ASSERT
// <sys/debug.h>: a DEBUG kernel's assertion.
#define ASSERT(EX) \
    ((EX) ? (void)0 : cmn_err(CE_PANIC, "assertion failed: %s, file: %s, line: %d", #EX, __FILE__, __LINE__))
#endif
#define ASSERT_HELD(mp) ASSERT(MUTEX_HELD(mp))

constexpr int XX_MAX_SGLLEN = 16;       // sglist entries the register map has room for
constexpr int XX_MAX_QUEUE = 16;        // command blocks in flight, at most (queued mode)

// tran_init_pkt(9E)-style callbacks: never sleep, or sleep for resources.
#define NULL_FUNC (reinterpret_cast<int (*)(caddr_t)>(0))
#define SLEEP_FUNC (reinterpret_cast<int (*)(caddr_t)>(1))
constexpr int PKT_DMA_PARTIAL = 0x040000;

// A command: what an HBA keeps per packet (seed 002's isp_cmd and
// scsi_pkt), here per buf. One engine command moves one portion: at most
// SGLLEN cookies of the current DMA window.
struct xx_slot;
struct xx_cmd {
    struct buf* bp;
    ddi_dma_handle_t cmd_handle;    // the handle the buf is bound with
    struct xx_slot* cmd_slot;       // queued mode: the command block carrying it
    size_t pkt_resid;               // bytes without DMA resources yet
    int cmd_flags;
    uint_t cmd_nwin;                // windows of a partial mapping (1 otherwise)
    uint_t cmd_curwin;              // the window the cookies come from
    uint_t cmd_cookie;              // cookies of the window used so far
    uint_t cmd_ncookies;            // cookies in the window
    uint_t cmd_cookiecnt;           // cookies of the current portion
    size_t cmd_dmacount;            // bytes mapped so far, all portions
    size_t cmd_portion;             // bytes of the current portion (its cookies)
    size_t cmd_xferlen;             // bytes the device can take (less past the end)
    off_t cmd_dma_offset;           // window offset (from ddi_dma_getwin)
    size_t cmd_dma_len;
    ddi_dma_cookie_t cmd_dmacookies[XX_MAX_SGLLEN];
};
constexpr int CFLAG_DMAVALID = 0x1;     // DMA resources are bound
constexpr int CFLAG_COMPLETED = 0x2;    // the last portion moved; ready for the next

/*
 * Queued mode: a command block (iopb) in DMA-able memory, the DMA handle
 * its buf is bound with, and the command it carries. A slot is free, or in
 * flight on the engine's queue (xsp->q_head .. q_tail, submission order,
 * which is the order the engine completes them).
 */
struct xx_slot {
    ddi_dma_handle_t handle;        // binds the buf's data
    ddi_dma_handle_t iopb_handle;   // binds the block itself
    ddi_acc_handle_t iopb_acc;
    struct xx_iopb* iopb;           // kernel address of the block
    uint64_t iopb_paddr;            // its bus address (the doorbell value)
    struct xx_cmd* cmd;             // the command in it, NULL when free
    struct xx_slot* next;           // free list, or the in-flight list
};

struct xxstate {
    dev_info_t* dip;
    kmutex_t mu;                    // protects the queue, busy, cmd and counters
    struct buf* list_head;          // transfer list, linked by av_forw (FIFO)
    struct buf* list_tail;
    struct diskhd dsort;            // the queue when "disksort" is on
    int use_disksort;
    struct xx_cmd* cmd;             // the command the engine is working on
    int busy;                       // the engine has a command

    ddi_acc_handle_t data_access_handle;
    struct device_reg* regp;
    ddi_dma_attr_t dma_attr;        // built from the engine's cap registers
    ddi_dma_handle_t handle;
    ddi_intr_handle_t intr_handle;
    uint32_t nblocks;               // device capacity, DEV_BSIZE blocks
    int sgllen;                     // the engine's SGLLEN
    int power_level;                // 0 off, 1 on: set by xxpower

    // Queued mode (qdepth > 0): command blocks in flight, completions
    // reaped several per interrupt. Under mu.
    int qdepth;                     // slots: min("queue-depth" property, the engine's)
    struct xx_slot slots[XX_MAX_QUEUE];
    struct xx_slot* q_free;         // free slots
    struct xx_slot* q_head;         // in flight, oldest first
    struct xx_slot* q_tail;
    int q_active;                   // slots in flight or being filled

    // Seed 000: DMA callbacks detach must wait for.
    int cancel_callbacks;
    int callback_count;
    kmutex_t callback_mutex;
    kcondvar_t callback_cv;

    // Counters (read under mu).
    uint64_t nintr_claimed;
    uint64_t nintr_unclaimed;
    uint64_t ncallbacks;            // DMA callbacks run
    uint64_t nstarts;               // engine commands programmed
    uint64_t nstarts_intr;          // ... of them from interrupt context
    uint64_t nportions;             // commands that moved part of a buf
    uint64_t nnoresources;          // binds that found no resources
    uint64_t ncompletions;          // commands reaped (queued mode)
    uint64_t nqfull;                // starts that found every slot in flight
};

int xx_init();      // _init: soft state
void xx_fini();     // _fini
int xxattach(dev_info_t* dip, ddi_attach_cmd_t cmd);
int xxdetach(dev_info_t* dip, ddi_detach_cmd_t cmd);
int xxpower(dev_info_t* dip, int component, int level);
int xxstrategy(struct buf* bp);
int xxread(dev_t dev, struct uio* uio);     // physio(9F): synchronous
int xxwrite(dev_t dev, struct uio* uio);
uint_t xxintr(caddr_t arg1, caddr_t arg2);

// Seed 002's entry point: allocate (pkt NULL) or move the DMA resources of
// a command to its next portion. NULL_FUNC never sleeps, SLEEP_FUNC may.
// NULL on failure: b_error says why (0: no resources). Never frees a pkt
// passed in.
// handle: the DMA handle to bind with (NULL: the instance's own).
struct xx_cmd* xx_tran_init_pkt(struct xxstate* xsp, struct xx_cmd* pkt, struct buf* bp,
                                int flags, int (*callback)(caddr_t), caddr_t arg,
                                ddi_dma_handle_t handle = NULL);
void xx_tran_destroy_pkt(struct xxstate* xsp, struct xx_cmd* pkt);

// The soft state of an attached instance (tests and tools look at it).
struct xxstate* xx_getstate(int instance);
