// AXI4 slave memory model: the machine's RAM (ddi::PhysMem) on the bus.
// Several outstanding reads and writes, INCR bursts, byte strobes, seeded
// random stalls and latency, and error responses on chosen address ranges
// or outside RAM (DECERR).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <vector>

#include "ddi/physmem.h"
#include "models/signals.h"

namespace tb {

struct MemoryConfig {
    unsigned data_bytes = 4;        // bus width in bytes
    unsigned read_latency = 2;      // cycles from AR accepted to first R beat
    unsigned write_latency = 1;     // cycles from WLAST accepted to B
    double ar_stall = 0.0;          // probability a ready/valid is held low in a cycle
    double aw_stall = 0.0;
    double w_stall = 0.0;
    double r_stall = 0.0;
    double b_stall = 0.0;
    unsigned max_outstanding = 8;   // requests per direction the slave holds
};

struct ErrorRange {
    uint64_t lo, hi;                // inclusive
    uint8_t resp;                   // AXI_SLVERR or AXI_DECERR
};

class AxiMemory {
public:
    AxiMemory(ddi::PhysMem& ram, const MemoryConfig& cfg, uint64_t seed);

    void drive(AxiResp& out);                          // before the clock edge
    void sample(const AxiReq& in, const AxiResp& out);  // at the clock edge

    void add_error_range(uint64_t lo, uint64_t hi, uint8_t resp) { errors_.push_back({lo, hi, resp}); }
    void clear_error_ranges() { errors_.clear(); }
    // Called for every byte range a write burst changed: (paddr, len).
    std::function<void(uint64_t, uint64_t)> on_write;

    bool idle() const { return reads_.empty() && writes_.empty() && bresps_.empty(); }
    uint64_t read_beats() const { return read_beats_; }
    uint64_t write_beats() const { return write_beats_; }

private:
    struct Burst {
        uint64_t addr;
        uint32_t id;
        unsigned beats, size, done;
        uint64_t ready_at;
        uint8_t resp;               // worst response so far (writes)
    };
    struct BResp {
        uint32_t id;
        uint8_t resp;
        uint64_t ready_at;
    };

    bool stall(double p) { return p > 0 && dist_(rng_) < p; }
    uint8_t check(uint64_t addr, unsigned len) const;

    ddi::PhysMem& ram_;
    MemoryConfig cfg_;
    std::mt19937_64 rng_;
    std::uniform_real_distribution<double> dist_{0.0, 1.0};
    std::vector<ErrorRange> errors_;
    std::deque<Burst> reads_, writes_;
    std::deque<BResp> bresps_;
    uint64_t cycle_ = 0;
    uint64_t read_beats_ = 0, write_beats_ = 0;
    // What drive() decided this cycle, held until a handshake.
    bool r_shown_ = false, b_shown_ = false;
};

} // namespace tb
