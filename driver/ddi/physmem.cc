#include "ddi/physmem.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>

namespace ddi {

PhysMem::PhysMem(uint64_t base, uint64_t bytes) : base_(base), size_(bytes)
{
    if ((base & PAGEOFFSET) || (bytes & PAGEOFFSET) || bytes == 0)
        throw std::invalid_argument("PhysMem: base and size must be page multiples");
    fd_ = memfd_create("dma-phys-ram", MFD_CLOEXEC);
    if (fd_ < 0 || ftruncate(fd_, static_cast<off_t>(bytes)) != 0)
        throw std::runtime_error("PhysMem: memfd_create/ftruncate failed");
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED)
        throw std::runtime_error("PhysMem: mmap of RAM failed");
    direct_ = static_cast<uint8_t*>(p);
    free_.reserve(bytes / PAGESIZE);
    for (uint64_t i = 0; i < bytes / PAGESIZE; i++)
        free_.push_back(i);
}

PhysMem::~PhysMem()
{
    for (auto& kv : maps_)
        munmap(kv.second.va, kv.second.npages * PAGESIZE);
    if (direct_)
        munmap(direct_, size_);
    if (fd_ >= 0)
        close(fd_);
}

uint8_t* PhysMem::direct(uint64_t paddr, uint64_t len) const
{
    if (paddr < base_ || len > size_ || paddr - base_ > size_ - len)
        return nullptr;
    return direct_ + (paddr - base_);
}

uint64_t PhysMem::free_pages() const
{
    std::lock_guard<std::mutex> g(mu_);
    return free_.size();
}

uint8_t* PhysMem::map(uint64_t len, bool contiguous, uint64_t offset, uint64_t seed)
{
    std::lock_guard<std::mutex> g(mu_);
    offset &= PAGEOFFSET;
    uint64_t npages = (offset + len + PAGEOFFSET) / PAGESIZE;
    if (npages == 0)
        npages = 1;
    if (npages > free_.size())
        return nullptr;

    std::vector<uint64_t> pages;
    if (contiguous) {
        // First fit over the sorted free list.
        size_t run = 0;
        for (size_t i = 0; i < free_.size(); i++) {
            run = (i > 0 && free_[i] == free_[i - 1] + 1) ? run + 1 : 1;
            if (run == npages) {
                size_t first = i + 1 - npages;
                pages.assign(free_.begin() + first, free_.begin() + i + 1);
                free_.erase(free_.begin() + first, free_.begin() + i + 1);
                break;
            }
        }
        if (pages.empty())
            return nullptr;
    } else {
        std::mt19937_64 rng(seed);
        for (uint64_t n = 0; n < npages; n++) {
            size_t i = rng() % free_.size();
            pages.push_back(free_[i]);
            free_.erase(free_.begin() + i);
        }
    }

    return map_pages(std::move(pages), offset);
}

uint8_t* PhysMem::map_at(const std::vector<uint64_t>& paddrs, uint64_t offset)
{
    std::lock_guard<std::mutex> g(mu_);
    std::vector<uint64_t> pages;
    for (uint64_t pa : paddrs) {
        if ((pa & PAGEOFFSET) || pa < base_ || pa - base_ >= size_)
            return nullptr;
        uint64_t pg = (pa - base_) / PAGESIZE;
        if (!std::binary_search(free_.begin(), free_.end(), pg) ||
            std::find(pages.begin(), pages.end(), pg) != pages.end())
            return nullptr;
        pages.push_back(pg);
    }
    if (pages.empty())
        return nullptr;
    for (uint64_t pg : pages)
        free_.erase(std::lower_bound(free_.begin(), free_.end(), pg));
    return map_pages(std::move(pages), offset & PAGEOFFSET);
}

