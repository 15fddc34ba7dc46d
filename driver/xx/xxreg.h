// The DMA engine's registers as the driver sees them: the device register
// structure of seed 001, grown to the engine's map (docs/register-map.md).
// A test checks these offsets and bits against the RTL's localparams.
#pragma once

#include <cstddef>
#include <cstdint>

struct device_reg {
    uint32_t id;            // 0x00 "DMA" + version
    uint32_t cap;           // 0x04 capabilities
    uint8_t csr;            // 0x08 command/status
    uint8_t err;            // 0x09 error code of the last command
    uint8_t pad0[2];
    uint32_t dma_ctl;       // 0x0c direction
    uint32_t dma_addr;      // 0x10 starting address for DMA
    uint32_t dma_addr_hi;   // 0x14 bits 63:32 of it
    uint32_t dma_size;      // 0x18 amount of data to transfer
    uint32_t dev_block;     // 0x1c device block number
    uint32_t resid;         // 0x20 bytes of the last command not transferred
    uint32_t fault_addr;    // 0x24 failing bus address
    uint32_t fault_addr_hi; // 0x28
    uint32_t xfer_count;    // 0x2c bytes transferred
    uint32_t cap2;          // 0x30 SGLLEN, bursts in flight, queue depth
    uint32_t sg_count;      // 0x34 entries of sglist in use (0: dma_addr/dma_size)
    uint32_t irq_status;    // 0x38 interrupt causes, write one to clear
    uint32_t irq_mask;      // 0x3c causes that raise INTERRUPTING
    uint32_t prot_base;     // 0x40 protection window: first byte allowed
    uint32_t prot_base_hi;  // 0x44
    uint32_t prot_limit;    // 0x48 one past the last byte allowed
    uint32_t prot_limit_hi; // 0x4c
    uint32_t prot_ctl;      // 0x50 ENABLE, LOCK
    uint32_t iopb_addr;     // 0x54 write: submit a command block; read: the completed one
    uint32_t iopb_addr_hi;  // 0x58 bits 63:32 of it
    uint32_t queue_status;  // 0x5c completions waiting, submissions waiting, active
    uint32_t cq_status;     // 0x60 the head completion's code and flags
    uint32_t cq_resid;      // 0x64 the head completion's residual
    uint32_t queue_ctl;     // 0x68 POP the head completion
    uint32_t irq_coalesce;  // 0x6c QUEUE cause after COUNT completions or TIMEOUT cycles
    uint32_t pad1[36];
    struct xx_sg_entry {
        uint32_t addr;      // +0x0 bus address, bits 31:0
        uint32_t addr_hi;   // +0x4 bits 63:32
        uint32_t size;      // +0x8 bytes
        uint32_t rsvd;      // +0xc reads 0
    } sglist[16];           // 0x100 the engine's SGLLEN (cap2) entries; 16 by default
};
static_assert(offsetof(device_reg, csr) == 0x08, "csr offset");
static_assert(offsetof(device_reg, xfer_count) == 0x2c, "xfer_count offset");
static_assert(offsetof(device_reg, prot_ctl) == 0x50, "prot_ctl offset");
static_assert(offsetof(device_reg, irq_coalesce) == 0x6c, "irq_coalesce offset");
static_assert(offsetof(device_reg, sglist) == 0x100, "sglist offset");
static_assert(sizeof(device_reg::xx_sg_entry) == 0x10, "sglist entry size");

