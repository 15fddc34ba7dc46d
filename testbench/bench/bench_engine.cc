// `make bench`: the engine's bus efficiency and latencies, measured on the
// verilated RTL with memory that never stalls and a device that keeps up.
// Prints a table for people, then one `name value` line per figure.
//
// efficiency.<dir>.<seg>: data beats on the memory bus divided by the
// cycles the engine was busy (START write accepted to irq), for 64 KiB
// moved in segments of <seg> bytes through the register scatter-gather list
// (16 segments per command). "read" is device to memory (DDI_DMA_READ).
// latency.last_beat_to_irq: cycles from the memory model taking the last
// write burst of a DDI_DMA_READ to irq.
// latency.doorbell_to_ar: cycles from the CPU issuing the START write on
// AXI4-Lite (its AW/W, so the register handshake is included) to the memory
// model holding the first read request, i.e. the AR handshake, for a
// single-segment register-mode DDI_DMA_WRITE; latency.doorbell_to_aw the
// same for the first AW of a DDI_DMA_READ. Seen by a second thread that
// looks at the memory model every cycle (one cycle of resolution).
//
// Command blocks (register map version 3):
// efficiency.queued.<dir>.<seg>: 64 KiB in single-segment blocks of <seg>
// bytes, the submission FIFO kept full and completions reaped as they
// come; data beats (the blocks' own, not the block fetches and status
// write-backs) over the cycles from the first doorbell to the last status
// write-back. latency.queued.doorbell_to_ar: the doorbell write issued to
// the block's first data AR, queue idle (the third time the memory model
// gets busy after the doorbell: header fetch, entry fetch, data).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ddi/platform.h"
#include "testbench.h"
#include "xx/xxreg.h"

using namespace tb;

