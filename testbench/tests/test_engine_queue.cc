// Command blocks in memory (programming model 3, register map version 3):
// doorbell, block and list fetch, status write-back, completion FIFO,
// coalescing, errors, abort and soft reset, driven at register level with
// random backpressure on every channel. Every block is guarded: the
// engine may write only bytes 0x20..0x2f of it (anything else is a stray
// write, which fails the run), and the list buffers not at all.
#include "engine_rig.h"

#include <algorithm>

using namespace tb;

namespace {

constexpr uint32_t STATUS_FILL = 0xeeeeeeee;   // what 0x20..0x2f hold before the write-back

// A command block in simulated RAM, 64-byte aligned (its start is at page
// offset `offset`, a multiple of 64), with room for `n_inline` entries.
struct Block {
    Testbench* tb;
    uint8_t* p;
    uint64_t pa = 0;
    size_t len;

    Block(Testbench& t, unsigned n_inline, uint64_t offset = 0) : tb(&t)
    {
        len = 64 + 16 * std::max(1u, n_inline);
        p = t.alloc(len, true, offset);
        pa = paddr_of(t, p);
        std::memset(p, 0, len);
        for (uint32_t off = 0x20; off < 0x30; off += 4)
            w32(off, STATUS_FILL);
        // the driver's bytes 0x30..0x3f keep a pattern the engine must not touch
        for (uint32_t off = 0x30; off < 0x40; off++)
            p[off] = static_cast<uint8_t>(0x30 + off);
        t.sim().memory().forbid_writes(pa, 0x20);
        t.sim().memory().forbid_writes(pa + 0x30, len - 0x30);
    }
    void w32(uint32_t off, uint32_t v) { std::memcpy(p + off, &v, 4); }
    uint32_t r32(uint32_t off) const
    {
        uint32_t v = 0;
        std::memcpy(&v, p + off, 4);
        return v;
    }
    void header(uint32_t dir, unsigned count, uint32_t dev_block, uint32_t bytes, uint64_t next = 0,
                uint64_t list = 0)
    {
        w32(0x00, XX_IOPB_CTL(dir, count));
        w32(0x04, dev_block);
        w32(0x08, bytes);
        w32(0x0c, 0);
        w32(0x10, static_cast<uint32_t>(next));
        w32(0x14, static_cast<uint32_t>(next >> 32));
        w32(0x18, static_cast<uint32_t>(list));
        w32(0x1c, static_cast<uint32_t>(list >> 32));
    }
    void entry(unsigned i, uint64_t addr, uint32_t size)
    {
        w32(0x40 + 16 * i, static_cast<uint32_t>(addr));
        w32(0x44 + 16 * i, static_cast<uint32_t>(addr >> 32));
        w32(0x48 + 16 * i, size);
        w32(0x4c + 16 * i, 0);
    }
    uint32_t resid() const { return r32(0x20); }
    uint64_t fault() const { return r32(0x24) | uint64_t(r32(0x28)) << 32; }
    uint32_t status() const { return r32(0x2c); }
    bool untouched() const
    {
        for (uint32_t off = 0x20; off < 0x30; off += 4)
            if (r32(off) != STATUS_FILL)
                return false;
        return true;
    }
    bool driver_bytes_intact() const
    {
        for (uint32_t off = 0x30; off < 0x40; off++)
            if (p[off] != static_cast<uint8_t>(0x30 + off))
                return false;
        return tb->guards_intact(p);
    }
};

// An entry list in memory (16-byte aligned), read only for DMA.
struct List {
    uint8_t* p;
    uint64_t pa = 0;
    List(Testbench& t, unsigned n, uint64_t offset = 0)
    {
        p = t.alloc(16 * n, true, offset);
        pa = paddr_of(t, p);
        std::memset(p, 0, 16 * n);
        t.sim().memory().forbid_writes(pa, 16 * n);
    }
    void entry(unsigned i, uint64_t addr, uint32_t size)
    {
        uint32_t w[4] = {static_cast<uint32_t>(addr), static_cast<uint32_t>(addr >> 32), size, 0};
        std::memcpy(p + 16 * i, w, 16);
    }
};

// The block's entries from an SgList: inline, or in `list` when given.
void fill_entries(Testbench& tb, Block& b, const SgList& l, List* list = nullptr)
{
    for (size_t i = 0; i < l.sizes.size(); i++) {
        uint64_t a = paddr_of(tb, l.seg(i));
        if (list)
            list->entry(static_cast<unsigned>(i), a, l.sizes[i]);
        else
            b.entry(static_cast<unsigned>(i), a, l.sizes[i]);
    }
}

struct Cqe {
    uint64_t addr = 0;
    uint32_t status = 0;
    uint32_t resid = 0;
};

void submit(Regs& r, uint64_t pa)
{
    r.wr(XX_REG_IOPB_ADDR_HI, static_cast<uint32_t>(pa >> 32));
    r.wr(XX_REG_IOPB_ADDR, static_cast<uint32_t>(pa));
}

void wait_cq(Testbench& tb, Regs& r, unsigned n, uint64_t limit = 3'000'000)
{
    uint64_t t0 = tb.sim().cycle();
    for (;;) {
        uint32_t qs = r.rd(XX_REG_QUEUE_STATUS);
        if (XX_QS_CQ_COUNT(qs) >= n)
            return;
        if (tb.sim().cycle() - t0 > limit)
            FAIL("queue: " << XX_QS_CQ_COUNT(qs) << " completions after " << limit << " cycles, waiting for " << n
                           << ", queue_status 0x" << std::hex << qs);
        delay(20);
    }
}

Cqe reap(Regs& r)
{
    Cqe c;
    c.addr = r.rd(XX_REG_IOPB_ADDR) | uint64_t(r.rd(XX_REG_IOPB_ADDR_HI)) << 32;
    c.status = r.rd(XX_REG_CQ_STATUS);
    c.resid = r.rd(XX_REG_CQ_RESID);
    r.wr(XX_REG_QUEUE_CTL, XX_QUEUE_POP);
    return c;
}

// Ring the blocks in order, wait for all their completions, reap them.
std::vector<Cqe> run_blocks(Testbench& tb, Regs& r, std::initializer_list<const Block*> blocks)
{
    for (const Block* b : blocks)
        submit(r, b->pa);
    wait_cq(tb, r, static_cast<unsigned>(blocks.size()));
    std::vector<Cqe> cq;
    for (size_t i = 0; i < blocks.size(); i++)
        cq.push_back(reap(r));
    return cq;
}

// Wait until the queue has nothing waiting or running.
void wait_queue_idle(Testbench& tb, Regs& r, uint64_t limit = 3'000'000)
{
    uint64_t t0 = tb.sim().cycle();
    for (;;) {
        uint32_t qs = r.rd(XX_REG_QUEUE_STATUS);
        if (!(qs & XX_QS_ACTIVE) && XX_QS_SQ_COUNT(qs) == 0)
            return;
        if (tb.sim().cycle() - t0 > limit)
            FAIL("queue still busy after " << limit << " cycles, queue_status 0x" << std::hex << qs);
        delay(20);
    }
}

std::vector<uint8_t> disk_bytes(Testbench& tb, uint32_t block, uint32_t n)
{
    const auto& d = tb.sim().disk().data();
    return std::vector<uint8_t>(d.begin() + block * 512, d.begin() + block * 512 + n);
}

} // namespace

