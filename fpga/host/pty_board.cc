#include "pty_board.h"

#include <cerrno>
#include <cstring>
#include <deque>
#include <iostream>
#include <stdexcept>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "Vdma_board.h"
#include "verilated.h"

#include "bridge.h"

namespace fpga {

namespace {

constexpr unsigned CLKS_PER_BIT = 4;    // as verilated (fpga/CMakeLists.txt)

// Runs the board until `stop`: host bytes from the pty master go out on
// rxd, bytes the board sends on txd go back to the master.
void run_board(int master, std::atomic<bool>& stop, std::atomic<uint64_t>& cycles)
{
    VerilatedContext ctx;
    Vdma_board top{&ctx};
    top.rxd = 1;
    top.rst = 1;
    top.clk = 0;
    top.eval();

    std::deque<uint8_t> pending;
    int tx_bit = -1;                    // host -> board: bit index, -1 idle
    unsigned tx_cnt = 0;
    uint16_t tx_frame = 0;
    int rx_bit = -1;                    // board -> host
    unsigned rx_cnt = 0;
    uint8_t rx_byte = 0;
    uint64_t n = 0;

    while (!stop.load(std::memory_order_relaxed)) {
        if (n == 16)
            top.rst = 0;
        // host -> board
        if (tx_bit < 0 && n > 32) {
            if (pending.empty() && (n & 63) == 0) {
                uint8_t buf[256];
                ssize_t got = ::read(master, buf, sizeof buf);
                for (ssize_t i = 0; i < got; i++)
                    pending.push_back(buf[i]);
            }
            if (!pending.empty()) {
                tx_frame = static_cast<uint16_t>(0x200 | pending.front() << 1);   // stop, data, start
                pending.pop_front();
                tx_bit = 0;
                tx_cnt = 0;
            }
        }
        if (tx_bit >= 0) {
            top.rxd = (tx_frame >> tx_bit) & 1;
            if (++tx_cnt == CLKS_PER_BIT) {
                tx_cnt = 0;
                if (++tx_bit == 10)
                    tx_bit = -1;
            }
        } else {
            top.rxd = 1;
        }

        top.clk = 1;
        top.eval();
        top.clk = 0;
        top.eval();
        n++;

        // board -> host: sample in the middle of each bit
        if (rx_bit < 0) {
            if (!top.txd && n > 32) {
                rx_bit = 0;
                rx_cnt = CLKS_PER_BIT + CLKS_PER_BIT / 2;
                rx_byte = 0;
            }
        } else if (--rx_cnt == 0) {
            if (rx_bit < 8) {
                rx_byte |= static_cast<uint8_t>((top.txd & 1) << rx_bit);
                rx_bit++;
                rx_cnt = CLKS_PER_BIT;
            } else {
                if (top.txd)
                    (void)!::write(master, &rx_byte, 1);
                else
                    std::cerr << "board_pty: framing error on txd\n";
                rx_bit = -1;
            }
        }
        if ((n & 0xffff) == 0)
            cycles.store(n, std::memory_order_relaxed);
    }
    cycles.store(n);
    top.final();
}

} // namespace

PtyBoard::PtyBoard()
{
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
        throw BridgeError(std::string("pty: no pseudo-terminal: ") + std::strerror(errno));
    slave_ = ::ptsname(master_);
    ::fcntl(master_, F_SETFL, ::fcntl(master_, F_GETFL) | O_NONBLOCK);
    // the slave raw before the board runs: no echo, no line editing
    ::close(open_serial(slave_, 1000000));
    thread_ = std::thread(run_board, master_, std::ref(stop_), std::ref(cycles_));
}

PtyBoard::~PtyBoard()
{
    stop_ = true;
    if (thread_.joinable())
        thread_.join();
    if (master_ >= 0)
        ::close(master_);
}

} // namespace fpga
