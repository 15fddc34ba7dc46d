// The register scatter-gather list (seed 001's sglist[SGLLEN]) in both
// directions, byte for byte, under random backpressure; id, cap and cap2.
#include "engine_rig.h"

using namespace tb;

TEST_CASE("engine: id, cap and cap2 describe the hardware", "[engine]")
{
    Testbench tb(named_config());
    uint32_t id = 0, cap = 0, cap2 = 0, sgl_last = 0, past = 0;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        id = r.rd(XX_REG_ID);
        cap = r.rd(XX_REG_CAP);
        cap2 = r.rd(XX_REG_CAP2);
        // the last entry of the list is a register, the one after is not
        unsigned n = XX_CAP2_SGLLEN(cap2);
        r.wr(XX_REG_SGLIST + (n - 1) * XX_SG_STRIDE + XX_SG_SIZE, 0x1230);
        sgl_last = r.rd(XX_REG_SGLIST + (n - 1) * XX_SG_STRIDE + XX_SG_SIZE);
        r.wr(XX_REG_SGLIST + n * XX_SG_STRIDE + XX_SG_SIZE, 0x4560);
        past = r.rd(XX_REG_SGLIST + n * XX_SG_STRIDE + XX_SG_SIZE);
    }));
    CHECK(id == (XX_ID_MAGIC << 8 | XX_ID_VERSION));
    CHECK((1u << XX_CAP_DW_LOG2(cap)) == tb.sim().data_bytes());
    CHECK(XX_CAP_SGLLEN(cap) == 0);           // kept 0 for register-mode drivers: see cap2
    CHECK(XX_CAP2_SGLLEN(cap2) == 16);        // the default SGLLEN
    CHECK(XX_CAP2_OUTSTANDING(cap2) == 4);
    CHECK(XX_CAP2_QUEUE_DEPTH(cap2) == 4);    // the default QUEUE_DEPTH
    CHECK(sgl_last == 0x1230);
    CHECK(past == 0);
}

namespace {

// One scatter-gather command in direction `dir`, random segments.
void sg_round_trip(uint32_t dir, uint64_t seed_default, bool any_byte = false)
{
    uint64_t seed = test_seed(seed_default);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    const unsigned bytes = tb.sim().data_bytes();
    fill_random(&tb.sim().disk().data()[0], tb.sim().disk().data().size(), rng);
    const std::vector<uint8_t> disk0 = tb.sim().disk().data();

    constexpr int ROUNDS = 4;
    std::vector<std::unique_ptr<SgList>> lists;
    std::vector<uint32_t> blocks, resid(ROUNDS), xfer(ROUNDS);
    std::vector<uint8_t> csr(ROUNDS), err(ROUNDS);
    std::vector<std::vector<uint8_t>> before(ROUNDS);
    for (int k = 0; k < ROUNDS; k++) {
        unsigned n = 1 + static_cast<unsigned>(rng() % 16);
        if (k == 0)
            n = 16;     // the whole list once
        if (any_byte)
            lists.push_back(std::make_unique<SgList>(tb, n, 1, 700, rng, 2 * bytes - 1));
        else
            lists.push_back(std::make_unique<SgList>(tb, n, bytes, 600 / bytes, rng));
        lists.back()->fill(rng);
        before[k] = lists.back()->gather();
        blocks.push_back(static_cast<uint32_t>(k * 256 + rng() % 64));
    }
    REQUIRE(tb.run([&] {
        Regs r{tb};
        for (int k = 0; k < ROUNDS; k++) {
            lists[k]->program(tb, r);
            r.start(dir, blocks[k], 0);
            csr[k] = r.wait_done();
            err[k] = r.err();
            resid[k] = r.rd(XX_REG_RESID);
            xfer[k] = r.rd(XX_REG_XFER_COUNT);
            r.clear();
        }
    }));
    const std::vector<uint8_t>& disk = tb.sim().disk().data();
    for (int k = 0; k < ROUNDS; k++) {
        INFO("round " << k << ", " << lists[k]->bufs.size() << " segments, " << lists[k]->total << " bytes");
        CHECK((csr[k] & (INTERRUPTING | DEVICE_ERROR | CSR_BUSY)) == INTERRUPTING);
        CHECK(err[k] == 0);
        CHECK(resid[k] == 0);
        CHECK(xfer[k] == lists[k]->total);
        const uint64_t off = uint64_t(blocks[k]) * 512;
        std::vector<uint8_t> mem = lists[k]->gather();
        if (dir == XX_CTL_DIR_READ) {
            CHECK(std::memcmp(mem.data(), &disk0[off], mem.size()) == 0);
        } else {
            CHECK(std::memcmp(&disk[off], before[k].data(), before[k].size()) == 0);
            CHECK(mem == before[k]);    // memory only read
        }
        CHECK(lists[k]->guards_intact());
    }
    if (dir == XX_CTL_DIR_WRITE) {
        // nothing on the disk changed outside what the commands wrote
        std::vector<uint8_t> expect = disk0;
        for (int k = 0; k < ROUNDS; k++)
            std::memcpy(&expect[uint64_t(blocks[k]) * 512], before[k].data(), before[k].size());
        CHECK(disk == expect);
    }
}

} // namespace