TEST_CASE("queue: blocks with inline entries and with a list pointer move data both ways", "[engine][queue]")
{
    uint64_t seed = test_seed(1101);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 256 * 512, rng);
    const uint32_t odd = 2 * tb.sim().data_bytes() - 1;
    // unaligned starts and lengths, several segments each
    SgList w_in(tb, 5, 1, 3000, rng, odd), w_li(tb, 3, 1, 5000, rng, odd);
    SgList r_in(tb, 4, 1, 3000, rng, odd), r_li(tb, 6, 1, 2000, rng, odd);
    w_in.fill(rng);
    w_li.fill(rng);
    for (const SgList* l : {&r_in, &r_li})
        for (size_t i = 0; i < l->sizes.size(); i++)
            std::memset(l->seg(i), 0x5a, l->sizes[i]);
    Block b0(tb, 5, 64 * 3), b1(tb, 0, 0), b2(tb, 4, 64 * 17), b3(tb, 0, 64);
    List l1(tb, 3, 16 * 5), l3(tb, 6, 48);
    b0.header(XX_CTL_DIR_WRITE, 5, 10, w_in.total);
    fill_entries(tb, b0, w_in);
    b1.header(XX_CTL_DIR_WRITE, 3, 60, w_li.total, 0, l1.pa);
    fill_entries(tb, b1, w_li, &l1);
    b2.header(XX_CTL_DIR_READ, 4, 100, r_in.total);
    fill_entries(tb, b2, r_in);
    b3.header(XX_CTL_DIR_READ, 6, 150, r_li.total, 0, l3.pa);
    fill_entries(tb, b3, r_li, &l3);
    std::vector<Cqe> cq;
    uint32_t qs_end = 1;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        cq = run_blocks(tb, r, {&b0, &b1, &b2, &b3});
        qs_end = r.rd(XX_REG_QUEUE_STATUS);
    }));
    REQUIRE(cq.size() == 4);
    const Block* bs[4] = {&b0, &b1, &b2, &b3};
    for (int i = 0; i < 4; i++) {
        INFO("block " << i);
        CHECK(cq[i].addr == bs[i]->pa);
        CHECK(cq[i].status == XX_CQ_VALID);
        CHECK(cq[i].resid == 0);
        CHECK(bs[i]->status() == XX_IOPB_DONE);
        CHECK(bs[i]->resid() == 0);
        CHECK(bs[i]->fault() == 0);
        CHECK(bs[i]->driver_bytes_intact());
    }
    CHECK(qs_end == 0);
    CHECK(disk_bytes(tb, 10, w_in.total) == w_in.gather());
    CHECK(disk_bytes(tb, 60, w_li.total) == w_li.gather());
    CHECK(r_in.gather() == disk_bytes(tb, 100, r_in.total));
    CHECK(r_li.gather() == disk_bytes(tb, 150, r_li.total));
    for (const SgList* l : {&w_in, &w_li, &r_in, &r_li})
        CHECK(l->guards_intact());
}

TEST_CASE("queue: a chain runs to its end before the next submission, completions in order", "[engine][queue]")
{
    uint64_t seed = test_seed(1102);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 256 * 512, rng);
    std::vector<std::unique_ptr<SgList>> lists;
    std::vector<std::unique_ptr<Block>> blocks;
    const unsigned N = 6;
    for (unsigned i = 0; i < N; i++) {
        lists.push_back(std::make_unique<SgList>(tb, 1 + rng() % 3, 1, 1500, rng, 7));
        blocks.push_back(std::make_unique<Block>(tb, 3, 64 * (rng() % 60)));
    }
    // blocks 0 -> 1 -> 2 chained, 3 submitted on its own, 4 -> 5 chained;
    // even blocks write to the device, odd ones read from it
    auto dir = [](unsigned i) { return (i % 2) ? XX_CTL_DIR_READ : XX_CTL_DIR_WRITE; };
    for (unsigned i = 0; i < N; i++) {
        uint64_t next = (i == 0 || i == 1 || i == 4) ? blocks[i + 1]->pa : 0;
        if (dir(i) == XX_CTL_DIR_WRITE)
            lists[i]->fill(rng);
        else
            for (size_t k = 0; k < lists[i]->sizes.size(); k++)
                std::memset(lists[i]->seg(k), 0x11, lists[i]->sizes[k]);
        blocks[i]->header(dir(i), static_cast<unsigned>(lists[i]->sizes.size()), 20 * i, lists[i]->total, next);
        fill_entries(tb, *blocks[i], *lists[i]);
    }
    std::vector<Cqe> cq;
    uint32_t sq_after_submit = 0;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        submit(r, blocks[0]->pa);
        submit(r, blocks[3]->pa);
        submit(r, blocks[4]->pa);
        sq_after_submit = XX_QS_SQ_COUNT(r.rd(XX_REG_QUEUE_STATUS));
        wait_cq(tb, r, 4);
        for (int i = 0; i < 4; i++)
            cq.push_back(reap(r));
        wait_cq(tb, r, 2);
        for (int i = 0; i < 2; i++)
            cq.push_back(reap(r));
        delay(2000);
        CHECK(r.rd(XX_REG_QUEUE_STATUS) == 0);   // one completion per block, no more
        CHECK(r.rd(XX_REG_CQ_STATUS) == 0);
        CHECK(r.rd(XX_REG_IOPB_ADDR) == 0);
    }));
    CHECK(sq_after_submit <= 3);
    REQUIRE(cq.size() == N);
    for (unsigned i = 0; i < N; i++) {
        INFO("completion " << i);
        CHECK(cq[i].addr == blocks[i]->pa);    // 0, 1, 2 (the chain), then 3, then 4, 5
        CHECK(cq[i].status == XX_CQ_VALID);
        CHECK(blocks[i]->status() == XX_IOPB_DONE);
        CHECK(blocks[i]->driver_bytes_intact());
        if (dir(i) == XX_CTL_DIR_WRITE)
            CHECK(disk_bytes(tb, 20 * i, lists[i]->total) == lists[i]->gather());
        else
            CHECK(lists[i]->gather() == disk_bytes(tb, 20 * i, lists[i]->total));
        CHECK(lists[i]->guards_intact());
    }
}

