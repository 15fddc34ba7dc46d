// The engine verilated with DATA_WIDTH 128.
#include "Vdma_tb_top_dw128.h"
#include "model_impl.h"

namespace tb {
std::unique_ptr<Model> make_model_dw128(VerilatedContext* ctx) { return std::make_unique<ModelImpl<Vdma_tb_top_dw128>>(ctx); }
} // namespace tb
