// The engine's ports as plain structs, one per interface, so that bus
// models and checkers are ordinary C++ that never see Verilator's types.
// Sim copies them to and from the verilated model every cycle.
#pragma once

#include <array>
#include <cstdint>

namespace tb {

constexpr unsigned MAX_BYTES = 16;          // widest data bus: 128 bits
using Beat = std::array<uint8_t, MAX_BYTES>;

// AXI4 between the engine (master) and memory (slave).
struct AxiReq {                             // driven by the engine
    bool awvalid = false;
    uint64_t awaddr = 0;
    uint32_t awid = 0;
    uint8_t awlen = 0, awsize = 0, awburst = 0;
    bool wvalid = false;
    Beat wdata{};
    uint32_t wstrb = 0;
    bool wlast = false;
    bool bready = false;
    bool arvalid = false;
    uint64_t araddr = 0;
    uint32_t arid = 0;
    uint8_t arlen = 0, arsize = 0, arburst = 0;
    bool rready = false;
};
struct AxiResp {                            // driven by memory
    bool awready = false;
    bool wready = false;
    bool bvalid = false;
    uint32_t bid = 0;
    uint8_t bresp = 0;
    bool arready = false;
    bool rvalid = false;
    uint32_t rid = 0;
    Beat rdata{};
    uint8_t rresp = 0;
    bool rlast = false;
};

// AXI4-Lite between the register master (the CPU side) and the engine.
struct AxilReq {                            // driven by the master
    bool awvalid = false;
    uint32_t awaddr = 0;
    bool wvalid = false;
    uint32_t wdata = 0;
    uint8_t wstrb = 0;
    bool bready = false;
    bool arvalid = false;
    uint32_t araddr = 0;
    bool rready = false;
};
struct AxilResp {                           // driven by the engine
    bool awready = false;
    bool wready = false;
    bool bvalid = false;
    uint8_t bresp = 0;
    bool arready = false;
    bool rvalid = false;
    uint32_t rdata = 0;
    uint8_t rresp = 0;
};

// The device port: command and status handshakes and the two streams.
struct DevReq {                             // driven by the engine
    bool cmd_valid = false;
    bool cmd_write = false;                 // memory to device
    uint32_t cmd_block = 0;
    uint32_t cmd_len = 0;
    bool sts_ready = false;
    bool tx_tvalid = false;                 // m_axis_dev: memory to device
    Beat tx_tdata{};
    uint32_t tx_tkeep = 0;
    bool tx_tlast = false;
    bool tx_tuser = false;
    bool rx_tready = false;                 // s_axis_dev: device to memory
};
struct DevResp {                            // driven by the device
    bool cmd_ready = false;
    bool sts_valid = false;
    bool sts_error = false;
    bool tx_tready = false;
    bool rx_tvalid = false;
    Beat rx_tdata{};
    uint32_t rx_tkeep = 0;
    bool rx_tlast = false;
};

constexpr uint8_t AXI_OKAY = 0;
constexpr uint8_t AXI_SLVERR = 2;
constexpr uint8_t AXI_DECERR = 3;

} // namespace tb
