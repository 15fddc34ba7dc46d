// dmasim: the main job. Co-simulates the xx driver on the verilated engine
// with a random block workload from several kernel threads, checks every
// byte against a shadow of the disk, and prints what it did.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "testbench.h"
#include "xx/xx.h"

using namespace tb;

namespace {

struct Options {
    uint64_t ios = 200;
    uint64_t seed = 1;
    unsigned threads = 2;
    uint64_t max_blocks = 64;       // largest I/O, in 512-byte blocks
    std::string waves;
};

[[noreturn]] void usage_error(const std::string& msg)
{
    std::fprintf(stderr, "dmasim: %s (see --help)\n", msg.c_str());
    std::exit(2);
}

uint64_t number(const char* opt, const char* v, uint64_t lo, uint64_t hi)
{
    char* end = nullptr;
    uint64_t n = std::strtoull(v, &end, 0);
    if (!*v || *end || n < lo || n > hi)
        usage_error(std::string(opt) + " wants a number from " + std::to_string(lo) + " to " +
                    std::to_string(hi) + ", not '" + v + "'");
    return n;
}

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto val = [&]() -> const char* {
            if (i + 1 >= argc)
                usage_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            std::printf(
                "usage: dmasim [options]\n"
                "  --ios N         I/Os to issue in all (default 200)\n"
                "  --threads N     kernel threads issuing them (1-16, default 2)\n"
                "  --max-blocks N  largest I/O in 512-byte blocks (1-2048, default 64)\n"
                "  --seed N        workload and model seed (default 1; DMA_SEED also works)\n"
                "  --waves FILE    write an FST of the whole run\n");
            std::exit(0);
        } else if (a == "--ios") {
            o.ios = number("--ios", val(), 1, 10'000'000);
        } else if (a == "--threads") {
            o.threads = static_cast<unsigned>(number("--threads", val(), 1, 16));
        } else if (a == "--max-blocks") {
            o.max_blocks = number("--max-blocks", val(), 1, 2048);
        } else if (a == "--seed") {
            o.seed = number("--seed", val(), 0, UINT64_MAX);
        } else if (a == "--waves") {
            o.waves = val();
        } else {
            usage_error("unknown option '" + a + "'");
        }
    }
    return o;
}

struct Stats {
    uint64_t ios = 0, reads = 0, writes = 0, bytes_read = 0, bytes_written = 0;
    uint64_t errors = 0, mismatches = 0;
    uint64_t lat_sum = 0, lat_max = 0;
};

} // namespace

