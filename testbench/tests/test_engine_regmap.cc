// The driver's register constants (driver/xx/xxreg.h) against the RTL's
// /*verilator public*/ localparams, so the two cannot drift. This file
// includes no SystemC header: verilated.h must not see SystemC here.
#include <catch2/catch.hpp>

#include <cstddef>

#include "xx/xxreg.h"

// The register file's /*verilator public*/ localparams, from the class
// Verilator generates for dma_regs (its name carries the parameters).
#if __has_include("Vdma_tb_top_dma_regs__A20_S4.h")
#include "Vdma_tb_top_dma_regs__A20_S4.h"
using RtlRegs = Vdma_tb_top_dma_regs__A20_S4;
#elif __has_include("Vdma_tb_top_dma_regs__A20_S8.h")
#include "Vdma_tb_top_dma_regs__A20_S8.h"
using RtlRegs = Vdma_tb_top_dma_regs__A20_S8;
#elif __has_include("Vdma_tb_top_dma_regs__A20_S10.h")
#include "Vdma_tb_top_dma_regs__A20_S10.h"
using RtlRegs = Vdma_tb_top_dma_regs__A20_S10;
#elif __has_include("Vdma_tb_top_dma_regs__A40_S4.h")
#include "Vdma_tb_top_dma_regs__A40_S4.h"
using RtlRegs = Vdma_tb_top_dma_regs__A40_S4;
#elif __has_include("Vdma_tb_top_dma_regs__A40_S8.h")
#include "Vdma_tb_top_dma_regs__A40_S8.h"
using RtlRegs = Vdma_tb_top_dma_regs__A40_S8;
#elif __has_include("Vdma_tb_top_dma_regs__A40_S10.h")
#include "Vdma_tb_top_dma_regs__A40_S10.h"
using RtlRegs = Vdma_tb_top_dma_regs__A40_S10;
#elif __has_include("Vdma_tb_top_dma_regs.h")
#include "Vdma_tb_top_dma_regs.h"
using RtlRegs = Vdma_tb_top_dma_regs;
#else
#error "no verilated dma_regs class found: did the parameters change its name?"
#endif


