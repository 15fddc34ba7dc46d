// The engine's control features through its registers: data errors on a
// segment, abort, soft reset, writes while busy, the protection window and
// the interrupt causes with their mask. Random backpressure everywhere.
#include "engine_rig.h"

using namespace tb;

TEST_CASE("engine: a memory error in a later segment reports where, and the engine goes on", "[engine][errors]")
{
    uint64_t seed = test_seed(201);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    const unsigned bytes = tb.sim().data_bytes();
    fill_random(&tb.sim().disk().data()[0], 64 * 512, rng);
    SgList wl(tb, 4, 512, 2, rng);      // memory to device
    SgList rl(tb, 4, 512, 2, rng);      // device to memory
    for (GuardedBuffer& b : wl.bufs)
        fill_random(b.data, b.len, rng);
    for (GuardedBuffer& b : rl.bufs)
        std::memset(b.data, 0x3c, b.len);
    // a failing beat in the third segment of each list
    uint64_t wbad = paddr_of(tb, wl.bufs[2].data) + 8 * bytes;
    uint64_t rbad = paddr_of(tb, rl.bufs[2].data) + 8 * bytes;
    tb.sim().memory().add_error_range(wbad, wbad + bytes - 1, 2 /* SLVERR */);
    tb.sim().memory().add_error_range(rbad, rbad + bytes - 1, 3 /* DECERR */);
    uint8_t werr = 0, rerr = 0, aerr = 0xff;
    uint32_t wres = 0, rres = 0, wx = 0, rx = 0;
    uint64_t wfault = 0, rfault = 0;
    GuardedBuffer ok(tb, 1024);
    REQUIRE(tb.run([&] {
        Regs r{tb};
        wl.program(tb, r);
        r.start(XX_CTL_DIR_WRITE, 8, 0);
        r.wait_done();
        werr = r.err();
        wres = r.rd(XX_REG_RESID);
        wx = r.rd(XX_REG_XFER_COUNT);
        wfault = r.rd(XX_REG_FAULT_ADDR) | uint64_t(r.rd(XX_REG_FAULT_ADDR_HI)) << 32;
        r.clear();
        rl.program(tb, r);
        r.start(XX_CTL_DIR_READ, 16, 0);
        r.wait_done();
        rerr = r.err();
        rres = r.rd(XX_REG_RESID);
        rx = r.rd(XX_REG_XFER_COUNT);
        rfault = r.rd(XX_REG_FAULT_ADDR) | uint64_t(r.rd(XX_REG_FAULT_ADDR_HI)) << 32;
        r.clear();
        // usable at once, in single-segment mode again
        r.wr(XX_REG_SG_COUNT, 0);
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, ok.data)));
        r.wr(XX_REG_DMA_SIZE, 1024);
        r.start(XX_CTL_DIR_READ, 0, 0);
        r.wait_done();
        aerr = r.err();
    }));
    const uint32_t before_bad = wl.sizes[0] + wl.sizes[1] + 8 * bytes;
    CHECK(XX_ERR_CODE(werr) == XX_ERR_DATA_READ);
    CHECK(wfault == wbad);
    CHECK(wx <= before_bad);
    CHECK(wres == wl.total - wx);
    CHECK(XX_ERR_CODE(rerr) == XX_ERR_DATA_WRITE);
    // the failing burst's start address, in the third segment, at or before the beat
    CHECK(rfault <= rbad);
    CHECK(rfault >= paddr_of(tb, rl.bufs[2].data));
    CHECK(rres == rl.total - rx);
    CHECK(rx <= rl.sizes[0] + rl.sizes[1] + 8 * bytes);
    // what was reported transferred is right in memory
    std::vector<uint8_t> got = rl.gather();
    CHECK(std::memcmp(got.data(), &tb.sim().disk().data()[16 * 512], rx) == 0);
    CHECK(aerr == 0);
    CHECK(std::memcmp(ok.data, &tb.sim().disk().data()[0], 1024) == 0);
    CHECK(wl.guards_intact());
    CHECK(rl.guards_intact());
}