TEST_CASE("queue: a full SQ refuses the doorbell; a CQ not popped stalls the queue, losing nothing", "[engine][queue]")
{
    uint64_t seed = test_seed(1103);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    GuardedBuffer big(tb, 65536);
    std::vector<std::unique_ptr<GuardedBuffer>> bufs;
    std::vector<std::unique_ptr<Block>> blocks;
    // block 0 is long, so the others wait behind it; block 6 is refused
    for (unsigned i = 0; i < 7; i++) {
        blocks.push_back(std::make_unique<Block>(tb, 1, 64 * i));
        if (i == 0) {
            blocks[i]->header(XX_CTL_DIR_READ, 1, 0, 65536);
            blocks[i]->entry(0, paddr_of(tb, big.data), 65536);
        } else {
            bufs.push_back(std::make_unique<GuardedBuffer>(tb, 512 * i));
            blocks[i]->header(XX_CTL_DIR_READ, 1, 200 + 10 * i, 512 * i);
            blocks[i]->entry(0, paddr_of(tb, bufs.back()->data), 512 * i);
        }
    }
    fill_random(&tb.sim().disk().data()[0], 512 * 512, rng);
    uint8_t err_before = 0xff, err_after = 0;
    uint32_t sq_full = 0, qs_stalled = 0, cq_stalled = 0, qs_final = 1;
    std::vector<Cqe> cq;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        submit(r, blocks[0]->pa);
        // wait until block 0 has started: then SQ takes QUEUE_DEPTH more
        uint64_t t0 = tb.sim().cycle();
        while (XX_QS_SQ_COUNT(r.rd(XX_REG_QUEUE_STATUS)) != 0)
            REQUIRE(tb.sim().cycle() - t0 < 100000);
        for (unsigned i = 1; i <= 5; i++)
            submit(r, blocks[i]->pa);
        err_before = r.err();
        sq_full = XX_QS_SQ_COUNT(r.rd(XX_REG_QUEUE_STATUS));
        submit(r, blocks[6]->pa);              // refused: SQ is full
        err_after = r.err();
        r.clear();
        // nobody pops: four completions, then the queue waits
        wait_cq(tb, r, 4);
        delay(5000);
        qs_stalled = r.rd(XX_REG_QUEUE_STATUS);
        cq_stalled = r.rd(XX_REG_CQ_STATUS);
        for (int i = 0; i < 4; i++)
            cq.push_back(reap(r));
        wait_cq(tb, r, 1);
        cq.push_back(reap(r));
        wait_queue_idle(tb, r);
        qs_final = r.rd(XX_REG_QUEUE_STATUS);
    }));
    // the fifth accepted doorbell (SQ held 4) was refused too
    CHECK(sq_full == 4);
    CHECK((err_before & XX_ERR_IGNORED) != 0);
    CHECK((err_after & XX_ERR_IGNORED) != 0);
    CHECK(XX_QS_CQ_COUNT(qs_stalled) == 4);
    CHECK(XX_QS_SQ_COUNT(qs_stalled) + ((qs_stalled & XX_QS_ACTIVE) ? 1 : 0) >= 1);
    CHECK(cq_stalled == XX_CQ_VALID);
    REQUIRE(cq.size() == 5);
    for (unsigned i = 0; i < 5; i++) {
        INFO("completion " << i);
        CHECK(cq[i].addr == blocks[i]->pa);
        CHECK(cq[i].status == XX_CQ_VALID);
        CHECK(blocks[i]->status() == XX_IOPB_DONE);
    }
    CHECK(blocks[5]->untouched());    // refused (SQ full at its doorbell)
    CHECK(blocks[6]->untouched());
    CHECK(qs_final == 0);
    CHECK(std::memcmp(big.data, &tb.sim().disk().data()[0], 65536) == 0);
    for (unsigned i = 1; i < 5; i++)
        CHECK(std::memcmp(bufs[i - 1]->data, &tb.sim().disk().data()[(200 + 10 * i) * 512], 512 * i) == 0);
}

// COUNT and TIMEOUT are looked at while the queue still works (a long
// block keeps it busy); once nothing more can complete, whatever is waiting
// interrupts, so no completion is ever left without an interrupt.
TEST_CASE("queue: the QUEUE cause coalesces by COUNT and by TIMEOUT, an error raises it at once, an idle queue always", "[engine][queue][irq]")
{
    uint64_t seed = test_seed(1104);
    TestbenchConfig cfg = stressed_config(seed);
    Testbench tb(cfg);
    std::mt19937_64 rng(seed);
    std::vector<std::unique_ptr<GuardedBuffer>> bufs;
    std::vector<std::unique_ptr<Block>> blocks;
    for (unsigned i = 0; i < 8; i++) {
        blocks.push_back(std::make_unique<Block>(tb, 1, 64 * i));
        bufs.push_back(std::make_unique<GuardedBuffer>(tb, 512));
        blocks[i]->header(XX_CTL_DIR_WRITE, 1, i, 512);
        blocks[i]->entry(0, paddr_of(tb, bufs.back()->data), 512);
    }
    blocks[6]->header(0, 1, 6, 512);    // bad direction: CODE 5
    // long blocks (64 KiB to the device: thousands of cycles) that keep the queue busy
    constexpr uint32_t LONG = 64 * 1024;
    std::vector<std::unique_ptr<GuardedBuffer>> lbufs;
    std::vector<std::unique_ptr<Block>> longs;
    for (unsigned i = 0; i < 3; i++) {
        longs.push_back(std::make_unique<Block>(tb, 1, 64 * i));
        lbufs.push_back(std::make_unique<GuardedBuffer>(tb, LONG));
        longs[i]->header(XX_CTL_DIR_WRITE, 1, 1024 + 128 * i, LONG);
        longs[i]->entry(0, paddr_of(tb, lbufs.back()->data), LONG);
    }
    struct Seen { uint32_t qs, irqs; bool irq; };
    Seen two{}, three{}, popped{}, one_early{}, one_late{}, w1c{}, err{}, idle{};
    uint32_t coalesce = 0;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_IRQ_COALESCE, XX_COALESCE(3, 0));
        coalesce = r.rd(XX_REG_IRQ_COALESCE);
        r.wr8(XX_REG_CSR, ENABLE_INTERRUPTS);
        auto seen = [&] { return Seen{r.rd(XX_REG_QUEUE_STATUS), r.rd(XX_REG_IRQ_STATUS), tb.sim().irq()}; };
        // COUNT 3: two completions are not enough while a third block runs
        submit(r, blocks[0]->pa);
        submit(r, blocks[1]->pa);
        submit(r, longs[0]->pa);
        wait_cq(tb, r, 2);
        delay(200);
        two = seen();
        wait_cq(tb, r, 3);
        delay(4);
        three = seen();
        // writing 1 to QUEUE and CLEAR_INTERRUPT leave it: it is a level
        r.wr(XX_REG_IRQ_STATUS, XX_IRQ_QUEUE);
        r.wr8(XX_REG_CSR, ENABLE_INTERRUPTS | CLEAR_INTERRUPT);
        delay(4);
        w1c = seen();
        for (int i = 0; i < 3; i++)
            reap(r);
        delay(4);
        popped = seen();
        // TIMEOUT 3000 cycles with COUNT 8, a long block still running
        r.wr(XX_REG_IRQ_COALESCE, XX_COALESCE(8, 3000));
        submit(r, blocks[3]->pa);
        submit(r, longs[1]->pa);
        wait_cq(tb, r, 1);
        one_early = seen();
        delay(3100);
        one_late = seen();
        reap(r);
        // COUNT 8 and no TIMEOUT: the long block's completion finds the
        // queue idle, and that interrupts
        r.wr(XX_REG_IRQ_COALESCE, XX_COALESCE(8, 0));
        wait_cq(tb, r, 1);
        delay(4);
        idle = seen();
        reap(r);
        // an error at the head raises it at once, whatever COUNT and TIMEOUT
        // say, while the queue still works
        submit(r, blocks[6]->pa);
        submit(r, longs[2]->pa);
        wait_cq(tb, r, 1);
        delay(4);
        err = seen();
        reap(r);
        wait_cq(tb, r, 1);
        reap(r);
    }));
    CHECK(coalesce == XX_COALESCE(3, 0));
    CHECK(XX_QS_CQ_COUNT(two.qs) == 2);
    CHECK((two.qs & XX_QS_ACTIVE) != 0);
    CHECK((two.irqs & XX_IRQ_QUEUE) == 0);
    CHECK(!two.irq);
    CHECK(XX_QS_CQ_COUNT(three.qs) == 3);
    CHECK(three.irqs == XX_IRQ_QUEUE);      // DONE/ERROR are register mode's only
    CHECK(three.irq);
    CHECK(w1c.irqs == XX_IRQ_QUEUE);
    CHECK(w1c.irq);
    CHECK(popped.irqs == 0);
    CHECK(!popped.irq);
    CHECK((one_early.qs & XX_QS_ACTIVE) != 0);
    CHECK((one_early.irqs & XX_IRQ_QUEUE) == 0);
    CHECK(!one_early.irq);
    CHECK((one_late.qs & XX_QS_ACTIVE) != 0);
    CHECK(one_late.irqs == XX_IRQ_QUEUE);
    CHECK(one_late.irq);
    CHECK((idle.qs & XX_QS_ACTIVE) == 0);
    CHECK(XX_QS_CQ_COUNT(idle.qs) == 1);
    CHECK(idle.irqs == XX_IRQ_QUEUE);
    CHECK(idle.irq);
    CHECK((err.qs & XX_QS_ACTIVE) != 0);
    CHECK(err.irqs == XX_IRQ_QUEUE);
    CHECK(err.irq);
}

