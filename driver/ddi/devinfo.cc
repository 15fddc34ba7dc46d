// Device nodes, soft state, properties, register access handles and
// power management.
#include <sys/mman.h>

#include <map>
#include <mutex>
#include <vector>

#include "ddi/impl.h"

struct dev_info {
    std::string name;
    int instance = 0;
    ddi::RegisterBus* regs = nullptr;
    uint64_t regs_len = 0;
    int intr_line = -1;
    std::map<std::string, int> props;
    // Power management (pm_*): the driver's power(9E), per-component
    // level and busy count. pm_mu guards the counters, never held across
    // the power entry.
    int (*power)(dev_info_t*, int, int) = nullptr;
    std::vector<int> pm_levels;
    std::vector<int> pm_busy;
    bool detaching = false;
    std::mutex pm_mu;
};

namespace ddi {

dev_info_t* make_devinfo(const std::string& name, int instance, RegisterBus* regs,
                         uint64_t regs_len, int intr_line)
{
    auto* dip = new dev_info();
    dip->name = name;
    dip->instance = instance;
    dip->regs = regs;
    dip->regs_len = regs_len;
    dip->intr_line = intr_line;
    return dip;
}

void set_devinfo_prop(dev_info_t* dip, const std::string& name, int value)
{
    dip->props[name] = value;
}

void free_devinfo(dev_info_t* dip) { delete dip; }

int devinfo_intr_line(dev_info_t* dip) { return dip->intr_line; }

} // namespace ddi

int ddi_get_instance(dev_info_t* dip) { return dip->instance; }

int ddi_prop_get_int(dev_t, dev_info_t* dip, uint_t, const char* name, int defvalue)
{
    auto it = dip->props.find(name);
    return it == dip->props.end() ? defvalue : it->second;
}

// ---------------------------------------------------------------- soft state

namespace {
struct SoftState {
    size_t size;
    std::map<int, std::vector<unsigned char>> items;
};
} // namespace

int ddi_soft_state_init(void** state_p, size_t size, size_t)
{
    if (size == 0)
        return EINVAL;
    *state_p = new SoftState{size, {}};
    return 0;
}

int ddi_soft_state_zalloc(void* state, int item)
{
    auto* ss = static_cast<SoftState*>(state);
    if (item < 0 || ss->items.count(item))
        return DDI_FAILURE;
    ss->items[item].assign(ss->size, 0);
    return DDI_SUCCESS;
}

void* ddi_get_soft_state(void* state, int item)
{
    auto* ss = static_cast<SoftState*>(state);
    auto it = ss->items.find(item);
    return it == ss->items.end() ? nullptr : it->second.data();
}

void ddi_soft_state_free(void* state, int item)
{
    static_cast<SoftState*>(state)->items.erase(item);
}

void ddi_soft_state_fini(void** state_p)
{
    delete static_cast<SoftState*>(*state_p);
    *state_p = nullptr;
}

// ---------------------------------------------------------------- register access

// The mapping the driver gets is a PROT_NONE range: its addresses name
// registers (&regp->csr) but touching it directly faults, as reaching
// around ddi_get/ddi_put would be wrong on real hardware too.

