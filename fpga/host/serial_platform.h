// ddi::Platform for the real board (or the simulated one behind a pty):
// the std::thread HostPlatform of driver/host/ for threads, locks and time,
// with the engine's registers, its interrupt line and host memory reached
// through the UART bridge (bridge.h).
//
// Memory: the platform's PhysMem (base 0, the board's host memory size)
// mirrors the board's memory. The platform watches the driver's register
// writes; when a command starts (csr START_TRANSFER) it copies the
// command's buffer (dma_addr/dma_size, or the sglist entries) to the board,
// and when the command ends (the irq line seen high, in a STATUS byte) it
// copies the buffer back if the command wrote memory (DDI_DMA_READ). Only
// those bytes cross the serial line.
//
// Interrupt: every reply's STATUS carries the irq line; a poller thread
// sends NOP when the bus has been quiet for poll_us.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "bridge.h"
#include "ddi/platform.h"
#include "host/host_platform.h"

namespace fpga {

class SerialPlatform : public ddi::host::HostPlatform, public ddi::RegisterBus {
public:
    // br: an open bridge; mem_bytes: the board's host memory; line: the
    // interrupt line the devinfo names.
    SerialPlatform(Bridge& br, uint64_t mem_bytes, int line = 0, unsigned poll_us = 200);
    ~SerialPlatform() override;

    uint32_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint32_t value) override;

    uint64_t bytes_pushed() const { return pushed_; }
    uint64_t bytes_pulled() const { return pulled_; }

private:
    static ddi::host::HostOptions options(uint64_t mem_bytes);
    void after(std::unique_lock<std::mutex>& lk);   // irq bookkeeping after a transaction
    void poller();
    std::vector<std::pair<uint64_t, uint64_t>> segments() const;
    void copy(const std::vector<std::pair<uint64_t, uint64_t>>& segs, bool to_board);

    Bridge& br_;
    int line_;
    unsigned poll_us_;
    std::mutex bus_;                // one bridge transaction at a time
    bool irq_ = false;
    // shadow of the command registers the driver wrote
    uint32_t ctl_ = 0, addr_ = 0, size_ = 0, sg_count_ = 0;
    std::vector<uint32_t> sg_;      // addr, addr_hi, size, reserved per entry
    std::vector<std::pair<uint64_t, uint64_t>> pull_;   // to copy back at completion
    std::atomic<uint64_t> pushed_{0}, pulled_{0};
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> last_access_{0};
    std::thread poller_;
};

} // namespace fpga