namespace {

// Abort a long command part way; check the residual, that no memory write
// happens after the engine reports the abort, and that it works after.
void abort_case(uint32_t dir, uint64_t seed_default)
{
    uint64_t seed = test_seed(seed_default);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], tb.sim().disk().data().size(), rng);
    const std::vector<uint8_t> disk0 = tb.sim().disk().data();
    // odd lengths at odd addresses: the abort must also stop the realigner
    // cleanly
    SgList l(tb, 8, 4097, 4, rng, 2 * tb.sim().data_bytes() - 1);
    for (size_t i = 0; i < l.sizes.size(); i++)
        std::memset(l.seg(i), 0x77, l.sizes[i]);
    std::vector<uint8_t> before = l.gather();
    uint64_t last_write = 0;
    tb.sim().memory().on_write = [&](uint64_t, uint64_t) { last_write = tb.sim().cycle(); };
    uint8_t csr = 0, err = 0, err2 = 0xff;
    uint32_t resid = 0, xfer = 0;
    uint64_t done_at = 0;
    uint64_t abort_after = 200 + rng() % 2000;
    GuardedBuffer ok(tb, 2048);
    REQUIRE(tb.run([&] {
        Regs r{tb};
        l.program(tb, r);
        r.start(dir, 100, 0);
        delay(abort_after);
        r.wr8(XX_REG_CSR, CSR_ABORT);
        csr = r.wait_done();
        done_at = tb.sim().cycle();
        err = r.err();
        resid = r.rd(XX_REG_RESID);
        xfer = r.rd(XX_REG_XFER_COUNT);
        r.clear();
        delay(2000);    // anything still to come would have come
        r.wr(XX_REG_SG_COUNT, 0);
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, ok.data)));
        r.wr(XX_REG_DMA_SIZE, 2048);
        tb.sim().memory().on_write = nullptr;
        r.start(XX_CTL_DIR_READ, 3000, 0);
        r.wait_done();
        err2 = r.err();
    }));
    INFO("abort after " << abort_after << " cycles, " << l.total << " bytes");
    CHECK((csr & (INTERRUPTING | DEVICE_ERROR | CSR_BUSY)) == (INTERRUPTING | DEVICE_ERROR));
    CHECK(XX_ERR_CODE(err) == XX_ERR_ABORTED);
    CHECK(xfer < l.total);
    CHECK(resid == l.total - xfer);
    CHECK(last_write <= done_at);
    std::vector<uint8_t> mem = l.gather();
    if (dir == XX_CTL_DIR_READ) {
        // the bytes reported transferred are there; none past them was written
        CHECK(std::memcmp(mem.data(), &disk0[100 * 512], xfer) == 0);
        CHECK(std::equal(mem.begin() + xfer, mem.end(), before.begin() + xfer));
    } else {
        CHECK(std::memcmp(&tb.sim().disk().data()[100 * 512], before.data(), xfer) == 0);
        CHECK(mem == before);
    }
    CHECK(err2 == 0);
    CHECK(std::memcmp(ok.data, &disk0[3000 * 512], 2048) == 0);
    CHECK(l.guards_intact());
}

} // namespace

TEST_CASE("engine: abort of a read stops after the bursts on the bus, with the residual", "[engine][abort]")
{
    abort_case(XX_CTL_DIR_READ, 301);
}

TEST_CASE("engine: abort of a write stops after the bursts on the bus, with the residual", "[engine][abort]")
{
    abort_case(XX_CTL_DIR_WRITE, 302);
}

