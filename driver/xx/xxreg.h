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
};
static_assert(offsetof(device_reg, csr) == 0x08, "csr offset");
static_assert(offsetof(device_reg, xfer_count) == 0x2c, "xfer_count offset");

constexpr size_t XX_REGS_SIZE = 0x1000;

// id
constexpr uint32_t XX_ID_MAGIC = 0x444d41;      // "DMA" in bits 31:8
constexpr uint32_t XX_ID_VERSION = 0x01;

// cap
#define XX_CAP_SGLLEN(cap) ((cap) & 0xff)
#define XX_CAP_DW_LOG2(cap) (((cap) >> 8) & 0xf)
#define XX_CAP_ADDR64(cap) (((cap) >> 12) & 0x1)
#define XX_CAP_BURST_LOG2(cap) (((cap) >> 16) & 0xff)
#define XX_CAP_ALIGN_LOG2(cap) (((cap) >> 24) & 0xff)

// csr bits (seed 003/004 names)
constexpr uint8_t ENABLE_INTERRUPTS = 0x01;
constexpr uint8_t START_TRANSFER = 0x02;
constexpr uint8_t INTERRUPTING = 0x04;
constexpr uint8_t DEVICE_ERROR = 0x08;
constexpr uint8_t CLEAR_INTERRUPT = 0x10;
constexpr uint8_t CSR_BUSY = 0x20;

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
