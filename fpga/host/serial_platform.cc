#include "serial_platform.h"

#include <chrono>

#include "ddi/physmem.h"

namespace fpga {

namespace {

// register offsets (docs/register-map.md)
constexpr uint64_t R_CSR = 0x08, R_CTL = 0x0c, R_ADDR = 0x10, R_SIZE = 0x18, R_SG_COUNT = 0x34,
                   R_SGLIST = 0x100;
constexpr uint32_t CSR_START = 0x02, CSR_INTERRUPTING = 0x04;
constexpr uint32_t DIR_READ = 2;            // DDI_DMA_READ: device to memory
constexpr size_t SG_MAX = 240;

uint64_t now_us()
{
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now().time_since_epoch()).count());
}

} // namespace

ddi::host::HostOptions SerialPlatform::options(uint64_t mem_bytes)
{
    ddi::host::HostOptions o;
    o.ram_base = 0;
    o.ram_bytes = mem_bytes;
    return o;
}

SerialPlatform::SerialPlatform(Bridge& br, uint64_t mem_bytes, int line, unsigned poll_us)
    : HostPlatform(options(mem_bytes)), br_(br), line_(line), poll_us_(poll_us), sg_(SG_MAX * 4, 0)
{
    poller_ = std::thread([this] { poller(); });
}

SerialPlatform::~SerialPlatform()
{
    stop_ = true;
    if (poller_.joinable())
        poller_.join();
}

std::vector<std::pair<uint64_t, uint64_t>> SerialPlatform::segments() const
{
    std::vector<std::pair<uint64_t, uint64_t>> s;
    if (sg_count_ == 0) {
        s.emplace_back(addr_, size_);
    } else {
        for (uint32_t i = 0; i < sg_count_ && i < SG_MAX; i++)
            s.emplace_back(uint64_t(sg_[4 * i]) | uint64_t(sg_[4 * i + 1]) << 32, sg_[4 * i + 2]);
    }
    return s;
}

// Copy the parts of segs that lie in the mirror; what lies outside is not
// memory on the board either (the engine gets SLVERR there).
void SerialPlatform::copy(const std::vector<std::pair<uint64_t, uint64_t>>& segs, bool to_board)
{
    ddi::PhysMem& m = memory();
    for (auto [a, n] : segs) {
        if (a >= m.base() + m.size())
            continue;
        if (a + n > m.base() + m.size())
            n = m.base() + m.size() - a;
        uint8_t* p = m.direct(a, n);
        if (!p || n == 0)
            continue;
        if (to_board) {
            br_.mem_write(static_cast<uint32_t>(a), p, n);
            pushed_ += n;
        } else {
            br_.mem_read(static_cast<uint32_t>(a), p, n);
            pulled_ += n;
        }
    }
}

// After each transaction (bus_ held): when the line went up, copy back what
// the finished command wrote, then show the line to the platform.
void SerialPlatform::after(std::unique_lock<std::mutex>& lk)
{
    bool irq = br_.irq();
    if (irq && !pull_.empty()) {
        auto segs = std::move(pull_);
        pull_.clear();
        copy(segs, false);
    }
    last_access_ = now_us();
    bool changed = irq != irq_;
    irq_ = irq;
    lk.unlock();
    if (changed)
        set_level(line_, irq);
}

uint32_t SerialPlatform::read(uint64_t offset, unsigned size)
{
    std::unique_lock<std::mutex> lk(bus_);
    uint32_t word = br_.reg_read(static_cast<uint16_t>(offset & ~3ull));
    // a driver that polls csr with interrupts off sees INTERRUPTING without
    // the line: the data comes back before it can see that either
    if ((offset & ~3ull) == R_CSR && (word & CSR_INTERRUPTING) && !pull_.empty()) {
        auto segs = std::move(pull_);
        pull_.clear();
        copy(segs, false);
    }
    after(lk);
    uint32_t v = word >> (8 * (offset & 3));
    return size >= 4 ? v : v & ((1u << (8 * size)) - 1);
}

void SerialPlatform::write(uint64_t offset, unsigned size, uint32_t value)
{
    std::unique_lock<std::mutex> lk(bus_);
    unsigned sh = static_cast<unsigned>(offset & 3);
    uint32_t mask = size >= 4 ? 0xffffffffu : ((1u << (8 * size)) - 1);
    uint8_t strb = static_cast<uint8_t>(((1u << size) - 1) << sh);
    uint64_t word_off = offset & ~3ull;

    // shadow of the command (full-word writes, as the driver does them)
    if (size == 4) {
        if (word_off == R_CTL) ctl_ = value;
        else if (word_off == R_ADDR) addr_ = value;
        else if (word_off == R_SIZE) size_ = value;
        else if (word_off == R_SG_COUNT) sg_count_ = value;
        else if (word_off >= R_SGLIST && word_off < R_SGLIST + 16 * SG_MAX)
            sg_[(word_off - R_SGLIST) / 4] = value;
    }
    // START: the board's memory gets the buffer first; a read's buffer is
    // copied too, so bytes the engine does not write come back unchanged
    if (word_off == R_CSR && sh == 0 && (value & CSR_START)) {
        auto segs = segments();
        copy(segs, true);
        if ((ctl_ & 3) == DIR_READ)
            pull_ = segs;
    }
    br_.reg_write(static_cast<uint16_t>(word_off), (value & mask) << (8 * sh), strb);
    after(lk);
}

void SerialPlatform::poller()
{
    while (!stop_) {
        std::this_thread::sleep_for(std::chrono::microseconds(poll_us_));
        if (now_us() - last_access_ < poll_us_)
            continue;
        std::unique_lock<std::mutex> lk(bus_);
        try {
            br_.nop();
        } catch (const BridgeError&) {
            // the next register access reports it to the driver's thread
            continue;
        }
        after(lk);
    }
}

} // namespace fpga
