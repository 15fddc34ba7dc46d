#include "bridge.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

namespace fpga {

namespace {

speed_t speed_of(unsigned baud)
{
    switch (baud) {
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 500000: return B500000;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 2000000: return B2000000;
    case 3000000: return B3000000;
    default: throw BridgeError("serial: unsupported baud rate " + std::to_string(baud));
    }
}

std::string errstr(const std::string& what)
{
    return what + ": " + std::strerror(errno);
}

} // namespace

int open_serial(const std::string& path, unsigned baud)
{
    speed_t sp = speed_of(baud);
    int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        throw BridgeError(errstr("serial: open " + path));
    termios t{};
    if (tcgetattr(fd, &t) != 0) {
        int e = errno;
        ::close(fd);
        errno = e;
        throw BridgeError(errstr("serial: tcgetattr " + path));
    }
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cflag &= ~(CSTOPB | PARENB | CRTSCTS);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    cfsetispeed(&t, sp);
    cfsetospeed(&t, sp);
    if (tcsetattr(fd, TCSANOW, &t) != 0) {
        int e = errno;
        ::close(fd);
        errno = e;
        throw BridgeError(errstr("serial: tcsetattr " + path));
    }
    tcflush(fd, TCIOFLUSH);
    return fd;
}

Bridge::Bridge(int fd, unsigned timeout_ms) : fd_(fd), timeout_ms_(timeout_ms) {}

Bridge::~Bridge()
{
    if (fd_ >= 0)
        ::close(fd_);
}

void Bridge::send(const uint8_t* p, size_t n)
{
    while (n > 0) {
        ssize_t w = ::write(fd_, p, n);
        if (w < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                pollfd pf{fd_, POLLOUT, 0};
                ::poll(&pf, 1, static_cast<int>(timeout_ms_));
                continue;
            }
            throw BridgeError(errstr("bridge: write"));
        }
        p += w;
        n -= static_cast<size_t>(w);
    }
}

void Bridge::recv(uint8_t* p, size_t n)
{
    while (n > 0) {
        pollfd pf{fd_, POLLIN, 0};
        int r = ::poll(&pf, 1, static_cast<int>(timeout_ms_));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            throw BridgeError(errstr("bridge: poll"));
        if (r == 0)
            throw BridgeError("bridge: no reply from the board within " +
                              std::to_string(timeout_ms_) + " ms");
        ssize_t got = ::read(fd_, p, n);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got <= 0)
            throw BridgeError(got == 0 ? std::string("bridge: the serial line closed")
                                       : errstr("bridge: read"));
        p += got;
        n -= static_cast<size_t>(got);
    }
}

void Bridge::status(const char* what)
{
    recv(&status_, 1);
    if ((status_ & 0x70) != 0x50)
        throw BridgeError(std::string("bridge: ") + what + ": out of step (status byte 0x" +
                          "0123456789abcdef"[status_ >> 4] + "0123456789abcdef"[status_ & 15] + ")");
    if (status_ & 0x04)
        throw BridgeError(std::string("bridge: ") + what + ": the board lost a received byte (overrun)");
    if (status_ & 0x03) {
        static const char* const resp[] = {"OKAY", "EXOKAY", "SLVERR", "DECERR"};
        throw BridgeError(std::string("bridge: ") + what + ": response " + resp[status_ & 3]);
    }
}

uint8_t Bridge::nop()
{
    uint8_t op = OP_NOP;
    send(&op, 1);
    status("NOP");
    return status_;
}

uint32_t Bridge::reg_read(uint16_t offset)
{
    uint8_t cmd[3] = {OP_REG_RD, uint8_t(offset), uint8_t(offset >> 8)};
    send(cmd, sizeof cmd);
    uint8_t d[4];
    recv(d, 4);
    status("REG_RD");
    return uint32_t(d[0]) | uint32_t(d[1]) << 8 | uint32_t(d[2]) << 16 | uint32_t(d[3]) << 24;
}

void Bridge::reg_write(uint16_t offset, uint32_t value, uint8_t strb)
{
    uint8_t cmd[8] = {OP_REG_WR, uint8_t(offset), uint8_t(offset >> 8), uint8_t(strb & 0xf),
                      uint8_t(value), uint8_t(value >> 8), uint8_t(value >> 16), uint8_t(value >> 24)};
    send(cmd, sizeof cmd);
    status("REG_WR");
}

void Bridge::mem_write(uint32_t addr, const uint8_t* data, size_t len)
{
    while (len > 0) {
        uint16_t n = static_cast<uint16_t>(len > 0xffff ? 0xffff : len);
        std::vector<uint8_t> cmd = {OP_MEM_WR, uint8_t(addr), uint8_t(addr >> 8), uint8_t(addr >> 16),
                                    uint8_t(addr >> 24), uint8_t(n), uint8_t(n >> 8)};
        cmd.insert(cmd.end(), data, data + n);
        send(cmd.data(), cmd.size());
        status("MEM_WR");
        addr += n;
        data += n;
        len -= n;
    }
}

void Bridge::mem_read(uint32_t addr, uint8_t* data, size_t len)
{
    while (len > 0) {
        uint16_t n = static_cast<uint16_t>(len > 0xffff ? 0xffff : len);
        uint8_t cmd[7] = {OP_MEM_RD, uint8_t(addr), uint8_t(addr >> 8), uint8_t(addr >> 16),
                          uint8_t(addr >> 24), uint8_t(n), uint8_t(n >> 8)};
        send(cmd, sizeof cmd);
        recv(data, n);
        status("MEM_RD");
        addr += n;
        data += n;
        len -= n;
    }
}

void Bridge::resync(unsigned bridge_timeout_ms)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(bridge_timeout_ms));
    tcflush(fd_, TCIOFLUSH);
    uint8_t junk[256];
    for (;;) {
        pollfd pf{fd_, POLLIN, 0};
        if (::poll(&pf, 1, 0) <= 0 || ::read(fd_, junk, sizeof junk) <= 0)
            break;
    }
    for (int i = 0; i < 8; i++) {
        try {
            nop();
            return;
        } catch (const BridgeError&) {
        }
    }
    throw BridgeError("bridge: could not get back in step with the board");
}

} // namespace fpga
