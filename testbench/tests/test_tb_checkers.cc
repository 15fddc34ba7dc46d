// Tests of the testbench itself: a checker that never fires is not a
// checker. The protocol monitors are fed by hand by small bad masters; the
// memory model, scoreboard, watchdog and stray-write check are exercised on
// purpose-made failures.
#include "rig.h"

#include "checkers/protocol.h"
#include "checkers/scoreboard.h"
#include "gtkwave/fstapi.h"

using namespace tb;

namespace {

// A tiny AXI4 master that does one thing wrong, for the monitor to catch.
struct BadMaster {
    Violations v;
    AxiMonitor mon{v, 4};
    uint64_t cycle = 0;
    void tick(const AxiReq& q, const AxiResp& s) { mon.sample(cycle++, q, s); }
};

bool mentions(const Violations& v, const std::string& what)
{
    for (const std::string& s : v.list())
        if (s.find(what) != std::string::npos)
            return true;
    return false;
}

} // namespace

TEST_CASE("testbench: the AXI4 monitor catches a master that drops ARVALID before ARREADY", "[tb]")
{
    BadMaster m;
    AxiReq q;
    AxiResp s;
    q.arvalid = true;
    q.araddr = 0x1000;
    q.arlen = 3;
    q.arsize = 2;
    q.arburst = 1;
    m.tick(q, s);           // valid, not ready
    q.arvalid = false;      // dropped
    m.tick(q, s);
    REQUIRE(m.v.list().size() == 1);
    CHECK(mentions(m.v, "cycle 1: AXI4 AR: valid dropped before ready"));
}

TEST_CASE("testbench: the AXI4 monitor catches a payload that changes while waiting", "[tb]")
{
    BadMaster m;
    AxiReq q;
    AxiResp s;
    q.wvalid = true;
    q.wdata[0] = 1;
    q.wstrb = 0xf;
    m.tick(q, s);
    q.wdata[0] = 2;         // changed before WREADY
    m.tick(q, s);
    CHECK(mentions(m.v, "AXI4 W: payload changed"));
}

TEST_CASE("testbench: the AXI4 monitor catches WLAST off the last beat and 4 KiB crossings", "[tb]")
{
    BadMaster m;
    AxiReq q;
    AxiResp s;
    s.awready = s.wready = true;
    q.awvalid = true;
    q.awaddr = 0xff8;       // 4 beats of 4 bytes from 0xff8: crosses 0x1000
    q.awlen = 3;
    q.awsize = 2;
    q.awburst = 1;
    m.tick(q, s);
    q.awvalid = false;
    q.wvalid = true;
    q.wstrb = 0xf;
    q.wlast = true;         // on the first of four beats
    m.tick(q, s);
    CHECK(mentions(m.v, "burst crosses a 4 KiB boundary"));
    CHECK(mentions(m.v, "WLAST on beat 1 of a 4-beat burst"));
}

TEST_CASE("testbench: the AXI4 monitor catches responses nobody asked for and work left outstanding", "[tb]")
{
    BadMaster m;
    AxiReq q;
    AxiResp s;
    q.rready = q.bready = true;
    s.rvalid = true;
    s.rlast = true;
    s.bvalid = true;
    m.tick(q, s);
    CHECK(mentions(m.v, "read data with no read request outstanding"));
    CHECK(mentions(m.v, "write response with no completed write"));

    BadMaster m2;
    AxiReq q2;
    AxiResp s2;
    q2.arvalid = true;
    s2.arready = true;
    q2.arlen = 7;
    q2.arsize = 2;
    q2.arburst = 1;
    m2.tick(q2, s2);
    m2.mon.finish(m2.cycle);
    CHECK(mentions(m2.v, "left outstanding at the end"));
}

TEST_CASE("testbench: the AXI4-Lite and device port monitors catch broken handshakes", "[tb]")
{
    Violations v;
    AxilMonitor lite(v);
    AxilReq q;
    AxilResp s;
    q.awvalid = true;
    q.awaddr = 8;
    lite.sample(0, q, s);
    q.awaddr = 12;          // address changed while waiting
    lite.sample(1, q, s);
    CHECK(mentions(v, "AXI4-Lite AW: payload changed"));

    Violations dv;
    DevMonitor dev(dv);
    DevReq dq;
    DevResp ds;
    dq.tx_tvalid = true;    // data before any command
    ds.tx_tready = true;
    dev.sample(0, dq, ds);
    CHECK(mentions(dv, "data with no DDI_DMA_WRITE command open"));
}

