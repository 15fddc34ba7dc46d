#include "sim.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "Vdma_tb_top.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace tb {

// Port <-> bytes, for any width Verilator picks (CData..QData or VlWide).
template <typename T>
static void get_bytes(const T& port, Beat& b, unsigned n)
{
    if constexpr (std::is_integral_v<T>) {
        for (unsigned i = 0; i < n; i++)
            b[i] = static_cast<uint8_t>(static_cast<uint64_t>(port) >> (8 * i));
    } else {
        for (unsigned i = 0; i < n; i++)
            b[i] = static_cast<uint8_t>(port[i / 4] >> (8 * (i % 4)));
    }
}

template <typename T>
static void set_bytes(T& port, const Beat& b, unsigned n)
{
    if constexpr (std::is_integral_v<T>) {
        uint64_t v = 0;
        for (unsigned i = 0; i < n; i++)
            v |= static_cast<uint64_t>(b[i]) << (8 * i);
        port = static_cast<T>(v);
    } else {
        for (unsigned w = 0; w < (n + 3) / 4; w++) {
            uint32_t v = 0;
            for (unsigned i = 0; i < 4 && 4 * w + i < n; i++)
                v |= static_cast<uint32_t>(b[4 * w + i]) << (8 * i);
            port[w] = v;
        }
    }
}

static MemoryConfig with_width(MemoryConfig c, unsigned bytes) { c.data_bytes = bytes; return c; }
static DiskConfig with_width(DiskConfig c, unsigned bytes) { c.data_bytes = bytes; return c; }

static unsigned port_bytes()
{
    // Width of m_axi_wdata in the verilated model.
    return sizeof(Vdma_tb_top::m_axi_wdata) >= 16 ? 16 : sizeof(Vdma_tb_top::m_axi_wdata);
}

