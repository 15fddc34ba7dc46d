#include "selftest.h"

#include <algorithm>
#include <random>
#include <vector>

namespace fpga {

namespace {

// registers (docs/register-map.md)
constexpr uint16_t R_ID = 0x00, R_CAP = 0x04, R_CSR = 0x08, R_CTL = 0x0c, R_ADDR = 0x10,
                   R_SIZE = 0x18, R_BLOCK = 0x1c, R_RESID = 0x20, R_XFER = 0x2c;
constexpr uint32_t CSR_ENABLE_INTERRUPTS = 0x01, CSR_START = 0x02, CSR_INTERRUPTING = 0x04,
                   CSR_DEVICE_ERROR = 0x08, CSR_CLEAR_INTERRUPT = 0x10;
constexpr uint32_t DIR_WRITE = 1, DIR_READ = 2;     // DDI_DMA_WRITE, DDI_DMA_READ

struct Checker {
    std::ostream& log;
    int failures = 0;
    void operator()(bool ok, const char* what)
    {
        if (!ok) {
            log << "FAIL: " << what << "\n";
            failures++;
        }
    }
};

// program one command, start it with interrupts on, poll STATUS for irq
// (bounded), return csr and clear the interrupt
uint32_t dma(Bridge& br, uint32_t dir, uint32_t addr, uint32_t size, uint32_t block, Checker& check)
{
    br.reg_write(R_CTL, dir);
    br.reg_write(R_ADDR, addr);
    br.reg_write(R_SIZE, size);
    br.reg_write(R_BLOCK, block);
    br.reg_write(R_CSR, CSR_ENABLE_INTERRUPTS | CSR_START, 0x1);
    int polls = 0;
    while (!br.irq() && polls++ < 1000)
        br.nop();
    check(br.irq(), "the engine's interrupt never came");
    uint32_t csr = br.reg_read(R_CSR);
    br.reg_write(R_CSR, CSR_ENABLE_INTERRUPTS | CSR_CLEAR_INTERRUPT, 0x1);
    return csr;
}

} // namespace

int selftest(Bridge& br, const BoardShape& shape, uint64_t seed, std::ostream& log)
{
    log << "selftest: seed " << seed << " (replay with DMA_SEED=" << seed << ")\n";
    std::mt19937_64 rng(seed);
    auto pick = [&](uint64_t n) { return static_cast<uint32_t>(rng() % n); };
    Checker check{log};

    br.nop();
    uint32_t id = br.reg_read(R_ID);
    check((id >> 8) == 0x444d41, "id register reads \"DMA\"");
    uint32_t cap = br.reg_read(R_CAP);
    check(((cap >> 8) & 0xf) == 2, "cap says a 32-bit bus");

    // bytes at an odd address and length, through the bridge only
    {
        uint32_t len = 1 + pick(61), addr = 0x100 + pick(8);
        std::vector<uint8_t> out(len), in(len);
        for (auto& b : out) b = static_cast<uint8_t>(rng());
        br.mem_write(addr, out.data(), len);
        br.mem_read(addr, in.data(), len);
        check(in == out, "memory bytes come back (odd address and length)");
    }

    // memory A -> disk -> memory B
    uint32_t nblk = 1 + pick(shape.disk_blocks < 3 ? shape.disk_blocks : 3);
    uint32_t len = 512 * nblk;
    uint32_t blk = pick(shape.disk_blocks - nblk + 1);
    uint32_t half = shape.mem_bytes / 2;
    uint32_t a = 4 * pick((half - len) / 4), b = half + 4 * pick((half - len - 4) / 4);
    log << "selftest: " << len << " bytes, memory 0x" << std::hex << a << " -> disk block "
        << std::dec << blk << " -> memory 0x" << std::hex << b << std::dec << "\n";
    std::vector<uint8_t> da(len), db(len + 4), got(len + 4);
    for (auto& x : da) x = static_cast<uint8_t>(rng());
    for (auto& x : db) x = static_cast<uint8_t>(rng());
    br.mem_write(a, da.data(), len);
    br.mem_write(b, db.data(), len + 4);

    uint32_t csr = dma(br, DIR_WRITE, a, len, blk, check);
    check((csr & CSR_INTERRUPTING) && !(csr & CSR_DEVICE_ERROR), "write to the disk succeeds");
    check(br.reg_read(R_RESID) == 0, "write: resid 0");
    check(br.reg_read(R_XFER) == len, "write: xfer_count is the size");

    csr = dma(br, DIR_READ, b, len, blk, check);
    check((csr & CSR_INTERRUPTING) && !(csr & CSR_DEVICE_ERROR), "read from the disk succeeds");
    br.mem_read(b, got.data(), len + 4);
    check(std::equal(da.begin(), da.end(), got.begin()), "the data comes back from the disk");
    check(std::equal(db.begin() + len, db.end(), got.begin() + len), "nothing written past the buffer");

    // past the end of the disk: a device error, resid the whole size
    csr = dma(br, DIR_READ, b, 1024, shape.disk_blocks - 1, check);
    check((csr & CSR_DEVICE_ERROR) && ((csr >> 8) & 0xf) == 4, "a read past the disk's end fails with CODE 4");
    check(br.reg_read(R_RESID) == 1024, "and its resid is the size");

    log << (check.failures ? "selftest: FAILED (" : "selftest: passed (") << check.failures
        << " failures, seed " << seed << ")\n";
    return check.failures;
}

} // namespace fpga