TEST_CASE("queue: a descriptor fetch error (CODE 3) on the header ends the chain; on the list it does not", "[engine][queue][errors]")
{
    uint64_t seed = test_seed(1105);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 64 * 512, rng);
    const std::vector<uint8_t> disk0 = tb.sim().disk().data();
    GuardedBuffer d0(tb, 1000), d1(tb, 1000), d2(tb, 1000), d3(tb, 1000);
    for (GuardedBuffer* d : {&d0, &d1, &d2, &d3})
        std::memset(d->data, 0x77, d->len);
    Block a(tb, 1, 0), a_next(tb, 1, 64), b(tb, 0, 128), b_next(tb, 1, 192);
    List bl(tb, 2, 32);
    // a: header unreadable; its next (never read) would be a_next
    a.header(XX_CTL_DIR_READ, 1, 0, 1000, a_next.pa);
    a.entry(0, paddr_of(tb, d0.data), 1000);
    a_next.header(XX_CTL_DIR_READ, 1, 2, 1000);
    a_next.entry(0, paddr_of(tb, d1.data), 1000);
    // b: list unreadable (second entry's beat); its next runs
    b.header(XX_CTL_DIR_WRITE, 2, 4, 1000, b_next.pa, bl.pa);
    bl.entry(0, paddr_of(tb, d2.data), 500);
    bl.entry(1, paddr_of(tb, d2.data) + 500, 500);
    b_next.header(XX_CTL_DIR_READ, 1, 6, 1000);
    b_next.entry(0, paddr_of(tb, d3.data), 1000);
    tb.sim().memory().add_error_range(a.pa + 8, a.pa + 11, 2 /* SLVERR */);
    tb.sim().memory().add_error_range(bl.pa + 16, bl.pa + 19, 3 /* DECERR */);
    std::vector<Cqe> cq;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        submit(r, a.pa);
        submit(r, b.pa);
        wait_cq(tb, r, 3);
        for (int i = 0; i < 3; i++)
            cq.push_back(reap(r));
        delay(3000);
        CHECK(r.rd(XX_REG_QUEUE_STATUS) == 0);
    }));
    REQUIRE(cq.size() == 3);
    CHECK(cq[0].addr == a.pa);
    CHECK(cq[0].status == (XX_CQ_VALID | XX_ERR_DESC_FETCH));
    CHECK(a.status() == (XX_IOPB_DONE | XX_ERR_DESC_FETCH));
    CHECK(a.fault() == a.pa);           // the header fetch
    CHECK(a.resid() == 0);              // byte_count never read
    CHECK(a_next.untouched());          // the chain ended
    CHECK(cq[1].addr == b.pa);
    CHECK(cq[1].status == (XX_CQ_VALID | XX_ERR_DESC_FETCH));
    CHECK(b.status() == (XX_IOPB_DONE | XX_ERR_DESC_FETCH));
    CHECK(b.fault() >= bl.pa);
    CHECK(b.fault() <= bl.pa + 16);
    CHECK(b.resid() == 1000);
    CHECK(cq[1].resid == 1000);
    CHECK(cq[2].addr == b_next.pa);
    CHECK(cq[2].status == XX_CQ_VALID);
    CHECK(std::memcmp(d3.data, &disk0[6 * 512], 1000) == 0);
    // nothing of a's or b's data moved
    for (size_t i = 0; i < d0.len; i++)
        REQUIRE(d0.data[i] == 0x77);
    CHECK(tb.sim().disk().data() == disk0);
}

TEST_CASE("queue: malformed blocks fail with CODE 5 before any data moves", "[engine][queue][errors]")
{
    uint64_t seed = test_seed(1106);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 64 * 512, rng);
    const std::vector<uint8_t> disk0 = tb.sim().disk().data();
    GuardedBuffer d(tb, 4096);
    fill_random(d.data, d.len, rng);
    const uint64_t da = paddr_of(tb, d.data);
    const unsigned NB = 9;
    std::vector<std::unique_ptr<Block>> blocks;
    for (unsigned i = 0; i < NB; i++)
        blocks.push_back(std::make_unique<Block>(tb, 17, 64 * i));
    List lst(tb, 2, 0);
    lst.entry(0, da, 100);
    lst.entry(1, da + 100, 100);
    auto good = [&](Block& b, uint32_t dir) {
        b.header(dir, 2, 8, 300);
        b.entry(0, da, 100);
        b.entry(1, da + 1000, 200);
    };
    for (unsigned i = 0; i < NB; i++)
        good(*blocks[i], XX_CTL_DIR_WRITE);
    blocks[0]->header(0, 2, 8, 300);                          // DIR 0
    blocks[1]->header(3, 2, 8, 300);                          // DIR 3
    blocks[2]->header(XX_CTL_DIR_READ, 0, 8, 300);            // SG_COUNT 0
    blocks[3]->header(XX_CTL_DIR_READ, 17, 8, 300);           // SG_COUNT > SGLLEN (16)
    blocks[4]->header(XX_CTL_DIR_WRITE, 2, 8, 301);           // byte_count is not the sum
    blocks[5]->header(XX_CTL_DIR_WRITE, 2, 8, 200, 0, lst.pa + 8);   // list not 16-byte aligned
    blocks[6]->entry(1, da + 1000, 0);                        // a zero-size entry
    blocks[6]->header(XX_CTL_DIR_READ, 2, 8, 100);
    blocks[7]->entry(0, ~uint64_t(0) - 50, 100);              // wraps the address space
    blocks[7]->header(XX_CTL_DIR_READ, 2, 8, 300);
    // blocks[8] stays good; and a block address that is not 64-byte aligned
    const uint64_t misaligned = blocks[8]->pa + 32;
    std::vector<Cqe> cq;
    uint8_t err = 0xff;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        // at most QUEUE_DEPTH (4) submissions outstanding at a time
        for (unsigned i = 0; i < 4; i++)
            submit(r, blocks[i]->pa);
        wait_cq(tb, r, 4);
        for (int i = 0; i < 4; i++)
            cq.push_back(reap(r));
        submit(r, misaligned);
        for (unsigned i = 4; i < 7; i++)
            submit(r, blocks[i]->pa);
        wait_cq(tb, r, 4);
        for (int i = 0; i < 4; i++)
            cq.push_back(reap(r));
        for (unsigned i = 7; i < NB; i++)
            submit(r, blocks[i]->pa);
        wait_cq(tb, r, 2);
        for (int i = 0; i < 2; i++)
            cq.push_back(reap(r));
        err = r.err();
    }));
    REQUIRE(cq.size() == NB + 1);
    for (unsigned i = 0; i < 4; i++) {
        INFO("block " << i);
        CHECK(cq[i].addr == blocks[i]->pa);
        CHECK(cq[i].status == (XX_CQ_VALID | XX_ERR_BAD_CMD));
        CHECK(blocks[i]->status() == (XX_IOPB_DONE | XX_ERR_BAD_CMD));
        CHECK(blocks[i]->resid() == 300);
        CHECK(blocks[i]->fault() == 0);
    }
    CHECK(cq[4].addr == misaligned);
    CHECK(cq[4].status == (XX_CQ_VALID | XX_CQ_NO_WRITEBACK | XX_ERR_BAD_CMD));
    for (unsigned i = 4; i < 8; i++) {
        INFO("block " << i);
        CHECK(cq[i + 1].addr == blocks[i]->pa);
        CHECK(cq[i + 1].status == (XX_CQ_VALID | XX_ERR_BAD_CMD));
        CHECK(XX_IOPB_CODE(blocks[i]->status()) == XX_ERR_BAD_CMD);
        CHECK(blocks[i]->resid() == cq[i + 1].resid);
    }
    CHECK(cq[9].addr == blocks[8]->pa);
    CHECK(cq[9].status == XX_CQ_VALID);
    CHECK(blocks[8]->status() == XX_IOPB_DONE);
    // only the good block's data reached the device
    std::vector<uint8_t> want = disk0;
    std::memcpy(&want[8 * 512], d.data, 100);
    std::memcpy(&want[8 * 512 + 100], d.data + 1000, 200);
    CHECK(tb.sim().disk().data() == want);
    CHECK(err == 0);                   // register mode's err is untouched
    CHECK(d.guards_intact());
}