TEST_CASE("engine: a scatter-gather read (device to memory) fills every segment", "[engine][sg]")
{
    sg_round_trip(XX_CTL_DIR_READ, 101);
}

TEST_CASE("engine: a scatter-gather write (memory to device) gathers every segment", "[engine][sg]")
{
    sg_round_trip(XX_CTL_DIR_WRITE, 102);
}

TEST_CASE("engine: a scatter-gather read to any byte address and length realigns in one pass", "[engine][sg][unaligned]")
{
    sg_round_trip(XX_CTL_DIR_READ, 103, true);
}

TEST_CASE("engine: a scatter-gather write from any byte address and length realigns in one pass", "[engine][sg][unaligned]")
{
    sg_round_trip(XX_CTL_DIR_WRITE, 104, true);
}

TEST_CASE("engine: a bad list fails with BAD_CMD before anything reaches the bus", "[engine][sg]")
{
    Testbench tb(named_config());
    const unsigned bytes = tb.sim().data_bytes();
    GuardedBuffer a(tb, 1024), b(tb, 1024);
    std::memset(a.data, 0x5a, 1024);
    struct Case { const char* what; uint32_t count; uint32_t size1; bool wrap; };
    std::vector<Case> cases = {
        {"zero-size entry", 2, 0, false},
        {"entry wrapping the address space", 2, 512, true},
        {"count past SGLLEN", 17, 512, false},
    };
    std::vector<uint8_t> errs(cases.size()), csrs(cases.size());
    std::vector<uint32_t> resids(cases.size());
    uint8_t ok_err = 0xff;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        for (size_t i = 0; i < cases.size(); i++) {
            r.sg_entry(0, paddr_of(tb, a.data), 512);
            // 256 bytes below the top of the address space (32 or 64 bits)
            uint64_t top = XX_CAP_ADDR64(r.rd(XX_REG_CAP)) ? ~0ull : 0xffffffffull;
            r.sg_entry(1, cases[i].wrap ? top - 0xff : paddr_of(tb, b.data), cases[i].size1);
            r.wr(XX_REG_SG_COUNT, cases[i].count);
            r.start(XX_CTL_DIR_READ, 0, 0);
            csrs[i] = r.wait_done();
            errs[i] = r.err();
            resids[i] = r.rd(XX_REG_RESID);
            r.clear();
        }
        // and the engine still works
        r.sg_entry(1, paddr_of(tb, b.data), 512);
        r.wr(XX_REG_SG_COUNT, 2);
        r.start(XX_CTL_DIR_READ, 0, 0);
        r.wait_done();
        ok_err = r.err();
    }));
    (void)bytes;
    for (size_t i = 0; i < cases.size(); i++) {
        INFO(cases[i].what);
        CHECK((csrs[i] & (INTERRUPTING | DEVICE_ERROR | CSR_BUSY)) == (INTERRUPTING | DEVICE_ERROR));
        CHECK(XX_ERR_CODE(errs[i]) == XX_ERR_BAD_CMD);
    }
    CHECK(resids[0] == 512);    // the total of the entries in use
    CHECK(tb.sim().disk().commands() == 1);     // only the good command
    CHECK(ok_err == 0);
    CHECK(std::memcmp(a.data, &tb.sim().disk().data()[0], 512) == 0);
    CHECK(a.guards_intact());
    CHECK(b.guards_intact());
}
