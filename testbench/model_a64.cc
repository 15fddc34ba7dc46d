// The engine verilated with DATA_WIDTH 64 and ADDR_WIDTH 64.
#include "Vdma_tb_top_a64.h"
#include "model_impl.h"

namespace tb {
std::unique_ptr<Model> make_model_a64(VerilatedContext* ctx) { return std::make_unique<ModelImpl<Vdma_tb_top_a64>>(ctx); }
} // namespace tb
