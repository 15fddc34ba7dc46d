// Physical memory of the emulated machine, and the kernel's virtual
// mappings of it.
//
// RAM is a memfd: the memory model on the bus reads and writes it through a
// direct map (paddr -> host pointer), and a kernel buffer is a virtual range
// whose 4 KiB pages map physical pages, contiguous or not, so a driver writes
// its buffer through an ordinary pointer while the DMA engine sees the
// physical pages behind it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

namespace ddi {

constexpr uint64_t PAGESIZE = 4096;
constexpr uint64_t PAGEOFFSET = PAGESIZE - 1;

class PhysMem {
public:
    // RAM of `bytes` (a multiple of PAGESIZE) at physical address `base`.
    PhysMem(uint64_t base, uint64_t bytes);
    ~PhysMem();
    PhysMem(const PhysMem&) = delete;
    PhysMem& operator=(const PhysMem&) = delete;

    uint64_t base() const { return base_; }
    uint64_t size() const { return size_; }

    // Host pointer to [paddr, paddr + len) if it lies in RAM, else nullptr.
    uint8_t* direct(uint64_t paddr, uint64_t len = 1) const;

    // Kernel virtual memory: `len` bytes mapped at a fresh virtual address,
    // starting `offset` bytes into the first page. contiguous picks
    // physically consecutive pages; otherwise pages are scattered (in a
    // pseudo-random order from `seed`), as user and pageable kernel memory is.
    // Returns nullptr when physical memory runs out.
    uint8_t* map(uint64_t len, bool contiguous, uint64_t offset = 0,
                 uint64_t seed = 0);
    void unmap(uint8_t* vaddr);

    // Map exactly these physical pages (page-aligned physical addresses, in
    // buffer order), `offset` bytes into the first: for tests that need a
    // known layout. nullptr if a page is outside RAM or not free.
    uint8_t* map_at(const std::vector<uint64_t>& paddrs, uint64_t offset = 0);

    // The physical address behind a mapped virtual address (hat_getpfnum
    // plus the page offset); returns false for an address not mapped by map().
    bool vtop(const void* vaddr, uint64_t* paddr) const;

    // Physically contiguous, `len` bytes in pages inside [lo, hi], the first
    // page's physical address a multiple of `align` (a power of two; below
    // PAGESIZE every page qualifies). nullptr if no such run is free.
    uint8_t* map_range(uint64_t len, uint64_t lo, uint64_t hi, uint64_t align);

    // One physical page inside [lo, hi] (for bounce buffers), not mapped;
    // returns false when none is free. free_page gives it back.
    bool alloc_page(uint64_t lo, uint64_t hi, uint64_t* paddr);
    void free_page(uint64_t paddr);

    // `npages` physical pages, not mapped (user address spaces, page
    // lists): consecutive, or scattered in a pseudo-random order from
    // `seed`. Their physical addresses, in order; false (nothing taken)
    // when RAM runs out. free_page gives each back.
    bool alloc_pages(uint64_t npages, bool contiguous, uint64_t seed,
                     std::vector<uint64_t>* paddrs);

    // A kernel mapping of pages someone else owns (bp_mapin): the pages are
    // not taken from the free list, and unmap() leaves them allocated.
    uint8_t* map_alias(const std::vector<uint64_t>& paddrs, uint64_t offset = 0);

    uint64_t free_pages() const;

private:
    struct Mapping {
        uint8_t* va;          // page-aligned start
        uint64_t npages;
        std::vector<uint64_t> pages;  // physical page numbers
        bool alias = false;   // pages owned elsewhere (map_alias)
    };

    uint8_t* map_pages(std::vector<uint64_t> pages, uint64_t offset, bool alias = false);
    bool pick_pages(uint64_t npages, bool contiguous, uint64_t seed, std::vector<uint64_t>* pages);

    mutable std::mutex mu_;                      // maps_ and free_: any thread may map
    uint64_t base_;
    uint64_t size_;
    int fd_ = -1;
    uint8_t* direct_ = nullptr;
    std::vector<uint64_t> free_;                 // free physical page indexes, sorted
    std::map<uintptr_t, Mapping> maps_;          // by page-aligned virtual start
};

} // namespace ddi