TEST_CASE("queue: the protection window bounds the entries, the block and its list (CODE 6)", "[engine][queue][errors]")
{
    uint64_t seed = test_seed(1107);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 64 * 512, rng);
    const std::vector<uint8_t> disk0 = tb.sim().disk().data();
    // allocated in address order: the window covers the first group only
    Block good(tb, 1, 0), ent_out(tb, 2, 64), list_out(tb, 0, 128);
    GuardedBuffer in(tb, 2048);
    std::memset(in.data, 0x42, in.len);
    const uint64_t lo = good.pa, hi = paddr_of(tb, in.data) + in.len;
    GuardedBuffer out(tb, 2048);
    std::memset(out.data, 0x43, out.len);
    List outl(tb, 1, 0);
    Block blk_out(tb, 1, 0);
    REQUIRE(paddr_of(tb, out.data) >= hi);
    REQUIRE(outl.pa >= hi);
    REQUIRE(blk_out.pa >= hi);
    good.header(XX_CTL_DIR_READ, 1, 0, 512);
    good.entry(0, paddr_of(tb, in.data), 512);
    ent_out.header(XX_CTL_DIR_READ, 2, 0, 1024);
    ent_out.entry(0, paddr_of(tb, in.data) + 512, 512);
    ent_out.entry(1, paddr_of(tb, out.data), 512);
    list_out.header(XX_CTL_DIR_READ, 1, 0, 512, 0, outl.pa);
    outl.entry(0, paddr_of(tb, in.data), 512);
    blk_out.header(XX_CTL_DIR_READ, 1, 0, 512);
    blk_out.entry(0, paddr_of(tb, in.data), 512);
    std::vector<Cqe> cq;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_PROT_BASE, static_cast<uint32_t>(lo));
        r.wr(XX_REG_PROT_BASE_HI, static_cast<uint32_t>(lo >> 32));
        r.wr(XX_REG_PROT_LIMIT, static_cast<uint32_t>(hi));
        r.wr(XX_REG_PROT_LIMIT_HI, static_cast<uint32_t>(hi >> 32));
        r.wr(XX_REG_PROT_CTL, XX_PROT_ENABLE);
        cq = run_blocks(tb, r, {&ent_out, &list_out, &blk_out, &good});
    }));
    REQUIRE(cq.size() == 4);
    CHECK(cq[0].status == (XX_CQ_VALID | XX_ERR_PROTECTION));
    CHECK(ent_out.status() == (XX_IOPB_DONE | XX_ERR_PROTECTION));
    CHECK(ent_out.fault() == paddr_of(tb, out.data));
    CHECK(ent_out.resid() == 1024);
    CHECK(cq[1].status == (XX_CQ_VALID | XX_ERR_PROTECTION));
    CHECK(list_out.status() == (XX_IOPB_DONE | XX_ERR_PROTECTION));
    CHECK(list_out.fault() == outl.pa);
    CHECK(cq[2].addr == blk_out.pa);
    CHECK(cq[2].status == (XX_CQ_VALID | XX_CQ_NO_WRITEBACK | XX_ERR_PROTECTION));
    CHECK(blk_out.untouched());
    CHECK(cq[3].status == XX_CQ_VALID);
    CHECK(std::memcmp(in.data, &disk0[0], 512) == 0);
    for (size_t i = 512; i < in.len; i++)
        REQUIRE(in.data[i] == 0x42);
    for (size_t i = 0; i < out.len; i++)
        REQUIRE(out.data[i] == 0x43);
}

TEST_CASE("queue: data and device errors inside queued blocks are reported in their status", "[engine][queue][errors]")
{
    uint64_t seed = test_seed(1108);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 256 * 512, rng);
    const unsigned bytes = tb.sim().data_bytes();
    GuardedBuffer wr(tb, 8192), rd(tb, 8192), dv(tb, 4096), ok(tb, 4096);
    fill_random(wr.data, wr.len, rng);
    std::memset(rd.data, 0x33, rd.len);
    const uint64_t wbad = paddr_of(tb, wr.data) + 3000 / bytes * bytes;
    const uint64_t rbad = paddr_of(tb, rd.data) + 5000 / bytes * bytes;
    tb.sim().memory().add_error_range(wbad, wbad + bytes - 1, 2);
    tb.sim().memory().add_error_range(rbad, rbad + bytes - 1, 3);
    tb.sim().disk().fail_block(104);
    Block b0(tb, 1, 0), b1(tb, 1, 64), b2(tb, 1, 128), b3(tb, 1, 192);
    b0.header(XX_CTL_DIR_WRITE, 1, 10, 8192);      // memory read error: CODE 1
    b0.entry(0, paddr_of(tb, wr.data), 8192);
    b1.header(XX_CTL_DIR_READ, 1, 30, 8192);       // memory write error: CODE 2
    b1.entry(0, paddr_of(tb, rd.data), 8192);
    b2.header(XX_CTL_DIR_READ, 1, 100, 4096);      // device error: CODE 4
    b2.entry(0, paddr_of(tb, dv.data), 4096);
    b3.header(XX_CTL_DIR_READ, 1, 50, 4096);
    b3.entry(0, paddr_of(tb, ok.data), 4096);
    std::vector<Cqe> cq;
    uint32_t resid_reg = 1;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        cq = run_blocks(tb, r, {&b0, &b1, &b2, &b3});
        resid_reg = r.rd(XX_REG_RESID);
    }));
    REQUIRE(cq.size() == 4);
    CHECK(cq[0].status == (XX_CQ_VALID | XX_ERR_DATA_READ));
    CHECK(b0.status() == (XX_IOPB_DONE | XX_ERR_DATA_READ));
    CHECK(b0.fault() == wbad);
    CHECK(b0.resid() == cq[0].resid);
    CHECK(b0.resid() >= 8192 - (wbad - paddr_of(tb, wr.data)));
    CHECK(cq[1].status == (XX_CQ_VALID | XX_ERR_DATA_WRITE));
    CHECK(b1.status() == (XX_IOPB_DONE | XX_ERR_DATA_WRITE));
    CHECK(b1.fault() <= rbad);
    CHECK(b1.fault() >= paddr_of(tb, rd.data));
    CHECK(b1.resid() == cq[1].resid);
    CHECK(b1.resid() >= 8192 - (rbad - paddr_of(tb, rd.data)));
    CHECK(std::memcmp(rd.data, &tb.sim().disk().data()[30 * 512], 8192 - b1.resid()) == 0);
    CHECK(cq[2].status == (XX_CQ_VALID | XX_ERR_DEVICE));
    CHECK(b2.status() == (XX_IOPB_DONE | XX_ERR_DEVICE));
    CHECK(cq[3].status == XX_CQ_VALID);
    CHECK(std::memcmp(ok.data, &tb.sim().disk().data()[50 * 512], 4096) == 0);
    CHECK(resid_reg == 0);             // register mode's resid is untouched
    for (GuardedBuffer* g : {&wr, &rd, &dv, &ok})
        CHECK(g->guards_intact());
}

