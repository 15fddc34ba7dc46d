// Shared by the layer's unit tests.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include "ddi/physmem.h"
#include "ddi/sunddi.h"
#include "host/host_platform.h"

// Assert that `expr` panics (a DEBUG-kernel rule) with `what` in the message.
#define REQUIRE_PANICS(expr, msg_)                                              \
    do {                                                                        \
        bool panicked_ = false;                                                 \
        try {                                                                   \
            expr;                                                               \
        } catch (const ddi::Panic& p_) {                                        \
            panicked_ = true;                                                   \
            INFO("panic message: " << p_.what());                               \
            CHECK(std::string(p_.what()).find(msg_) != std::string::npos);      \
        }                                                                       \
        CHECK(panicked_);                                                       \
    } while (0)

// A seed from DMA_SEED, else random; printed so a failure can be replayed.
inline uint64_t test_seed(const char* test)
{
    uint64_t seed;
    if (const char* s = std::getenv("DMA_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    else
        seed = std::random_device{}();
    std::printf("%s: seed %llu (replay with DMA_SEED=%llu)\n", test,
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed));
    return seed;
}

// Attributes that let anything through: tests narrow what they study.
inline ddi_dma_attr_t open_attr()
{
    ddi_dma_attr_t a{};
    a.dma_attr_version = DMA_ATTR_V0;
    a.dma_attr_addr_lo = 0;
    a.dma_attr_addr_hi = ~0ull;
    a.dma_attr_count_max = ~0ull;
    a.dma_attr_align = 1;
    a.dma_attr_burstsizes = 0x7c;
    a.dma_attr_minxfer = 1;
    a.dma_attr_maxxfer = ~0ull;
    a.dma_attr_seg = ~0ull;
    a.dma_attr_sgllen = -1;
    a.dma_attr_granular = 1;
    a.dma_attr_flags = 0;
    return a;
}
