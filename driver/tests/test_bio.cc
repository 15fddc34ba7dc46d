// buf(9S): biodone/biowait across threads, the b_iodone quirk, errors,
// disksort, minphys and physio.
#include <sys/uio.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "helpers.h"

using ddi::Context;
using ddi::host::HostPlatform;

TEST_CASE("biodone in interrupt context wakes biowait in another thread", "[bio]")
{
    HostPlatform plat;
    for (int i = 0; i < 20; i++) {
        struct buf* bp = getrbuf(KM_SLEEP);
        bp->b_flags = B_BUSY | B_READ;
        bp->b_bcount = 512;
        std::atomic<int> result{-1};
        plat.spawn("waiter", Context::Kernel, [&] { result = biowait(bp); });
        int err = i % 3 == 0 ? EIO : 0;
        plat.run_in(Context::Interrupt, [&] {
            if (err)
                bioerror(bp, err);
            bp->b_resid = err ? 512 : 0;
            biodone(bp);
        });
        plat.join();
        CHECK(result == err);
        CHECK((bp->b_flags & B_DONE) != 0);
        CHECK(geterror(bp) == err);
        freerbuf(bp);
    }
}

TEST_CASE("biodone twice panics, biowait after biodone returns at once", "[bio][rules]")
{
    HostPlatform plat;
    struct buf* bp = getrbuf(KM_SLEEP);
    biodone(bp);
    CHECK(biowait(bp) == 0);
    REQUIRE_PANICS(biodone(bp), "already done");
    freerbuf(bp);
}

static std::atomic<int> iodone_calls{0};
static int my_iodone(struct buf* bp)
{
    iodone_calls++;
    bp->b_private = bp;
    return 0;
}

TEST_CASE("biodone with b_iodone calls it and does not set B_DONE", "[bio][quirk]")
{
    HostPlatform plat;
    iodone_calls = 0;
    struct buf* bp = getrbuf(KM_SLEEP);
    bp->b_iodone = my_iodone;
    plat.run_in(Context::Interrupt, [&] { biodone(bp); });
    CHECK(iodone_calls == 1);
    CHECK((bp->b_flags & B_DONE) == 0);
    CHECK(bp->b_private == bp);
    CHECK(bp->b_iodone == my_iodone);       // left in place: called again, no panic
    biodone(bp);
    CHECK(iodone_calls == 2);
    CHECK((bp->b_flags & B_DONE) == 0);
    // The usual chaining: clear it and complete normally.
    bp->b_iodone = nullptr;
    biodone(bp);
    CHECK((bp->b_flags & B_DONE) != 0);
    CHECK(biowait(bp) == 0);
    freerbuf(bp);
}

TEST_CASE("bioerror and geterror", "[bio]")
{
    HostPlatform plat;
    struct buf* bp = getrbuf(KM_NOSLEEP);
    CHECK(geterror(bp) == 0);
    bioerror(bp, ENXIO);
    CHECK((bp->b_flags & B_ERROR) != 0);
    CHECK(geterror(bp) == ENXIO);
    bp->b_error = 0;
    CHECK(geterror(bp) == EIO);     // B_ERROR without a number is EIO
    bioerror(bp, 0);
    CHECK((bp->b_flags & B_ERROR) == 0);
    CHECK(geterror(bp) == 0);
    freerbuf(bp);
}

TEST_CASE("B_ASYNC: biodone releases the buf, nobody waits", "[bio]")
{
    HostPlatform plat;
    struct buf* bp = getrbuf(KM_SLEEP);
    bp->b_flags = B_BUSY | B_ASYNC | B_WRITE;
    biodone(bp);
    CHECK((bp->b_flags & B_DONE) != 0);
    CHECK((bp->b_flags & B_BUSY) == 0);
    freerbuf(bp);
}

// ---------------------------------------------------------------- disksort

