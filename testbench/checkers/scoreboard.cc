#include "checkers/scoreboard.h"

#include <cstring>
#include <sstream>

namespace tb {

static Scoreboard* the_scoreboard = nullptr;

Scoreboard::Scoreboard(BlockDisk& disk) : disk_(disk), image_(disk.data())
{
    the_scoreboard = this;
}

// The device's rules (docs/register-map.md, BlockDisk, xxstrategy):
// a request starting past the end fails EINVAL; one running past the end
// moves what fits; a failing block or command fails the transfer with EIO,
// a read keeping the whole blocks before the failing one.
Scoreboard::Expect Scoreboard::expect(struct buf* bp) const
{
    Expect e{0, 0, bp->b_iodone, 0, !(bp->b_flags & B_READ), 0};
    const uint64_t B = BlockDisk::BLOCK;
    uint64_t nblocks = disk_.nblocks();
    if (bp->b_bcount == 0 || bp->b_bcount % B || bp->b_blkno < 0 ||
        static_cast<uint64_t>(bp->b_blkno) >= nblocks) {
        e.error = EINVAL;
        e.resid = bp->b_bcount;
        return e;
    }
    uint64_t first = bp->b_blkno;
    uint64_t fits = std::min<uint64_t>(bp->b_bcount / B, nblocks - first);
    uint64_t bad = disk_.first_failing_block(first, first + fits);
    if (bad != ~0ull) {
        // A read keeps the whole blocks before the failing one. A write
        // keeps what the device confirmed: nothing of the engine command
        // that failed, all of the ones before it (a buf moved in several
        // commands): at least the blocks from the failing one on are lost.
        e.error = EIO;
        e.resid = e.write ? bp->b_bcount : bp->b_bcount - (bad - first) * B;
        e.resid_min = bp->b_bcount - (bad - first) * B;
        return e;
    }
    e.resid = bp->b_bcount - fits * B;
    return e;
}

void Scoreboard::issue(struct buf* bp)
{
    Expect e = expect(bp);
    bufs_[bp] = e;
    bp->b_iodone = &Scoreboard::iodone;
    issued_++;
}

int Scoreboard::iodone(struct buf* bp)
{
    the_scoreboard->complete(bp);
    return 0;
}

void Scoreboard::fail(struct buf* bp, const std::string& what)
{
    std::ostringstream s;
    s << "buf " << static_cast<const void*>(bp) << " (" << ((bp->b_flags & B_READ) ? "read" : "write")
      << " of " << bp->b_bcount << " bytes at block " << bp->b_blkno << "): " << what;
    errors_.push_back(s.str());
}

void Scoreboard::complete(struct buf* bp)
{
    auto it = bufs_.find(bp);
    if (it == bufs_.end()) {
        fail(bp, "completed but never issued");
        return;
    }
    Expect& e = it->second;
    if (++e.done > 1) {
        fail(bp, "biodone ran " + std::to_string(e.done) + " times");
        return;
    }
    completed_++;
    const uint64_t B = BlockDisk::BLOCK;
    int err = geterror(bp);
    bool injected = disk_.command_failed_last();
    if (injected && err == EIO) {
        // The Nth-command failure cannot be foreseen at issue: a whole
        // transfer lost, as the device reported.
        e.error = EIO;
        e.resid = bp->b_bcount;
    }
    if (err != e.error)
        fail(bp, "b_error " + std::to_string(err) + ", expected " + std::to_string(e.error));
    if (e.write && err == EIO && !injected) {
        if (bp->b_resid < e.resid_min || bp->b_resid > e.resid || bp->b_resid % B)
            fail(bp, "b_resid " + std::to_string(bp->b_resid) + ", expected whole blocks from " +
                         std::to_string(e.resid_min) + " to " + std::to_string(e.resid));
    } else if (bp->b_resid != e.resid) {
        fail(bp, "b_resid " + std::to_string(bp->b_resid) + ", expected " + std::to_string(e.resid));
    }
    if (err)
        failed_ios_++;

    size_t moved = bp->b_bcount >= bp->b_resid ? bp->b_bcount - bp->b_resid : 0;
    uint64_t off = static_cast<uint64_t>(bp->b_blkno) * B;
    const uint8_t* mem = reinterpret_cast<const uint8_t*>(bp->b_un.b_addr);
    std::vector<uint8_t>& disk = disk_.data();
    if (e.error == EINVAL) {
        // nothing reached the device
    } else if (e.write && !err) {
        if (std::memcmp(&disk[off], mem, moved) != 0)
            fail(bp, "the disk does not hold the buffer's bytes");
        std::memcpy(&image_[off], mem, moved);
        checked_bytes_ += moved;
    } else if (e.write) {
        // What the driver reports as moved must be on the disk; past that a
        // failed write may have left some blocks written or not: what the
        // disk holds there now is what it should hold from here on.
        if (std::memcmp(&disk[off], mem, moved) != 0)
            fail(bp, "the disk does not hold the bytes reported as written");
        checked_bytes_ += moved;
        uint64_t n = std::min<uint64_t>(bp->b_bcount, disk.size() - off);
        std::memcpy(&image_[off], mem, moved);
        std::memcpy(&image_[off + moved], &disk[off + moved], n - moved);
    } else {
        if (std::memcmp(mem, &image_[off], moved) != 0) {
            size_t i = 0;
            while (i < moved && mem[i] == image_[off + i])
                i++;
            fail(bp, "memory differs from the disk at byte " + std::to_string(i));
        }
        checked_bytes_ += moved;
    }
    if (e.iodone) {
        bp->b_iodone = e.iodone;
        (void)e.iodone(bp);
        return;
    }
    // The buf(9S) idiom: an iodone routine clears b_iodone and calls
    // biodone again, which then does what it does for a plain buf.
    bp->b_iodone = nullptr;
    biodone(bp);
}

void Scoreboard::finish()
{
    for (auto& kv : bufs_)
        if (kv.second.done == 0)
            fail(kv.first, "issued but never completed");
    if (disk_.data() != image_) {
        size_t i = 0;
        while (disk_.data()[i] == image_[i])
            i++;
        errors_.push_back("the disk differs from its expected image at byte " + std::to_string(i) +
                          " (block " + std::to_string(i / BlockDisk::BLOCK) + ")");
    }
}

} // namespace tb
