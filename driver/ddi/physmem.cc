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

// Take npages free pages (page indexes): first-fit consecutive, or
// scattered from `seed`. Called with mu_ held.
bool PhysMem::pick_pages(uint64_t npages, bool contiguous, uint64_t seed, std::vector<uint64_t>* pages)
{
    pages->clear();
    if (npages > free_.size())
        return false;
    if (contiguous) {
        // First fit over the sorted free list.
        size_t run = 0;
        for (size_t i = 0; i < free_.size(); i++) {
            run = (i > 0 && free_[i] == free_[i - 1] + 1) ? run + 1 : 1;
            if (run == npages) {
                size_t first = i + 1 - npages;
                pages->assign(free_.begin() + first, free_.begin() + i + 1);
                free_.erase(free_.begin() + first, free_.begin() + i + 1);
                return true;
            }
        }
        return false;
    }
    std::mt19937_64 rng(seed);
    for (uint64_t n = 0; n < npages; n++) {
        size_t i = rng() % free_.size();
        pages->push_back(free_[i]);
        free_.erase(free_.begin() + i);
    }
    return true;
}

uint8_t* PhysMem::map(uint64_t len, bool contiguous, uint64_t offset, uint64_t seed)
{
    std::lock_guard<std::mutex> g(mu_);
    offset &= PAGEOFFSET;
    uint64_t npages = (offset + len + PAGEOFFSET) / PAGESIZE;
    if (npages == 0)
        npages = 1;
    std::vector<uint64_t> pages;
    if (!pick_pages(npages, contiguous, seed, &pages))
        return nullptr;
    return map_pages(std::move(pages), offset);
}

bool PhysMem::alloc_pages(uint64_t npages, bool contiguous, uint64_t seed, std::vector<uint64_t>* paddrs)
{
    std::lock_guard<std::mutex> g(mu_);
    std::vector<uint64_t> pages;
    if (!pick_pages(npages, contiguous, seed, &pages))
        return false;
    paddrs->clear();
    for (uint64_t pg : pages)
        paddrs->push_back(base_ + pg * PAGESIZE);
    return true;
}