Sim::Sim(ddi::PhysMem& ram, const MemoryConfig& mcfg, const DiskConfig& dcfg, uint64_t seed,
         const WaveConfig& waves)
    : ctx_(std::make_unique<VerilatedContext>()),
      waves_(waves),
      mem_(ram, with_width(mcfg, port_bytes()), seed * 3 + 1),
      disk_(with_width(dcfg, port_bytes()), seed * 3 + 2),
      axi_mon_(violations_, port_bytes()),
      axil_mon_(violations_),
      dev_mon_(violations_)
{
    ctx_->fatalOnError(false);      // an assertion fails the test, not the process
    if (!waves_.path.empty())
        ctx_->traceEverOn(true);
    top_ = std::make_unique<Vdma_tb_top>(ctx_.get(), "top");
    if (!waves_.path.empty()) {
        fst_ = std::make_unique<VerilatedFstC>();
        top_->trace(fst_.get(), 99);
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

unsigned Sim::data_bytes() const { return port_bytes(); }

bool Sim::irq() const { return top_->irq; }

void Sim::note(const char* name, uint32_t buf)
{
    // 16 ASCII characters, right-aligned as a Verilog string literal is.
    char s[16] = {0};
    size_t n = std::min<size_t>(std::strlen(name), 16);
    std::memcpy(s + 16 - n, name, n);
    for (int w = 0; w < 4; w++) {
        uint32_t v = 0;
        for (int i = 0; i < 4; i++)
            v |= static_cast<uint32_t>(static_cast<uint8_t>(s[15 - (4 * w + i)])) << (8 * i);
        top_->tb_note[w] = v;
    }
    top_->tb_buf = buf;
}

void Sim::dump(uint64_t t)
{
    if (fst_ && cycle_ >= waves_.from && cycle_ <= waves_.to)
        fst_->dump(t);
}

void Sim::reset(unsigned cycles)
{
    top_->rst = 1;
    for (unsigned i = 0; i < cycles; i++)
        step();
    top_->rst = 0;
}

void Sim::drive_inputs()
{
    const unsigned n = port_bytes();
    Vdma_tb_top& t = *top_;
    mem_.drive(axi_resp_);
    disk_.drive(dev_resp_);
    axil_.drive(axil_req_);

    t.m_axi_awready = axi_resp_.awready;
    t.m_axi_wready = axi_resp_.wready;
    t.m_axi_bvalid = axi_resp_.bvalid;
    t.m_axi_bid = axi_resp_.bid;
    t.m_axi_bresp = axi_resp_.bresp;
    t.m_axi_arready = axi_resp_.arready;
    t.m_axi_rvalid = axi_resp_.rvalid;
    t.m_axi_rid = axi_resp_.rid;
    set_bytes(t.m_axi_rdata, axi_resp_.rdata, n);
    t.m_axi_rresp = axi_resp_.rresp;
    t.m_axi_rlast = axi_resp_.rlast;

    t.s_axil_awvalid = axil_req_.awvalid;
    t.s_axil_awaddr = axil_req_.awaddr;
    t.s_axil_awprot = 0;
    t.s_axil_wvalid = axil_req_.wvalid;
    t.s_axil_wdata = axil_req_.wdata;
    t.s_axil_wstrb = axil_req_.wstrb;
    t.s_axil_bready = axil_req_.bready;
    t.s_axil_arvalid = axil_req_.arvalid;
    t.s_axil_araddr = axil_req_.araddr;
    t.s_axil_arprot = 0;
    t.s_axil_rready = axil_req_.rready;

    t.m_dev_cmd_ready = dev_resp_.cmd_ready;
    t.s_dev_sts_valid = dev_resp_.sts_valid;
    t.s_dev_sts_error = dev_resp_.sts_error;
    t.m_axis_dev_tready = dev_resp_.tx_tready;
    t.s_axis_dev_tvalid = dev_resp_.rx_tvalid;
    set_bytes(t.s_axis_dev_tdata, dev_resp_.rx_tdata, n);
    t.s_axis_dev_tkeep = dev_resp_.rx_tkeep;
    t.s_axis_dev_tlast = dev_resp_.rx_tlast;
}

void Sim::read_outputs()
{
    const unsigned n = port_bytes();
    const Vdma_tb_top& t = *top_;
    axi_req_.awvalid = t.m_axi_awvalid;
    axi_req_.awaddr = t.m_axi_awaddr;
    axi_req_.awid = t.m_axi_awid;
    axi_req_.awlen = t.m_axi_awlen;
    axi_req_.awsize = t.m_axi_awsize;
    axi_req_.awburst = t.m_axi_awburst;
    axi_req_.wvalid = t.m_axi_wvalid;
    get_bytes(t.m_axi_wdata, axi_req_.wdata, n);
    axi_req_.wstrb = t.m_axi_wstrb;
    axi_req_.wlast = t.m_axi_wlast;
    axi_req_.bready = t.m_axi_bready;
    axi_req_.arvalid = t.m_axi_arvalid;
    axi_req_.araddr = t.m_axi_araddr;
    axi_req_.arid = t.m_axi_arid;
    axi_req_.arlen = t.m_axi_arlen;
    axi_req_.arsize = t.m_axi_arsize;
    axi_req_.arburst = t.m_axi_arburst;
    axi_req_.rready = t.m_axi_rready;

    axil_resp_.awready = t.s_axil_awready;
    axil_resp_.wready = t.s_axil_wready;
    axil_resp_.bvalid = t.s_axil_bvalid;
    axil_resp_.bresp = t.s_axil_bresp;
    axil_resp_.arready = t.s_axil_arready;
    axil_resp_.rvalid = t.s_axil_rvalid;
    axil_resp_.rdata = t.s_axil_rdata;
    axil_resp_.rresp = t.s_axil_rresp;

    dev_req_.cmd_valid = t.m_dev_cmd_valid;
    dev_req_.cmd_write = t.m_dev_cmd_write;
    dev_req_.cmd_block = t.m_dev_cmd_block;
    dev_req_.cmd_len = t.m_dev_cmd_len;
    dev_req_.sts_ready = t.s_dev_sts_ready;
    dev_req_.tx_tvalid = t.m_axis_dev_tvalid;
    get_bytes(t.m_axis_dev_tdata, dev_req_.tx_tdata, n);
    dev_req_.tx_tkeep = t.m_axis_dev_tkeep;
    dev_req_.tx_tlast = t.m_axis_dev_tlast;
    dev_req_.tx_tuser = t.m_axis_dev_tuser;
    dev_req_.rx_tready = t.s_axis_dev_tready;
}

AxilAccess* Sim::step()
{
    // Models drive what they decided for this cycle; the engine's
    // combinational outputs settle; everyone samples the handshakes as they
    // stand at the rising edge; then the engine's registers update.
    drive_inputs();
    top_->clk = 0;
    top_->eval();
    dump(cycle_ * PERIOD_PS);
    read_outputs();
    axi_mon_.sample(cycle_, axi_req_, axi_resp_);
    axil_mon_.sample(cycle_, axil_req_, axil_resp_);
    dev_mon_.sample(cycle_, dev_req_, dev_resp_);
    bool irq = top_->irq;
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
    top_->clk = 1;
    top_->eval();
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
    std::string s = "cycle " + std::to_string(cycle_) + ", irq " + std::to_string(top_->irq) +
                    ", last handshake at cycle " + std::to_string(last_progress_) + "\n";
    s += "  " + axi_mon_.describe() + "\n";
    s += "  " + dev_mon_.describe() + "\n";
    s += std::string("  register bus: ") + (axil_.idle() ? "idle" : "an access in progress") + "\n";
    s += std::string("  disk model: ") + (disk_.idle() ? "idle" : "busy with a command") + ", " +
         std::to_string(disk_.commands()) + " commands so far\n";
    return s;
}

} // namespace tb
