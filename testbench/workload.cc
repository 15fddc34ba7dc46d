#include "workload.h"

#include <algorithm>
#include <cstring>
#include <random>
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
    if (xx_init() != 0 || xxattach(tb.dip(), DDI_ATTACH) != DDI_SUCCESS)
        return st;
    st.attached = true;
    const uint64_t slice = slice_of(tb, w);
    unsigned running = w.threads;
    for (unsigned t = 0; t < w.threads; t++) {
        ddi::platform().spawn("io", ddi::Context::Kernel, [&, t] {
            std::mt19937_64 r(w.seed * 1000003 + t);
            // Two buffers per thread: one physically contiguous, one scattered.
            const uint64_t bytes = w.max_blocks * XX_BLKSIZE;
            uint8_t* contig = tb.alloc(bytes, true, (r() % (4096 / w.align)) * w.align);
            // A scattered buffer starts on a device block boundary within its
            // page: with an engine of SGLLEN 1 every page is a window of its
            // own, and a window must hold whole blocks (dma_attr_granular).
            uint8_t* scattered = tb.alloc(bytes, false, (r() % 8) * XX_BLKSIZE);
            struct buf* bp = getrbuf(KM_SLEEP);
            const uint64_t bad = (t + 1) * slice - 1;
            uint64_t n = w.ios / w.threads + (t < w.ios % w.threads ? 1 : 0);
            for (uint64_t i = 0; i < n; i++) {
                uint64_t nblk = w.min_blocks + r() % (w.max_blocks - w.min_blocks + 1);
                bool fail = w.fail_pct > 0 && r() % 100 < w.fail_pct;
                // Ordinary I/Os stay clear of the failing block at the end of the share.
                uint64_t blk = fail ? bad + 1 - nblk : t * slice + r() % (slice - nblk);
                size_t len = nblk * XX_BLKSIZE;
                bool rd = r() % 100 < w.read_pct;
                uint8_t* buf = r() % 100 < w.scatter_pct ? scattered : contig;
                if (rd) {
                    std::memset(buf, 0, len);
                } else {
                    for (size_t k = 0; k < len; k += 8) {
                        uint64_t v = r();
                        std::memcpy(buf + k, &v, 8);
                    }
                }
                bioreset(bp);
                bp->b_flags = B_BUSY | (rd ? B_READ : B_WRITE);
                bp->b_blkno = static_cast<daddr_t>(blk);
                bp->b_lblkno = blk;
                bp->b_bcount = len;
                bp->b_un.b_addr = reinterpret_cast<caddr_t>(buf);
                bp->b_edev = makedevice(42, 0);
                sb.issue(bp);
                uint64_t t0 = ddi_get_lbolt();
                (void)xxstrategy(bp);
                int err = biowait(bp);
                uint64_t lat = ddi_get_lbolt() - t0;
                st.ios++;
                st.lat_sum += lat;
                st.lat_max = std::max(st.lat_max, lat);
                if (err) {
                    st.errors[err == EIO ? "EIO" : err == EINVAL ? "EINVAL" : "other"]++;
                } else if (rd) {
                    st.reads++;
                    st.bytes_read += len - bp->b_resid;
                } else {
                    st.writes++;
                    st.bytes_written += len - bp->b_resid;
                }
                if (progress)
                    progress(st);
            }
            freerbuf(bp);
            running--;
        });
    }
    while (running > 0)
        delay(10000);
    struct xxstate* xsp = xx_getstate(0);
    mutex_enter(&xsp->mu);
    st.callbacks = xsp->ncallbacks;
    st.portions = xsp->nportions;
    mutex_exit(&xsp->mu);
    (void)tb.detach_driver();
    return st;
}

} // namespace tb