TEST_CASE("queue: ABORT ends the running block with CODE 7 and every waiting one NOT_STARTED", "[engine][queue][abort]")
{
    uint64_t seed = test_seed(1109);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 512 * 512, rng);
    GuardedBuffer big(tb, 65536), small(tb, 2048), after(tb, 2048);
    std::memset(big.data, 0x66, big.len);
    std::memset(small.data, 0x67, small.len);
    Block b0(tb, 1, 0), b1(tb, 1, 64), b2(tb, 1, 128), b3(tb, 1, 192), b1_next(tb, 1, 256), b4(tb, 1, 320);
    b0.header(XX_CTL_DIR_READ, 1, 0, 65536);
    b0.entry(0, paddr_of(tb, big.data), 65536);
    for (Block* b : {&b1, &b2, &b3, &b1_next}) {
        b->header(XX_CTL_DIR_READ, 1, 300, 2048);
        b->entry(0, paddr_of(tb, small.data), 2048);
    }
    b1.header(XX_CTL_DIR_READ, 1, 300, 2048, b1_next.pa);
    b4.header(XX_CTL_DIR_READ, 1, 400, 2048);
    b4.entry(0, paddr_of(tb, after.data), 2048);
    uint64_t abort_after = 300 + rng() % 3000;
    std::vector<Cqe> cq;
    uint32_t qs_after = 1;
    uint8_t reg_err = 0xff;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        for (Block* b : {&b0, &b1, &b2, &b3})
            submit(r, b->pa);
        delay(abort_after);
        r.wr8(XX_REG_CSR, CSR_ABORT);
        wait_cq(tb, r, 4);
        for (int i = 0; i < 4; i++)
            cq.push_back(reap(r));
        wait_queue_idle(tb, r);
        delay(2000);
        qs_after = r.rd(XX_REG_QUEUE_STATUS);
        reg_err = r.err();
        // usable at once
        submit(r, b4.pa);
        wait_cq(tb, r, 1);
        cq.push_back(reap(r));
    }));
    REQUIRE(cq.size() == 5);
    CHECK(cq[0].addr == b0.pa);
    CHECK(cq[0].status == (XX_CQ_VALID | XX_ERR_ABORTED));
    CHECK(b0.status() == (XX_IOPB_DONE | XX_ERR_ABORTED));
    CHECK(b0.resid() == cq[0].resid);
    CHECK(b0.resid() > 0);
    CHECK(std::memcmp(big.data, &tb.sim().disk().data()[0], 65536 - b0.resid()) == 0);
    const Block* waiting[3] = {&b1, &b2, &b3};
    for (int i = 0; i < 3; i++) {
        INFO("waiting block " << i);
        CHECK(cq[i + 1].addr == waiting[i]->pa);
        CHECK(cq[i + 1].status == (XX_CQ_VALID | XX_CQ_NOT_STARTED | XX_ERR_ABORTED));
        CHECK(cq[i + 1].resid == 0);
        CHECK(waiting[i]->status() == (XX_IOPB_DONE | XX_IOPB_NOT_STARTED | XX_ERR_ABORTED));
        CHECK(waiting[i]->resid() == 0);
        CHECK(waiting[i]->fault() == 0);
    }
    CHECK(b1_next.untouched());          // no chain followed after the abort
    for (size_t i = 0; i < small.len; i++)
        REQUIRE(small.data[i] == 0x67);
    CHECK(qs_after == 0);
    CHECK(reg_err == 0);
    CHECK(cq[4].status == XX_CQ_VALID);
    CHECK(std::memcmp(after.data, &tb.sim().disk().data()[400 * 512], 2048) == 0);
    CHECK(big.guards_intact());
}

TEST_CASE("queue: SOFT_RESET with a full queue empties SQ and CQ without write-backs", "[engine][queue][reset]")
{
    uint64_t seed = test_seed(1110);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 512 * 512, rng);
    GuardedBuffer big(tb, 65536), small(tb, 1024), after(tb, 1024);
    std::vector<std::unique_ptr<Block>> blocks;
    for (unsigned i = 0; i < 8; i++) {
        blocks.push_back(std::make_unique<Block>(tb, 1, 64 * i));
        blocks[i]->header(XX_CTL_DIR_READ, 1, 300, 1024);
        blocks[i]->entry(0, paddr_of(tb, small.data), 1024);
    }
    blocks[2]->header(XX_CTL_DIR_READ, 1, 0, 65536);
    blocks[2]->entry(0, paddr_of(tb, big.data), 65536);
    blocks[7]->header(XX_CTL_DIR_READ, 1, 400, 1024);
    blocks[7]->entry(0, paddr_of(tb, after.data), 1024);
    uint64_t last_write = 0;
    tb.sim().memory().on_write = [&](uint64_t, uint64_t) { last_write = tb.sim().cycle(); };
    uint32_t qs_full = 0, qs = 1, cs = 1, ia = 1, co = 1, irqs = 1;
    uint64_t idle_at = 0;
    bool irq_seen = false;
    Cqe last;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_IRQ_COALESCE, XX_COALESCE(8, 0));
        r.wr8(XX_REG_CSR, ENABLE_INTERRUPTS);
        submit(r, blocks[0]->pa);
        submit(r, blocks[1]->pa);
        wait_cq(tb, r, 2);                 // two completions not popped
        for (unsigned i = 2; i < 7; i++)
            submit(r, blocks[i]->pa);
        qs_full = r.rd(XX_REG_QUEUE_STATUS);
        // at a random point: fetches, the long block's data or a write-back on the bus
        delay(rng() % 3000);
        r.wr8(XX_REG_CSR, CSR_SOFT_RESET);
        uint64_t t0 = tb.sim().cycle();
        while (r.csr() & CSR_BUSY) {
            irq_seen = irq_seen || tb.sim().irq();
            REQUIRE(tb.sim().cycle() - t0 < 1'000'000);
            delay(10);
        }
        idle_at = tb.sim().cycle();
        delay(2000);
        irq_seen = irq_seen || tb.sim().irq();
        qs = r.rd(XX_REG_QUEUE_STATUS);
        cs = r.rd(XX_REG_CQ_STATUS);
        ia = r.rd(XX_REG_IOPB_ADDR);
        co = r.rd(XX_REG_IRQ_COALESCE);
        irqs = r.rd(XX_REG_IRQ_STATUS);
        tb.sim().memory().on_write = nullptr;
        submit(r, blocks[7]->pa);
        wait_cq(tb, r, 1);
        last = reap(r);
    }));
    CHECK(XX_QS_CQ_COUNT(qs_full) == 2);
    CHECK(XX_QS_SQ_COUNT(qs_full) + XX_QS_CQ_COUNT(qs_full) >= 3);
    CHECK(!irq_seen);
    CHECK(qs == 0);
    CHECK(cs == 0);
    CHECK(ia == 0);
    CHECK(co == 0);
    CHECK(irqs == 0);
    CHECK(last_write <= idle_at);
    for (unsigned i = 2; i < 7; i++) {
        INFO("block " << i);
        CHECK(blocks[i]->untouched());
    }
    CHECK(last.addr == blocks[7]->pa);
    CHECK(last.status == XX_CQ_VALID);
    CHECK(std::memcmp(after.data, &tb.sim().disk().data()[400 * 512], 1024) == 0);
    CHECK(big.guards_intact());
}

