// fpga_board_pty: the host code that drives the real board (termios
// open_serial, Bridge, selftest) against the simulated board behind a
// pseudo-terminal (pty_board.h). So the serial path, the byte protocol,
// the bridge, the engine and the RAM disk are tested together, as a PC
// uses them.
//
//   fpga_board_pty [--seed N]       (or DMA_SEED=N); exit status 0 = passed
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

#include "bridge.h"
#include "pty_board.h"
#include "selftest.h"

int main(int argc, char** argv)
{
    uint64_t seed;
    if (const char* s = std::getenv("DMA_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    else
        seed = std::random_device{}();
    for (int i = 1; i + 1 < argc; i++)
        if (std::string(argv[i]) == "--seed")
            seed = std::strtoull(argv[i + 1], nullptr, 0);

    int failures = 1;
    uint64_t cycles = 0;
    try {
        fpga::PtyBoard board;
        std::cout << "board_pty: simulated board on " << board.slave() << "\n";
        {
            fpga::Bridge br(fpga::open_serial(board.slave(), 1000000), 10000);
            failures = fpga::selftest(br, fpga::BoardShape{131072, 16}, seed, std::cout);
        }
        cycles = board.cycles();
    } catch (const std::exception& e) {
        std::cout << "FAIL: " << e.what() << " (seed " << seed << ")\n";
    }
    std::cout << "board_pty: " << cycles << " board cycles\n";
    return failures == 0 ? 0 : 1;
}