static std::vector<size_t> keys(const diskhd& dh)
{
    std::vector<size_t> v;
    for (struct buf* b = dh.av_forw; b; b = b->av_forw)
        v.push_back(b->b_resid);
    return v;
}

TEST_CASE("disksort: one-way elevator with two ascending runs, FIFO on equal keys", "[bio][disksort]")
{
    HostPlatform plat;
    std::vector<struct buf*> bufs;
    diskhd dh;
    auto add = [&](size_t key) {
        struct buf* b = getrbuf(KM_SLEEP);
        b->b_resid = key;
        bufs.push_back(b);
        disksort(&dh, b);
        return b;
    };
    add(50);                                // the active request
    add(70);
    add(60);
    CHECK(keys(dh) == std::vector<size_t>{50, 60, 70});
    add(10);                                // behind the head: second run
    add(30);
    add(20);
    CHECK(keys(dh) == std::vector<size_t>{50, 60, 70, 10, 20, 30});
    add(65);                                // first run, in order
    add(90);                                // first run, before the inversion
    CHECK(keys(dh) == std::vector<size_t>{50, 60, 65, 70, 90, 10, 20, 30});
    add(5);                                 // head of the second run
    add(40);                                // end of the second run
    CHECK(keys(dh) == std::vector<size_t>{50, 60, 65, 70, 90, 5, 10, 20, 30, 40});
    struct buf* e1 = add(60);               // equal keys go after the queued ones
    struct buf* e2 = add(20);
    CHECK(keys(dh) == std::vector<size_t>{50, 60, 60, 65, 70, 90, 5, 10, 20, 20, 30, 40});
    CHECK(dh.av_forw->av_forw->av_forw == e1);
    struct buf* b = dh.av_forw;
    while (b->av_forw != e2)
        b = b->av_forw;
    CHECK(b->b_resid == 20);
    CHECK(dh.av_back->b_resid == 40);
    CHECK(dh.av_back->av_forw == nullptr);
    struct buf* last = add(45);             // the tail pointer follows
    CHECK(dh.av_back == last);
    add(50);                                // equal to the head: after it
    CHECK(keys(dh) == std::vector<size_t>{50, 50, 60, 60, 65, 70, 90, 5, 10, 20, 20, 30, 40, 45});
    for (auto* x : bufs)
        freerbuf(x);
}

TEST_CASE("disksort: random keys keep the two-run invariant", "[bio][disksort]")
{
    HostPlatform plat;
    uint64_t seed = test_seed("disksort random");
    std::mt19937_64 rng(seed);
    for (int round = 0; round < 50; round++) {
        diskhd dh;
        std::vector<struct buf*> bufs;
        int n = 1 + static_cast<int>(rng() % 40);
        for (int i = 0; i < n; i++) {
            struct buf* b = getrbuf(KM_SLEEP);
            b->b_resid = rng() % 100;
            bufs.push_back(b);
            disksort(&dh, b);
        }
        std::vector<size_t> k = keys(dh);
        REQUIRE(k.size() == bufs.size());
        size_t head = bufs[0]->b_resid;
        CHECK(k[0] == head);
        // First run: ascending keys >= head; then ascending keys < head.
        size_t i = 1;
        while (i < k.size() && k[i] >= k[i - 1])
            i++;
        for (size_t j = 0; j < i; j++)
            CHECK(k[j] >= head);
        for (size_t j = i; j < k.size(); j++) {
            CHECK(k[j] < head);
            if (j > i)
                CHECK(k[j] >= k[j - 1]);
        }
        std::vector<size_t> want;
        for (auto* b : bufs)
            want.push_back(b->b_resid);
        std::sort(want.begin(), want.end());
        std::sort(k.begin(), k.end());
        CHECK(k == want);
        for (auto* b : bufs)
            freerbuf(b);
    }
}

// ---------------------------------------------------------------- minphys and physio