TEST_CASE("engine: writes to command registers while busy are ignored and flagged", "[engine]")
{
    uint64_t seed = test_seed(401);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 64 * 512, rng);
    GuardedBuffer b(tb, 16384), other(tb, 512);
    std::memset(other.data, 0x99, 512);
    uint32_t addr_seen = 0, size_seen = 0, sg_seen = 0;
    uint8_t err_busy = 0, err_after = 0xff, err_cleared = 0xff;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, b.data)));
        r.wr(XX_REG_DMA_SIZE, 16384);
        r.start(XX_CTL_DIR_READ, 0, 0);
        // while BUSY: all of these are ignored
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, other.data)));
        r.wr(XX_REG_DMA_SIZE, 512);
        r.wr(XX_REG_SG_COUNT, 3);
        r.sg_entry(0, paddr_of(tb, other.data), 512);
        r.wr8(XX_REG_CSR, START_TRANSFER);
        err_busy = r.err();
        addr_seen = r.rd(XX_REG_DMA_ADDR);
        size_seen = r.rd(XX_REG_DMA_SIZE);
        sg_seen = r.rd(XX_REG_SG_COUNT);
        r.wait_done();
        err_after = r.err();
        r.clear();
        err_cleared = r.err();
    }));
    CHECK((err_busy & XX_ERR_IGNORED) != 0);
    CHECK(addr_seen == static_cast<uint32_t>(paddr_of(tb, b.data)));
    CHECK(size_seen == 16384);
    CHECK(sg_seen == 0);
    CHECK(err_after == XX_ERR_IGNORED);     // flagged, and the command was fine
    CHECK(err_cleared == 0);
    CHECK(std::memcmp(b.data, &tb.sim().disk().data()[0], 16384) == 0);
    for (size_t i = 0; i < 512; i++)
        if (other.data[i] != 0x99) {
            FAIL("byte " << i << " of the buffer named while busy changed");
            break;
        }
    CHECK(tb.sim().disk().commands() == 1);
    CHECK(b.guards_intact());
}

TEST_CASE("engine: the protection window fails a command outside it before the bus, and locks", "[engine][prot]")
{
    uint64_t seed = test_seed(501);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 64 * 512, rng);
    GuardedBuffer in(tb, 4096), out(tb, 4096);
    std::memset(out.data, 0x42, 4096);
    const uint64_t lo = paddr_of(tb, in.data), hi = lo + 4096;
    uint8_t err_out = 0, err_in = 0xff, err_lock = 0, err_edge = 0, err_base = 0;
    uint64_t fault = 0;
    uint32_t base_after = 0, ctl_after = 0, ctl_soft = 0;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_PROT_BASE, static_cast<uint32_t>(lo));
        r.wr(XX_REG_PROT_BASE_HI, static_cast<uint32_t>(lo >> 32));
        r.wr(XX_REG_PROT_LIMIT, static_cast<uint32_t>(hi));
        r.wr(XX_REG_PROT_LIMIT_HI, static_cast<uint32_t>(hi >> 32));
        r.wr(XX_REG_PROT_CTL, XX_PROT_ENABLE | XX_PROT_LOCK);
        // second segment outside
        r.sg_entry(0, lo, 512);
        r.sg_entry(1, paddr_of(tb, out.data), 512);
        r.wr(XX_REG_SG_COUNT, 2);
        r.start(XX_CTL_DIR_READ, 0, 0);
        r.wait_done();
        err_out = r.err();
        fault = r.rd(XX_REG_FAULT_ADDR) | uint64_t(r.rd(XX_REG_FAULT_ADDR_HI)) << 32;
        r.clear();
        // one byte past the limit (the engine takes any byte length)
        r.sg_entry(1, lo + 512, 4096 - 512 + 1);
        r.start(XX_CTL_DIR_READ, 0, 0);
        r.wait_done();
        err_edge = r.err();
        r.clear();
        // one byte before the base
        r.sg_entry(0, lo - 1, 513);
        r.start(XX_CTL_DIR_READ, 0, 0);
        r.wait_done();
        err_base = r.err();
        r.clear();
        // the whole window, to the byte: fine
        r.sg_entry(0, lo, 512);
        r.sg_entry(1, lo + 512, 4096 - 512);
        r.start(XX_CTL_DIR_READ, 0, 0);
        r.wait_done();
        err_in = r.err();
        r.clear();
        // locked: the window cannot be moved or opened
        r.wr(XX_REG_PROT_BASE, 0);
        r.wr(XX_REG_PROT_CTL, 0);
        err_lock = r.err();
        base_after = r.rd(XX_REG_PROT_BASE);
        ctl_after = r.rd(XX_REG_PROT_CTL);
        // nor by a soft reset
        r.wr8(XX_REG_CSR, CSR_SOFT_RESET);
        ctl_soft = r.rd(XX_REG_PROT_CTL);
    }));
    CHECK(XX_ERR_CODE(err_out) == XX_ERR_PROTECTION);
    CHECK(fault == paddr_of(tb, out.data));
    CHECK(XX_ERR_CODE(err_edge) == XX_ERR_PROTECTION);
    CHECK(XX_ERR_CODE(err_base) == XX_ERR_PROTECTION);
    CHECK(err_in == 0);
    CHECK(tb.sim().disk().commands() == 1);     // only the good one
    CHECK(std::memcmp(in.data, &tb.sim().disk().data()[0], 4096) == 0);
    for (size_t i = 0; i < 4096; i++)
        if (out.data[i] != 0x42) {
            FAIL("byte " << i << " outside the window changed");
            break;
        }
    CHECK((err_lock & XX_ERR_IGNORED) != 0);
    CHECK(base_after == static_cast<uint32_t>(lo));
    CHECK(ctl_after == (XX_PROT_ENABLE | XX_PROT_LOCK));
    CHECK(ctl_soft == (XX_PROT_ENABLE | XX_PROT_LOCK));
    CHECK(in.guards_intact());
    CHECK(out.guards_intact());
}