int sc_main(int argc, char** argv)
{
    Options o = parse(argc, argv);
    if (const char* s = std::getenv("DMA_SEED"))
        o.seed = number("DMA_SEED", s, 0, UINT64_MAX);

    TestbenchConfig cfg;
    cfg.name = "dmasim";
    cfg.seed = o.seed;
    cfg.waves.path = o.waves;
    Testbench tb(cfg);

    // Each thread owns a slice of the disk, so the shadow copy is exact.
    std::vector<uint8_t>& disk = tb.sim().disk().data();
    std::mt19937_64 rng(o.seed);
    for (auto& b : disk)
        b = static_cast<uint8_t>(rng());
    std::vector<uint8_t> shadow = disk;
    const uint64_t slice = tb.sim().disk().nblocks() / o.threads;
    if (o.max_blocks > slice)
        usage_error("--max-blocks is larger than a thread's share of the disk");

    Stats st;
    unsigned running = o.threads;
    bool ok = tb.run([&] {
        if (xx_init() != 0 || xxattach(tb.dip(), DDI_ATTACH) != DDI_SUCCESS) {
            std::fprintf(stderr, "dmasim: xxattach failed\n");
            running = 0;
            return;
        }
        for (unsigned t = 0; t < o.threads; t++) {
            ddi::platform().spawn("io", ddi::Context::Kernel, [&, t] {
                std::mt19937_64 r(o.seed * 1000003 + t);
                uint8_t* buf = tb.alloc(o.max_blocks * XX_BLKSIZE);
                struct buf* bp = getrbuf(KM_SLEEP);
                uint64_t n = o.ios / o.threads + (t < o.ios % o.threads ? 1 : 0);
                for (uint64_t i = 0; i < n; i++) {
                    uint64_t nblk = 1 + r() % o.max_blocks;
                    uint64_t blk = t * slice + r() % (slice - nblk + 1);
                    size_t len = nblk * XX_BLKSIZE;
                    bool rd = r() % 2;
                    uint8_t* where = &shadow[blk * XX_BLKSIZE];
                    if (rd)
                        std::memset(buf, 0, len);
                    else
                        for (size_t k = 0; k < len; k++)
                            buf[k] = static_cast<uint8_t>(r());
                    bioreset(bp);
                    bp->b_flags = B_BUSY | (rd ? B_READ : B_WRITE);
                    bp->b_blkno = static_cast<daddr_t>(blk);
                    bp->b_bcount = len;
                    bp->b_un.b_addr = reinterpret_cast<caddr_t>(buf);
                    bp->b_edev = makedevice(42, 0);
                    uint64_t t0 = ddi_get_lbolt();
                    (void)xxstrategy(bp);
                    int err = biowait(bp);
                    uint64_t lat = ddi_get_lbolt() - t0;
                    st.ios++;
                    st.lat_sum += lat;
                    st.lat_max = std::max(st.lat_max, lat);
                    if (err || bp->b_resid) {
                        st.errors++;
                        continue;
                    }
                    if (rd) {
                        st.reads++;
                        st.bytes_read += len;
                        if (std::memcmp(buf, where, len) != 0)
                            st.mismatches++;
                    } else {
                        st.writes++;
                        st.bytes_written += len;
                        std::memcpy(where, buf, len);
                    }
                }
                freerbuf(bp);
                running--;
            });
        }
        while (running > 0)
            delay(10000);
        (void)xxdetach(tb.dip(), DDI_DETACH);
    });

    bool disk_ok = disk == shadow;
    uint64_t cycles = tb.sim().cycle();
    double secs = tb.wall_seconds();
    uint64_t beats = tb.sim().data_beats();
    std::printf("dmasim: %" PRIu64 " I/Os on %u threads, seed %" PRIu64 "\n", st.ios, o.threads, o.seed);
    std::printf("  reads        %8" PRIu64 "  %10" PRIu64 " bytes\n", st.reads, st.bytes_read);
    std::printf("  writes       %8" PRIu64 "  %10" PRIu64 " bytes\n", st.writes, st.bytes_written);
    std::printf("  errors       %8" PRIu64 "\n", st.errors);
    std::printf("  latency      avg %" PRIu64 " cycles, worst %" PRIu64 " cycles (xxstrategy to biodone)\n",
                st.ios ? st.lat_sum / st.ios : 0, st.lat_max);
    std::printf("  interrupts   %8" PRIu64 "\n", tb.platform().interrupts_taken());
    std::printf("  register I/O %8" PRIu64 " accesses, %.1f cycles each\n", tb.platform().bus_accesses(),
                tb.platform().bus_accesses() ? double(tb.platform().bus_cycles()) / tb.platform().bus_accesses() : 0.0);
    std::printf("  memory bus   %8" PRIu64 " data beats in %" PRIu64 " cycles (%.1f%% of cycles)\n", beats,
                cycles, cycles ? 100.0 * beats / cycles : 0.0);
    std::printf("  simulated    %" PRIu64 " cycles (%.3f ms at 100 MHz) in %.2f s: %.2f M cycles/s\n", cycles,
                cycles / 1e5, secs, secs > 0 ? cycles / secs / 1e6 : 0.0);
    bool pass = ok && st.ios == o.ios && st.errors == 0 && st.mismatches == 0 && disk_ok;
    std::printf("  checks       %s (data mismatches %" PRIu64 ", disk %s)\n", pass ? "passed" : "FAILED",
                st.mismatches, disk_ok ? "matches its shadow" : "DIFFERS from its shadow");
    std::printf("  replay       %s --seed %" PRIu64 " --ios %" PRIu64 " --threads %u --max-blocks %" PRIu64 "\n",
                argv[0], o.seed, o.ios, o.threads, o.max_blocks);
    if (!o.waves.empty())
        std::printf("  waves        gtkwave %s waves/dma.gtkw\n", o.waves.c_str());
    return pass ? 0 : 1;
}
