// The engine verilated with DATA_WIDTH 64.
#include "Vdma_tb_top_dw64.h"
#include "model_impl.h"

namespace tb {
std::unique_ptr<Model> make_model_dw64(VerilatedContext* ctx) { return std::make_unique<ModelImpl<Vdma_tb_top_dw64>>(ctx); }
} // namespace tb