TEST_CASE("engine: soft reset puts the registers back, and stops a running command quietly", "[engine][reset]")
{
    uint64_t seed = test_seed(601);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 256 * 512, rng);
    GuardedBuffer b(tb, 65536), ok(tb, 1024);
    uint64_t last_write = 0;
    tb.sim().memory().on_write = [&](uint64_t, uint64_t) { last_write = tb.sim().cycle(); };
    uint32_t size = 1, sg = 1, mask = 0, ctl = 1, irqs = 1;
    uint8_t csr_idle = 0xff, err2 = 0xff;
    uint64_t idle_at = 0;
    bool irq_seen = false;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_IRQ_MASK, XX_IRQ_ERROR);
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, b.data)));
        r.wr(XX_REG_DMA_SIZE, 65536);
        r.start(XX_CTL_DIR_READ, 0, ENABLE_INTERRUPTS);
        delay(1500);
        r.wr8(XX_REG_CSR, CSR_SOFT_RESET);
        uint64_t t0 = tb.sim().cycle();
        while (r.csr() & CSR_BUSY) {
            irq_seen = irq_seen || tb.sim().irq();
            REQUIRE(tb.sim().cycle() - t0 < 1'000'000);
            delay(10);
        }
        idle_at = tb.sim().cycle();
        delay(500);
        irq_seen = irq_seen || tb.sim().irq();
        csr_idle = r.csr();
        size = r.rd(XX_REG_DMA_SIZE);
        sg = r.rd(XX_REG_SG_COUNT);
        mask = r.rd(XX_REG_IRQ_MASK);
        ctl = r.rd(XX_REG_DMA_CTL);
        irqs = r.rd(XX_REG_IRQ_STATUS);
        tb.sim().memory().on_write = nullptr;
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, ok.data)));
        r.wr(XX_REG_DMA_SIZE, 1024);
        r.start(XX_CTL_DIR_READ, 200, 0);
        r.wait_done();
        err2 = r.err();
    }));
    CHECK(!irq_seen);                 // a reset is not a completion
    CHECK(csr_idle == 0);
    CHECK(size == 0);
    CHECK(sg == 0);
    CHECK(mask == (XX_IRQ_DONE | XX_IRQ_ERROR | XX_IRQ_QUEUE));
    CHECK(ctl == 0);
    CHECK(irqs == 0);
    CHECK(last_write <= idle_at);
    CHECK(err2 == 0);
    CHECK(std::memcmp(ok.data, &tb.sim().disk().data()[200 * 512], 1024) == 0);
    CHECK(b.guards_intact());
}

