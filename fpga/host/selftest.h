// A loopback test of a dma_board through its bridge, on the board or on
// the simulated one: memory over the bridge, then DMA memory -> RAM disk
// -> memory elsewhere, then a device error. Returns the number of failures;
// prints what it does and what failed, and its seed.
#pragma once

#include <cstdint>
#include <ostream>

#include "bridge.h"

namespace fpga {

struct BoardShape {
    uint32_t mem_bytes = 131072;    // host memory from address 0
    uint32_t disk_blocks = 16;      // RAM disk, 512-byte blocks
};

int selftest(Bridge& br, const BoardShape& shape, uint64_t seed, std::ostream& log);

} // namespace fpga