int sc_main(int, char*[])
{
    TestbenchConfig cfg;
    cfg.name = "bench";
    cfg.disk.cmd_latency = 1;
    Testbench tb(cfg);
    const unsigned bytes = tb.sim().data_bytes();
    constexpr uint32_t TOTAL = 64 * 1024;
    uint8_t* buf = tb.alloc(TOTAL, true);
    uint64_t pa = 0;
    tb.ram().vtop(buf, &pa);
    uint64_t last_write = 0;
    tb.sim().memory().on_write = [&](uint64_t, uint64_t) { last_write = tb.sim().cycle(); };

    struct Fig { std::string name; double value; };
    std::vector<Fig> figs;
    double irq_lat = 0, ar_lat = 0, aw_lat = 0, q_ar_lat = 0;
    bool ok = true;

    tb.run([&] {
        auto& p = tb.platform();
        // doorbell latencies, register mode, one segment
        for (uint32_t dir : {XX_CTL_DIR_WRITE, XX_CTL_DIR_READ}) {
            p.write(XX_REG_SG_COUNT, 4, 0);
            p.write(XX_REG_DMA_ADDR, 4, static_cast<uint32_t>(pa));
            p.write(XX_REG_DMA_ADDR_HI, 4, static_cast<uint32_t>(pa >> 32));
            p.write(XX_REG_DMA_SIZE, 4, 4096);
            p.write(XX_REG_DMA_CTL, 4, dir);
            p.write(XX_REG_DEV_BLOCK, 4, 0);
            delay(10);
            uint64_t seen = 0;
            bool watching = true;
            p.spawn("bench_watch", ddi::Context::Kernel, [&] {
                while (watching && tb.sim().memory().idle())
                    delay(1);
                seen = tb.sim().cycle();
            });
            delay(1);
            uint64_t t0 = tb.sim().cycle();
            p.write(XX_REG_CSR, 1, START_TRANSFER);
            while (!(p.read(XX_REG_CSR, 1) & INTERRUPTING))
                delay(10);
            watching = false;
            delay(2);
            (dir == XX_CTL_DIR_WRITE ? ar_lat : aw_lat) = static_cast<double>(seen - t0);
            if (p.read(XX_REG_ERR, 1) != 0)
                ok = false;
            p.write(XX_REG_CSR, 1, CLEAR_INTERRUPT);
        }
        for (uint32_t seg : {4096u, 512u, 64u}) {
            for (uint32_t dir : {XX_CTL_DIR_READ, XX_CTL_DIR_WRITE}) {
                uint64_t busy = 0, beats0 = tb.sim().data_beats();
                for (uint32_t off = 0; off < TOTAL; off += 16 * seg) {
                    unsigned n = 0;
                    for (; n < 16 && off + n * seg < TOTAL; n++) {
                        uint32_t base = XX_REG_SGLIST + n * XX_SG_STRIDE;
                        uint64_t a = pa + off + n * seg;
                        p.write(base + XX_SG_ADDR, 4, static_cast<uint32_t>(a));
                        p.write(base + XX_SG_ADDR_HI, 4, static_cast<uint32_t>(a >> 32));
                        p.write(base + XX_SG_SIZE, 4, seg);
                    }
                    p.write(XX_REG_SG_COUNT, 4, n);
                    p.write(XX_REG_DMA_CTL, 4, dir);
                    p.write(XX_REG_DEV_BLOCK, 4, off / 512);
                    p.write(XX_REG_CSR, 1, ENABLE_INTERRUPTS | START_TRANSFER);
                    uint64_t t0 = tb.sim().cycle();
                    while (!tb.sim().irq())
                        delay(1);
                    uint64_t t1 = tb.sim().cycle();
                    busy += t1 - t0;
                    if (dir == XX_CTL_DIR_READ && seg == 4096)
                        irq_lat = static_cast<double>(t1 - last_write);
                    if (p.read(XX_REG_ERR, 1) != 0)
                        ok = false;
                    p.write(XX_REG_CSR, 1, CLEAR_INTERRUPT);
                }
                double eff = static_cast<double>(tb.sim().data_beats() - beats0) / static_cast<double>(busy);
                figs.push_back({std::string("efficiency.") + (dir == XX_CTL_DIR_READ ? "read." : "write.") +
                                std::to_string(seg), eff});
            }
        }

        // Command blocks: a pool of blocks in memory, reused once reaped
        constexpr unsigned POOL = 16;
        uint8_t* pool = tb.alloc(POOL * 128, true);
        uint64_t pool_pa = 0;
        tb.ram().vtop(pool, &pool_pa);
        auto put32 = [&](unsigned blk, uint32_t off, uint32_t v) { std::memcpy(pool + blk * 128 + off, &v, 4); };
        auto make_block = [&](unsigned blk, uint32_t dir, uint32_t dev, uint64_t a, uint32_t n) {
            std::memset(pool + blk * 128, 0, 128);
            put32(blk, 0x00, XX_IOPB_CTL(dir, 1));
            put32(blk, 0x04, dev);
            put32(blk, 0x08, n);
            put32(blk, 0x40, static_cast<uint32_t>(a));
            put32(blk, 0x44, static_cast<uint32_t>(a >> 32));
            put32(blk, 0x48, n);
        };
        p.write(XX_REG_IOPB_ADDR_HI, 4, static_cast<uint32_t>(pool_pa >> 32));

        // doorbell latency, queue idle
        {
            make_block(0, XX_CTL_DIR_WRITE, 0, pa, 4096);
            delay(10);
            uint64_t seen = 0;
            bool watching = true;
            p.spawn("bench_qwatch", ddi::Context::Kernel, [&] {
                int busy_periods = 0;
                bool was_idle = true;
                while (watching) {
                    bool idle = tb.sim().memory().idle();
                    if (was_idle && !idle && ++busy_periods == 3) {
                        seen = tb.sim().cycle();
                        break;
                    }
                    was_idle = idle;
                    delay(1);
                }
            });
            delay(1);
            uint64_t t0 = tb.sim().cycle();
            p.write(XX_REG_IOPB_ADDR, 4, static_cast<uint32_t>(pool_pa));
            while (XX_QS_CQ_COUNT(p.read(XX_REG_QUEUE_STATUS, 4)) == 0)
                delay(10);
            watching = false;
            delay(2);
            q_ar_lat = static_cast<double>(seen - t0);
            if (p.read(XX_REG_CQ_STATUS, 4) != XX_CQ_VALID)
                ok = false;
            p.write(XX_REG_QUEUE_CTL, 4, XX_QUEUE_POP);
        }

        for (uint32_t seg : {4096u, 512u}) {
            for (uint32_t dir : {XX_CTL_DIR_READ, XX_CTL_DIR_WRITE}) {
                const unsigned nb = TOTAL / seg;
                unsigned submitted = 0, reaped = 0;
                uint64_t t0 = tb.sim().cycle();
                while (reaped < nb) {
                    uint32_t qs = p.read(XX_REG_QUEUE_STATUS, 4);
                    for (unsigned k = XX_QS_CQ_COUNT(qs); k > 0; k--) {
                        if (p.read(XX_REG_CQ_STATUS, 4) != XX_CQ_VALID)
                            ok = false;
                        p.write(XX_REG_QUEUE_CTL, 4, XX_QUEUE_POP);
                        reaped++;
                    }
                    for (unsigned sq = XX_QS_SQ_COUNT(qs); sq < 4 && submitted < nb; sq++) {
                        unsigned blk = submitted % POOL;
                        make_block(blk, dir, submitted * seg / 512, pa + submitted * seg, seg);
                        if (submitted == 0)
                            t0 = tb.sim().cycle();
                        p.write(XX_REG_IOPB_ADDR, 4, static_cast<uint32_t>(pool_pa + blk * 128));
                        submitted++;
                    }
                }
                // the last status write-back is the last write of the run
                uint64_t t1 = last_write + 1;
                double eff = static_cast<double>(TOTAL / bytes) / static_cast<double>(t1 - t0);
                figs.push_back({std::string("efficiency.queued.") + (dir == XX_CTL_DIR_READ ? "read." : "write.") +
                                std::to_string(seg), eff});
            }
        }
    });
    figs.push_back({"latency.doorbell_to_ar", ar_lat});
    figs.push_back({"latency.doorbell_to_aw", aw_lat});
    figs.push_back({"latency.last_beat_to_irq", irq_lat});
    figs.push_back({"latency.queued.doorbell_to_ar", q_ar_lat});

    std::printf("engine bench: %u-bit bus, 64 KiB per figure, memory never stalls%s\n\n",
                bytes * 8, ok ? "" : " (AN ERROR WAS REPORTED: figures invalid)");
    std::printf("| figure | value |\n|---|---|\n");
    for (const Fig& f : figs)
        std::printf("| %s | %.3f |\n", f.name.c_str(), f.value);
    std::printf("\n");
    for (const Fig& f : figs)
        std::printf("%s %.3f\n", f.name.c_str(), f.value);
    return ok ? 0 : 1;
}
