#include "checkers/protocol.h"

#include <cstdio>
#include <sstream>

namespace tb {

void Violations::add(uint64_t cycle, const std::string& channel, const std::string& what)
{
    std::ostringstream s;
    s << "cycle " << cycle << ": " << channel << ": " << what;
    if (list_.size() < 8)
        std::fprintf(stderr, "protocol violation: %s\n", s.str().c_str());
    list_.push_back(s.str());
}

static std::string hex(uint64_t v)
{
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

static std::string addr_str(const AddrPayload& a)
{
    return "addr " + hex(a.addr) + " len " + std::to_string(a.len) + " size " + std::to_string(a.size) +
           " burst " + std::to_string(a.burst) + " id " + std::to_string(a.id);
}

// ---------------------------------------------------------------- AXI4

void AxiMonitor::check_addr(uint64_t cycle, const char* ch, const AddrPayload& a)
{
    uint64_t bytes = 1ull << a.size;
    if (bytes > data_bytes_)
        v_.add(cycle, ch, "size wider than the bus: " + addr_str(a));
    if (a.burst != 1)
        v_.add(cycle, ch, "burst type is not INCR: " + addr_str(a));
    uint64_t start = a.addr & ~(bytes - 1);
    uint64_t last = start + (a.len + 1ull) * bytes - 1;
    if ((start >> 12) != (last >> 12))
        v_.add(cycle, ch, "burst crosses a 4 KiB boundary: " + addr_str(a));
}

void AxiMonitor::sample(uint64_t cycle, const AxiReq& q, const AxiResp& s)
{
    std::string why;
    AddrPayload ar{q.araddr, q.arid, q.arlen, q.arsize, q.arburst};
    AddrPayload aw{q.awaddr, q.awid, q.awlen, q.awsize, q.awburst};
    DataPayload w{q.wdata, q.wstrb, q.wlast, false};
    RespPayload r{s.rid, s.rresp, s.rlast};
    RespPayload b{s.bid, s.bresp, false};
    if (!ar_.sample(q.arvalid, s.arready, ar, &why))
        v_.add(cycle, "AXI4 AR", why + " (" + addr_str(ar) + ")");
    if (!aw_.sample(q.awvalid, s.awready, aw, &why))
        v_.add(cycle, "AXI4 AW", why + " (" + addr_str(aw) + ")");
    if (!w_.sample(q.wvalid, s.wready, w, &why))
        v_.add(cycle, "AXI4 W", why + " (wstrb " + hex(q.wstrb) + " wlast " + std::to_string(q.wlast) + ")");
    if (!r_.sample(s.rvalid, q.rready, r, &why))
        v_.add(cycle, "AXI4 R", why);
    if (!b_.sample(s.bvalid, q.bready, b, &why))
        v_.add(cycle, "AXI4 B", why);

    if (q.arvalid && s.arready) {
        check_addr(cycle, "AXI4 AR", ar);
        reads_.push_back(q.arlen + 1u);
    }
    if (s.rvalid && q.rready) {
        if (reads_.empty()) {
            v_.add(cycle, "AXI4 R", "read data with no read request outstanding");
        } else {
            unsigned& left = reads_.front();
            bool last = --left == 0;
            if (s.rlast != last)
                v_.add(cycle, "AXI4 R", std::string("RLAST ") + (s.rlast ? "before" : "missing on") +
                                            " the last beat of the burst");
            if (last)
                reads_.pop_front();
        }
    }
    if (q.awvalid && s.awready) {
        check_addr(cycle, "AXI4 AW", aw);
        if (!w_early_lens_.empty()) {
            // Its data already went by: match the lengths.
            if (w_early_lens_.front() != aw.len + 1u)
                v_.add(cycle, "AXI4 AW", "W burst of " + std::to_string(w_early_lens_.front()) +
                                              " beats does not match " + addr_str(aw));
            w_early_lens_.pop_front();
            writes_done_++;
        } else {
            aw_lens_.push_back(aw.len + 1u);
        }
    }
    if (q.wvalid && s.wready) {
        w_beats_++;
        if (!aw_lens_.empty()) {
            unsigned want = aw_lens_.front();
            if (q.wlast != (w_beats_ == want)) {
                v_.add(cycle, "AXI4 W", "WLAST " + std::string(q.wlast ? "on beat " : "missing on beat ") +
                                             std::to_string(w_beats_) + " of a " + std::to_string(want) +
                                             "-beat burst");
            }
            if (q.wlast || w_beats_ == want) {
                aw_lens_.pop_front();
                writes_done_++;
                w_beats_ = 0;
            }
        } else if (q.wlast) {
            w_early_lens_.push_back(w_beats_);
            w_beats_ = 0;
        } else if (w_beats_ > 256) {
            v_.add(cycle, "AXI4 W", "more than 256 W beats without WLAST");
        }
    }
    if (s.bvalid && q.bready) {
        if (writes_done_ == 0)
            v_.add(cycle, "AXI4 B", "write response with no completed write outstanding");
        else
            writes_done_--;
    }
}

unsigned AxiMonitor::outstanding_reads() const { return static_cast<unsigned>(reads_.size()); }
unsigned AxiMonitor::outstanding_writes() const
{
    return static_cast<unsigned>(aw_lens_.size() + w_early_lens_.size()) + writes_done_;
}

std::string AxiMonitor::describe() const
{
    std::ostringstream s;
    s << "AXI4: " << reads_.size() << " read bursts outstanding";
    if (!reads_.empty())
        s << " (" << reads_.front() << " beats left in the oldest)";
    s << ", " << aw_lens_.size() << " write bursts awaiting data (" << w_beats_ << " beats of the current sent), "
      << writes_done_ << " awaiting B";
    if (ar_.waiting())
        s << ", AR waiting for ARREADY";
    if (aw_.waiting())
        s << ", AW waiting for AWREADY";
    if (w_.waiting())
        s << ", W waiting for WREADY";
    if (r_.waiting())
        s << ", R waiting for RREADY";
    if (b_.waiting())
        s << ", B waiting for BREADY";
    return s.str();
}

void AxiMonitor::finish(uint64_t cycle)
{
    if (!reads_.empty() || !aw_lens_.empty() || !w_early_lens_.empty() || writes_done_ || w_beats_)
        v_.add(cycle, "AXI4", "transactions left outstanding at the end: " + describe());
}

// ---------------------------------------------------------------- AXI4-Lite

void AxilMonitor::sample(uint64_t cycle, const AxilReq& q, const AxilResp& s)
{
    std::string why;
    AddrPayload ar{q.araddr, 0, 0, 2, 1};
    AddrPayload aw{q.awaddr, 0, 0, 2, 1};
    DataPayload w{{}, q.wstrb, false, false};
    w.data[0] = static_cast<uint8_t>(q.wdata);
    w.data[1] = static_cast<uint8_t>(q.wdata >> 8);
    w.data[2] = static_cast<uint8_t>(q.wdata >> 16);
    w.data[3] = static_cast<uint8_t>(q.wdata >> 24);
    RespPayload r{s.rdata, s.rresp, false};
    RespPayload b{0, s.bresp, false};
    if (!ar_.sample(q.arvalid, s.arready, ar, &why))
        v_.add(cycle, "AXI4-Lite AR", why + " (addr " + hex(q.araddr) + ")");
    if (!aw_.sample(q.awvalid, s.awready, aw, &why))
        v_.add(cycle, "AXI4-Lite AW", why + " (addr " + hex(q.awaddr) + ")");
    if (!w_.sample(q.wvalid, s.wready, w, &why))
        v_.add(cycle, "AXI4-Lite W", why);
    if (!r_.sample(s.rvalid, q.rready, r, &why))
        v_.add(cycle, "AXI4-Lite R", why);
    if (!b_.sample(s.bvalid, q.bready, b, &why))
        v_.add(cycle, "AXI4-Lite B", why);
    if (q.awvalid && s.awready)
        naw_++;
    if (q.wvalid && s.wready)
        nw_++;
    if (q.arvalid && s.arready)
        nar_++;
    if (s.bvalid && q.bready) {
        if (naw_ == 0 || nw_ == 0) {
            v_.add(cycle, "AXI4-Lite B", "write response before both address and data");
        } else {
            naw_--;
            nw_--;
        }
    }
    if (s.rvalid && q.rready) {
        if (nar_ == 0)
            v_.add(cycle, "AXI4-Lite R", "read data with no read outstanding");
        else
            nar_--;
    }
}

void AxilMonitor::finish(uint64_t cycle)
{
    if (naw_ || nw_ || nar_)
        v_.add(cycle, "AXI4-Lite", "accesses left outstanding at the end");
}

// ---------------------------------------------------------------- device port

void DevMonitor::sample(uint64_t cycle, const DevReq& q, const DevResp& s)
{
    std::string why;
    Cmd c{q.cmd_write, q.cmd_block, q.cmd_len};
    RespPayload st{0, static_cast<uint8_t>(s.sts_error), false};
    DataPayload tx{q.tx_tdata, q.tx_tkeep, q.tx_tlast, q.tx_tuser};
    DataPayload rx{s.rx_tdata, s.rx_tkeep, s.rx_tlast, false};
    if (!cmd_.sample(q.cmd_valid, s.cmd_ready, c, &why))
        v_.add(cycle, "device command", why);
    if (!sts_.sample(s.sts_valid, q.sts_ready, st, &why))
        v_.add(cycle, "device status", why);
    if (!tx_.sample(q.tx_tvalid, s.tx_tready, tx, &why))
        v_.add(cycle, "m_axis_dev", why);
    if (!rx_.sample(s.rx_tvalid, q.rx_tready, rx, &why))
        v_.add(cycle, "s_axis_dev", why);

    if (q.cmd_valid && s.cmd_ready) {
        if (open_ > 0)
            v_.add(cycle, "device command", "a command before the previous one's status");
        open_++;
        cur_write_ = q.cmd_write;
        stream_open_ = true;
    }
    if (q.tx_tvalid && s.tx_tready) {
        if (!open_ || !cur_write_ || !stream_open_)
            v_.add(cycle, "m_axis_dev", "data with no DDI_DMA_WRITE command open");
        if (q.tx_tlast)
            stream_open_ = false;
    }
    if (s.rx_tvalid && q.rx_tready) {
        if (!open_ || cur_write_ || !stream_open_)
            v_.add(cycle, "s_axis_dev", "data with no DDI_DMA_READ command open");
        if (s.rx_tlast)
            stream_open_ = false;
    }
    if (s.sts_valid && q.sts_ready) {
        if (!open_)
            v_.add(cycle, "device status", "status with no command open");
        else
            open_--;
    }
}

std::string DevMonitor::describe() const
{
    std::ostringstream s;
    s << "device port: " << open_ << " command(s) open";
    if (open_)
        s << (cur_write_ ? " (DDI_DMA_WRITE" : " (DDI_DMA_READ") << (stream_open_ ? ", stream running)" : ", stream ended, awaiting status)");
    if (cmd_.waiting())
        s << ", command waiting for ready";
    if (tx_.waiting())
        s << ", m_axis_dev waiting for tready";
    if (rx_.waiting())
        s << ", s_axis_dev waiting for tready";
    if (sts_.waiting())
        s << ", status waiting for ready";
    return s.str();
}

void DevMonitor::finish(uint64_t cycle)
{
    if (open_)
        v_.add(cycle, "device port", "left open at the end: " + describe());
}

} // namespace tb