TEST_CASE("engine: interrupt causes are separate, masked, and cleared by one write", "[engine][irq]")
{
    uint64_t seed = test_seed(701);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 64 * 512, rng);
    GuardedBuffer b(tb, 2048);
    tb.sim().disk().fail_block(40);
    struct Seen { uint32_t status; uint8_t csr; bool irq; };
    Seen done_masked{}, done_unmasked{}, after_w1c{}, error_only{}, both{};
    uint32_t status_after_err_w1c = 0xff;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, b.data)));
        r.wr(XX_REG_DMA_SIZE, 2048);
        // DONE masked: a good command sets the cause but not INTERRUPTING
        r.wr(XX_REG_IRQ_MASK, XX_IRQ_ERROR);
        r.start(XX_CTL_DIR_READ, 0, ENABLE_INTERRUPTS);
        r.wait_idle();
        delay(10);
        done_masked = {r.rd(XX_REG_IRQ_STATUS), r.csr(), tb.sim().irq()};
        // unmasking raises it at once
        r.wr(XX_REG_IRQ_MASK, XX_IRQ_DONE | XX_IRQ_ERROR);
        delay(4);
        done_unmasked = {r.rd(XX_REG_IRQ_STATUS), r.csr(), tb.sim().irq()};
        // write one to clear
        r.wr(XX_REG_IRQ_STATUS, XX_IRQ_DONE);
        delay(4);
        after_w1c = {r.rd(XX_REG_IRQ_STATUS), r.csr(), tb.sim().irq()};
        // a failing command sets ERROR only
        r.start(XX_CTL_DIR_READ, 40, ENABLE_INTERRUPTS);
        r.wait_done();
        delay(4);
        error_only = {r.rd(XX_REG_IRQ_STATUS), r.csr(), tb.sim().irq()};
        r.wr(XX_REG_IRQ_STATUS, XX_IRQ_ERROR);
        status_after_err_w1c = r.rd(XX_REG_IRQ_STATUS);
        // the seed's CLEAR_INTERRUPT clears the cause (both, if both were set)
        r.start(XX_CTL_DIR_READ, 0, ENABLE_INTERRUPTS);
        r.wait_done();
        r.wr8(XX_REG_CSR, CLEAR_INTERRUPT | ENABLE_INTERRUPTS);
        delay(4);
        both = {r.rd(XX_REG_IRQ_STATUS), r.csr(), tb.sim().irq()};
    }));
    CHECK(done_masked.status == XX_IRQ_DONE);
    CHECK((done_masked.csr & INTERRUPTING) == 0);
    CHECK(!done_masked.irq);
    CHECK(done_unmasked.status == XX_IRQ_DONE);
    CHECK((done_unmasked.csr & INTERRUPTING) != 0);
    CHECK(done_unmasked.irq);
    CHECK(after_w1c.status == 0);
    CHECK((after_w1c.csr & INTERRUPTING) == 0);
    CHECK(!after_w1c.irq);
    CHECK(error_only.status == XX_IRQ_ERROR);
    CHECK((error_only.csr & (INTERRUPTING | DEVICE_ERROR)) == (INTERRUPTING | DEVICE_ERROR));
    CHECK(error_only.irq);
    CHECK(status_after_err_w1c == 0);
    CHECK(both.status == 0);
    CHECK((both.csr & INTERRUPTING) == 0);
    CHECK(!both.irq);
    CHECK(b.guards_intact());
}

// A device that breaks the stream rule (a beat short of full before the
// last one) on a DDI_DMA_READ: the engine fails the command as a device
// error (CODE 4) with a residual, writes nothing outside the buffer, drains
// the stream so the device finishes, and the next command works.
TEST_CASE("engine: a device stream beat short of full before the last fails the command as a device error", "[engine][errors]")
{
    uint64_t seed = test_seed(207);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 64 * 512, rng);
    tb.sim().disk().short_beat_command(0);
    GuardedBuffer bad(tb, 4096), good(tb, 2048);
    std::memset(bad.data, 0x3c, bad.len);
    Regs::Outcome o1{0, 0, 0}, o2{0xff, 0xff, 1};
    REQUIRE(tb.run([&] {
        Regs r{tb};
        o1 = r.one_segment(paddr_of(tb, bad.data), static_cast<uint32_t>(bad.len), XX_CTL_DIR_READ, 4);
        o2 = r.one_segment(paddr_of(tb, good.data), static_cast<uint32_t>(good.len), XX_CTL_DIR_READ, 20);
    }));
    CHECK((o1.csr & DEVICE_ERROR));
    CHECK(XX_ERR_CODE(o1.err) == XX_ERR_DEVICE);
    // at most the first full beat can count as moved
    CHECK(o1.resid >= bad.len - tb.sim().data_bytes());
    CHECK(o1.resid <= bad.len);
    CHECK(bad.guards_intact());
    CHECK(tb.sim().disk().idle());
    CHECK(!(o2.csr & DEVICE_ERROR));
    CHECK(XX_ERR_CODE(o2.err) == XX_ERR_NONE);
    CHECK(o2.resid == 0);
    CHECK(std::memcmp(good.data, &tb.sim().disk().data()[20 * 512], good.len) == 0);
    CHECK(good.guards_intact());
}
