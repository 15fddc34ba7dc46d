// The kernel interfaces the xx driver calls, with their illumos names,
// types and constants (see ../shared/docs/ddi-semantics.md). One header, as
// a driver would include <sys/ddi.h> and <sys/sunddi.h>.
//
// Locks, bufs (biodone/biowait, disksort, physio), register access, DMA
// binding as the x86 root nexus does it (cookies, bounce pages, partial
// mappings and windows, a bounded resource pool, the system-wide callback
// list), interrupts with x86 shared-line dispatch, soft interrupts, soft
// state, properties and power management.
#pragma once

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>      // caddr_t, daddr_t, dev_t, clock_t as the host has them

#include "ddi/platform.h"

// ---------------------------------------------------------------- types

typedef unsigned int uint_t;
typedef unsigned char uchar_t;
typedef unsigned long ulong_t;
typedef uint64_t diskaddr_t;
typedef int minor_t;

struct dev_info;
typedef struct dev_info dev_info_t;

enum ddi_attach_cmd_t { DDI_ATTACH = 0, DDI_RESUME = 1 };
enum ddi_detach_cmd_t { DDI_DETACH = 0, DDI_SUSPEND = 1 };

constexpr int DDI_SUCCESS = 0;
constexpr int DDI_FAILURE = -1;

// errno values (EIO, ENXIO, EINVAL, EFAULT...) come from <cerrno>: the host's
// numbers for them are the same as illumos'.

