#include "model.h"

namespace tb {

std::unique_ptr<Model> make_model_dw32(VerilatedContext* ctx);
std::unique_ptr<Model> make_model_dw64(VerilatedContext* ctx);
std::unique_ptr<Model> make_model_dw128(VerilatedContext* ctx);
std::unique_ptr<Model> make_model_a64(VerilatedContext* ctx);

std::unique_ptr<Model> make_model(unsigned data_width, VerilatedContext* ctx, unsigned addr_width)
{
    if (addr_width == 64)
        return data_width == 64 ? make_model_a64(ctx) : nullptr;
    if (addr_width != 32)
        return nullptr;
    switch (data_width) {
    case 32:
        return make_model_dw32(ctx);
    case 64:
        return make_model_dw64(ctx);
    case 128:
        return make_model_dw128(ctx);
    default:
        return nullptr;
    }
}

std::vector<unsigned> model_widths() { return {32, 64, 128}; }

} // namespace tb
