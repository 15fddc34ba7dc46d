// The kernel interfaces the xx driver calls, with their illumos names,
// types and constants (see ../shared/docs/ddi-semantics.md). One header, as
// a driver would include <sys/ddi.h> and <sys/sunddi.h>.
//
// This is the first cut: locks, bufs, register access, DMA binding
// (page walk into cookies; no windows or bounce buffers yet), interrupts
// with x86 shared-line dispatch, soft state and properties.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

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
    uint64_t owner = 0;     // platform thread id of the holder, 0 if free
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
constexpr int B_FAILFAST = 0x1000000;
constexpr int B_STARTED = 0x2000000;

constexpr int DEV_BSHIFT = 9;
constexpr int DEV_BSIZE = 1 << DEV_BSHIFT;

struct buf {
    int b_flags = 0;
    struct buf* av_forw = nullptr;      // driver queue links
    struct buf* av_back = nullptr;
    size_t b_bcount = 0;                // bytes to transfer
    size_t b_bufsize = 0;
    union {
        caddr_t b_addr;                 // kernel virtual address of the data
    } b_un = {nullptr};
    daddr_t b_blkno = 0;                // block number, DEV_BSIZE units
    diskaddr_t b_lblkno = 0;
    size_t b_resid = 0;                 // bytes not transferred
    int b_error = 0;
    dev_t b_edev = 0;
    int (*b_iodone)(struct buf*) = nullptr;
    void* b_private = nullptr;          // the driver's
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
int ddi_dma_buf_bind_handle(ddi_dma_handle_t handle, struct buf* bp, uint_t flags,
                            ddi_dma_callback_t callback, caddr_t arg,
                            ddi_dma_cookie_t* cookiep, uint_t* ccountp);
int ddi_dma_addr_bind_handle(ddi_dma_handle_t handle, void* as, caddr_t addr, size_t len,
                             uint_t flags, ddi_dma_callback_t callback, caddr_t arg,
                             ddi_dma_cookie_t* cookiep, uint_t* ccountp);
int ddi_dma_unbind_handle(ddi_dma_handle_t handle);
void ddi_dma_nextcookie(ddi_dma_handle_t handle, ddi_dma_cookie_t* cookiep);
int ddi_dma_ncookies(ddi_dma_handle_t handle);

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
