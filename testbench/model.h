// The verilated engine behind one interface, whatever DATA_WIDTH it was
// built with: Sim clocks a Model and never sees Verilator's port types.
// The build verilates one model per width (32, 64, 128); a Testbench picks
// one at run time.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/signals.h"

class VerilatedContext;
class VerilatedFstC;

namespace tb {

class Model {
public:
    virtual ~Model() = default;
    virtual unsigned data_bytes() const = 0;
    // The models' outputs into the engine's inputs, before the edge.
    virtual void drive(const AxiResp& axi, const AxilReq& axil, const DevResp& dev) = 0;
    // The engine's outputs, as they stand at the edge.
    virtual void sample(AxiReq& axi, AxilResp& axil, DevReq& dev) const = 0;
    virtual void clock(bool level) = 0;     // set clk and evaluate
    virtual void reset(bool on) = 0;
    virtual bool irq() const = 0;
    virtual void note(const uint32_t words[4], uint32_t buf) = 0;
    virtual void trace(VerilatedFstC* fst) = 0;
    virtual void final() = 0;
};

// A model of the engine built with this DATA_WIDTH and ADDR_WIDTH, or
// nullptr if the build has none (ADDR_WIDTH 64 comes with DATA_WIDTH 64).
std::unique_ptr<Model> make_model(unsigned data_width, VerilatedContext* ctx, unsigned addr_width = 32);
// The widths this build has models for.
std::vector<unsigned> model_widths();

} // namespace tb
