// The layer's unit tests: plain Catch2 on the host platform (no SystemC).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
