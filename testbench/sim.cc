#include "sim.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <stdexcept>

#include "verilated.h"
#include "verilated_fst_c.h"

namespace tb {

static MemoryConfig with_width(MemoryConfig c, unsigned bytes) { c.data_bytes = bytes; return c; }
static DiskConfig with_width(DiskConfig c, unsigned bytes) { c.data_bytes = bytes; return c; }

// The model is made first (the models' widths come from it); a width the
// build has no model for is a clear error, not a crash.
static std::unique_ptr<Model> model_for(unsigned width, unsigned addr_width, VerilatedContext* ctx, bool tracing)
{
    if (tracing)
        ctx->traceEverOn(true);     // before the model is made
    std::unique_ptr<Model> m = make_model(width, ctx, addr_width);
    if (!m)
        throw std::invalid_argument("no engine model with DATA_WIDTH " + std::to_string(width) + " and ADDR_WIDTH " +
                                    std::to_string(addr_width) +
                                    " in this build (DATA_WIDTH 32, 64, 128 with ADDR_WIDTH 32; 64 with 64)");
    return m;
}

Sim::Sim(ddi::PhysMem& ram, const MemoryConfig& mcfg, const DiskConfig& dcfg, uint64_t seed,
         const WaveConfig& waves, unsigned data_width, unsigned addr_width)
    : ctx_(std::make_unique<VerilatedContext>()),
      top_(model_for(data_width, addr_width, ctx_.get(), !waves.path.empty())),
      waves_(waves),
      mem_(ram, with_width(mcfg, top_->data_bytes()), seed * 3 + 1),
      disk_(with_width(dcfg, top_->data_bytes()), seed * 3 + 2),
      axi_mon_(violations_, top_->data_bytes()),
      axil_mon_(violations_),
      dev_mon_(violations_)
{
    ctx_->fatalOnError(false);      // an assertion fails the test, not the process
    if (!waves_.path.empty()) {
        fst_ = std::make_unique<VerilatedFstC>();
        top_->trace(fst_.get());
        fst_->open(waves_.path.c_str());
    }
}

Sim::~Sim()
{
    close_waves();
    top_->final();
}

void Sim::close_waves()
{
    if (!fst_)
        return;
    fst_->close();
    fst_.reset();
    if (waves_.vcd) {
        // VCD only when asked: it is ~20x the size of the FST.
        std::string vcd = waves_.path.substr(0, waves_.path.rfind('.')) + ".vcd";
        std::string cmd = "fst2vcd '" + waves_.path + "' -o '" + vcd + "' >/dev/null 2>&1";
        if (std::system(cmd.c_str()) != 0)
            std::fprintf(stderr, "waves: fst2vcd (from gtkwave) could not write %s\n", vcd.c_str());
    }
}

unsigned Sim::data_bytes() const { return top_->data_bytes(); }

bool Sim::irq() const { return top_->irq(); }

void Sim::note(const char* name, uint32_t buf)
{
    // 16 ASCII characters, right-aligned as a Verilog string literal is.
    char s[16] = {0};
    size_t n = std::min<size_t>(std::strlen(name), 16);
    std::memcpy(s + 16 - n, name, n);
    uint32_t words[4];
    for (int w = 0; w < 4; w++) {
        uint32_t v = 0;
        for (int i = 0; i < 4; i++)
            v |= static_cast<uint32_t>(static_cast<uint8_t>(s[15 - (4 * w + i)])) << (8 * i);
        words[w] = v;
    }
    top_->note(words, buf);
}

void Sim::dump(uint64_t t)
{
    if (fst_ && cycle_ >= waves_.from && cycle_ <= waves_.to)
        fst_->dump(t);
}

void Sim::reset(unsigned cycles)
{
    top_->reset(true);
    for (unsigned i = 0; i < cycles; i++)
        step();
    top_->reset(false);
}

AxilAccess* Sim::step()
{
    // Models drive what they decided for this cycle; the engine's
    // combinational outputs settle; everyone samples the handshakes as they
    // stand at the rising edge; then the engine's registers update.
    mem_.drive(axi_resp_);
    disk_.drive(dev_resp_);
    axil_.drive(axil_req_);
    top_->drive(axi_resp_, axil_req_, dev_resp_);
    top_->clock(false);
    dump(cycle_ * PERIOD_PS);
    top_->sample(axi_req_, axil_resp_, dev_req_);
    axi_mon_.sample(cycle_, axi_req_, axi_resp_);
    axil_mon_.sample(cycle_, axil_req_, axil_resp_);
    dev_mon_.sample(cycle_, dev_req_, dev_resp_);
    bool irq = top_->irq();
    if ((axi_req_.arvalid && axi_resp_.arready) || (axi_req_.awvalid && axi_resp_.awready) ||
        (axi_req_.wvalid && axi_resp_.wready) || (axi_resp_.rvalid && axi_req_.rready) ||
        (axi_resp_.bvalid && axi_req_.bready) || (axil_req_.bready && axil_resp_.bvalid) ||
        (axil_req_.rready && axil_resp_.rvalid) || (dev_req_.cmd_valid && dev_resp_.cmd_ready) ||
        (dev_req_.tx_tvalid && dev_resp_.tx_tready) || (dev_resp_.rx_tvalid && dev_req_.rx_tready) ||
        (dev_resp_.sts_valid && dev_req_.sts_ready) || irq != last_irq_)
        last_progress_ = cycle_;
    last_irq_ = irq;
    mem_.sample(axi_req_, axi_resp_);
    disk_.sample(dev_req_, dev_resp_);
    AxilAccess* done = axil_.sample(axil_req_, axil_resp_);
    top_->clock(true);
    dump(cycle_ * PERIOD_PS + PERIOD_PS / 2);
    cycle_++;
    return done;
}

} // namespace tb

namespace tb {

void Sim::finish_checks()
{
    axi_mon_.finish(cycle_);
    axil_mon_.finish(cycle_);
    dev_mon_.finish(cycle_);
}

bool Sim::peek_register(uint32_t offset, uint32_t* value, unsigned patience)
{
    AxilAccess a;
    a.write = false;
    a.offset = offset;
    a.size = 4;
    axil_.submit(&a);
    for (unsigned i = 0; i < patience && !a.done; i++)
        step();
    if (!a.done)
        return false;   // the access stays queued; the simulation is over anyway
    *value = a.value;
    return true;
}

bool Sim::assertion_failed() const { return ctx_->gotError(); }

std::string Sim::describe() const
{
    std::string s = "cycle " + std::to_string(cycle_) + ", irq " + std::to_string(top_->irq()) +
                    ", last handshake at cycle " + std::to_string(last_progress_) + "\n";
    s += "  " + axi_mon_.describe() + "\n";
    s += "  " + dev_mon_.describe() + "\n";
    s += std::string("  register bus: ") + (axil_.idle() ? "idle" : "an access in progress") + "\n";
    s += std::string("  disk model: ") + (disk_.idle() ? "idle" : "busy with a command") + ", " +
         std::to_string(disk_.commands()) + " commands so far\n";
    return s;
}

} // namespace tb