TEST_CASE("queue: START is refused while the queue works; a doorbell during a register-mode command waits for it", "[engine][queue]")
{
    uint64_t seed = test_seed(1111);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 512 * 512, rng);
    GuardedBuffer regbuf(tb, 32768), qbuf(tb, 4096), big(tb, 65536), reg2(tb, 512);
    std::memset(reg2.data, 0x29, reg2.len);
    Block qb(tb, 1, 0), long_b(tb, 1, 64);
    qb.header(XX_CTL_DIR_READ, 1, 100, 4096);
    qb.entry(0, paddr_of(tb, qbuf.data), 4096);
    long_b.header(XX_CTL_DIR_READ, 1, 200, 65536);
    long_b.entry(0, paddr_of(tb, big.data), 65536);
    uint32_t cq_during = 1, sq_during = 0, resid_reg = 1, xfer_reg = 0, irqs = 0;
    uint8_t csr_during = 0, err_start = 0;
    Cqe c0, c1;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, regbuf.data)));
        r.wr(XX_REG_DMA_SIZE, 32768);
        r.start(XX_CTL_DIR_READ, 0, 0);
        submit(r, qb.pa);
        uint32_t qs = r.rd(XX_REG_QUEUE_STATUS);
        cq_during = XX_QS_CQ_COUNT(qs);
        sq_during = XX_QS_SQ_COUNT(qs);
        r.wait_done();
        wait_cq(tb, r, 1);
        c0 = reap(r);
        r.clear();
        // a long queued block: START is refused, the result registers stay
        submit(r, long_b.pa);
        delay(200);
        csr_during = r.csr();
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, reg2.data)));
        r.wr(XX_REG_DMA_SIZE, 512);
        r.start(XX_CTL_DIR_READ, 500, 0);
        err_start = r.err();
        wait_cq(tb, r, 1);
        c1 = reap(r);
        resid_reg = r.rd(XX_REG_RESID);
        xfer_reg = r.rd(XX_REG_XFER_COUNT);
        irqs = r.rd(XX_REG_IRQ_STATUS);
    }));
    CHECK(cq_during == 0);
    CHECK(sq_during == 1);
    CHECK(std::memcmp(regbuf.data, &tb.sim().disk().data()[0], 32768) == 0);
    CHECK(c0.addr == qb.pa);
    CHECK(c0.status == XX_CQ_VALID);
    CHECK(std::memcmp(qbuf.data, &tb.sim().disk().data()[100 * 512], 4096) == 0);
    CHECK((csr_during & CSR_BUSY) != 0);
    CHECK((err_start & XX_ERR_IGNORED) != 0);
    CHECK(XX_ERR_CODE(err_start) == 0);
    CHECK(c1.status == XX_CQ_VALID);
    CHECK(resid_reg == 0);
    CHECK(xfer_reg == 32768);          // still the register-mode command's
    CHECK(irqs == 0);                  // cleared; queued blocks set no DONE/ERROR
    for (size_t i = 0; i < reg2.len; i++)
        REQUIRE(reg2.data[i] == 0x29);
    CHECK(std::memcmp(big.data, &tb.sim().disk().data()[200 * 512], 65536) == 0);
}

namespace {

// Many blocks of random entries (inline or listed, both directions, some
// chained, one in ten with a bad direction), submitted as fast as the SQ takes them and reaped in order;
// every byte, status and completion checked.
void queue_random(unsigned width, uint64_t seed_default)
{
    uint64_t seed = test_seed(seed_default);
    TestbenchConfig cfg = stressed_config(seed);
    cfg.data_width = width;
    Testbench tb(cfg);
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], tb.sim().disk().data().size(), rng);
    const unsigned NB = 40;
    struct Item {
        std::unique_ptr<SgList> l;
        std::unique_ptr<Block> b;
        std::unique_ptr<List> list;
        uint32_t dir, dev;
        bool chained;    // reached through the previous block's next
        bool bad;        // bad direction: CODE 5, nothing moves
    };
    std::vector<Item> items(NB);
    uint32_t dev = 0;
    for (unsigned i = 0; i < NB; i++) {
        Item& it = items[i];
        unsigned n = 1 + rng() % 6;
        it.l = std::make_unique<SgList>(tb, n, 1, 1 + rng() % 1500, rng, 2 * width / 8);
        bool use_list = rng() % 2;
        it.b = std::make_unique<Block>(tb, use_list ? 0 : n, 64 * (rng() % 60));
        if (use_list)
            it.list = std::make_unique<List>(tb, n, 16 * (rng() % 200));
        it.dir = (rng() % 2) ? XX_CTL_DIR_READ : XX_CTL_DIR_WRITE;
        it.dev = dev;
        dev += (it.l->total + 511) / 512;
        it.chained = i > 0 && rng() % 4 == 0;
        it.bad = rng() % 10 == 0;
        if (it.dir == XX_CTL_DIR_WRITE)
            it.l->fill(rng);
        else
            for (size_t k = 0; k < it.l->sizes.size(); k++)
                std::memset(it.l->seg(k), 0x99, it.l->sizes[k]);
        fill_entries(tb, *it.b, *it.l, it.list.get());
    }
    REQUIRE(dev * 512 <= tb.sim().disk().data().size());
    for (unsigned i = 0; i < NB; i++) {
        uint64_t next = (i + 1 < NB && items[i + 1].chained) ? items[i + 1].b->pa : 0;
        items[i].b->header(items[i].bad ? 3 : items[i].dir, static_cast<unsigned>(items[i].l->sizes.size()),
                           items[i].dev, items[i].l->total, next, items[i].list ? items[i].list->pa : 0);
    }
    const std::vector<uint8_t> disk0 = tb.sim().disk().data();
    std::vector<Cqe> cq;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_IRQ_COALESCE, XX_COALESCE(1 + rng() % 4, 500));
        unsigned next = 0;
        while (cq.size() < NB) {
            // submit what the SQ takes (a chained block comes with its head)
            while (next < NB) {
                uint32_t qs = r.rd(XX_REG_QUEUE_STATUS);
                if (XX_QS_SQ_COUNT(qs) >= 4)
                    break;
                submit(r, items[next].b->pa);
                next++;
                while (next < NB && items[next].chained)
                    next++;
            }
            uint32_t qs = r.rd(XX_REG_QUEUE_STATUS);
            unsigned n = XX_QS_CQ_COUNT(qs);
            for (unsigned k = 0; k < n; k++)
                cq.push_back(reap(r));
            if (n == 0)
                delay(50);
        }
        delay(1000);
        CHECK(r.rd(XX_REG_QUEUE_STATUS) == 0);
    }));
    REQUIRE(cq.size() == NB);
    for (unsigned i = 0; i < NB; i++) {
        INFO("block " << i << (items[i].chained ? " (chained)" : "") << (items[i].list ? " list" : " inline"));
        const Item& it = items[i];
        CHECK(cq[i].addr == it.b->pa);
        CHECK(it.b->driver_bytes_intact());
        std::vector<uint8_t> want(disk0.begin() + it.dev * 512, disk0.begin() + it.dev * 512 + it.l->total);
        if (it.bad) {
            CHECK(cq[i].status == (XX_CQ_VALID | XX_ERR_BAD_CMD));
            CHECK(it.b->status() == (XX_IOPB_DONE | XX_ERR_BAD_CMD));
            CHECK(it.b->resid() == it.l->total);
            CHECK(disk_bytes(tb, it.dev, it.l->total) == want);     // nothing moved either way
            if (it.dir == XX_CTL_DIR_READ)
                for (size_t k = 0; k < it.l->sizes.size(); k++)
                    for (uint32_t j = 0; j < it.l->sizes[k]; j++)
                        REQUIRE(it.l->seg(k)[j] == 0x99);
            CHECK(it.l->guards_intact());
            continue;
        }
        CHECK(cq[i].status == XX_CQ_VALID);
        CHECK(it.b->status() == XX_IOPB_DONE);
        CHECK(it.b->resid() == 0);
        if (it.dir == XX_CTL_DIR_WRITE)
            CHECK(disk_bytes(tb, it.dev, it.l->total) == it.l->gather());
        else
            CHECK(it.l->gather() == want);
        CHECK(it.l->guards_intact());
    }
}

} // namespace

