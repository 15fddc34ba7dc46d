// Device nodes, soft state, properties and register access handles.
#include <sys/mman.h>

#include <map>
#include <vector>

#include "ddi/sunddi.h"

struct dev_info {
    std::string name;
    int instance = 0;
    ddi::RegisterBus* regs = nullptr;
    uint64_t regs_len = 0;
    int intr_line = -1;
    std::map<std::string, int> props;
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
struct ddi_acc_impl {
    ddi::RegisterBus* bus;
    uint8_t* map;       // the PROT_NONE range handed to the driver
    uint64_t len;       // its length
    uint64_t offset;    // bus offset of map[0] in the register set
};

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
    auto* h = new ddi_acc_impl{dip->regs, static_cast<uint8_t*>(p), n, static_cast<uint64_t>(offset)};
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
    auto a = reinterpret_cast<uintptr_t>(addr);
    auto b = reinterpret_cast<uintptr_t>(h->map);
    if (a < b || a + size > b + h->len || (a - b) % size)
        cmn_err(CE_PANIC, "ddi access: %p is outside the mapping or misaligned", addr);
    return h->offset + (a - b);
}

uint8_t ddi_get8(ddi_acc_handle_t h, uint8_t* addr)
{
    return static_cast<uint8_t>(h->bus->read(reg_offset(h, addr, 1), 1));
}
uint16_t ddi_get16(ddi_acc_handle_t h, uint16_t* addr)
{
    return static_cast<uint16_t>(h->bus->read(reg_offset(h, addr, 2), 2));
}
uint32_t ddi_get32(ddi_acc_handle_t h, uint32_t* addr)
{
    return h->bus->read(reg_offset(h, addr, 4), 4);
}
void ddi_put8(ddi_acc_handle_t h, uint8_t* addr, uint8_t value)
{
    h->bus->write(reg_offset(h, addr, 1), 1, value);
}
void ddi_put16(ddi_acc_handle_t h, uint16_t* addr, uint16_t value)
{
    h->bus->write(reg_offset(h, addr, 2), 2, value);
}
void ddi_put32(ddi_acc_handle_t h, uint32_t* addr, uint32_t value)
{
    h->bus->write(reg_offset(h, addr, 4), 4, value);
}
