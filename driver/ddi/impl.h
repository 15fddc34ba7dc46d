// Internal to ddi/: what the layer's files share and a driver never sees.
#pragma once

#include <functional>

#include "ddi/sunddi.h"

namespace ddi {
namespace impl {

// Layer state tied to one platform (interrupt lines, the DMA pool and its
// lock, callback lists) is dropped when set_platform installs another.
void reset_intr_state();
void reset_dma_state();
void reset_callback_state();
void reset_vm_state();

// The physical address behind addr in an address space (NULL or &kas: the
// kernel's mappings). False if not mapped.
bool as_translate(struct as* as, const void* addr, uint64_t* pa);
// Pages in a shadow list as_pagelock returned and as_pageunlock has not
// freed; 0 for a list it does not know.
uint64_t shadow_len(page_t** list);

// softcall(): run fn later from the level-1 soft interrupt (after that
// level's handlers), as the kernel's softcall list is. The DMA callback
// lists run this way.
void softcall(std::function<void()> fn);

// A hardware interrupt dispatch starts / ends: soft interrupts wait for it.
void hw_intr_enter();
void hw_intr_exit();

// Throws or aborts via the platform: a rule a DEBUG kernel enforces.
[[noreturn]] void fatal(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace impl
int devinfo_intr_line(dev_info_t* dip);
} // namespace ddi

// A register or DMA-memory access handle.
struct ddi_acc_impl {
    ddi::RegisterBus* bus;
    uint8_t* map;       // the PROT_NONE range handed to the driver (registers)
    uint64_t len;       // its length
    uint64_t offset;    // bus offset of map[0] in the register set
    uint8_t* dma_mem = nullptr;     // ddi_dma_mem_alloc memory (PhysMem mapping), or null
};