// Offsets, for code that addresses registers by number (tests, tools).
constexpr uint32_t XX_REG_ID = 0x00;
constexpr uint32_t XX_REG_CAP = 0x04;
constexpr uint32_t XX_REG_CSR = 0x08;
constexpr uint32_t XX_REG_ERR = 0x09;
constexpr uint32_t XX_REG_DMA_CTL = 0x0c;
constexpr uint32_t XX_REG_DMA_ADDR = 0x10;
constexpr uint32_t XX_REG_DMA_ADDR_HI = 0x14;
constexpr uint32_t XX_REG_DMA_SIZE = 0x18;
constexpr uint32_t XX_REG_DEV_BLOCK = 0x1c;
constexpr uint32_t XX_REG_RESID = 0x20;
constexpr uint32_t XX_REG_FAULT_ADDR = 0x24;
constexpr uint32_t XX_REG_FAULT_ADDR_HI = 0x28;
constexpr uint32_t XX_REG_XFER_COUNT = 0x2c;
constexpr uint32_t XX_REG_CAP2 = 0x30;
constexpr uint32_t XX_REG_SG_COUNT = 0x34;
constexpr uint32_t XX_REG_IRQ_STATUS = 0x38;
constexpr uint32_t XX_REG_IRQ_MASK = 0x3c;
constexpr uint32_t XX_REG_PROT_BASE = 0x40;
constexpr uint32_t XX_REG_PROT_BASE_HI = 0x44;
constexpr uint32_t XX_REG_PROT_LIMIT = 0x48;
constexpr uint32_t XX_REG_PROT_LIMIT_HI = 0x4c;
constexpr uint32_t XX_REG_PROT_CTL = 0x50;
constexpr uint32_t XX_REG_IOPB_ADDR = 0x54;
constexpr uint32_t XX_REG_IOPB_ADDR_HI = 0x58;
constexpr uint32_t XX_REG_QUEUE_STATUS = 0x5c;
constexpr uint32_t XX_REG_CQ_STATUS = 0x60;
constexpr uint32_t XX_REG_CQ_RESID = 0x64;
constexpr uint32_t XX_REG_QUEUE_CTL = 0x68;
constexpr uint32_t XX_REG_IRQ_COALESCE = 0x6c;
constexpr uint32_t XX_REG_SGLIST = 0x100;
constexpr uint32_t XX_SG_STRIDE = 0x10;
constexpr uint32_t XX_SG_ADDR = 0x0;
constexpr uint32_t XX_SG_ADDR_HI = 0x4;
constexpr uint32_t XX_SG_SIZE = 0x8;

constexpr size_t XX_REGS_SIZE = 0x1000;

// id
constexpr uint32_t XX_ID_MAGIC = 0x444d41;      // "DMA" in bits 31:8
constexpr uint32_t XX_ID_VERSION = 0x03;    // 3: command blocks (iopb_addr)

// cap
#define XX_CAP_SGLLEN(cap) ((cap) & 0xff)
#define XX_CAP_DW_LOG2(cap) (((cap) >> 8) & 0xf)
#define XX_CAP_ADDR64(cap) (((cap) >> 12) & 0x1)
#define XX_CAP_BURST_LOG2(cap) (((cap) >> 16) & 0xff)
#define XX_CAP_ALIGN_LOG2(cap) (((cap) >> 24) & 0xff)

// cap2
#define XX_CAP2_SGLLEN(cap2) ((cap2) & 0xff)
#define XX_CAP2_OUTSTANDING(cap2) (((cap2) >> 8) & 0xff)
#define XX_CAP2_QUEUE_DEPTH(cap2) (((cap2) >> 16) & 0xff)

// csr bits (seed 003/004 names)
constexpr uint8_t ENABLE_INTERRUPTS = 0x01;
constexpr uint8_t START_TRANSFER = 0x02;
constexpr uint8_t INTERRUPTING = 0x04;
constexpr uint8_t DEVICE_ERROR = 0x08;
constexpr uint8_t CLEAR_INTERRUPT = 0x10;
constexpr uint8_t CSR_BUSY = 0x20;
constexpr uint8_t CSR_ABORT = 0x40;         // stop after the bursts on the bus
constexpr uint8_t CSR_SOFT_RESET = 0x80;    // registers to reset values (a locked window stays)

// irq_status, irq_mask
constexpr uint32_t XX_IRQ_DONE = 0x1;
constexpr uint32_t XX_IRQ_ERROR = 0x2;
constexpr uint32_t XX_IRQ_QUEUE = 0x4;      // completions waiting past the coalescing rule (a level)