// cmn_err levels
enum { CE_CONT = 0, CE_NOTE = 1, CE_WARN = 2, CE_PANIC = 3 };
void cmn_err(int level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// An SDT probe, as DTRACE_PROBE1 in <sys/sdt.h>: it names the driver's
// routine or event, and the testbench shows it in the waves.
#define DTRACE_PROBE1(name, type, arg) \
    ::ddi::platform().probe(#name, reinterpret_cast<uintptr_t>(static_cast<type>(arg)))

// ---------------------------------------------------------------- locks

enum kmutex_type_t { MUTEX_DRIVER = 4, MUTEX_DEFAULT = 0 };
enum kcv_type_t { CV_DRIVER = 1, CV_DEFAULT = 0 };

struct kmutex_t {
    std::unique_ptr<ddi::PlatformMutex> m;
    std::atomic<uint64_t> owner{0};     // platform thread id of the holder, 0 if free
    std::string name;
};

struct kcondvar_t {
    std::unique_ptr<ddi::PlatformCondVar> cv;
    std::string name;
};

void mutex_init(kmutex_t* mp, const char* name, kmutex_type_t type, void* arg);
void mutex_destroy(kmutex_t* mp);
void mutex_enter(kmutex_t* mp);
void mutex_exit(kmutex_t* mp);
int mutex_tryenter(kmutex_t* mp);
int mutex_owned(const kmutex_t* mp);
#define MUTEX_HELD(mp) mutex_owned(mp)

void cv_init(kcondvar_t* cvp, const char* name, kcv_type_t type, void* arg);
void cv_destroy(kcondvar_t* cvp);
void cv_wait(kcondvar_t* cvp, kmutex_t* mp);
// Returns -1 if the absolute time `abstime` (in ticks, see ddi_get_lbolt)
// passed before a wake-up, else a positive value.
clock_t cv_timedwait(kcondvar_t* cvp, kmutex_t* mp, clock_t abstime);
void cv_signal(kcondvar_t* cvp);
void cv_broadcast(kcondvar_t* cvp);

// Counting semaphore (what biowait/biodone use).
struct ksema_t {
    kmutex_t lock;
    kcondvar_t cv;
    int count = 0;
};
void sema_init(ksema_t* sp, uint_t count, const char* name);
void sema_destroy(ksema_t* sp);
void sema_p(ksema_t* sp);
void sema_v(ksema_t* sp);

clock_t ddi_get_lbolt();                // ticks since boot (bus cycles here)
void delay(clock_t ticks);
int servicing_interrupt();

// ---------------------------------------------------------------- buf(9S)

constexpr int B_BUSY = 0x1;
constexpr int B_DONE = 0x2;
constexpr int B_ERROR = 0x4;
constexpr int B_PAGEIO = 0x10;
constexpr int B_PHYS = 0x20;
constexpr int B_READ = 0x40;
constexpr int B_WANTED = 0x80;
constexpr int B_WRITE = 0x100;          // pseudo flag: test !(b_flags & B_READ)
constexpr int B_ASYNC = 0x400;
constexpr int B_REMAPPED = 0x4000;      // b_un.b_addr is a kernel mapping (bp_mapin)
constexpr int B_NOCACHE = 0x80000;
constexpr int B_SHADOW = 0x200000;      // b_shadow holds the pages as_pagelock locked
constexpr int B_FAILFAST = 0x1000000;
constexpr int B_STARTED = 0x2000000;

// ---------------------------------------------------------------- pages, address spaces, processes
//
// page_t: one per physical page of RAM (page_numtopp_nolock). A page list,
// as pageio_setup takes it, is circular through p_next/p_prev.
typedef unsigned long pfn_t;
struct page {
    pfn_t p_pagenum = 0;                // physical address >> PAGESHIFT
    struct page* p_next = nullptr;
    struct page* p_prev = nullptr;
    uint_t p_lckcnt = 0;                // as_pagelock holds on the page
};
typedef struct page page_t;
constexpr int PAGESHIFT = 12;
page_t* page_numtopp_nolock(pfn_t pfn);  // NULL outside RAM

// An address space (vm/as.h). kas is the kernel's: its addresses are the
// PhysMem kernel mappings. A user address space (ddi::as_create) maps user
// virtual addresses that the kernel cannot dereference: they lie in a
// PROT_NONE host range, so a driver touching a user buffer without
// bp_mapin faults, as it would on a real system.
struct as;
extern struct as kas;
struct proc {
    struct as* p_as = nullptr;
    pid_t p_pid = 0;
};
typedef struct proc proc_t;
extern struct proc p0;                  // the kernel's process: p_as == &kas
// The process the calling thread runs for (ttoproc(curthread)); &p0 for a
// kernel thread. ddi::set_curproc sets it.
struct proc* curproc_get();
#define curproc (curproc_get())

enum seg_rw { S_OTHER = 0, S_READ, S_WRITE, S_EXEC, S_CREATE, S_READ_NOCOW };
// Lock the pages behind [addr, addr + len) of `as` for I/O, as physio does
// before strategy: 0 and *ppp = a shadow list (one page_t* per page), or
// EFAULT (a page not mapped) or EACCES (S_WRITE to a page not writable, or
// S_READ of one not readable). Locked pages cannot be unmapped.
int as_pagelock(struct as* as, page_t*** ppp, caddr_t addr, size_t len, enum seg_rw rw);
void as_pageunlock(struct as* as, page_t** pp, caddr_t addr, size_t len, enum seg_rw rw);

constexpr int DEV_BSHIFT = 9;
constexpr int DEV_BSIZE = 1 << DEV_BSHIFT;

struct buf {
    int b_flags = 0;
    struct buf* av_forw = nullptr;      // driver queue links
    struct buf* av_back = nullptr;
    size_t b_bcount = 0;                // bytes to transfer
    size_t b_bufsize = 0;
    union {
        caddr_t b_addr;                 // the data's virtual address (see b_proc, B_PAGEIO)
    } b_un = {nullptr};
    daddr_t b_blkno = 0;                // block number, DEV_BSIZE units
    diskaddr_t b_lblkno = 0;
    size_t b_resid = 0;                 // bytes not transferred
    int b_error = 0;
    dev_t b_edev = 0;
    int (*b_iodone)(struct buf*) = nullptr;
    void* b_private = nullptr;          // the driver's
    struct proc* b_proc = nullptr;      // B_PHYS: the process whose memory b_un.b_addr names
    page_t* b_pages = nullptr;          // B_PAGEIO: the page list (b_un.b_addr: offset in the first)
    page_t** b_shadow = nullptr;        // B_SHADOW: the pages as_pagelock locked
    caddr_t b_saddr = nullptr;          // B_REMAPPED: the address bp_mapin replaced
    ksema_t b_io;                       // biowait/biodone
};

struct buf* getrbuf(int kmflag);
void freerbuf(struct buf* bp);
void bioinit(struct buf* bp);
void bioreset(struct buf* bp);
void biodone(struct buf* bp);
int biowait(struct buf* bp);
void bioerror(struct buf* bp, int error);
int geterror(struct buf* bp);

constexpr int KM_SLEEP = 0;
constexpr int KM_NOSLEEP = 1;

// disksort(9F): the queue head a driver keeps; av_forw is the active
// request (the head of the list), av_back the tail. The sort key is b_resid.
struct diskhd {
    int b_flags = 0;
    struct buf* b_forw = nullptr;
    struct buf* b_back = nullptr;
    struct buf* av_forw = nullptr;
    struct buf* av_back = nullptr;
    long b_bcount = 0;
};
void disksort(struct diskhd* dp, struct buf* bp);

// pageio_setup: a buf for a page list (B_PAGEIO|B_NOCACHE|B_BUSY|flags,
// b_pages = pp, b_bcount = len, b_un.b_addr = 0: the offset in the first
// page). pageio_done frees it. The pages stay the caller's.
struct vnode;
struct buf* pageio_setup(page_t* pp, size_t len, struct vnode* vp, int flags);
void pageio_done(struct buf* bp);
// bp_mapin(9F): map a B_PAGEIO or user (B_PHYS with a user b_proc) buf into
// kernel virtual memory: b_un.b_addr becomes the kernel address and
// B_REMAPPED is set. bp_mapout undoes it. No-op for a kernel buf.
void bp_mapin(struct buf* bp);
void bp_mapout(struct buf* bp);

// minphys(9F): cap b_bcount at maxphys (settable; tests change it).
extern size_t maxphys;
void minphys(struct buf* bp);

// physio(9F) as os/physio.c does it: one buf per chunk (B_BUSY|B_PHYS|rw,
// b_lblkno = offset / DEV_BSIZE, b_bcount = min(iov_len, uio_resid) cut by
// mincnt). For a UIO_USERSPACE uio the buf carries curproc in b_proc and
// the chunk's pages are locked with as_pagelock (the shadow list in
// b_shadow, B_SHADOW) across strategy and biowait, then unlocked; a chunk
// whose pages cannot be locked ends the request with that error (EFAULT,
// EACCES) and nothing issued. Advance by b_bcount - b_resid; stop at the
// first error or residual. uio_resid says what was not moved. bp may be
// NULL (a buf is borrowed).
enum uio_seg { UIO_USERSPACE = 0, UIO_SYSSPACE = 1, UIO_USERISPACE = 2 };
struct iovec;
struct uio {
    struct iovec* uio_iov = nullptr;
    int uio_iovcnt = 0;
    off_t uio_loffset = 0;
    ssize_t uio_resid = 0;
    enum uio_seg uio_segflg = UIO_SYSSPACE;     // (a zeroed C uio would be UIO_USERSPACE)
};
int physio(int (*strat)(struct buf*), struct buf* bp, dev_t dev, int rw,
           void (*mincnt)(struct buf*), struct uio* uio);

inline dev_t makedevice(int major, int minor) { return (static_cast<dev_t>(major) << 32) | static_cast<uint32_t>(minor); }
inline minor_t getminor(dev_t dev) { return static_cast<minor_t>(dev & 0xffffffffu); }

// ---------------------------------------------------------------- device tree, soft state, properties

int ddi_get_instance(dev_info_t* dip);
int ddi_prop_get_int(dev_t match_dev, dev_info_t* dip, uint_t flags, const char* name, int defvalue);
constexpr dev_t DDI_DEV_T_ANY = ~static_cast<dev_t>(0);
constexpr uint_t DDI_PROP_DONTPASS = 0x1;

int ddi_soft_state_init(void** state_p, size_t size, size_t n_items);
int ddi_soft_state_zalloc(void* state, int item);
void* ddi_get_soft_state(void* state, int item);
void ddi_soft_state_free(void* state, int item);
void ddi_soft_state_fini(void** state_p);

// ---------------------------------------------------------------- register access

struct ddi_device_acc_attr_t {
    uint16_t devacc_attr_version = 0;
    uint8_t devacc_attr_endian_flags = 0;   // DDI_STRUCTURE_LE_ACC
    uint8_t devacc_attr_dataorder = 0;      // DDI_STRICTORDER_ACC
};
constexpr uint16_t DDI_DEVICE_ATTR_V0 = 1;
constexpr uint8_t DDI_STRUCTURE_LE_ACC = 1;
constexpr uint8_t DDI_STRICTORDER_ACC = 0;

struct ddi_acc_impl;
typedef struct ddi_acc_impl* ddi_acc_handle_t;

int ddi_regs_map_setup(dev_info_t* dip, uint_t rnumber, caddr_t* addrp,
                       off_t offset, off_t len, const ddi_device_acc_attr_t* accattrp,
                       ddi_acc_handle_t* handlep);
void ddi_regs_map_free(ddi_acc_handle_t* handlep);
uint8_t ddi_get8(ddi_acc_handle_t h, uint8_t* addr);
uint16_t ddi_get16(ddi_acc_handle_t h, uint16_t* addr);
uint32_t ddi_get32(ddi_acc_handle_t h, uint32_t* addr);
void ddi_put8(ddi_acc_handle_t h, uint8_t* addr, uint8_t value);
void ddi_put16(ddi_acc_handle_t h, uint16_t* addr, uint16_t value);
void ddi_put32(ddi_acc_handle_t h, uint32_t* addr, uint32_t value);

// ---------------------------------------------------------------- DMA

struct ddi_dma_attr_t {
    uint_t dma_attr_version;
    uint64_t dma_attr_addr_lo;
    uint64_t dma_attr_addr_hi;
    uint64_t dma_attr_count_max;
    uint64_t dma_attr_align;
    uint_t dma_attr_burstsizes;
    uint32_t dma_attr_minxfer;
    uint64_t dma_attr_maxxfer;
    uint64_t dma_attr_seg;
    int dma_attr_sgllen;
    uint32_t dma_attr_granular;
    uint_t dma_attr_flags;
};
constexpr uint_t DMA_ATTR_V0 = 0;

struct ddi_dma_cookie_t {
    union {
        uint64_t _dmac_ll;
        uint32_t _dmac_la[2];
    } _dmu;
    size_t dmac_size;
    uint_t dmac_type;
};
#define dmac_laddress _dmu._dmac_ll
#define dmac_address _dmu._dmac_la[0]    // little-endian: the low word

struct ddi_dma_impl;
typedef struct ddi_dma_impl* ddi_dma_handle_t;

// Return values
constexpr int DDI_DMA_MAPPED = 0;
constexpr int DDI_DMA_PARTIAL_MAP = 1;
constexpr int DDI_DMA_DONE = 2;
constexpr int DDI_DMA_NORESOURCES = -1;
constexpr int DDI_DMA_NOMAPPING = -2;
constexpr int DDI_DMA_TOOBIG = -3;
constexpr int DDI_DMA_TOOSMALL = -4;
constexpr int DDI_DMA_LOCKED = -5;
constexpr int DDI_DMA_BADLIMITS = -6;
constexpr int DDI_DMA_STALE = -7;
constexpr int DDI_DMA_BADATTR = -8;
constexpr int DDI_DMA_INUSE = -9;

// Bind flags
constexpr uint_t DDI_DMA_WRITE = 0x1;     // memory to device
constexpr uint_t DDI_DMA_READ = 0x2;      // device to memory
constexpr uint_t DDI_DMA_RDWR = 0x3;
constexpr uint_t DDI_DMA_REDZONE = 0x4;
constexpr uint_t DDI_DMA_PARTIAL = 0x8;
constexpr uint_t DDI_DMA_CONSISTENT = 0x10;
constexpr uint_t DDI_DMA_EXCLUSIVE = 0x20;
constexpr uint_t DDI_DMA_STREAMING = 0x40;

// Callbacks
typedef int (*ddi_dma_callback_t)(caddr_t);
#define DDI_DMA_DONTWAIT (reinterpret_cast<ddi_dma_callback_t>(0))
#define DDI_DMA_SLEEP (reinterpret_cast<ddi_dma_callback_t>(1))
constexpr int DDI_DMA_CALLBACK_RUNOUT = 0;
constexpr int DDI_DMA_CALLBACK_DONE = 1;

int ddi_dma_alloc_handle(dev_info_t* dip, const ddi_dma_attr_t* attr,
                         ddi_dma_callback_t waitfp, caddr_t arg, ddi_dma_handle_t* handlep);
void ddi_dma_free_handle(ddi_dma_handle_t* handlep);
// The object bound is chosen as sunddi.c does: B_PAGEIO without B_REMAPPED,
// the page list b_pages from offset (b_un.b_addr & PAGEOFFSET); otherwise
// the virtual address b_un.b_addr, through the shadow list when B_SHADOW
// (and not B_REMAPPED), in b_proc's address space unless b_proc is NULL,
// has kas, or B_REMAPPED is set (then kas). The size is (uint_t)b_bcount.
// A page list shorter than the transfer, or an address not mapped, is
// DDI_DMA_NOMAPPING (the kernel would DMA to whatever page came next).
int ddi_dma_buf_bind_handle(ddi_dma_handle_t handle, struct buf* bp, uint_t flags,
                            ddi_dma_callback_t callback, caddr_t arg,
                            ddi_dma_cookie_t* cookiep, uint_t* ccountp);
// as: NULL or &kas for a kernel address, else the user address space addr is in.
int ddi_dma_addr_bind_handle(ddi_dma_handle_t handle, struct as* as, caddr_t addr, size_t len,
                             uint_t flags, ddi_dma_callback_t callback, caddr_t arg,
                             ddi_dma_cookie_t* cookiep, uint_t* ccountp);
int ddi_dma_unbind_handle(ddi_dma_handle_t handle);
void ddi_dma_nextcookie(ddi_dma_handle_t handle, ddi_dma_cookie_t* cookiep);
int ddi_dma_ncookies(ddi_dma_handle_t handle);
const ddi_dma_cookie_t* ddi_dma_cookie_iter(ddi_dma_handle_t handle, const ddi_dma_cookie_t* prev);
const ddi_dma_cookie_t* ddi_dma_cookie_get(ddi_dma_handle_t handle, uint_t index);
const ddi_dma_cookie_t* ddi_dma_cookie_one(ddi_dma_handle_t handle);
int ddi_dma_numwin(ddi_dma_handle_t handle, uint_t* nwinp);
int ddi_dma_getwin(ddi_dma_handle_t handle, uint_t win, off_t* offp, size_t* lenp,
                   ddi_dma_cookie_t* cookiep, uint_t* ccountp);
constexpr uint_t DDI_DMA_SYNC_FORDEV = 0;
constexpr uint_t DDI_DMA_SYNC_FORCPU = 1;
constexpr uint_t DDI_DMA_SYNC_FORKERNEL = 2;
int ddi_dma_sync(ddi_dma_handle_t handle, off_t off, size_t len, uint_t type);
int ddi_dma_burstsizes(ddi_dma_handle_t handle);

// dma_attr_flags
constexpr uint_t DDI_DMA_FORCE_PHYSICAL = 0x100;
constexpr uint_t DDI_DMA_FLAGERR = 0x200;
constexpr uint_t DDI_DMA_RELAXED_ORDERING = 0x400;

// Memory for control blocks: physically contiguous, inside [addr_lo,
// addr_hi], aligned to dma_attr_align. flags: DDI_DMA_CONSISTENT or
// DDI_DMA_STREAMING. Freed with ddi_dma_mem_free.
int ddi_dma_mem_alloc(ddi_dma_handle_t handle, size_t length, const ddi_device_acc_attr_t* accattrp,
                      uint_t flags, ddi_dma_callback_t waitfp, caddr_t arg, caddr_t* kaddrp,
                      size_t* real_length, ddi_acc_handle_t* handlep);
void ddi_dma_mem_free(ddi_acc_handle_t* handlep);

// The callback lists (sunddi.c): FIFO, merged by (function, argument) with
// a count; ddi_run_callback schedules a soft interrupt that runs them.
void ddi_set_callback(int (*funcp)(caddr_t), caddr_t arg, uintptr_t* listid);
void ddi_run_callback(uintptr_t* listid);

namespace ddi {
// The DMA resource pool (cookie and window state, bounce space): bytes a
// test may limit so that binds fail with NORESOURCES on purpose. ~0 is
// unlimited (the default). dma_pool_used() is what bound handles hold.
void dma_pool_set_limit(uint64_t bytes);
uint64_t dma_pool_limit();
uint64_t dma_pool_used();
// Largest bounce ("copy") buffer a bind may use before it must go partial
// (rootnex_max_copybuf_size); default 0x100000.
void dma_set_copybuf_max(uint64_t bytes);
// The DVMA space: pages of I/O virtual address space, as an IOMMU nexus
// (sun4u iommu, px) hands them out, without the translation (cookies stay
// physical). A bind takes, until its unbind, the pages of its largest
// window (mmu_btopr(offset in the first page + window length)) plus one
// for DDI_DMA_REDZONE; a handle whose attributes carry
// DDI_DMA_FORCE_PHYSICAL takes none. When the space is short the bind is
// NORESOURCES (DONTWAIT), registers its callback, or sleeps (SLEEP); a
// bind that needs more pages than the whole space is DDI_DMA_TOOBIG.
// ~0 pages (the default) is unlimited.
void dma_dvma_set_pages(uint64_t pages);
uint64_t dma_dvma_pages();          // the size of the space
uint64_t dma_dvma_used();           // pages held by bound handles
uint64_t dma_handle_dvma(ddi_dma_handle_t h);   // pages this handle holds
// The system-wide DMA callback list, head first: (function, arg, count).
struct CallbackEntry {
    int (*func)(caddr_t);
    caddr_t arg;
    int count;
};
std::vector<CallbackEntry> dma_callback_list();
extern uintptr_t dma_callback_listid;
// Soft-interrupt runs of callback lists started so far.
uint64_t callback_runs();
} // namespace ddi

// ---------------------------------------------------------------- interrupts

constexpr uint_t DDI_INTR_UNCLAIMED = 0;
constexpr uint_t DDI_INTR_CLAIMED = 1;
constexpr int DDI_INTR_TYPE_FIXED = 0x1;
constexpr int DDI_INTR_ALLOC_NORMAL = 0;

typedef uint_t (*ddi_intr_handler_t)(caddr_t arg1, caddr_t arg2);
struct ddi_intr_impl;
typedef struct ddi_intr_impl* ddi_intr_handle_t;

int ddi_intr_alloc(dev_info_t* dip, ddi_intr_handle_t* h_array, int type, int inum,
                   int count, int* actualp, int behavior);
int ddi_intr_free(ddi_intr_handle_t h);
int ddi_intr_add_handler(ddi_intr_handle_t h, ddi_intr_handler_t handler, void* arg1, void* arg2);
int ddi_intr_remove_handler(ddi_intr_handle_t h);
int ddi_intr_enable(ddi_intr_handle_t h);
int ddi_intr_disable(ddi_intr_handle_t h);

// Soft interrupts, as the x86 autovector code runs them (i86pc avintr.c):
// levels 1 (lowest) to 9, one soft-interrupt "CPU" for the whole machine.
//  - ddi_intr_trigger_softint marks the handle pending and returns; the
//    handler runs later in SoftInterrupt context with the arg2 of that
//    trigger. A trigger while pending is DDI_EPENDING (arg2 unchanged; one
//    run covers both). The pending mark is cleared just before the handler
//    is called, so a handler may trigger itself again.
//  - The highest pending level runs first. A level starts only when no
//    level as high or higher is running (a soft interrupt never preempts
//    one of its own or a higher priority; a higher one may start while a
//    lower one runs) and no hardware interrupt handler is running.
//  - Within a level, handlers run in the order of the level's chain: the
//    most recently added (or moved there) first. Level 1 also runs the
//    kernel's softcalls (the DMA callback lists) after its handlers.
//  - ddi_intr_set_softint_pri fails while the handle is pending (DDI_FAILURE)
//    and puts it at the head of its new level's chain.
//  - ddi_intr_remove_softint drops a pending trigger and waits until the
//    handler is not running (calling it from the handler itself is fatal).
constexpr int DDI_EPENDING = -16;
constexpr int DDI_EINVAL = -12;
constexpr int DDI_INTR_SOFTPRI_MIN = 1;
constexpr int DDI_INTR_SOFTPRI_MAX = 9;
constexpr int DDI_INTR_SOFTPRI_DEFAULT = DDI_INTR_SOFTPRI_MIN;
struct ddi_softint_impl;
typedef struct ddi_softint_impl* ddi_softint_handle_t;
int ddi_intr_add_softint(dev_info_t* dip, ddi_softint_handle_t* h, int soft_pri,
                         ddi_intr_handler_t handler, void* arg1);
int ddi_intr_trigger_softint(ddi_softint_handle_t h, void* arg2);
int ddi_intr_remove_softint(ddi_softint_handle_t h);
int ddi_intr_get_softint_pri(ddi_softint_handle_t h, uint_t* soft_prip);
int ddi_intr_set_softint_pri(ddi_softint_handle_t h, uint_t soft_pri);

// ---------------------------------------------------------------- power management

// The driver's power(9E) entry and its number of components are given to
// the node by ddi::set_devinfo_power (the dev_ops and "pm-components" of a
// real system). pm_raise_power calls it when the level must rise.
int pm_busy_component(dev_info_t* dip, int component);
int pm_idle_component(dev_info_t* dip, int component);
int pm_raise_power(dev_info_t* dip, int component, int level);
int pm_lower_power(dev_info_t* dip, int component, int level);

// ---------------------------------------------------------------- the device node

// What the "firmware" knows of a device: its name and instance, its
// register sets, its interrupt line and its properties. The testbench
// builds one per device and hands it to the driver's attach.
namespace ddi {
struct DevInfo;
// Create/destroy a device node (the testbench's job, not a driver's).
dev_info_t* make_devinfo(const std::string& name, int instance,
                         ddi::RegisterBus* regs, uint64_t regs_len, int intr_line);
void set_devinfo_prop(dev_info_t* dip, const std::string& name, int value);
void free_devinfo(dev_info_t* dip);
// Power management of a node: its power(9E) entry, components, levels.
void set_devinfo_power(dev_info_t* dip, int (*power)(dev_info_t*, int, int),
                       int ncomponents, int initial_level);
int pm_level(dev_info_t* dip, int component);       // current level, -1 if bad
int pm_busy_count(dev_info_t* dip, int component);  // -1 if bad
// Set while the node's detach runs (pm_lower_power is allowed only then).
void set_devinfo_detaching(dev_info_t* dip, bool detaching);

// Interrupt statistics for a line (tests and tools read them).
struct IntrStats {
    uint64_t dispatches = 0;        // times the line's chain ran
    uint64_t claimed = 0;
    uint64_t unclaimed = 0;         // dispatches no handler claimed
    unsigned unclaimed_in_row = 0;
    bool blocked = false;           // 20 unclaimed in a row: line masked
};
IntrStats intr_stats(int line);
constexpr unsigned INTR_UNCLAIMED_LIMIT = 20;
} // namespace ddi

// ---------------------------------------------------------------- user address spaces (the testbench's side)

// What a process does to its own memory, for tests and the testbench: the
// driver sees a user buffer only through a buf (b_proc, physio) or
// ddi_dma_addr_bind_handle's `as`.
namespace ddi {
// A fresh, empty user address space of `va_bytes` (a PROT_NONE host range
// is reserved, so its addresses are unique and fault if dereferenced).
struct as* as_create(uint64_t va_bytes = 64ull << 20);
// Unmaps everything and frees the space. Fatal while a page is locked.
void as_destroy(struct as* as);
// Map `len` bytes of fresh RAM at a new user address, `offset` bytes into
// its first page; pages scattered (from `seed`) unless contiguous. prot:
// PROT_READ and/or PROT_WRITE. Returns the user address, or NULL when RAM
// or the address range runs out.
caddr_t as_map(struct as* as, size_t len, int prot, bool contiguous = false,
               uint64_t offset = 0, uint64_t seed = 0);
// Unmap the mapped pages of [addr, addr + len) (pages not mapped are
// skipped, as munmap does): 0, or EBUSY when a page is locked (nothing is
// unmapped then), EINVAL for kas.
int as_unmap(struct as* as, caddr_t addr, size_t len);
// Change the protection of the mapped pages of [addr, addr + len): 0 or EINVAL.
int as_setprot(struct as* as, caddr_t addr, size_t len, int prot);
// The process's own accesses (no protection check): 0 or EFAULT.
int as_write(struct as* as, caddr_t addr, const void* src, size_t len);
int as_read(struct as* as, caddr_t addr, void* dst, size_t len);
// Physical address behind a user address (false if not mapped).
bool as_vtop(struct as* as, caddr_t addr, uint64_t* paddr);
// Pages of `as` locked by as_pagelock now.
uint64_t as_locked_pages(struct as* as);
// The process the calling thread runs for (NULL: the kernel, p0).
void set_curproc(struct proc* p);

// A page list (circular through p_next/p_prev) of `npages` fresh pages of
// RAM, scattered from `seed` unless contiguous; NULL when RAM runs out.
// page_list_free gives them back. The data: memory().direct(ptob(pfn)).
page_t* page_list_alloc(unsigned npages, bool contiguous = false, uint64_t seed = 0);
void page_list_free(page_t* pp);
inline uint64_t ptob(pfn_t pfn) { return static_cast<uint64_t>(pfn) << PAGESHIFT; }
} // namespace ddi
