# Front door. `make run` and `make test` install what is missing, build
# with CMake into build/, and run.
BUILD ?= build
JOBS ?= 2
ARGS ?=
CMAKE_FLAGS ?=

export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE := 1

.PHONY: all deps configure build run test lint bench tsan waves regress synth fpga fpga-sim clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

configure: $(BUILD)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

run: build
	$(BUILD)/dmasim $(ARGS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE regress

lint: deps
	scripts/lint-rtl.sh

clean:
	rm -rf $(BUILD)

bench: build
	$(BUILD)/bench
	$(BUILD)/bench_modes

# make regress SEEDS=N: random workloads over N seeds, JUnit report, failing seeds with replay commands.
SEEDS ?= 20
regress: deps
	BUILD=$(BUILD) JOBS=$(JOBS) scripts/regress.sh $(SEEDS)

# make waves TEST="<test name>": rerun it with tracing, open GTKWave (or print the path).
waves: build
	BUILD=$(BUILD) scripts/waves.sh "$(TEST)"

# The kernel-interface layer's unit tests under ThreadSanitizer (host platform, no SystemC).
tsan: deps
	scripts/tsan.sh

# FPGA: synthesis figures of the engine alone (yosys, nextpnr; ~9 minutes),
# a board bitstream (BOARD=icebreaker|hx8k), the board top over its UART.
BOARD ?= icebreaker
synth: deps
	scripts/deps.sh fpga
	scripts/synth.sh
fpga: deps
	scripts/deps.sh fpga
	scripts/fpga.sh BOARD=$(BOARD)
fpga-sim: deps
	fpga/sim/run.sh