// queue_status, cq_status, queue_ctl, irq_coalesce
#define XX_QS_CQ_COUNT(qs) ((qs) & 0xff)
#define XX_QS_SQ_COUNT(qs) (((qs) >> 8) & 0xff)
constexpr uint32_t XX_QS_ACTIVE = 1u << 16;
#define XX_CQ_CODE(cs) ((cs) & 0xf)
constexpr uint32_t XX_CQ_NOT_STARTED = 1u << 8;
constexpr uint32_t XX_CQ_NO_WRITEBACK = 1u << 9;
constexpr uint32_t XX_CQ_VALID = 1u << 31;
constexpr uint32_t XX_QUEUE_POP = 0x1;
#define XX_COALESCE(count, timeout) (((uint32_t)(timeout) << 8) | ((uint32_t)(count) & 0xff))

// The command block in memory (iopb): 64-byte aligned, little-endian.
// The driver fills ctl..list and zeroes status; the engine fetches it,
// moves the data and writes resid, fault and, last, status.
struct xx_iopb {
    uint32_t ctl;           // 0x00 DIR [1:0], SG_COUNT [23:16]
    uint32_t dev_block;     // 0x04 device block (512 bytes)
    uint32_t byte_count;    // 0x08 total: the sum of the entries
    uint32_t rsvd0;         // 0x0c 0
    uint32_t next_lo;       // 0x10 next block of a chain, 0: none
    uint32_t next_hi;       // 0x14
    uint32_t list_lo;       // 0x18 entry list, 0: inline at 0x40
    uint32_t list_hi;       // 0x1c
    uint32_t resid;         // 0x20 written by the engine
    uint32_t fault_lo;      // 0x24 written by the engine
    uint32_t fault_hi;      // 0x28 written by the engine
    uint32_t status;        // 0x2c written by the engine, last: DONE, CODE, NOT_STARTED
    uint32_t driver[4];     // 0x30 the driver's own; the engine never touches them
    device_reg::xx_sg_entry sg[16]; // 0x40 inline entries (SG_COUNT of them; room for the driver's 16)
};
static_assert(offsetof(xx_iopb, status) == 0x2c, "iopb status offset");
static_assert(offsetof(xx_iopb, sg) == 0x40, "iopb inline entries offset");
constexpr uint32_t XX_IOPB_ALIGN = 64;
constexpr uint32_t XX_IOPB_HDR_SIZE = 0x40;
#define XX_IOPB_CTL(dir, count) (((uint32_t)(dir) & 0x3) | (((uint32_t)(count) & 0xff) << 16))
constexpr uint32_t XX_IOPB_DONE = 1u << 31;
constexpr uint32_t XX_IOPB_NOT_STARTED = 1u << 8;
#define XX_IOPB_CODE(st) ((st) & 0xf)

// prot_ctl
constexpr uint32_t XX_PROT_ENABLE = 0x1;
constexpr uint32_t XX_PROT_LOCK = 0x2;

// err
#define XX_ERR_CODE(err) ((err) & 0x0f)
constexpr uint8_t XX_ERR_NONE = 0;
constexpr uint8_t XX_ERR_DATA_READ = 1;
constexpr uint8_t XX_ERR_DATA_WRITE = 2;
constexpr uint8_t XX_ERR_DESC_FETCH = 3;
constexpr uint8_t XX_ERR_DEVICE = 4;
constexpr uint8_t XX_ERR_BAD_CMD = 5;
constexpr uint8_t XX_ERR_PROTECTION = 6;
constexpr uint8_t XX_ERR_ABORTED = 7;
constexpr uint8_t XX_ERR_IGNORED = 0x80;

// dma_ctl
constexpr uint32_t XX_CTL_DIR_WRITE = 1;    // DDI_DMA_WRITE: memory to device
constexpr uint32_t XX_CTL_DIR_READ = 2;     // DDI_DMA_READ: device to memory

constexpr uint32_t XX_BLKSIZE = 512;