uint8_t* PhysMem::map_alias(const std::vector<uint64_t>& paddrs, uint64_t offset)
{
    std::lock_guard<std::mutex> g(mu_);
    std::vector<uint64_t> pages;
    for (uint64_t pa : paddrs) {
        if ((pa & PAGEOFFSET) || pa < base_ || pa - base_ >= size_)
            return nullptr;
        pages.push_back((pa - base_) / PAGESIZE);
    }
    if (pages.empty())
        return nullptr;
    return map_pages(std::move(pages), offset & PAGEOFFSET, true);
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
uint8_t* PhysMem::map_pages(std::vector<uint64_t> pages, uint64_t offset, bool alias)
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
    maps_[reinterpret_cast<uintptr_t>(v)] = Mapping{v, npages, std::move(pages), alias};
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
    if (!it->second.alias)
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

// ---------------------------------------------------------------- the VM layer above RAM
//
// page_t for every physical page, address spaces (kas and user ones), the
// page locks physio takes, page lists for B_PAGEIO, the current process.
#include <sys/mman.h>

#include <cstring>

#include "ddi/impl.h"

using ddi::PAGEOFFSET;
using ddi::PAGESIZE;

struct as {
    explicit as(bool k) : kernel(k) {}
    struct Pte {
        uint64_t pa;        // physical page address
        int prot;           // PROT_READ | PROT_WRITE
    };
    const bool kernel;      // kas: translations are the PhysMem kernel mappings
    std::mutex mu;          // ptes, next, the lock counts of this space's pages
    uint8_t* base = nullptr;    // the reserved PROT_NONE host range
    uint64_t size = 0;
    uint64_t next = 0;          // where as_map puts the next mapping (offset from base)
    std::map<uintptr_t, Pte> ptes;  // by page-aligned user address
};

struct as kas(true);
struct proc p0 = {&kas, 0};

namespace {

std::mutex vm_mu;                       // pages_, procs_
ddi::PhysMem* pages_mem = nullptr;      // the RAM pages_ describes
std::vector<page_t> pages_;
std::map<uint64_t, struct proc*> procs_;    // platform thread id -> process
std::map<page_t**, uint64_t> shadows_;      // as_pagelock's lists and their lengths

// With vm_mu held: the page_t table of the platform's RAM.
std::vector<page_t>& page_table()
{
    ddi::PhysMem& mem = ddi::platform().memory();
    if (pages_mem != &mem) {
        pages_mem = &mem;
        pages_.assign(mem.size() / PAGESIZE, page_t{});
        for (size_t i = 0; i < pages_.size(); i++)
            pages_[i].p_pagenum = static_cast<pfn_t>((mem.base() >> PAGESHIFT) + i);
    }
    return pages_;
}

page_t* pa_to_pp(uint64_t pa)
{
    std::lock_guard<std::mutex> g(vm_mu);
    std::vector<page_t>& t = page_table();
    uint64_t first = pages_mem->base() >> PAGESHIFT, pfn = pa >> PAGESHIFT;
    if (pfn < first || pfn - first >= t.size())
        return nullptr;
    return &t[pfn - first];
}

uintptr_t page_of(const void* a) { return reinterpret_cast<uintptr_t>(a) & ~static_cast<uintptr_t>(PAGEOFFSET); }

// With as->mu held (user spaces): the page table entry of addr, or NULL.
as::Pte* lookup(struct as* as, const void* addr)
{
    auto it = as->ptes.find(page_of(addr));
    return it == as->ptes.end() ? nullptr : &it->second;
}

uint64_t npages_of(const void* addr, size_t len)
{
    uintptr_t a = reinterpret_cast<uintptr_t>(addr);
    return len == 0 ? 0 : ((a + len + PAGEOFFSET) >> PAGESHIFT) - (a >> PAGESHIFT);
}

} // namespace

namespace ddi {
namespace impl {
void reset_vm_state()
{
    std::lock_guard<std::mutex> g(vm_mu);
    pages_mem = nullptr;
    pages_.clear();
    procs_.clear();
    shadows_.clear();
}

uint64_t shadow_len(page_t** list)
{
    std::lock_guard<std::mutex> g(vm_mu);
    auto it = shadows_.find(list);
    return it == shadows_.end() ? 0 : it->second;
}

static void note_shadow(page_t** list, uint64_t n)
{
    std::lock_guard<std::mutex> g(vm_mu);
    if (n)
        shadows_[list] = n;
    else
        shadows_.erase(list);
}

// The physical address behind addr in `as` (NULL: kas). User spaces only
// through their page tables; kas through the kernel mappings.
bool as_translate(struct as* as, const void* addr, uint64_t* pa)
{
    if (!as || as->kernel)
        return platform().memory().vtop(addr, pa);
    std::lock_guard<std::mutex> g(as->mu);
    as::Pte* p = lookup(as, addr);
    if (!p)
        return false;
    *pa = p->pa + (reinterpret_cast<uintptr_t>(addr) & PAGEOFFSET);
    return true;
}
} // namespace impl

struct as* as_create(uint64_t va_bytes)
{
    va_bytes = (va_bytes + PAGEOFFSET) & ~PAGEOFFSET;
    void* va = mmap(nullptr, va_bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (va == MAP_FAILED)
        return nullptr;
    auto* a = new struct as(false);
    a->base = static_cast<uint8_t*>(va);
    a->size = va_bytes;
    a->next = PAGESIZE;     // address 0 of the space stays unmapped
    return a;
}

void as_destroy(struct as* a)
{
    if (!a || a->kernel)
        return;
    PhysMem& mem = platform().memory();
    {
        std::lock_guard<std::mutex> g(a->mu);
        for (auto& kv : a->ptes) {
            page_t* pp = pa_to_pp(kv.second.pa);
            if (pp && pp->p_lckcnt)
                impl::fatal("as_destroy: page at user address %p is locked (%u locks)",
                            reinterpret_cast<void*>(kv.first), pp->p_lckcnt);
        }
        for (auto& kv : a->ptes)
            mem.free_page(kv.second.pa);
        a->ptes.clear();
    }
    munmap(a->base, a->size);
    delete a;
}

caddr_t as_map(struct as* a, size_t len, int prot, bool contiguous, uint64_t offset, uint64_t seed)
{
    if (!a || a->kernel || len == 0)
        return nullptr;
    offset &= PAGEOFFSET;
    uint64_t npages = (offset + len + PAGEOFFSET) / PAGESIZE;
    std::lock_guard<std::mutex> g(a->mu);
    // One unmapped page after each mapping: running off the end faults.
    if (a->next + (npages + 1) * PAGESIZE > a->size)
        return nullptr;
    std::vector<uint64_t> pas;
    if (!platform().memory().alloc_pages(npages, contiguous, seed, &pas))
        return nullptr;
    uint8_t* start = a->base + a->next;
    for (uint64_t i = 0; i < npages; i++)
        a->ptes[reinterpret_cast<uintptr_t>(start) + i * PAGESIZE] = as::Pte{pas[i], prot};
    a->next += (npages + 1) * PAGESIZE;
    return reinterpret_cast<caddr_t>(start + offset);
}

int as_unmap(struct as* a, caddr_t addr, size_t len)
{
    if (!a || a->kernel)
        return EINVAL;
    std::lock_guard<std::mutex> g(a->mu);
    uint64_t n = npages_of(addr, len);
    for (uint64_t i = 0; i < n; i++)
        if (as::Pte* p = lookup(a, addr + i * PAGESIZE)) {
            page_t* pp = pa_to_pp(p->pa);
            if (pp && pp->p_lckcnt)
                return EBUSY;
        }
    for (uint64_t i = 0; i < n; i++) {
        auto it = a->ptes.find(page_of(addr + i * PAGESIZE));
        if (it == a->ptes.end())
            continue;
        platform().memory().free_page(it->second.pa);
        a->ptes.erase(it);
    }
    return 0;
}

int as_setprot(struct as* a, caddr_t addr, size_t len, int prot)
{
    if (!a || a->kernel)
        return EINVAL;
    std::lock_guard<std::mutex> g(a->mu);
    uint64_t n = npages_of(addr, len);
    for (uint64_t i = 0; i < n; i++)
        if (!lookup(a, addr + i * PAGESIZE))
            return EINVAL;
    for (uint64_t i = 0; i < n; i++)
        lookup(a, addr + i * PAGESIZE)->prot = prot;
    return 0;
}

// Copy between the process's memory and a host buffer, a page at a time.
static int as_copy(struct as* a, caddr_t addr, uint8_t* host, size_t len, bool to_user)
{
    if (!a || a->kernel)
        return EFAULT;
    PhysMem& mem = platform().memory();
    std::lock_guard<std::mutex> g(a->mu);
    for (uint64_t i = 0; i < npages_of(addr, len); i++)
        if (!lookup(a, reinterpret_cast<void*>(page_of(addr) + i * PAGESIZE)))
            return EFAULT;      // all or nothing
    size_t done = 0;
    while (done < len) {
        caddr_t u = addr + done;
        as::Pte* p = lookup(a, u);
        if (!p)
            return EFAULT;
        size_t off = reinterpret_cast<uintptr_t>(u) & PAGEOFFSET;
        size_t n = std::min<size_t>(len - done, PAGESIZE - off);
        uint8_t* d = mem.direct(p->pa + off, n);
        if (to_user)
            std::memcpy(d, host + done, n);
        else
            std::memcpy(host + done, d, n);
        done += n;
    }
    return 0;
}

int as_write(struct as* a, caddr_t addr, const void* src, size_t len)
{
    return as_copy(a, addr, static_cast<uint8_t*>(const_cast<void*>(src)), len, true);
}

int as_read(struct as* a, caddr_t addr, void* dst, size_t len)
{
    return as_copy(a, addr, static_cast<uint8_t*>(dst), len, false);
}

bool as_vtop(struct as* a, caddr_t addr, uint64_t* paddr) { return impl::as_translate(a, addr, paddr); }

uint64_t as_locked_pages(struct as* a)
{
    if (!a || a->kernel)
        return 0;
    std::lock_guard<std::mutex> g(a->mu);
    uint64_t n = 0;
    for (auto& kv : a->ptes) {
        page_t* pp = pa_to_pp(kv.second.pa);
        n += pp && pp->p_lckcnt ? 1 : 0;
    }
    return n;
}

void set_curproc(struct proc* p)
{
    uint64_t tid = platform().thread_id();
    std::lock_guard<std::mutex> g(vm_mu);
    if (p)
        procs_[tid] = p;
    else
        procs_.erase(tid);
}

page_t* page_list_alloc(unsigned npages, bool contiguous, uint64_t seed)
{
    std::vector<uint64_t> pas;
    if (npages == 0 || !platform().memory().alloc_pages(npages, contiguous, seed, &pas))
        return nullptr;
    std::vector<page_t*> pps;
    for (uint64_t pa : pas)
        pps.push_back(pa_to_pp(pa));
    for (size_t i = 0; i < pps.size(); i++) {
        pps[i]->p_next = pps[(i + 1) % pps.size()];
        pps[i]->p_prev = pps[(i + pps.size() - 1) % pps.size()];
    }
    return pps[0];
}

void page_list_free(page_t* pp)
{
    PhysMem& mem = platform().memory();
    while (pp) {
        page_t* next = pp->p_next == pp ? nullptr : pp->p_next;
        if (pp->p_prev)
            pp->p_prev->p_next = pp->p_next;
        if (pp->p_next)
            pp->p_next->p_prev = pp->p_prev;
        pp->p_next = pp->p_prev = nullptr;
        mem.free_page(ptob(pp->p_pagenum));
        pp = next;
    }
}

} // namespace ddi

page_t* page_numtopp_nolock(pfn_t pfn) { return pa_to_pp(ddi::ptob(pfn)); }

struct proc* curproc_get()
{
    uint64_t tid = ddi::platform().thread_id();
    std::lock_guard<std::mutex> g(vm_mu);
    auto it = procs_.find(tid);
    return it == procs_.end() ? &p0 : it->second;
}

int as_pagelock(struct as* a, page_t*** ppp, caddr_t addr, size_t len, enum seg_rw rw)
{
    if (!ppp)
        return EINVAL;
    *ppp = nullptr;
    uint64_t n = npages_of(addr, len);
    if (n == 0)
        return 0;
    auto* list = new page_t*[n];
    if (!a || a->kernel) {
        // Kernel memory is never paged out: the pages, no lock counts.
        for (uint64_t i = 0; i < n; i++) {
            uint64_t pa;
            if (!ddi::platform().memory().vtop(reinterpret_cast<void*>(page_of(addr) + i * PAGESIZE), &pa) ||
                !(list[i] = pa_to_pp(pa & ~PAGEOFFSET))) {
                delete[] list;
                return EFAULT;
            }
        }
        ddi::impl::note_shadow(list, n);
        *ppp = list;
        return 0;
    }
    std::lock_guard<std::mutex> g(a->mu);
    int need = rw == S_WRITE || rw == S_CREATE ? PROT_WRITE : rw == S_EXEC ? PROT_EXEC : PROT_READ;
    for (uint64_t i = 0; i < n; i++) {
        as::Pte* p = lookup(a, reinterpret_cast<void*>(page_of(addr) + i * PAGESIZE));
        int err = !p ? EFAULT : !(p->prot & need) ? EACCES : 0;
        if (err) {
            delete[] list;
            return err;
        }
        list[i] = pa_to_pp(p->pa);
    }
    for (uint64_t i = 0; i < n; i++)
        list[i]->p_lckcnt++;
    ddi::impl::note_shadow(list, n);
    *ppp = list;
    return 0;
}

void as_pageunlock(struct as* a, page_t** pp, caddr_t addr, size_t len, enum seg_rw)
{
    if (!pp)
        return;
    ddi::impl::note_shadow(pp, 0);
    if (a && !a->kernel) {
        std::lock_guard<std::mutex> g(a->mu);
        uint64_t n = npages_of(addr, len);
        for (uint64_t i = 0; i < n; i++) {
            if (pp[i]->p_lckcnt == 0)
                ddi::impl::fatal("as_pageunlock: page %#lx of user address %p is not locked",
                                 pp[i]->p_pagenum, static_cast<void*>(addr + i * PAGESIZE));
            pp[i]->p_lckcnt--;
        }
    }
    delete[] pp;
}
