// The engine verilated with DATA_WIDTH 32.
#include "Vdma_tb_top.h"
#include "model_impl.h"

namespace tb {
std::unique_ptr<Model> make_model_dw32(VerilatedContext* ctx) { return std::make_unique<ModelImpl<Vdma_tb_top>>(ctx); }
} // namespace tb
