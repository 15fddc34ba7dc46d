// AXI4-Lite master: the CPU's path to the engine's registers. One access at
// a time, in the order issued; 8-, 16- and 32-bit accesses with the byte
// strobes and lane shifts real hardware uses. Counts the cycles each takes.
#pragma once

#include <cstdint>
#include <deque>

#include "models/signals.h"

namespace tb {

struct AxilAccess {
    bool write = false;
    uint32_t offset = 0;
    unsigned size = 4;
    uint32_t value = 0;             // write data, or read result when done
    uint8_t resp = 0;
    bool done = false;
    uint64_t issued_at = 0, done_at = 0;
    void* cookie = nullptr;         // the caller's (the waiter to wake)
};

class AxilMaster {
public:
    void submit(AxilAccess* a);     // queued; a must live until done
    void drive(AxilReq& out);
    // Returns the access that completed at this edge, if any.
    AxilAccess* sample(const AxilReq& in, const AxilResp& resp);

    bool idle() const { return !cur_ && queue_.empty(); }
    // Drive garbage on AWADDR/WDATA/WSTRB/ARADDR whenever their VALID is
    // low (after the handshake, and while idle), as AXI4-Lite allows: the
    // slave must use what it accepted. Drawn from `seed`; 0 turns it off.
    void set_scramble(uint64_t seed) { scramble_ = seed; }
    uint64_t accesses() const { return naccess_; }
    uint64_t busy_cycles() const { return busy_cycles_; }

private:
    void start_next();

    std::deque<AxilAccess*> queue_;
    AxilAccess* cur_ = nullptr;
    bool aw_done_ = false, w_done_ = false, ar_done_ = false;
    uint64_t cycle_ = 0;
    uint64_t scramble_ = 0;         // xorshift state, 0: off
    uint32_t garbage();
    uint64_t naccess_ = 0, busy_cycles_ = 0;
};

} // namespace tb