TEST_CASE("minphys caps b_bcount at maxphys", "[bio]")
{
    HostPlatform plat;
    struct buf* bp = getrbuf(KM_SLEEP);
    bp->b_bcount = maxphys + 1;
    minphys(bp);
    CHECK(bp->b_bcount == maxphys);
    bp->b_bcount = 100;
    minphys(bp);
    CHECK(bp->b_bcount == 100);
    freerbuf(bp);
}

// A ramdisk strategy, the reference's: offset past the end is EINVAL, a
// request running past the end moves what fits and reports the rest.
namespace {
std::vector<uint8_t> disk;
std::vector<size_t> chunks;
HostPlatform* ramplat;
int ram_strategy(struct buf* bp)
{
    chunks.push_back(bp->b_bcount);
    CHECK((bp->b_flags & (B_BUSY | B_PHYS)) == (B_BUSY | B_PHYS));
    size_t off = static_cast<size_t>(bp->b_lblkno) * DEV_BSIZE;
    // Completion comes from "the device": another thread.
    ramplat->spawn("ramdisk", Context::Interrupt, [bp, off] {
        if (off >= disk.size()) {
            bp->b_resid = bp->b_bcount;
            bioerror(bp, EINVAL);
            biodone(bp);
            return;
        }
        size_t n = std::min(bp->b_bcount, disk.size() - off);
        if (bp->b_flags & B_READ)
            std::memcpy(bp->b_un.b_addr, disk.data() + off, n);
        else
            std::memcpy(disk.data() + off, bp->b_un.b_addr, n);
        bp->b_resid = bp->b_bcount - n;
        biodone(bp);
    });
    return 0;
}
} // namespace

TEST_CASE("physio: chunks by mincnt, advances, stops at the first residual or error", "[bio][physio]")
{
    HostPlatform plat;
    ramplat = &plat;
    size_t saved = maxphys;
    maxphys = 4096;
    disk.assign(10 * 4096 + 1024, 0);
    for (size_t i = 0; i < disk.size(); i++)
        disk[i] = static_cast<uint8_t>(i * 7);

    std::vector<uint8_t> mem(16 * 4096, 0xee);
    iovec iov{mem.data(), 3 * 4096 + 512};
    uio u;
    u.uio_iov = &iov;
    u.uio_iovcnt = 1;
    u.uio_loffset = 1024;
    u.uio_resid = static_cast<ssize_t>(iov.iov_len);
    chunks.clear();
    CHECK(physio(ram_strategy, nullptr, 0, B_READ, minphys, &u) == 0);
    CHECK(chunks == std::vector<size_t>{4096, 4096, 4096, 512});
    CHECK(u.uio_resid == 0);
    CHECK(u.uio_loffset == 1024 + 3 * 4096 + 512);
    CHECK(std::memcmp(mem.data(), disk.data() + 1024, 3 * 4096 + 512) == 0);
    CHECK(mem[3 * 4096 + 512] == 0xee);     // nothing past the request

    // Running past the end: the short chunk ends the request.
    struct buf* bp = getrbuf(KM_SLEEP);
    iov = iovec{mem.data(), 4 * 4096};
    u.uio_loffset = 8 * 4096;
    u.uio_resid = 4 * 4096;
    chunks.clear();
    CHECK(physio(ram_strategy, bp, 0, B_READ, minphys, &u) == 0);
    CHECK(chunks == std::vector<size_t>{4096, 4096, 4096});
    CHECK(u.uio_resid == 4 * 4096 - (2 * 4096 + 1024));

    // Starting past the end: EINVAL, nothing moved.
    iov = iovec{mem.data(), 4096};
    u.uio_loffset = 20 * 4096;
    u.uio_resid = 4096;
    chunks.clear();
    CHECK(physio(ram_strategy, bp, 0, B_WRITE, minphys, &u) == EINVAL);
    CHECK(chunks.size() == 1);
    CHECK(u.uio_resid == 4096);
    CHECK(disk.size() == 10 * 4096 + 1024);
    freerbuf(bp);
    plat.join();
    maxphys = saved;
}
