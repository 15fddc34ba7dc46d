// Protocol monitors for every interface of the engine: AXI4 (memory),
// AXI4-Lite (registers), and the device port (command and status
// handshakes, AXI4-Stream both ways). Plain C++ over the port structs of
// models/signals.h, sampled once per cycle at the rising edge, so they can
// be fed by hand in their own tests.
//
// A violation is recorded with the cycle, the channel and the values; the
// testbench fails the test on any.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/signals.h"

namespace tb {

class Violations {
public:
    void add(uint64_t cycle, const std::string& channel, const std::string& what);
    const std::vector<std::string>& list() const { return list_; }
    bool empty() const { return list_.empty(); }
    void clear() { list_.clear(); }

private:
    std::vector<std::string> list_;
};

// A valid/ready channel whose payload must hold while valid waits for ready.
template <typename Payload>
class Channel {
public:
    // Returns false (and says why in *why) when the rule was broken this cycle.
    bool sample(bool valid, bool ready, const Payload& p, std::string* why)
    {
        bool ok = true;
        if (waiting_) {
            if (!valid) {
                *why = "valid dropped before ready";
                ok = false;
            } else if (!(p == held_)) {
                *why = "payload changed while valid waited for ready";
                ok = false;
            }
        }
        waiting_ = valid && !ready;
        if (waiting_)
            held_ = p;
        return ok;
    }
    bool waiting() const { return waiting_; }

private:
    bool waiting_ = false;
    Payload held_{};
};

struct AddrPayload {
    uint64_t addr;
    uint32_t id;
    uint8_t len, size, burst;
    bool operator==(const AddrPayload& o) const
    {
        return addr == o.addr && id == o.id && len == o.len && size == o.size && burst == o.burst;
    }
};
struct DataPayload {
    Beat data;
    uint32_t strb;
    bool last, user;
    bool operator==(const DataPayload& o) const
    {
        return data == o.data && strb == o.strb && last == o.last && user == o.user;
    }
};
struct RespPayload {
    uint32_t id;
    uint8_t resp;
    bool last;
    bool operator==(const RespPayload& o) const { return id == o.id && resp == o.resp && last == o.last; }
};

// AXI4 between the engine (master) and memory.
class AxiMonitor {
public:
    AxiMonitor(Violations& v, unsigned data_bytes) : v_(v), data_bytes_(data_bytes) {}
    void sample(uint64_t cycle, const AxiReq& q, const AxiResp& s);
    // At the end of a test: nothing may be left outstanding.
    void finish(uint64_t cycle);
    unsigned outstanding_reads() const;
    unsigned outstanding_writes() const;
    std::string describe() const;

private:
    void check_addr(uint64_t cycle, const char* ch, const AddrPayload& a);

    Violations& v_;
    unsigned data_bytes_;
    Channel<AddrPayload> ar_, aw_;
    Channel<DataPayload> w_;
    Channel<RespPayload> r_, b_;
    std::deque<unsigned> reads_;        // beats left per outstanding read burst
    std::deque<unsigned> aw_lens_;      // beats per write burst whose W is not complete
    unsigned w_beats_ = 0;              // beats of the current W burst
    unsigned w_early_ = 0;              // W bursts completed before their AW
    std::deque<unsigned> w_early_lens_;
    unsigned writes_done_ = 0;          // writes with AW and all W, awaiting B
};

// AXI4-Lite between the register master and the engine (slave).
class AxilMonitor {
public:
    explicit AxilMonitor(Violations& v) : v_(v) {}
    void sample(uint64_t cycle, const AxilReq& q, const AxilResp& s);
    void finish(uint64_t cycle);

private:
    Violations& v_;
    Channel<AddrPayload> ar_, aw_;
    Channel<DataPayload> w_;
    Channel<RespPayload> r_, b_;
    unsigned naw_ = 0, nw_ = 0, nar_ = 0;   // handshakes not yet answered
};

// The device port: one command, its data on the stream, one status.
class DevMonitor {
public:
    explicit DevMonitor(Violations& v) : v_(v) {}
    void sample(uint64_t cycle, const DevReq& q, const DevResp& s);
    void finish(uint64_t cycle);
    std::string describe() const;

private:
    struct Cmd {
        bool write;
        uint32_t block, len;
        bool operator==(const Cmd& o) const { return write == o.write && block == o.block && len == o.len; }
    };
    Violations& v_;
    Channel<Cmd> cmd_;
    Channel<RespPayload> sts_;
    Channel<DataPayload> tx_, rx_;
    int open_ = 0;                      // commands accepted, status not yet taken
    bool cur_write_ = false;
    bool stream_open_ = false;          // the current command's stream has not ended
};

} // namespace tb
