// The random block workload: several kernel threads issuing bufs through
// xxstrategy, each on its own part of the disk (so the scoreboard's image
// is exact), with random sizes, directions, buffer offsets and physically
// contiguous or scattered buffers, and some I/Os aimed at failing blocks.
// dmasim runs it for users; the random regression runs it for CI.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "checkers/scoreboard.h"
#include "testbench.h"

namespace tb {

struct WorkloadConfig {
    uint64_t ios = 200;
    unsigned threads = 2;
    unsigned inflight = 1;          // bufs each thread keeps issued at once (strategy is asynchronous)
    uint64_t min_blocks = 1, max_blocks = 64;   // I/O size range, 512-byte blocks
    unsigned read_pct = 50;
    uint64_t align = 64;            // buffer start alignment in bytes
    unsigned scatter_pct = 0;       // per cent of buffers made of scattered pages
    unsigned fail_pct = 0;          // per cent of I/Os aimed at a failing block
    uint64_t seed = 1;
};

struct WorkloadStats {
    uint64_t ios = 0, reads = 0, writes = 0, bytes_read = 0, bytes_written = 0;
    std::map<std::string, uint64_t> errors;     // by errno name
    uint64_t lat_sum = 0, lat_max = 0;          // xxstrategy to biodone, cycles
    uint64_t first_cycle = 0, last_cycle = 0;   // the first xxstrategy, the last biodone
    uint64_t callbacks = 0;                     // DMA callbacks the driver ran
    uint64_t portions = 0;                      // engine commands for parts of a buf
    uint64_t starts = 0;                        // engine commands programmed or submitted
    uint64_t interrupts = 0;                    // interrupts the driver claimed
    uint64_t completions = 0;                   // command blocks reaped (queued mode)
    unsigned queue_depth = 0;                   // the driver's slots (0: simple mode)
    bool attached = false;
    uint64_t error_count() const;
};

// Let the engine write back the status of the driver's command blocks
// (bytes 0x20..0x2f of each, nothing else of them): call after xxattach.
void allow_iopb_writebacks(Testbench& tb);

// Blocks of the disk each buf in flight has to itself: a thread's share,
// less its failing block, cut in one part per buf in flight. An I/O must
// fit in it (max_blocks); workload_run refuses a configuration where it does not.
uint64_t workload_part_blocks(Testbench& tb, const WorkloadConfig& w);

// Fill the disk with random data and mark the failing blocks (call before
// the Scoreboard is built, so its image starts from this data).
void workload_prepare(Testbench& tb, const WorkloadConfig& w);

// Run inside Testbench::run: attach, issue everything, wait, detach.
// progress (may be empty) is called after every I/O.
WorkloadStats workload_run(Testbench& tb, Scoreboard& sb, const WorkloadConfig& w,
                           const std::function<void(const WorkloadStats&)>& progress);

} // namespace tb
