#include "workload.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "xx/xx.h"

namespace tb {

uint64_t WorkloadStats::error_count() const
{
    uint64_t n = 0;
    for (auto& kv : errors)
        n += kv.second;
    return n;
}

// Each thread owns disk blocks [t * slice, (t + 1) * slice); its last block
// fails when fail_pct > 0, and only the I/Os aimed at it reach it.
static uint64_t slice_of(Testbench& tb, const WorkloadConfig& w) { return tb.sim().disk().nblocks() / w.threads; }

void allow_iopb_writebacks(Testbench& tb)
{
    struct xxstate* xsp = xx_getstate(0);
    if (xsp == nullptr)
        return;
    for (int i = 0; i < xsp->qdepth; i++)
        tb.sim().memory().allow_writes(xsp->slots[i].iopb_paddr + offsetof(xx_iopb, resid), 16);
}

// When each buf completed (lbolt), from its b_iodone: a thread with
// several bufs issued waits for them in issue order, not completion order.
// (Kernel threads are SystemC processes: one runs at a time.)
static std::unordered_map<struct buf*, uint64_t> done_at;

static int workload_iodone(struct buf* bp)
{
    done_at[bp] = ddi_get_lbolt();
    bp->b_iodone = nullptr;     // then biodone does what it does for a plain buf
    biodone(bp);
    return 0;
}

uint64_t workload_part_blocks(Testbench& tb, const WorkloadConfig& w)
{
    return (slice_of(tb, w) - 1) / std::max(1u, w.inflight);
}

void workload_prepare(Testbench& tb, const WorkloadConfig& w)
{
    BlockDisk& disk = tb.sim().disk();
    std::mt19937_64 rng(w.seed);
    std::vector<uint8_t>& d = disk.data();
    for (size_t k = 0; k + 8 <= d.size(); k += 8) {
        uint64_t v = rng();
        std::memcpy(&d[k], &v, 8);
    }
    if (w.fail_pct > 0)
        for (unsigned t = 0; t < w.threads; t++)
            disk.fail_block((t + 1) * slice_of(tb, w) - 1);
}

WorkloadStats workload_run(Testbench& tb, Scoreboard& sb, const WorkloadConfig& w,
                           const std::function<void(const WorkloadStats&)>& progress)
{
    WorkloadStats st;
    const uint64_t part = workload_part_blocks(tb, w);
    if (w.inflight == 0 || part < w.max_blocks)
        throw std::runtime_error("workload: the disk is too small for " + std::to_string(w.threads) +
                                 " threads with " + std::to_string(w.inflight) + " bufs in flight each");
    if (xx_init() != 0 || xxattach(tb.dip(), DDI_ATTACH) != DDI_SUCCESS)
        return st;
    st.attached = true;
    allow_iopb_writebacks(tb);
    const uint64_t slice = slice_of(tb, w);
    // The threads still running, and a condition the last one signals (a
    // poll with delay() would round the run's length up to its period).
    unsigned running = w.threads;
    kmutex_t running_mu;
    kcondvar_t running_cv;
    mutex_init(&running_mu, "workload", MUTEX_DRIVER, nullptr);
    cv_init(&running_cv, "workload", CV_DRIVER, nullptr);
    for (unsigned t = 0; t < w.threads; t++) {
        ddi::platform().spawn("io", ddi::Context::Kernel, [&, t] {
            std::mt19937_64 r(w.seed * 1000003 + t);
            const uint64_t bad = (t + 1) * slice - 1;
            // The thread's share of the disk, less its failing block, is cut in
            // one part per buf in flight, so that bufs in flight never overlap
            // (the scoreboard's image needs that).
            // Per buf in flight: two buffers, one physically contiguous, one
            // scattered, and the buf.
            struct Slot {
                uint8_t *contig, *scattered;
                struct buf* bp;
                uint64_t t0;
                size_t len;
                bool rd, busy;
            };
            std::vector<Slot> slots(w.inflight);
            const uint64_t bytes = w.max_blocks * XX_BLKSIZE;
            for (Slot& s : slots) {
                s.contig = tb.alloc(bytes, true, (r() % (4096 / w.align)) * w.align);
                // A scattered buffer starts on a device block boundary within its
                // page: with an engine of SGLLEN 1 every page is a window of its
                // own, and a window must hold whole blocks (dma_attr_granular).
                s.scattered = tb.alloc(bytes, false, (r() % 8) * XX_BLKSIZE);
                s.bp = getrbuf(KM_SLEEP);
                s.busy = false;
            }
            auto reap = [&](Slot& s) {
                int err = biowait(s.bp);
                uint64_t lat = done_at[s.bp] - s.t0;
                st.last_cycle = std::max(st.last_cycle, done_at[s.bp]);
                s.busy = false;
                st.ios++;
                st.lat_sum += lat;
                st.lat_max = std::max(st.lat_max, lat);
                if (err) {
                    st.errors[err == EIO ? "EIO" : err == EINVAL ? "EINVAL" : "other"]++;
                } else if (s.rd) {
                    st.reads++;
                    st.bytes_read += s.len - s.bp->b_resid;
                } else {
                    st.writes++;
                    st.bytes_written += s.len - s.bp->b_resid;
                }
                if (progress)
                    progress(st);
            };
            uint64_t n = w.ios / w.threads + (t < w.ios % w.threads ? 1 : 0);
            for (uint64_t i = 0; i < n; i++) {
                unsigned k = static_cast<unsigned>(i % w.inflight);
                Slot& s = slots[k];
                if (s.busy)
                    reap(s);    // the oldest buf issued
                uint64_t nblk = w.min_blocks + r() % (w.max_blocks - w.min_blocks + 1);
                // Only the last part's bufs aim at the failing block, which ends
                // it: a failing write may change blocks before the bad one.
                bool fail = w.fail_pct > 0 && r() % 100 < w.fail_pct && k + 1 == w.inflight;
                // Ordinary I/Os stay clear of the failing block at the end of the share.
                uint64_t lo = t * slice + k * part;
                uint64_t blk = fail ? bad + 1 - nblk : lo + r() % (part - nblk + 1);
                s.len = nblk * XX_BLKSIZE;
                s.rd = r() % 100 < w.read_pct;
                uint8_t* buf = r() % 100 < w.scatter_pct ? s.scattered : s.contig;
                if (s.rd) {
                    std::memset(buf, 0, s.len);
                } else {
                    for (size_t b = 0; b < s.len; b += 8) {
                        uint64_t v = r();
                        std::memcpy(buf + b, &v, 8);
                    }
                }
                struct buf* bp = s.bp;
                bioreset(bp);
                bp->b_flags = B_BUSY | (s.rd ? B_READ : B_WRITE);
                bp->b_blkno = static_cast<daddr_t>(blk);
                bp->b_lblkno = blk;
                bp->b_bcount = s.len;
                bp->b_un.b_addr = reinterpret_cast<caddr_t>(buf);
                bp->b_edev = makedevice(42, 0);
                bp->b_iodone = workload_iodone;
                sb.issue(bp);
                s.t0 = ddi_get_lbolt();
                if (st.first_cycle == 0 || s.t0 < st.first_cycle)
                    st.first_cycle = s.t0;
                s.busy = true;
                (void)xxstrategy(bp);
            }
            for (uint64_t i = n; i < n + w.inflight; i++)
                if (slots[i % w.inflight].busy)
                    reap(slots[i % w.inflight]);
            for (Slot& s : slots)
                freerbuf(s.bp);
            mutex_enter(&running_mu);
            if (--running == 0)
                cv_signal(&running_cv);
            mutex_exit(&running_mu);
        });
    }
    mutex_enter(&running_mu);
    while (running > 0)
        cv_wait(&running_cv, &running_mu);
    mutex_exit(&running_mu);
    cv_destroy(&running_cv);
    mutex_destroy(&running_mu);
    struct xxstate* xsp = xx_getstate(0);
    mutex_enter(&xsp->mu);
    st.callbacks = xsp->ncallbacks;
    st.portions = xsp->nportions;
    st.starts = xsp->nstarts;
    st.interrupts = xsp->nintr_claimed;
    st.completions = xsp->ncompletions;
    st.queue_depth = static_cast<unsigned>(xsp->qdepth);
    mutex_exit(&xsp->mu);
    (void)tb.detach_driver();
    return st;
}

} // namespace tb
