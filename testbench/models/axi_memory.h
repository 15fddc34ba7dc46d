// AXI4 slave memory model: the machine's RAM (ddi::PhysMem) on the bus.
// Several outstanding reads and writes, INCR bursts, byte strobes, seeded
// random stalls and latency, and error responses on chosen address ranges
// or outside RAM (DECERR).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "ddi/physmem.h"
#include "models/signals.h"

namespace tb {

struct MemoryConfig {
    unsigned data_bytes = 4;        // bus width in bytes
    unsigned read_latency = 2;      // cycles from AR accepted to first R beat
    unsigned read_latency_max = 0;  // > read_latency: random in [read_latency, max] per burst
    unsigned write_latency = 1;     // cycles from WLAST accepted to B
    unsigned write_latency_max = 0;
    double ar_stall = 0.0;          // probability a ready/valid is held low in a cycle
    double aw_stall = 0.0;
    double w_stall = 0.0;
    double r_stall = 0.0;
    double b_stall = 0.0;
    unsigned max_outstanding = 8;   // requests per direction the slave holds
    double error_rate = 0.0;        // probability a beat answers SLVERR
    bool sparse = false;            // outside RAM: sparse storage instead of DECERR

    // Knobs from "never stalls" (0) to "stalls most cycles" (0.9), on every
    // channel at once, with latencies that grow with it.
    static MemoryConfig stalls(double p)
    {
        MemoryConfig c;
        c.ar_stall = c.aw_stall = c.w_stall = c.r_stall = c.b_stall = p;
        c.read_latency = 2;
        c.read_latency_max = 2 + static_cast<unsigned>(40 * p);
        c.write_latency = 1;
        c.write_latency_max = 1 + static_cast<unsigned>(20 * p);
        return c;
    }
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
    // The Nth data beat (0-based, counting from now) of reads or writes answers resp.
    void fail_read_beat(uint64_t n, uint8_t resp) { fail_rbeat_ = read_beats_ + n; fail_rresp_ = resp; }
    void fail_write_beat(uint64_t n, uint8_t resp) { fail_wbeat_ = write_beats_ + n; fail_wresp_ = resp; }

    // Writes are checked against what may be written: once restrict_writes()
    // is on, a byte written outside every allow_writes() range is recorded
    // as a stray write (and stored, as real memory would store it).
    void restrict_writes(bool on) { restrict_ = on; }
    void allow_writes(uint64_t paddr, uint64_t len);
    void forbid_writes(uint64_t paddr, uint64_t len);
    const std::vector<std::string>& stray_writes() const { return strays_; }
    uint64_t stray_write_bytes() const { return stray_bytes_; }

    // Called for every byte a write burst stores: (paddr, 1). Unset by default.
    std::function<void(uint64_t, uint64_t)> on_write;
    // The cycle of the last byte any write stored (0: none yet).
    uint64_t last_write_cycle() const { return last_write_cycle_; }

    // Backdoor access for tests and checkers: RAM, or sparse storage.
    uint8_t peek(uint64_t paddr) const;
    void poke(uint64_t paddr, uint8_t v);

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
    unsigned latency(unsigned lo, unsigned hi);
    uint8_t check(uint64_t addr, unsigned len) const;
    uint8_t* byte(uint64_t paddr, bool create);
    bool write_allowed(uint64_t paddr) const;

    ddi::PhysMem& ram_;
    MemoryConfig cfg_;
    std::mt19937_64 rng_;
    std::uniform_real_distribution<double> dist_{0.0, 1.0};
    std::vector<ErrorRange> errors_;
    std::deque<Burst> reads_, writes_;
    std::deque<BResp> bresps_;
    uint64_t cycle_ = 0;
    uint64_t read_beats_ = 0, write_beats_ = 0;
    uint64_t fail_rbeat_ = ~0ull, fail_wbeat_ = ~0ull;
    uint8_t fail_rresp_ = AXI_SLVERR, fail_wresp_ = AXI_SLVERR;
    uint8_t rresp_shown_ = AXI_OKAY;
    bool restrict_ = false;
    uint64_t last_write_cycle_ = 0;
    std::vector<uint64_t> allowed_;     // one bit per RAM byte
    std::vector<std::string> strays_;
    uint64_t stray_bytes_ = 0;
    std::unordered_map<uint64_t, std::vector<uint8_t>> sparse_;   // 4 KiB pages outside RAM
    // What drive() decided this cycle, held until a handshake.
    bool r_shown_ = false, b_shown_ = false;
};

} // namespace tb
