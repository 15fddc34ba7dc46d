// dmaboard: talk to a dma_board (iCEBreaker, HX8K) over its serial port.
//
//   dmaboard /dev/ttyUSB1 selftest [--seed N]     loopback test (DMA_SEED too)
//   dmaboard /dev/ttyUSB1 peek OFFSET             register read
//   dmaboard /dev/ttyUSB1 poke OFFSET VALUE       register write
//   options: --baud N (1000000), --mem-bytes N (131072), --disk-blocks N (16)
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "bridge.h"
#include "selftest.h"

int main(int argc, char** argv)
{
    std::string port, cmd;
    std::vector<std::string> args;
    unsigned baud = 1000000;
    fpga::BoardShape shape;
    uint64_t seed = 0;
    bool have_seed = false;
    if (const char* s = std::getenv("DMA_SEED")) {
        seed = std::strtoull(s, nullptr, 0);
        have_seed = true;
    }
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "dmaboard: " << a << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--baud") baud = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--seed") { seed = std::stoull(next(), nullptr, 0); have_seed = true; }
        else if (a == "--mem-bytes") shape.mem_bytes = static_cast<uint32_t>(std::stoul(next(), nullptr, 0));
        else if (a == "--disk-blocks") shape.disk_blocks = static_cast<uint32_t>(std::stoul(next(), nullptr, 0));
        else if (port.empty()) port = a;
        else if (cmd.empty()) cmd = a;
        else args.push_back(a);
    }
    if (port.empty() || cmd.empty()) {
        std::cerr << "usage: dmaboard PORT selftest|peek OFF|poke OFF VALUE [--baud N] [--seed N]\n";
        return 2;
    }
    if (!have_seed)
        seed = std::random_device{}();
    try {
        fpga::Bridge br(fpga::open_serial(port, baud));
        br.resync(0);
        if (cmd == "selftest")
            return fpga::selftest(br, shape, seed, std::cout) == 0 ? 0 : 1;
        if (cmd == "peek" && args.size() == 1) {
            uint32_t v = br.reg_read(static_cast<uint16_t>(std::stoul(args[0], nullptr, 0)));
            std::cout << "0x" << std::hex << v << "\n";
            return 0;
        }
        if (cmd == "poke" && args.size() == 2) {
            br.reg_write(static_cast<uint16_t>(std::stoul(args[0], nullptr, 0)),
                         static_cast<uint32_t>(std::stoul(args[1], nullptr, 0)));
            return 0;
        }
        std::cerr << "dmaboard: unknown command '" << cmd << "'\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "dmaboard: " << e.what() << "\n";
        return 1;
    }
}
