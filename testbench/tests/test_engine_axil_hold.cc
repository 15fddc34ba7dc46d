// AXI4-Lite reads of the scatter-gather list while the engine holds them
// (a command completing, a SOFT_RESET waiting for the bus to drain), with the
// master driving garbage on ARADDR/AWADDR/WDATA once each handshake is done,
// as AXI4-Lite allows: every read must return the word at the address the
// engine accepted (0 once a SOFT_RESET has cleared the list), never the word
// at whatever ARADDR shows later. Random; replay with DMA_SEED.
#include "engine_rig.h"

#include <map>

using namespace tb;

namespace {

constexpr unsigned kWords = 8;   // list entries written (entries in use: fewer)

// A value no other list word has: its entry and word in it.
uint32_t mark(unsigned entry, uint32_t word, uint32_t salt)
{
    return 0xa5000000u | (salt & 0xff) << 16 | entry << 8 | word;
}

} // namespace

TEST_CASE("engine: a held AXI4-Lite list read returns the word accepted, with ARADDR changed after AR", "[engine][sg][axil]")
{
    uint64_t seed = test_seed(0x51a1d);
    Testbench tb(stressed_config(seed));
    tb.sim().regs().set_scramble(seed | 1);
    std::mt19937_64 rng(seed);
    unsigned reads = 0, zero_reads = 0;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        REQUIRE(XX_CAP2_SGLLEN(r.rd(XX_REG_CAP2)) >= kWords);
        for (unsigned round = 0; round < 24; round++) {
            bool reset = round % 3 == 2;
            unsigned n = 1 + static_cast<unsigned>(rng() % 4);
            SgList list(tb, n, 4, 32, rng);
            list.fill(rng);
            // what each list word reads: the entries in use, then marks
            std::map<uint32_t, uint32_t> want;
            for (unsigned i = 0; i < kWords; i++) {
                uint32_t base = XX_REG_SGLIST + i * XX_SG_STRIDE;
                if (i < n) {
                    uint64_t pa = paddr_of(tb, list.seg(i));
                    want[base + XX_SG_ADDR] = static_cast<uint32_t>(pa);
                    want[base + XX_SG_ADDR_HI] = static_cast<uint32_t>(pa >> 32);
                    want[base + XX_SG_SIZE] = list.sizes[i];
                } else {
                    for (uint32_t w : {XX_SG_ADDR, XX_SG_ADDR_HI, XX_SG_SIZE})
                        want[base + w] = mark(i, w, round);
                }
                for (uint32_t w : {XX_SG_ADDR, XX_SG_ADDR_HI, XX_SG_SIZE})
                    r.wr(base + w, want[base + w]);
            }
            // (addr_hi reads 0 without ADDR64, size has LEN_WIDTH bits: what
            // an idle read returns is the reference; the addr words are
            // kept whole, and distinct)
            for (auto& [off, v] : want) {
                uint32_t got = r.rd(off);
                if ((off & 0xc) == XX_SG_ADDR)
                    REQUIRE(got == v);
                v = got;
            }
            r.wr(XX_REG_SG_COUNT, n);
            r.start(rng() & 1 ? XX_CTL_DIR_READ : XX_CTL_DIR_WRITE, static_cast<uint32_t>(rng() % 64), 0);
            if (reset) {
                delay(static_cast<unsigned>(rng() % 40));
                r.wr8(XX_REG_CSR, CSR_SOFT_RESET);
            }
            // list reads back to back across the completion (or the reset)
            bool cleared = false;
            uint64_t t0 = tb.sim().cycle();
            for (unsigned k = 0; k < 400; k++) {
                auto it = want.begin();
                std::advance(it, static_cast<long>(rng() % want.size()));
                uint32_t v = r.rd(it->first);
                reads++;
                if (reset && v == 0 && it->second != 0)
                    cleared = true;
                if (v != (cleared ? 0u : it->second)) {
                    FAIL("seed " << seed << " round " << round << (reset ? " (SOFT_RESET)" : "")
                         << " cycle " << tb.sim().cycle() << ": list word 0x" << std::hex << it->first
                         << " read 0x" << v << ", want 0x" << (cleared ? 0u : it->second));
                }
                zero_reads += cleared;
                if (k > 40 && !(r.csr() & CSR_BUSY))
                    break;
            }
            REQUIRE(tb.sim().cycle() - t0 < 1'000'000);
            if (reset) {
                r.wait_idle();
                for (auto& [off, v] : want)
                    CHECK(r.rd(off) == 0);
                r.clear();
            } else {
                r.wait_done();
                r.clear();
                for (auto& [off, v] : want)
                    CHECK(r.rd(off) == v);
            }
        }
    }));
    std::printf("%u list reads (%u after a SOFT_RESET cleared the list)\n", reads, zero_reads);
    CHECK(zero_reads > 0);
}