uint8_t* PhysMem::map_range(uint64_t len, uint64_t lo, uint64_t hi, uint64_t align)
{
    std::lock_guard<std::mutex> g(mu_);
    uint64_t npages = (len + PAGEOFFSET) / PAGESIZE;
    if (npages == 0)
        npages = 1;
    if (align < PAGESIZE)
        align = PAGESIZE;
    // First fit over the sorted free list: a run of npages consecutive
    // pages, the first aligned, all inside [lo, hi].
    for (size_t i = 0; i + npages <= free_.size(); i++) {
        uint64_t pa = base_ + free_[i] * PAGESIZE;
        if (pa % align != 0 || pa < lo)
            continue;
        if (pa + npages * PAGESIZE - 1 > hi)
            break;      // sorted: every later run is higher still
        bool run = true;
        for (size_t k = 1; k < npages && run; k++)
            run = free_[i + k] == free_[i] + k;
        if (!run)
            continue;
        std::vector<uint64_t> pages(free_.begin() + i, free_.begin() + i + npages);
        free_.erase(free_.begin() + i, free_.begin() + i + npages);
        return map_pages(std::move(pages), 0);
    }
    return nullptr;
}

bool PhysMem::alloc_page(uint64_t lo, uint64_t hi, uint64_t* paddr)
{
    std::lock_guard<std::mutex> g(mu_);
    for (size_t i = 0; i < free_.size(); i++) {
        uint64_t pa = base_ + free_[i] * PAGESIZE;
        if (pa < lo)
            continue;
        if (pa + PAGEOFFSET > hi)
            return false;
        *paddr = pa;
        free_.erase(free_.begin() + i);
        return true;
    }
    return false;
}

void PhysMem::free_page(uint64_t paddr)
{
    std::lock_guard<std::mutex> g(mu_);
    uint64_t pg = (paddr - base_) / PAGESIZE;
    free_.insert(std::lower_bound(free_.begin(), free_.end(), pg), pg);
}

// Reserve a virtual range, then map each page of it onto its physical page.
// Called with mu_ held.
uint8_t* PhysMem::map_pages(std::vector<uint64_t> pages, uint64_t offset)
{
    uint64_t npages = pages.size();
    void* va = mmap(nullptr, npages * PAGESIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (va == MAP_FAILED)
        throw std::runtime_error("PhysMem: cannot reserve virtual space");
    auto* v = static_cast<uint8_t*>(va);
    for (uint64_t n = 0; n < npages; n++) {
        void* r = mmap(v + n * PAGESIZE, PAGESIZE, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_FIXED, fd_, static_cast<off_t>(pages[n] * PAGESIZE));
        if (r == MAP_FAILED)
            throw std::runtime_error("PhysMem: cannot map a page");
    }
    maps_[reinterpret_cast<uintptr_t>(v)] = Mapping{v, npages, std::move(pages)};
    return v + offset;
}

void PhysMem::unmap(uint8_t* vaddr)
{
    std::lock_guard<std::mutex> g(mu_);
    auto key = reinterpret_cast<uintptr_t>(vaddr) & ~static_cast<uintptr_t>(PAGEOFFSET);
    auto it = maps_.find(key);
    if (it == maps_.end())
        throw std::invalid_argument("PhysMem::unmap: address was not mapped by map()");
    munmap(it->second.va, it->second.npages * PAGESIZE);
    for (uint64_t pg : it->second.pages)
        free_.insert(std::lower_bound(free_.begin(), free_.end(), pg), pg);
    maps_.erase(it);
}

bool PhysMem::vtop(const void* vaddr, uint64_t* paddr) const
{
    std::lock_guard<std::mutex> g(mu_);
    auto a = reinterpret_cast<uintptr_t>(vaddr);
    auto it = maps_.upper_bound(a);
    if (it == maps_.begin())
        return false;
    --it;
    const Mapping& m = it->second;
    uintptr_t start = reinterpret_cast<uintptr_t>(m.va);
    if (a >= start + m.npages * PAGESIZE)
        return false;
    uint64_t pg = (a - start) / PAGESIZE;
    *paddr = base_ + m.pages[pg] * PAGESIZE + (a & PAGEOFFSET);
    return true;
}

} // namespace ddi
