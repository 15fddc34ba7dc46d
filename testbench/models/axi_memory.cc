#include "models/axi_memory.h"

#include <cstring>

namespace tb {

AxiMemory::AxiMemory(ddi::PhysMem& ram, const MemoryConfig& cfg, uint64_t seed)
    : ram_(ram), cfg_(cfg), rng_(seed)
{
}

uint8_t AxiMemory::check(uint64_t addr, unsigned len) const
{
    for (const ErrorRange& e : errors_)
        if (addr <= e.hi && addr + len - 1 >= e.lo)
            return e.resp;
    return ram_.direct(addr, len) ? AXI_OKAY : AXI_DECERR;
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
    }
    out.rvalid = r_shown_;
    if (r_shown_) {
        const Burst& b = reads_.front();
        uint64_t a = beat_addr(b.addr, b.size, b.done);
        uint64_t lane0 = a & ~static_cast<uint64_t>(cfg_.data_bytes - 1);
        out.rid = b.id;
        out.rlast = b.done + 1 == b.beats;
        out.rresp = check(a, 1);
        out.rdata.fill(0);
        if (out.rresp == AXI_OKAY) {
            const uint8_t* p = ram_.direct(lane0, cfg_.data_bytes);
            if (p)
                std::memcpy(out.rdata.data(), p, cfg_.data_bytes);
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
                          cycle_ + cfg_.read_latency, AXI_OKAY});
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
        write_beats_++;
        Burst& b = writes_.front();
        uint64_t a = beat_addr(b.addr, b.size, b.done);
        uint64_t lane0 = a & ~static_cast<uint64_t>(cfg_.data_bytes - 1);
        for (unsigned i = 0; i < cfg_.data_bytes; i++) {
            if (!(in.wstrb >> i & 1))
                continue;
            uint8_t r = check(lane0 + i, 1);
            if (r != AXI_OKAY) {
                b.resp = b.resp == AXI_OKAY ? r : b.resp;
                continue;
            }
            *ram_.direct(lane0 + i) = in.wdata[i];
            if (on_write)
                on_write(lane0 + i, 1);
        }
        if (++b.done == b.beats) {
            bresps_.push_back({b.id, b.resp, cycle_ + cfg_.write_latency});
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