TEST_CASE("testbench: the memory model writes unaligned strobes into exactly the right bytes", "[tb]")
{
    ddi::PhysMem ram(0x80000000ull, 1 << 20);
    MemoryConfig cfg;
    cfg.data_bytes = 8;
    AxiMemory mem(ram, cfg, 1);
    uint8_t* p = ram.direct(0x80000000ull, 64);
    std::memset(p, 0xee, 64);
    AxiReq q;
    AxiResp s;
    // Two beats of 8 bytes from 0x80000003: the first beat covers lanes 3-7.
    q.awvalid = true;
    q.awaddr = 0x80000003ull;
    q.awlen = 1;
    q.awsize = 3;
    q.awburst = 1;
    mem.drive(s);
    mem.sample(q, s);
    q.awvalid = false;
    for (int beat = 0; beat < 2; beat++) {
        q.wvalid = true;
        for (int i = 0; i < 8; i++)
            q.wdata[i] = static_cast<uint8_t>(0x10 * (beat + 1) + i);
        q.wstrb = beat == 0 ? 0xf8 : 0x03;      // bytes 3..7, then 8..9
        q.wlast = beat == 1;
        mem.drive(s);
        REQUIRE(s.wready);
        mem.sample(q, s);
    }
    for (int i = 0; i < 16; i++) {
        uint8_t want = 0xee;
        if (i >= 3 && i < 8)
            want = static_cast<uint8_t>(0x10 + i);
        if (i >= 8 && i < 10)
            want = static_cast<uint8_t>(0x20 + (i - 8));
        INFO("byte " << i);
        CHECK(p[i] == want);
    }
    // And a read of the same bytes comes back in the same lanes.
    q = AxiReq{};
    q.arvalid = true;
    q.araddr = 0x80000003ull;
    q.arlen = 0;
    q.arsize = 3;
    q.arburst = 1;
    q.rready = true;
    mem.drive(s);
    mem.sample(q, s);
    q.arvalid = false;
    for (int i = 0; i < 10 && !s.rvalid; i++) {
        mem.drive(s);
        if (!s.rvalid)
            mem.sample(q, s);
    }
    REQUIRE(s.rvalid);
    CHECK(s.rdata[3] == 0x13);
    CHECK(s.rdata[7] == 0x17);
    CHECK(s.rlast);
}

TEST_CASE("testbench: the scoreboard catches a corrupted byte", "[tb]")
{
    Testbench tb(named_config());
    Scoreboard sb(tb.sim().disk());
    GuardedBuffer b(tb, 2048);
    // The disk changes behind the scoreboard's back: the read brings back a
    // byte the scoreboard does not expect, as a corrupting data path would.
    tb.sim().disk().data()[100 * 512 + 777] ^= 0x40;
    REQUIRE(tb.run([&] {
        attach(tb);
        struct buf* bp = make_buf(B_READ, 100, 2048, b.data);
        sb.issue(bp);
        (void)xxstrategy(bp);
        (void)biowait(bp);
        detach(tb);
    }));
    sb.finish();
    REQUIRE(!sb.errors().empty());
    CHECK(sb.errors()[0].find("memory differs from the disk at byte 777") != std::string::npos);
}

TEST_CASE("testbench: the scoreboard passes a clean run under random stalls, and counts", "[tb][random]")
{
    uint64_t seed = test_seed(21);
    TestbenchConfig cfg = named_config();
    cfg.seed = seed;
    cfg.mem = MemoryConfig::stalls(0.3);
    cfg.disk.stall = 0.3;
    Testbench tb(cfg);
    std::mt19937_64 rng(seed);
    fill_random(tb.sim().disk().data().data(), tb.sim().disk().data().size(), rng);
    Scoreboard sb(tb.sim().disk());
    tb.sim().disk().fail_block(700);
    std::vector<GuardedBuffer> bufs;
    for (int i = 0; i < 12; i++)
        bufs.emplace_back(tb, 8 * 512);
    bool last_read = false;
    REQUIRE(tb.run([&] {
        attach(tb);
        for (int i = 0; i < 12; i++) {
            bool rd = rng() % 2;
            last_read = rd;
            if (!rd)
                fill_random(bufs[i].data, bufs[i].len, rng);
            // bufs 0..10 on blocks 0..87; buf 11 covers failing block 700
            daddr_t blk = i < 11 ? 8 * i : 696;
            struct buf* bp = make_buf(rd ? B_READ : B_WRITE, blk, bufs[i].len, bufs[i].data);
            sb.issue(bp);
            (void)xxstrategy(bp);
            (void)biowait(bp);
        }
        detach(tb);
    }));
    sb.finish();
    for (const std::string& e : sb.errors())
        FAIL_CHECK(e);
    CHECK(sb.completed() == 12);
    CHECK(sb.failed_ios() == 1);
    // The failed transfer: a read keeps the 4 blocks before block 700.
    CHECK(sb.checked_bytes() == 11 * 8 * 512 + (last_read ? 4 * 512 : 0));
}

TEST_CASE("testbench: the watchdog stops a hang and names what waits on what", "[tb]")
{
    TestbenchConfig cfg = named_config();
    cfg.watchdog_cycles = 20000;
    cfg.check_idle_at_end = false;
    Testbench tb(cfg);
    tb.sim().disk().hang_command(0);    // the device takes the command and dies
    GuardedBuffer b(tb, 1024);
    bool finished = tb.run([&] {
        attach(tb);
        struct buf* bp = make_buf(B_READ, 5, 1024, b.data);
        (void)xxstrategy(bp);
        (void)biowait(bp);              // never returns
    });
    CHECK_FALSE(finished);
    CHECK(tb.platform().watchdog_fired());
    const std::string& r = tb.platform().last_hang_report();
    CHECK(r.find("device port: 1 command(s) open (DDI_DMA_READ, stream running)") != std::string::npos);
    CHECK(r.find("csr/err=0x") != std::string::npos);
    CHECK(r.find("xx0: busy 1, buf in flight yes") != std::string::npos);
    CHECK(tb.sim().cycle() < 200000);
}

