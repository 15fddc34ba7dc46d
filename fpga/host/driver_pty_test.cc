// fpga_driver_pty: the xx driver, unchanged, on SerialPlatform (registers,
// interrupt and memory over the UART bridge with termios) against the
// simulated board behind a pseudo-terminal: what `make fpga` puts on the
// iCEBreaker, driven the way a PC would drive it. Random reads and writes
// of 1-4 blocks through xxstrategy/biowait, checked against a shadow of the
// RAM disk; then one I/O past the end of the disk must fail cleanly.
//
//   fpga_driver_pty [--ios N] [--seed N]    (or DMA_SEED=N); exit 0 = passed
//   fpga_driver_pty --port /dev/ttyUSB1     the same on a real iCEBreaker
//                                           (selected at run time: --port)
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bridge.h"
#include "ddi/physmem.h"
#include "ddi/sunddi.h"
#include "pty_board.h"
#include "serial_platform.h"
#include "xx/xx.h"

int main(int argc, char** argv)
{
    uint64_t seed;
    unsigned ios = 24;
    std::string port;
    if (const char* s = std::getenv("DMA_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    else
        seed = std::random_device{}();
    for (int i = 1; i + 1 < argc; i++) {
        std::string a = argv[i];
        if (a == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 0);
        if (a == "--ios") ios = static_cast<unsigned>(std::strtoul(argv[i + 1], nullptr, 0));
        if (a == "--port") port = argv[i + 1];
    }
    std::cout << "driver_pty: seed " << seed << " (replay with DMA_SEED=" << seed << ")\n";

    constexpr uint32_t NBLOCKS = 16;          // the iCEBreaker's RAM disk
    int failures = 0;
    try {
        std::unique_ptr<fpga::PtyBoard> sim;
        if (port.empty()) {
            sim = std::make_unique<fpga::PtyBoard>();
            port = sim->slave();
            std::cout << "driver_pty: simulated board on " << port << "\n";
        }
        fpga::Bridge br(fpga::open_serial(port, 1000000), 10000);
        if (sim)
            br.nop();
        else
            br.resync();    // a real board may be in the middle of a command
        // the engine's configuration, as the driver's attach will see it;
        // the simulated board must be the iCEBreaker's (fpga/CMakeLists.txt)
        uint32_t cap2 = br.reg_read(offsetof(device_reg, cap2));
        std::cout << "driver_pty: engine SGLLEN " << XX_CAP2_SGLLEN(cap2) << ", QUEUE_DEPTH "
                  << XX_CAP2_QUEUE_DEPTH(cap2) << "\n";
        if (sim && (XX_CAP2_SGLLEN(cap2) != 1 || XX_CAP2_QUEUE_DEPTH(cap2) != 0)) {
            std::cout << "FAIL: the simulated board's engine is not the iCEBreaker's (SGLLEN 1, QUEUE_DEPTH 0)\n";
            failures++;
        }
        fpga::SerialPlatform plat(br, 131072);
        dev_info_t* dip = ddi::make_devinfo("xx", 0, &plat, XX_REGS_SIZE, 0);
        ddi::set_devinfo_prop(dip, "nblocks", NBLOCKS);
        // power(9E): one component, off until the driver raises it
        ddi::set_devinfo_power(dip, xxpower, 1, 0);

        std::vector<uint8_t> shadow(NBLOCKS * XX_BLKSIZE, 0);   // the disk starts zeroed
        unsigned done = 0, mismatches = 0, errors = 0;
        int first_err = 0;
        size_t first_resid = 0;
        bool bad_ok = false;
        plat.run_in(ddi::Context::Kernel, [&] {
            if (xx_init() != 0 || xxattach(dip, DDI_ATTACH) != DDI_SUCCESS) {
                std::cout << "FAIL: xxattach\n";
                failures++;
                return;
            }
            std::mt19937_64 r(seed);
            uint8_t* buf = plat.memory().map(4 * XX_BLKSIZE, true, 0, seed);
            struct buf* bp = getrbuf(KM_SLEEP);
            for (unsigned i = 0; i < ios; i++) {
                uint32_t nblk = 1 + static_cast<uint32_t>(r() % 4);
                uint32_t blk = static_cast<uint32_t>(r() % (NBLOCKS - nblk + 1));
                size_t len = nblk * XX_BLKSIZE;
                bool rd = r() % 2;
                if (rd)
                    std::memset(buf, 0xa5, len);
                else
                    for (size_t k = 0; k < len; k++)
                        buf[k] = static_cast<uint8_t>(r());
                bioreset(bp);
                bp->b_flags = B_BUSY | (rd ? B_READ : B_WRITE);
                bp->b_blkno = static_cast<daddr_t>(blk);
                bp->b_bcount = len;
                bp->b_un.b_addr = reinterpret_cast<caddr_t>(buf);
                bp->b_edev = makedevice(42, 0);
                (void)xxstrategy(bp);
                int err = biowait(bp);
                done++;
                if (err || bp->b_resid) {
                    if (errors == 0) {
                        first_err = err;
                        first_resid = bp->b_resid;
                    }
                    errors++;
                    continue;
                }
                if (rd) {
                    if (std::memcmp(buf, &shadow[blk * XX_BLKSIZE], len) != 0)
                        mismatches++;
                } else {
                    std::memcpy(&shadow[blk * XX_BLKSIZE], buf, len);
                }
            }
            // a read that runs past the end of the disk: the driver refuses
            // or the device fails it; either way an error and a residue
            bioreset(bp);
            bp->b_flags = B_BUSY | B_READ;
            bp->b_blkno = NBLOCKS;
            bp->b_bcount = XX_BLKSIZE;
            bp->b_un.b_addr = reinterpret_cast<caddr_t>(buf);
            bp->b_edev = makedevice(42, 0);
            (void)xxstrategy(bp);
            int err = biowait(bp);
            bad_ok = err != 0 || bp->b_resid == XX_BLKSIZE;
            freerbuf(bp);
            plat.memory().unmap(buf);
            (void)xxdetach(dip, DDI_DETACH);
        });
        xx_fini();
        ddi::free_devinfo(dip);
        std::cout << "driver_pty: " << done << " I/Os, " << errors << " errors, " << mismatches
                  << " mismatches; " << plat.bytes_pushed() << " bytes to the board, "
                  << plat.bytes_pulled() << " back\n";
        if (errors) {
            std::cout << "FAIL: I/O errors (the first: errno " << first_err << ", resid "
                      << first_resid << ")\n";
            failures++;
        }
        if (mismatches) { std::cout << "FAIL: data read differs from what was written\n"; failures++; }
        if (done != ios) { std::cout << "FAIL: not every I/O ran\n"; failures++; }
        if (!bad_ok) { std::cout << "FAIL: an I/O past the disk's end did not fail\n"; failures++; }
    } catch (const std::exception& e) {
        std::cout << "FAIL: " << e.what() << "\n";
        failures++;
    }
    std::cout << (failures ? "driver_pty: FAILED" : "driver_pty: passed") << " (seed " << seed << ")\n";
    return failures == 0 ? 0 : 1;
}
