// Host side of the board's UART bridge (fpga/rtl/uart_bridge.v, protocol
// in fpga/README.md): register and memory access to a dma_board over a
// serial device, with termios. Plain C++17 and POSIX; no driver, SystemC or
// Verilator header.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace fpga {

// A reply that did not come, or came wrong: the message says which.
class BridgeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Open a serial device raw, 8N1, no flow control, at `baud` (a rate termios
// knows: 115200, 1000000, ...). Throws BridgeError.
int open_serial(const std::string& path, unsigned baud);

class Bridge {
public:
    // Takes ownership of fd. timeout_ms: how long a reply byte may take.
    explicit Bridge(int fd, unsigned timeout_ms = 2000);
    ~Bridge();
    Bridge(const Bridge&) = delete;
    Bridge& operator=(const Bridge&) = delete;

    // Each call sends one command and reads its reply; a STATUS without the
    // 0x50 marker or with RESP != 0 throws (after the whole reply is read,
    // so the bridge and the host stay in step).
    uint8_t nop();
    uint32_t reg_read(uint16_t offset);
    void reg_write(uint16_t offset, uint32_t value, uint8_t strb = 0xf);
    void mem_write(uint32_t addr, const uint8_t* data, size_t len);
    void mem_read(uint32_t addr, uint8_t* data, size_t len);

    // The engine's interrupt line as the last STATUS showed it.
    bool irq() const { return (status_ & 0x80) != 0; }
    uint8_t last_status() const { return status_; }

    // Get back in step after an error: wait out the bridge's command
    // timeout (100 ms on the boards), drop what is pending, then NOP until
    // a STATUS comes.
    void resync(unsigned bridge_timeout_ms = 150);

    static constexpr uint8_t OP_NOP = 0x00, OP_REG_WR = 0x01, OP_REG_RD = 0x02,
                             OP_MEM_WR = 0x03, OP_MEM_RD = 0x04;

private:
    void send(const uint8_t* p, size_t n);
    void recv(uint8_t* p, size_t n);
    void status(const char* what);

    int fd_;
    unsigned timeout_ms_;
    uint8_t status_ = 0;
};

} // namespace fpga