TEST_CASE("testbench: a DMA write outside every buffer is a stray write", "[tb]")
{
    TestbenchConfig cfg = named_config();
    cfg.fail_on_violation = false;
    Testbench tb(cfg);
    const uint64_t nowhere = tb.ram().base() + (32ull << 20);     // RAM nobody allocated
    REQUIRE(tb.run([&] {
        ScPlatform& regs = tb.platform();
        regs.write(XX_REG_DMA_CTL, 4, XX_CTL_DIR_READ);
        regs.write(XX_REG_DMA_ADDR, 4, static_cast<uint32_t>(nowhere));
        regs.write(XX_REG_DMA_SIZE, 4, 512);
        regs.write(XX_REG_DEV_BLOCK, 4, 0);
        regs.write(XX_REG_CSR, 1, START_TRANSFER);
        while (!(regs.read(XX_REG_CSR, 1) & INTERRUPTING))
            delay(100);
        regs.write(XX_REG_CSR, 1, CLEAR_INTERRUPT);
    }));
    std::vector<std::string> p = tb.problems();
    REQUIRE(!p.empty());
    CHECK(p[0].find("stray write") != std::string::npos);
    CHECK(tb.sim().memory().stray_write_bytes() == 512);
}

TEST_CASE("testbench: a wave window dumps only the cycles asked for", "[tb][waves]")
{
    TestbenchConfig cfg = named_config();
    cfg.waves.path = std::string(DMA_WAVES_DIR) + "/.window_test.fst";
    cfg.waves.from = 300;
    cfg.waves.to = 500;
    Testbench tb(cfg);
    GuardedBuffer b(tb, 4096);
    REQUIRE(tb.run([&] {
        attach(tb);
        struct buf* bp = make_buf(B_WRITE, 9, 4096, b.data);
        (void)xxstrategy(bp);
        (void)biowait(bp);
    }));
    REQUIRE(tb.sim().cycle() > 1000);
    tb.sim().close_waves();
    void* ctx = fstReaderOpen(cfg.waves.path.c_str());
    REQUIRE(ctx != nullptr);
    uint64_t start = fstReaderGetStartTime(ctx), end = fstReaderGetEndTime(ctx);
    fstReaderClose(ctx);
    std::remove(cfg.waves.path.c_str());
    CHECK(start == 300 * Sim::PERIOD_PS);
    CHECK(end == 500 * Sim::PERIOD_PS + Sim::PERIOD_PS / 2);
}

namespace {
int other_pending = 0;
uint_t other_claims = 0;
uint_t other_intr(caddr_t, caddr_t)
{
    if (!other_pending)
        return DDI_INTR_UNCLAIMED;
    other_pending = 0;
    other_claims++;
    return DDI_INTR_CLAIMED;
}
} // namespace

TEST_CASE("testbench: two handlers share the engine's interrupt line", "[tb]")
{
    Testbench tb(named_config());
    // A second device on line 0, as x86 shares fixed interrupts.
    dev_info_t* other = ddi::make_devinfo("other", 1, nullptr, 0, 0);
    GuardedBuffer b(tb, 2048);
    int err = -1;
    ddi::IntrStats s1{}, s2{};
    REQUIRE(tb.run([&] {
        attach(tb);
        ddi_intr_handle_t h;
        int n = 0;
        REQUIRE(ddi_intr_alloc(other, &h, DDI_INTR_TYPE_FIXED, 0, 1, &n, DDI_INTR_ALLOC_NORMAL) == DDI_SUCCESS);
        REQUIRE(ddi_intr_add_handler(h, other_intr, nullptr, nullptr) == DDI_SUCCESS);
        REQUIRE(ddi_intr_enable(h) == DDI_SUCCESS);
        // The other device interrupts: its handler claims, xx's does not.
        other_pending = 1;
        REQUIRE(tb.platform().raise_spurious_interrupt());
        delay(200);
        s1 = ddi::intr_stats(0);
        // xx's engine interrupts: xx claims, the other handler does not.
        struct buf* bp = make_buf(B_READ, 1, 2048, b.data);
        (void)xxstrategy(bp);
        err = biowait(bp);
        s2 = ddi::intr_stats(0);
        REQUIRE(ddi_intr_disable(h) == DDI_SUCCESS);
        REQUIRE(ddi_intr_remove_handler(h) == DDI_SUCCESS);
        REQUIRE(ddi_intr_free(h) == DDI_SUCCESS);
        detach(tb);
    }));
    ddi::free_devinfo(other);
    CHECK(other_claims == 1);
    CHECK(s1.claimed == 1);
    CHECK(s1.unclaimed == 0);
    CHECK(err == 0);
    CHECK(s2.claimed == 2);
    CHECK(s2.unclaimed == 0);
}
