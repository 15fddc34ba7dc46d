// The simulated board behind a pseudo-terminal: dma_board, verilated
// (inferred host memory of the iCEBreaker's 128 KiB, a UART of 4 clocks a
// bit, fpga/CMakeLists.txt), its UART pins bit-banged to and from the pty's
// master side on a thread of its own. Whatever opens slave() with termios
// talks to it as to the real board's serial port.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace fpga {

class PtyBoard {
public:
    PtyBoard();             // opens the pty and starts the board; throws on failure
    ~PtyBoard();            // stops the board and closes the pty
    PtyBoard(const PtyBoard&) = delete;
    PtyBoard& operator=(const PtyBoard&) = delete;

    const std::string& slave() const { return slave_; }
    uint64_t cycles() const { return cycles_.load(); }

private:
    int master_ = -1;
    std::string slave_;
    std::atomic<bool> stop_{false};
    std::atomic<uint64_t> cycles_{0};
    std::thread thread_;
};

} // namespace fpga
