// Model for one verilated top class V (included by model_dwNN.cc only).
#pragma once

#include <type_traits>

#include "model.h"
#include "verilated.h"
#include "verilated_fst_c.h"

namespace tb {

// Port <-> bytes, for any width Verilator picks (CData..QData or VlWide).
template <typename T>
void get_bytes(const T& port, Beat& b, unsigned n)
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
void set_bytes(T& port, const Beat& b, unsigned n)
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

template <class V>
class ModelImpl final : public Model {
public:
    explicit ModelImpl(VerilatedContext* ctx) : top_(std::make_unique<V>(ctx, "top")) {}

    unsigned data_bytes() const override { return sizeof(top_->m_axi_wdata) >= 16 ? 16 : sizeof(top_->m_axi_wdata); }

    void drive(const AxiResp& a, const AxilReq& l, const DevResp& d) override
    {
        const unsigned n = data_bytes();
        V& t = *top_;
        t.m_axi_awready = a.awready;
        t.m_axi_wready = a.wready;
        t.m_axi_bvalid = a.bvalid;
        t.m_axi_bid = a.bid;
        t.m_axi_bresp = a.bresp;
        t.m_axi_arready = a.arready;
        t.m_axi_rvalid = a.rvalid;
        t.m_axi_rid = a.rid;
        set_bytes(t.m_axi_rdata, a.rdata, n);
        t.m_axi_rresp = a.rresp;
        t.m_axi_rlast = a.rlast;

        t.s_axil_awvalid = l.awvalid;
        t.s_axil_awaddr = l.awaddr;
        t.s_axil_awprot = 0;
        t.s_axil_wvalid = l.wvalid;
        t.s_axil_wdata = l.wdata;
        t.s_axil_wstrb = l.wstrb;
        t.s_axil_bready = l.bready;
        t.s_axil_arvalid = l.arvalid;
        t.s_axil_araddr = l.araddr;
        t.s_axil_arprot = 0;
        t.s_axil_rready = l.rready;

        t.m_dev_cmd_ready = d.cmd_ready;
        t.s_dev_sts_valid = d.sts_valid;
        t.s_dev_sts_error = d.sts_error;
        t.m_axis_dev_tready = d.tx_tready;
        t.s_axis_dev_tvalid = d.rx_tvalid;
        set_bytes(t.s_axis_dev_tdata, d.rx_tdata, n);
        t.s_axis_dev_tkeep = d.rx_tkeep;
        t.s_axis_dev_tlast = d.rx_tlast;
    }

    void sample(AxiReq& a, AxilResp& l, DevReq& d) const override
    {
        const unsigned n = data_bytes();
        const V& t = *top_;
        a.awvalid = t.m_axi_awvalid;
        a.awaddr = t.m_axi_awaddr;
        a.awid = t.m_axi_awid;
        a.awlen = t.m_axi_awlen;
        a.awsize = t.m_axi_awsize;
        a.awburst = t.m_axi_awburst;
        a.wvalid = t.m_axi_wvalid;
        get_bytes(t.m_axi_wdata, a.wdata, n);
        a.wstrb = t.m_axi_wstrb;
        a.wlast = t.m_axi_wlast;
        a.bready = t.m_axi_bready;
        a.arvalid = t.m_axi_arvalid;
        a.araddr = t.m_axi_araddr;
        a.arid = t.m_axi_arid;
        a.arlen = t.m_axi_arlen;
        a.arsize = t.m_axi_arsize;
        a.arburst = t.m_axi_arburst;
        a.rready = t.m_axi_rready;

        l.awready = t.s_axil_awready;
        l.wready = t.s_axil_wready;
        l.bvalid = t.s_axil_bvalid;
        l.bresp = t.s_axil_bresp;
        l.arready = t.s_axil_arready;
        l.rvalid = t.s_axil_rvalid;
        l.rdata = t.s_axil_rdata;
        l.rresp = t.s_axil_rresp;

        d.cmd_valid = t.m_dev_cmd_valid;
        d.cmd_write = t.m_dev_cmd_write;
        d.cmd_block = t.m_dev_cmd_block;
        d.cmd_len = t.m_dev_cmd_len;
        d.sts_ready = t.s_dev_sts_ready;
        d.tx_tvalid = t.m_axis_dev_tvalid;
        get_bytes(t.m_axis_dev_tdata, d.tx_tdata, n);
        d.tx_tkeep = t.m_axis_dev_tkeep;
        d.tx_tlast = t.m_axis_dev_tlast;
        d.tx_tuser = t.m_axis_dev_tuser;
        d.rx_tready = t.s_axis_dev_tready;
    }

    void clock(bool level) override
    {
        top_->clk = level;
        top_->eval();
    }
    void reset(bool on) override { top_->rst = on; }
    bool irq() const override { return top_->irq; }
    void note(const uint32_t words[4], uint32_t buf) override
    {
        for (int w = 0; w < 4; w++)
            top_->tb_note[w] = words[w];
        top_->tb_buf = buf;
    }
    void trace(VerilatedFstC* fst) override { top_->trace(fst, 99); }
    void final() override { top_->final(); }

private:
    std::unique_ptr<V> top_;
};

} // namespace tb
