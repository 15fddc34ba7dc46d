#include "models/axi_memory.h"

#include <cstdio>
#include <cstring>

namespace tb {

AxiMemory::AxiMemory(ddi::PhysMem& ram, const MemoryConfig& cfg, uint64_t seed)
    : ram_(ram), cfg_(cfg), rng_(seed), allowed_((ram.size() + 63) / 64, 0)
{
}

unsigned AxiMemory::latency(unsigned lo, unsigned hi)
{
    if (hi <= lo)
        return lo;
    return lo + static_cast<unsigned>(rng_() % (hi - lo + 1));
}

uint8_t AxiMemory::check(uint64_t addr, unsigned len) const
{
    for (const ErrorRange& e : errors_)
        if (addr <= e.hi && addr + len - 1 >= e.lo)
            return e.resp;
    if (ram_.direct(addr, len) || cfg_.sparse)
        return AXI_OKAY;
    return AXI_DECERR;
}

uint8_t* AxiMemory::byte(uint64_t paddr, bool create)
{
    if (uint8_t* p = ram_.direct(paddr))
        return p;
    if (!cfg_.sparse)
        return nullptr;
    auto it = sparse_.find(paddr >> 12);
    if (it == sparse_.end()) {
        if (!create)
            return nullptr;
        it = sparse_.emplace(paddr >> 12, std::vector<uint8_t>(4096, 0)).first;
    }
    return &it->second[paddr & 0xfff];
}

uint8_t AxiMemory::peek(uint64_t paddr) const
{
    if (const uint8_t* p = ram_.direct(paddr))
        return *p;
    auto it = sparse_.find(paddr >> 12);
    return it == sparse_.end() ? 0 : it->second[paddr & 0xfff];
}

void AxiMemory::poke(uint64_t paddr, uint8_t v)
{
    if (uint8_t* p = byte(paddr, true))
        *p = v;
}

void AxiMemory::allow_writes(uint64_t paddr, uint64_t len)
{
    for (uint64_t a = paddr; a < paddr + len; a++)
        if (ram_.direct(a)) {
            uint64_t i = a - ram_.base();
            allowed_[i / 64] |= 1ull << (i % 64);
        }
}

void AxiMemory::forbid_writes(uint64_t paddr, uint64_t len)
{
    for (uint64_t a = paddr; a < paddr + len; a++)
        if (ram_.direct(a)) {
            uint64_t i = a - ram_.base();
            allowed_[i / 64] &= ~(1ull << (i % 64));
        }
}

bool AxiMemory::write_allowed(uint64_t paddr) const
{
    if (!restrict_)
        return true;
    if (!ram_.direct(paddr))
        return cfg_.sparse;
    uint64_t i = paddr - ram_.base();
    return allowed_[i / 64] >> (i % 64) & 1;
}

// Beat n of an INCR burst starts at the aligned base plus n beats; the first
// beat may start unaligned (its lanes below the address are not part of it).
static uint64_t beat_addr(uint64_t addr, unsigned size, unsigned n)
{
    uint64_t bytes = 1ull << size;
    return n == 0 ? addr : (addr & ~(bytes - 1)) + n * bytes;
}

void AxiMemory::drive(AxiResp& out)
{
    out.arready = reads_.size() < cfg_.max_outstanding && !stall(cfg_.ar_stall);
    out.awready = writes_.size() < cfg_.max_outstanding && !stall(cfg_.aw_stall);
    // W is accepted for the oldest write whose address has arrived.
    out.wready = !writes_.empty() && !stall(cfg_.w_stall);

    // R: once shown, a beat stays until taken (valid held, payload stable).
    if (!r_shown_) {
        r_shown_ = !reads_.empty() && reads_.front().ready_at <= cycle_ && !stall(cfg_.r_stall);
        if (r_shown_) {
            const Burst& b = reads_.front();
            uint64_t a = beat_addr(b.addr, b.size, b.done);
            rresp_shown_ = check(a, 1);
            if (read_beats_ == fail_rbeat_ || (cfg_.error_rate > 0 && dist_(rng_) < cfg_.error_rate))
                rresp_shown_ = read_beats_ == fail_rbeat_ ? fail_rresp_ : AXI_SLVERR;
        }
    }
    out.rvalid = r_shown_;
    if (r_shown_) {
        const Burst& b = reads_.front();
        uint64_t a = beat_addr(b.addr, b.size, b.done);
        uint64_t lane0 = a & ~static_cast<uint64_t>(cfg_.data_bytes - 1);
        out.rid = b.id;
        out.rlast = b.done + 1 == b.beats;
        out.rresp = rresp_shown_;
        out.rdata.fill(0);
        if (out.rresp == AXI_OKAY) {
            if (const uint8_t* p = ram_.direct(lane0, cfg_.data_bytes))
                std::memcpy(out.rdata.data(), p, cfg_.data_bytes);
            else
                for (unsigned i = 0; i < cfg_.data_bytes; i++)
                    out.rdata[i] = peek(lane0 + i);
        }
    }

    if (!b_shown_)
        b_shown_ = !bresps_.empty() && bresps_.front().ready_at <= cycle_ && !stall(cfg_.b_stall);
    out.bvalid = b_shown_;
    if (b_shown_) {
        out.bid = bresps_.front().id;
        out.bresp = bresps_.front().resp;
    }
}

void AxiMemory::sample(const AxiReq& in, const AxiResp& out)
{
    if (in.arvalid && out.arready)
        reads_.push_back({in.araddr, in.arid, in.arlen + 1u, in.arsize, 0,
                          cycle_ + latency(cfg_.read_latency, cfg_.read_latency_max), AXI_OKAY});
    if (in.awvalid && out.awready)
        writes_.push_back({in.awaddr, in.awid, in.awlen + 1u, in.awsize, 0, 0, AXI_OKAY});

    if (in.rready && out.rvalid) {
        read_beats_++;
        r_shown_ = false;
        Burst& b = reads_.front();
        if (++b.done == b.beats)
            reads_.pop_front();
    }

    if (in.wvalid && out.wready) {
        Burst& b = writes_.front();
        uint64_t a = beat_addr(b.addr, b.size, b.done);
        uint64_t lane0 = a & ~static_cast<uint64_t>(cfg_.data_bytes - 1);
        bool injected = write_beats_ == fail_wbeat_ || (cfg_.error_rate > 0 && dist_(rng_) < cfg_.error_rate);
        write_beats_++;
        if (injected && b.resp == AXI_OKAY)
            b.resp = write_beats_ - 1 == fail_wbeat_ ? fail_wresp_ : AXI_SLVERR;
        for (unsigned i = 0; i < cfg_.data_bytes && !injected; i++) {
            if (!(in.wstrb >> i & 1))
                continue;
            uint64_t pa = lane0 + i;
            uint8_t r = check(pa, 1);
            if (r != AXI_OKAY) {
                b.resp = b.resp == AXI_OKAY ? r : b.resp;
                continue;
            }
            if (!write_allowed(pa) && stray_bytes_++ < 16) {
                // Stored all the same, as real memory would be: the guard
                // bytes around buffers show it too.
                char m[160];
                std::snprintf(m, sizeof m, "cycle %llu: write of byte 0x%llx outside every bound buffer",
                              static_cast<unsigned long long>(cycle_), static_cast<unsigned long long>(pa));
                strays_.push_back(m);
                std::fprintf(stderr, "stray write: %s\n", m);
            }
            *byte(pa, true) = in.wdata[i];
            last_write_cycle_ = cycle_;
            if (on_write)
                on_write(pa, 1);
        }
        if (++b.done == b.beats) {
            bresps_.push_back({b.id, b.resp, cycle_ + latency(cfg_.write_latency, cfg_.write_latency_max)});
            writes_.pop_front();
        }
    }

    if (in.bready && out.bvalid) {
        b_shown_ = false;
        bresps_.pop_front();
    }
    cycle_++;
}

} // namespace tb