TEST_CASE("queue: random blocks on the 32-bit engine", "[engine][queue][random]")
{
    queue_random(32, 1120);
}

TEST_CASE("queue: random blocks on the 64-bit engine", "[engine][queue][random]")
{
    queue_random(64, 1121);
}

TEST_CASE("queue: random blocks on the 128-bit engine", "[engine][queue][random]")
{
    queue_random(128, 1122);
}

TEST_CASE("queue: a status write-back that fails still completes, with NO_WRITEBACK", "[engine][queue][errors]")
{
    uint64_t seed = test_seed(1112);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 64 * 512, rng);
    GuardedBuffer d0(tb, 1536), d1(tb, 1536);
    Block b0(tb, 1, 0), b1(tb, 1, 64);
    b0.header(XX_CTL_DIR_READ, 1, 3, 1536);
    b0.entry(0, paddr_of(tb, d0.data), 1536);
    b1.header(XX_CTL_DIR_READ, 1, 9, 1536);
    b1.entry(0, paddr_of(tb, d1.data), 1536);
    // b0's status words answer SLVERR; its header and entries read fine
    tb.sim().memory().add_error_range(b0.pa + 0x2c, b0.pa + 0x2f, 2);
    std::vector<Cqe> cq;
    uint32_t irqs = 0;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_IRQ_COALESCE, XX_COALESCE(4, 0));
        submit(r, b0.pa);
        wait_cq(tb, r, 1);
        delay(4);
        irqs = r.rd(XX_REG_IRQ_STATUS);   // at once, like an error
        submit(r, b1.pa);
        wait_cq(tb, r, 2);
        cq.push_back(reap(r));
        cq.push_back(reap(r));
    }));
    REQUIRE(cq.size() == 2);
    CHECK(cq[0].addr == b0.pa);
    CHECK(cq[0].status == (XX_CQ_VALID | XX_CQ_NO_WRITEBACK));
    CHECK(cq[0].resid == 0);
    CHECK(irqs == XX_IRQ_QUEUE);
    CHECK(std::memcmp(d0.data, &tb.sim().disk().data()[3 * 512], 1536) == 0);
    CHECK(cq[1].status == XX_CQ_VALID);
    CHECK(b1.status() == XX_IOPB_DONE);
    CHECK(std::memcmp(d1.data, &tb.sim().disk().data()[9 * 512], 1536) == 0);
}

TEST_CASE("queue: SGLLEN entries inline and in a list, across 4 KiB pages", "[engine][queue]")
{
    uint64_t seed = test_seed(1113);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 256 * 512, rng);
    SgList wl(tb, 16, 1, 700, rng, 5), rl(tb, 16, 1, 700, rng, 5);
    wl.fill(rng);
    for (size_t k = 0; k < rl.sizes.size(); k++)
        std::memset(rl.seg(k), 0x44, rl.sizes[k]);
    // the inline entries start 0x40 before a page ends; the list 0x30 before
    Block bw(tb, 16, 4096 - 128), br(tb, 0, 0);
    List lst(tb, 16, 4096 - 48);
    bw.header(XX_CTL_DIR_WRITE, 16, 0, wl.total);
    fill_entries(tb, bw, wl);
    br.header(XX_CTL_DIR_READ, 16, 100, rl.total, 0, lst.pa);
    fill_entries(tb, br, rl, &lst);
    std::vector<Cqe> cq;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        submit(r, bw.pa);
        submit(r, br.pa);
        wait_cq(tb, r, 2);
        cq.push_back(reap(r));
        cq.push_back(reap(r));
    }));
    REQUIRE(cq.size() == 2);
    CHECK(cq[0].status == XX_CQ_VALID);
    CHECK(cq[1].status == XX_CQ_VALID);
    CHECK(bw.status() == XX_IOPB_DONE);
    CHECK(br.status() == XX_IOPB_DONE);
    CHECK(disk_bytes(tb, 0, wl.total) == wl.gather());
    CHECK(rl.gather() == disk_bytes(tb, 100, rl.total));
    CHECK(wl.guards_intact());
    CHECK(rl.guards_intact());
    CHECK(bw.driver_bytes_intact());
    CHECK(br.driver_bytes_intact());
}

TEST_CASE("queue: ABORT during a register-mode command also completes the queued blocks NOT_STARTED", "[engine][queue][abort]")
{
    uint64_t seed = test_seed(1114);
    Testbench tb(stressed_config(seed));
    std::mt19937_64 rng(seed);
    fill_random(&tb.sim().disk().data()[0], 512 * 512, rng);
    GuardedBuffer regbuf(tb, 65536), qbuf(tb, 1024), after(tb, 1024);
    std::memset(qbuf.data, 0x21, qbuf.len);
    Block qb(tb, 1, 0), qb2(tb, 1, 64);
    qb.header(XX_CTL_DIR_READ, 1, 300, 1024);
    qb.entry(0, paddr_of(tb, qbuf.data), 1024);
    qb2.header(XX_CTL_DIR_READ, 1, 310, 1024);
    qb2.entry(0, paddr_of(tb, after.data), 1024);
    uint8_t err = 0;
    Cqe c, c2;
    REQUIRE(tb.run([&] {
        Regs r{tb};
        r.wr(XX_REG_DMA_ADDR, static_cast<uint32_t>(paddr_of(tb, regbuf.data)));
        r.wr(XX_REG_DMA_SIZE, 65536);
        r.start(XX_CTL_DIR_READ, 0, 0);
        submit(r, qb.pa);
        delay(500 + rng() % 2000);
        r.wr8(XX_REG_CSR, CSR_ABORT);
        r.wait_done();
        err = r.err();
        wait_cq(tb, r, 1);
        c = reap(r);
        submit(r, qb2.pa);
        wait_cq(tb, r, 1);
        c2 = reap(r);
    }));
    CHECK(XX_ERR_CODE(err) == XX_ERR_ABORTED);
    CHECK(c.addr == qb.pa);
    CHECK(c.status == (XX_CQ_VALID | XX_CQ_NOT_STARTED | XX_ERR_ABORTED));
    CHECK(qb.status() == (XX_IOPB_DONE | XX_IOPB_NOT_STARTED | XX_ERR_ABORTED));
    for (size_t i = 0; i < qbuf.len; i++)
        REQUIRE(qbuf.data[i] == 0x21);
    CHECK(c2.status == XX_CQ_VALID);
    CHECK(std::memcmp(after.data, &tb.sim().disk().data()[310 * 512], 1024) == 0);
}