int ddi_regs_map_setup(dev_info_t* dip, uint_t rnumber, caddr_t* addrp, off_t offset,
                       off_t len, const ddi_device_acc_attr_t*, ddi_acc_handle_t* handlep)
{
    if (rnumber != 0 || !dip->regs || offset < 0)
        return DDI_FAILURE;
    uint64_t n = len == 0 ? dip->regs_len - offset : static_cast<uint64_t>(len);
    if (offset + n > dip->regs_len)
        return DDI_FAILURE;
    void* p = mmap(nullptr, n, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return DDI_FAILURE;
    // Offsets seen by the bus are relative to register set 0's start.
    auto* h = new ddi_acc_impl{dip->regs, static_cast<uint8_t*>(p), n, static_cast<uint64_t>(offset), nullptr};
    *addrp = reinterpret_cast<caddr_t>(static_cast<uint8_t*>(p));
    *handlep = h;
    return DDI_SUCCESS;
}

void ddi_regs_map_free(ddi_acc_handle_t* handlep)
{
    ddi_acc_impl* h = *handlep;
    if (!h)
        return;
    munmap(h->map, h->len);
    delete h;
    *handlep = nullptr;
}

static uint64_t reg_offset(ddi_acc_handle_t h, const void* addr, unsigned size)
{
    if (!h || !h->bus)
        cmn_err(CE_PANIC, "ddi access at %p: not a register access handle", addr);
    auto a = reinterpret_cast<uintptr_t>(addr);
    auto b = reinterpret_cast<uintptr_t>(h->map);
    if (a < b || a + size > b + h->len || (a - b) % size)
        cmn_err(CE_PANIC, "ddi access: %p is outside the mapping or misaligned", addr);
    return h->offset + (a - b);
}

// DMA memory from ddi_dma_mem_alloc is read and written in place (little
// endian, as the host is).
template <typename T>
static bool mem_access(ddi_acc_handle_t h, T* addr)
{
    if (!h || !h->dma_mem)
        return false;
    auto a = reinterpret_cast<uintptr_t>(addr);
    auto b = reinterpret_cast<uintptr_t>(h->dma_mem);
    if (a < b || a + sizeof(T) > b + h->len)
        cmn_err(CE_PANIC, "ddi access: %p is outside the DMA memory of handle %p",
                static_cast<void*>(addr), static_cast<void*>(h));
    return true;
}

uint8_t ddi_get8(ddi_acc_handle_t h, uint8_t* addr)
{
    if (mem_access(h, addr))
        return *addr;
    return static_cast<uint8_t>(h->bus->read(reg_offset(h, addr, 1), 1));
}
uint16_t ddi_get16(ddi_acc_handle_t h, uint16_t* addr)
{
    if (mem_access(h, addr))
        return *addr;
    return static_cast<uint16_t>(h->bus->read(reg_offset(h, addr, 2), 2));
}
uint32_t ddi_get32(ddi_acc_handle_t h, uint32_t* addr)
{
    if (mem_access(h, addr))
        return *addr;
    return h->bus->read(reg_offset(h, addr, 4), 4);
}
void ddi_put8(ddi_acc_handle_t h, uint8_t* addr, uint8_t value)
{
    if (mem_access(h, addr)) {
        *addr = value;
        return;
    }
    h->bus->write(reg_offset(h, addr, 1), 1, value);
}
void ddi_put16(ddi_acc_handle_t h, uint16_t* addr, uint16_t value)
{
    if (mem_access(h, addr)) {
        *addr = value;
        return;
    }
    h->bus->write(reg_offset(h, addr, 2), 2, value);
}
void ddi_put32(ddi_acc_handle_t h, uint32_t* addr, uint32_t value)
{
    if (mem_access(h, addr)) {
        *addr = value;
        return;
    }
    h->bus->write(reg_offset(h, addr, 4), 4, value);
}

// ---------------------------------------------------------------- power management

namespace ddi {

void set_devinfo_power(dev_info_t* dip, int (*power)(dev_info_t*, int, int), int ncomponents,
                       int initial_level)
{
    std::lock_guard<std::mutex> g(dip->pm_mu);
    dip->power = power;
    dip->pm_levels.assign(ncomponents > 0 ? ncomponents : 0, initial_level);
    dip->pm_busy.assign(ncomponents > 0 ? ncomponents : 0, 0);
}

int pm_level(dev_info_t* dip, int comp)
{
    std::lock_guard<std::mutex> g(dip->pm_mu);
    if (comp < 0 || comp >= static_cast<int>(dip->pm_levels.size()))
        return -1;
    return dip->pm_levels[comp];
}

int pm_busy_count(dev_info_t* dip, int comp)
{
    std::lock_guard<std::mutex> g(dip->pm_mu);
    if (comp < 0 || comp >= static_cast<int>(dip->pm_busy.size()))
        return -1;
    return dip->pm_busy[comp];
}

void set_devinfo_detaching(dev_info_t* dip, bool detaching)
{
    std::lock_guard<std::mutex> g(dip->pm_mu);
    dip->detaching = detaching;
}

} // namespace ddi

// Busy calls stack: each needs its own pm_idle_component. Idle on an idle
// component only updates the idle time (succeeds, count stays 0).
int pm_busy_component(dev_info_t* dip, int comp)
{
    std::lock_guard<std::mutex> g(dip->pm_mu);
    if (comp < 0 || comp >= static_cast<int>(dip->pm_busy.size()))
        return DDI_FAILURE;
    dip->pm_busy[comp]++;
    return DDI_SUCCESS;
}

int pm_idle_component(dev_info_t* dip, int comp)
{
    std::lock_guard<std::mutex> g(dip->pm_mu);
    if (comp < 0 || comp >= static_cast<int>(dip->pm_busy.size()))
        return DDI_FAILURE;
    if (dip->pm_busy[comp] > 0)
        dip->pm_busy[comp]--;
    return DDI_SUCCESS;
}

// Calls power(9E) with no layer lock held: the driver's power entry may
// take its own locks and sleep. Holding a kmutex across the call is the
// caller's bug; the DEBUG kernel cannot see it here, the driver's own
// recursive-mutex check will.
static int change_power(dev_info_t* dip, int comp, int level, bool raise)
{
    if (servicing_interrupt())
        cmn_err(CE_PANIC, "pm_%s_power called from interrupt context", raise ? "raise" : "lower");
    int (*power)(dev_info_t*, int, int);
    {
        std::lock_guard<std::mutex> g(dip->pm_mu);
        if (comp < 0 || comp >= static_cast<int>(dip->pm_levels.size()) || level < 0 || !dip->power)
            return DDI_FAILURE;
        if (!raise && !dip->detaching)
            return DDI_FAILURE;
        int cur = dip->pm_levels[comp];
        if (raise ? cur >= level : cur <= level)
            return DDI_SUCCESS;
        power = dip->power;
    }
    if (power(dip, comp, level) != DDI_SUCCESS)
        return DDI_FAILURE;
    std::lock_guard<std::mutex> g(dip->pm_mu);
    dip->pm_levels[comp] = level;
    return DDI_SUCCESS;
}

int pm_raise_power(dev_info_t* dip, int comp, int level) { return change_power(dip, comp, level, true); }
int pm_lower_power(dev_info_t* dip, int comp, int level) { return change_power(dip, comp, level, false); }
