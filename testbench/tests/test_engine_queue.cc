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
        for (Block* b : {&b0, &b1, &b2, &b3})
            submit(r, b->pa);
        wait_cq(tb, r, 4);
        for (int i = 0; i < 4; i++)
            cq.push_back(reap(r));
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
