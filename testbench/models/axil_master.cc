#include "models/axil_master.h"

namespace tb {

void AxilMaster::submit(AxilAccess* a)
{
    a->done = false;
    a->issued_at = cycle_;
    queue_.push_back(a);
    if (!cur_)
        start_next();
}

void AxilMaster::start_next()
{
    cur_ = nullptr;
    if (queue_.empty())
        return;
    cur_ = queue_.front();
    queue_.pop_front();
    aw_done_ = w_done_ = ar_done_ = false;
}

uint32_t AxilMaster::garbage()
{
    scramble_ ^= scramble_ << 13;
    scramble_ ^= scramble_ >> 7;
    scramble_ ^= scramble_ << 17;
    return static_cast<uint32_t>(scramble_ >> 11);
}

void AxilMaster::drive(AxilReq& out)
{
    out = AxilReq{};
    if (scramble_) {
        // (inside the 4 KiB map, so that a slave using the wrong address
        // reads a real register; no bits above the port's width)
        uint32_t g = garbage();
        out.awaddr = g & 0xffcu;
        out.wdata = garbage();
        out.wstrb = static_cast<uint8_t>(g >> 24) & 0xf;
        g = garbage();
        out.araddr = g & 0xffcu;
    }
    if (!cur_)
        return;
    uint32_t lane = cur_->offset & 3;
    uint32_t aligned = cur_->offset & ~3u;
    if (cur_->write) {
        out.awvalid = !aw_done_;
        if (out.awvalid || !scramble_)
            out.awaddr = aligned;
        out.wvalid = !w_done_;
        if (out.wvalid || !scramble_) {
            out.wdata = cur_->value << (8 * lane);
            out.wstrb = static_cast<uint8_t>(((1u << cur_->size) - 1) << lane);
        }
        out.bready = aw_done_ && w_done_;
    } else {
        out.arvalid = !ar_done_;
        if (out.arvalid || !scramble_)
            out.araddr = aligned;
        out.rready = ar_done_;
    }
}

AxilAccess* AxilMaster::sample(const AxilReq& in, const AxilResp& resp)
{
    AxilAccess* finished = nullptr;
    if (cur_) {
        busy_cycles_++;
        if (in.awvalid && resp.awready)
            aw_done_ = true;
        if (in.wvalid && resp.wready)
            w_done_ = true;
        if (in.arvalid && resp.arready)
            ar_done_ = true;
        bool fin = false;
        if (in.bready && resp.bvalid) {
            cur_->resp = resp.bresp;
            fin = true;
        }
        if (in.rready && resp.rvalid) {
            uint32_t lane = cur_->offset & 3;
            uint32_t v = resp.rdata >> (8 * lane);
            cur_->value = cur_->size == 4 ? v : v & ((1u << (8 * cur_->size)) - 1);
            cur_->resp = resp.rresp;
            fin = true;
        }
        if (fin) {
            cur_->done = true;
            cur_->done_at = cycle_ + 1;
            naccess_++;
            finished = cur_;
            start_next();
        }
    }
    cycle_++;
    return finished;
}

} // namespace tb