TEST_CASE("engine: the driver's register constants match the RTL", "[engine]")
{
    // offsets
    CHECK(XX_REG_ID == RtlRegs::REG_ID);
    CHECK(XX_REG_CAP == RtlRegs::REG_CAP);
    CHECK(XX_REG_CSR == RtlRegs::REG_CSR);
    CHECK(XX_REG_ERR == RtlRegs::REG_ERR);
    CHECK(XX_REG_DMA_CTL == RtlRegs::REG_DMA_CTL);
    CHECK(XX_REG_DMA_ADDR == RtlRegs::REG_DMA_ADDR);
    CHECK(XX_REG_DMA_ADDR_HI == RtlRegs::REG_DMA_ADDR_HI);
    CHECK(XX_REG_DMA_SIZE == RtlRegs::REG_DMA_SIZE);
    CHECK(XX_REG_DEV_BLOCK == RtlRegs::REG_DEV_BLOCK);
    CHECK(XX_REG_RESID == RtlRegs::REG_RESID);
    CHECK(XX_REG_FAULT_ADDR == RtlRegs::REG_FAULT_ADDR);
    CHECK(XX_REG_FAULT_ADDR_HI == RtlRegs::REG_FAULT_ADDR_HI);
    CHECK(XX_REG_XFER_COUNT == RtlRegs::REG_XFER_COUNT);
    CHECK(XX_REG_CAP2 == RtlRegs::REG_CAP2);
    CHECK(XX_REG_SG_COUNT == RtlRegs::REG_SG_COUNT);
    CHECK(XX_REG_IRQ_STATUS == RtlRegs::REG_IRQ_STATUS);
    CHECK(XX_REG_IRQ_MASK == RtlRegs::REG_IRQ_MASK);
    CHECK(XX_REG_PROT_BASE == RtlRegs::REG_PROT_BASE);
    CHECK(XX_REG_PROT_BASE_HI == RtlRegs::REG_PROT_BASE_HI);
    CHECK(XX_REG_PROT_LIMIT == RtlRegs::REG_PROT_LIMIT);
    CHECK(XX_REG_PROT_LIMIT_HI == RtlRegs::REG_PROT_LIMIT_HI);
    CHECK(XX_REG_PROT_CTL == RtlRegs::REG_PROT_CTL);
    CHECK(XX_REG_IOPB_ADDR == RtlRegs::REG_IOPB_ADDR);
    CHECK(XX_REG_IOPB_ADDR_HI == RtlRegs::REG_IOPB_ADDR_HI);
    CHECK(XX_REG_QUEUE_STATUS == RtlRegs::REG_QUEUE_STATUS);
    CHECK(XX_REG_CQ_STATUS == RtlRegs::REG_CQ_STATUS);
    CHECK(XX_REG_CQ_RESID == RtlRegs::REG_CQ_RESID);
    CHECK(XX_REG_QUEUE_CTL == RtlRegs::REG_QUEUE_CTL);
    CHECK(XX_REG_IRQ_COALESCE == RtlRegs::REG_IRQ_COALESCE);
    CHECK(XX_REG_SGLIST == RtlRegs::REG_SGLIST);
    CHECK(XX_SG_STRIDE == RtlRegs::SG_STRIDE);
    CHECK(XX_SG_ADDR == RtlRegs::SG_ADDR);
    CHECK(XX_SG_ADDR_HI == RtlRegs::SG_ADDR_HI);
    CHECK(XX_SG_SIZE == RtlRegs::SG_SIZE);
    // the C structure agrees with the offsets
    CHECK(offsetof(device_reg, id) == RtlRegs::REG_ID);
    CHECK(offsetof(device_reg, cap) == RtlRegs::REG_CAP);
    CHECK(offsetof(device_reg, csr) == RtlRegs::REG_CSR);
    CHECK(offsetof(device_reg, err) == RtlRegs::REG_ERR);
    CHECK(offsetof(device_reg, dma_ctl) == RtlRegs::REG_DMA_CTL);
    CHECK(offsetof(device_reg, dma_addr) == RtlRegs::REG_DMA_ADDR);
    CHECK(offsetof(device_reg, dma_addr_hi) == RtlRegs::REG_DMA_ADDR_HI);
    CHECK(offsetof(device_reg, dma_size) == RtlRegs::REG_DMA_SIZE);
    CHECK(offsetof(device_reg, dev_block) == RtlRegs::REG_DEV_BLOCK);
    CHECK(offsetof(device_reg, resid) == RtlRegs::REG_RESID);
    CHECK(offsetof(device_reg, fault_addr) == RtlRegs::REG_FAULT_ADDR);
    CHECK(offsetof(device_reg, fault_addr_hi) == RtlRegs::REG_FAULT_ADDR_HI);
    CHECK(offsetof(device_reg, xfer_count) == RtlRegs::REG_XFER_COUNT);
    CHECK(offsetof(device_reg, cap2) == RtlRegs::REG_CAP2);
    CHECK(offsetof(device_reg, sg_count) == RtlRegs::REG_SG_COUNT);
    CHECK(offsetof(device_reg, irq_status) == RtlRegs::REG_IRQ_STATUS);
    CHECK(offsetof(device_reg, irq_mask) == RtlRegs::REG_IRQ_MASK);
    CHECK(offsetof(device_reg, prot_base) == RtlRegs::REG_PROT_BASE);
    CHECK(offsetof(device_reg, prot_base_hi) == RtlRegs::REG_PROT_BASE_HI);
    CHECK(offsetof(device_reg, prot_limit) == RtlRegs::REG_PROT_LIMIT);
    CHECK(offsetof(device_reg, prot_limit_hi) == RtlRegs::REG_PROT_LIMIT_HI);
    CHECK(offsetof(device_reg, prot_ctl) == RtlRegs::REG_PROT_CTL);
    CHECK(offsetof(device_reg, iopb_addr) == RtlRegs::REG_IOPB_ADDR);
    CHECK(offsetof(device_reg, iopb_addr_hi) == RtlRegs::REG_IOPB_ADDR_HI);
    CHECK(offsetof(device_reg, queue_status) == RtlRegs::REG_QUEUE_STATUS);
    CHECK(offsetof(device_reg, cq_status) == RtlRegs::REG_CQ_STATUS);
    CHECK(offsetof(device_reg, cq_resid) == RtlRegs::REG_CQ_RESID);
    CHECK(offsetof(device_reg, queue_ctl) == RtlRegs::REG_QUEUE_CTL);
    CHECK(offsetof(device_reg, irq_coalesce) == RtlRegs::REG_IRQ_COALESCE);
    CHECK(offsetof(device_reg, sglist) == RtlRegs::REG_SGLIST);
    CHECK(sizeof(device_reg::xx_sg_entry) == RtlRegs::SG_STRIDE);
    CHECK(offsetof(device_reg::xx_sg_entry, addr) == RtlRegs::SG_ADDR);
    CHECK(offsetof(device_reg::xx_sg_entry, addr_hi) == RtlRegs::SG_ADDR_HI);
    CHECK(offsetof(device_reg::xx_sg_entry, size) == RtlRegs::SG_SIZE);
    // csr bits
    CHECK(ENABLE_INTERRUPTS == RtlRegs::CSR_ENABLE_INTERRUPTS);
    CHECK(START_TRANSFER == RtlRegs::CSR_START_TRANSFER);
    CHECK(INTERRUPTING == RtlRegs::CSR_INTERRUPTING);
    CHECK(DEVICE_ERROR == RtlRegs::CSR_DEVICE_ERROR);
    CHECK(CLEAR_INTERRUPT == RtlRegs::CSR_CLEAR_INTERRUPT);
    CHECK(CSR_BUSY == RtlRegs::CSR_BUSY);
    CHECK(CSR_ABORT == RtlRegs::CSR_ABORT);
    CHECK(CSR_SOFT_RESET == RtlRegs::CSR_SOFT_RESET);
    // err
    CHECK(XX_ERR_CODE(0xff) == RtlRegs::ERR_CODE_MASK);
    CHECK(XX_ERR_IGNORED == RtlRegs::ERR_IGNORED);
    CHECK(XX_ERR_NONE == RtlRegs::ERR_CODE_NONE);
    CHECK(XX_ERR_DATA_READ == RtlRegs::ERR_CODE_DATA_READ);
    CHECK(XX_ERR_DATA_WRITE == RtlRegs::ERR_CODE_DATA_WRITE);
    CHECK(XX_ERR_DESC_FETCH == RtlRegs::ERR_CODE_DESC_FETCH);
    CHECK(XX_ERR_DEVICE == RtlRegs::ERR_CODE_DEVICE);
    CHECK(XX_ERR_BAD_CMD == RtlRegs::ERR_CODE_BAD_CMD);
    CHECK(XX_ERR_PROTECTION == RtlRegs::ERR_CODE_PROTECTION);
    CHECK(XX_ERR_ABORTED == RtlRegs::ERR_CODE_ABORTED);
    // dma_ctl, id, irq, prot
    CHECK(XX_CTL_DIR_WRITE == RtlRegs::DMA_CTL_DIR_WRITE);
    CHECK(XX_CTL_DIR_READ == RtlRegs::DMA_CTL_DIR_READ);
    CHECK(XX_ID_MAGIC == RtlRegs::ID_MAGIC);
    CHECK(XX_ID_VERSION == RtlRegs::ID_VERSION);
    CHECK(XX_IRQ_DONE == RtlRegs::IRQ_DONE);
    CHECK(XX_IRQ_ERROR == RtlRegs::IRQ_ERROR);
    CHECK(XX_PROT_ENABLE == RtlRegs::PROT_ENABLE);
    CHECK(XX_PROT_LOCK == RtlRegs::PROT_LOCK);
    // the command-block queue's registers
    CHECK(XX_IRQ_QUEUE == RtlRegs::IRQ_QUEUE);
    CHECK(XX_QS_ACTIVE == RtlRegs::QS_ACTIVE);
    CHECK(XX_CQ_NOT_STARTED == RtlRegs::CQ_NOT_STARTED);
    CHECK(XX_CQ_NO_WRITEBACK == RtlRegs::CQ_NO_WRITEBACK);
    CHECK(XX_CQ_VALID == RtlRegs::CQ_VALID);
    CHECK(XX_QUEUE_POP == RtlRegs::QUEUE_POP);
    CHECK(XX_QS_CQ_COUNT(0xffffffffu) == 0xff);
    CHECK(XX_QS_SQ_COUNT(0x0000ab00u) == 0xab);
    CHECK(XX_CQ_CODE(RtlRegs::CQ_VALID | RtlRegs::ERR_CODE_ABORTED) == XX_ERR_ABORTED);
    // the command block in memory
    CHECK(offsetof(xx_iopb, ctl) == RtlRegs::IOPB_CTL);
    CHECK(offsetof(xx_iopb, dev_block) == RtlRegs::IOPB_DEV_BLOCK);
    CHECK(offsetof(xx_iopb, byte_count) == RtlRegs::IOPB_BYTE_COUNT);
    CHECK(offsetof(xx_iopb, next_lo) == RtlRegs::IOPB_NEXT);
    CHECK(offsetof(xx_iopb, list_lo) == RtlRegs::IOPB_LIST);
    CHECK(offsetof(xx_iopb, resid) == RtlRegs::IOPB_RESID);
    CHECK(offsetof(xx_iopb, fault_lo) == RtlRegs::IOPB_FAULT);
    CHECK(offsetof(xx_iopb, status) == RtlRegs::IOPB_STATUS);
    CHECK(offsetof(xx_iopb, sg) == RtlRegs::IOPB_ENTRIES);
    CHECK(XX_IOPB_HDR_SIZE == RtlRegs::IOPB_ENTRIES);
    CHECK(XX_IOPB_ALIGN == RtlRegs::IOPB_ALIGN);
    CHECK(XX_IOPB_DONE == RtlRegs::IOPB_DONE);
    CHECK(XX_IOPB_NOT_STARTED == RtlRegs::IOPB_NOT_STARTED);
    CHECK(XX_IOPB_CTL(XX_CTL_DIR_READ, 16) == (uint32_t(RtlRegs::DMA_CTL_DIR_READ) | (16u << 16)));
}

