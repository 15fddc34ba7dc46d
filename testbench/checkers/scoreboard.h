// The scoreboard: knows what every buf should do and checks that it did.
// For each completed buf it checks the bytes (read: memory equals the
// disk's expected image; write: the disk equals the buffer), b_resid and
// b_error against the device's rules and its injected failures, and that
// biodone ran exactly once; at the end, that every buf issued completed and
// that the whole disk equals its expected image.
//
// It keeps its own image of the disk, updated when writes complete, so
// overlapping I/O in flight at once is not supported: the workloads keep
// concurrent bufs on disjoint blocks.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ddi/sunddi.h"
#include "models/block_disk.h"

namespace tb {

class Scoreboard {
public:
    explicit Scoreboard(BlockDisk& disk);

    // Before xxstrategy(bp): remember it and hook its completion. A b_iodone
    // already set is called after the check.
    void issue(struct buf* bp);
    // After the workload: every buf completed once, and the disk is right.
    void finish();

    const std::vector<std::string>& errors() const { return errors_; }
    uint64_t issued() const { return issued_; }
    uint64_t completed() const { return completed_; }
    uint64_t checked_bytes() const { return checked_bytes_; }
    uint64_t failed_ios() const { return failed_ios_; }

private:
    struct Expect {
        int error;
        size_t resid;
        int (*iodone)(struct buf*);
        int done = 0;
        bool write;
        size_t resid_min;           // a failed write: the least residual allowed
    };
    static int iodone(struct buf* bp);
    void complete(struct buf* bp);
    void fail(struct buf* bp, const std::string& what);
    Expect expect(struct buf* bp) const;

    BlockDisk& disk_;
    std::vector<uint8_t> image_;            // what the disk should hold
    std::unordered_map<struct buf*, Expect> bufs_;
    std::vector<std::string> errors_;
    uint64_t issued_ = 0, completed_ = 0, checked_bytes_ = 0, failed_ios_ = 0;
};

} // namespace tb
