// bench_modes: the xx driver's simple mode against its queued mode on the
// same workload (same seed, same bufs), the driver on the verilated engine.
// Each mode runs in a child process (SystemC elaborates once per process);
// the parent prints a table for people and `name value` lines for scripts.
// Figures, not a test: `make bench` runs it.
#include <sys/wait.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <systemc>

#include "checkers/scoreboard.h"
#include "testbench.h"
#include "workload.h"

using namespace tb;

namespace {

// The CPU's interrupt entry, as dmasim models it by default: 1 us at 100 MHz.
constexpr uint64_t INTR_LATENCY = 100;

struct Result {
    int ok;
    uint64_t cycles, bytes, ios, interrupts, commands, lat_sum, beats;
    double wall;
};

WorkloadConfig workload(uint64_t seed)
{
    WorkloadConfig w;
    w.ios = 800;
    w.threads = 4;
    w.inflight = 4;
    w.min_blocks = 1;
    w.max_blocks = 8;
    w.read_pct = 50;
    w.align = 64;
    w.scatter_pct = 25;
    w.seed = seed;
    return w;
}

Result run_mode(int queue_depth, uint64_t seed)
{
    Result r{};
    TestbenchConfig cfg;
    cfg.name = queue_depth ? "bench_queued" : "bench_simple";
    cfg.seed = seed;
    cfg.queue_depth = queue_depth;
    cfg.max_cycles = ~0ull;
    cfg.intr_latency = INTR_LATENCY;
    Testbench tb(cfg);
    WorkloadConfig w = workload(seed);
    workload_prepare(tb, w);
    Scoreboard sb(tb.sim().disk());
    WorkloadStats st;
    bool ran = tb.run([&] { st = workload_run(tb, sb, w, {}); });
    sb.finish();
    r.ok = ran && st.attached && sb.errors().empty() && tb.problems().empty() && st.ios == w.ios;
    r.cycles = st.last_cycle - st.first_cycle;     // first xxstrategy to last biodone
    r.bytes = st.bytes_read + st.bytes_written;
    r.ios = st.ios;
    r.interrupts = st.interrupts;
    r.commands = queue_depth ? st.completions : st.starts;
    r.lat_sum = st.lat_sum;
    r.beats = tb.sim().data_beats();   // all of them fall inside the span
    r.wall = tb.wall_seconds();
    return r;
}

// Run one mode in a child; its Result comes back through a pipe.
bool child_run(int queue_depth, uint64_t seed, Result* out)
{
    int fd[2];
    if (pipe(fd) != 0)
        return false;
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        Result r = run_mode(queue_depth, seed);
        ssize_t n = write(fd[1], &r, sizeof r);
        _exit(n == static_cast<ssize_t>(sizeof r) ? 0 : 1);
    }
    close(fd[1]);
    ssize_t n = read(fd[0], out, sizeof *out);
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return pid > 0 && n == static_cast<ssize_t>(sizeof *out) && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace

// libsystemc's main() prints SystemC's banner before sc_main runs: this
// one silences it first. Each mode forks before anything elaborates.
int main(int argc, char** argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int, char*[])
{
    uint64_t seed = 1;
    if (const char* s = std::getenv("DMA_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    WorkloadConfig w = workload(seed);
    std::printf("bench_modes: %" PRIu64 " I/Os of %" PRIu64 "-%" PRIu64 " blocks, %u threads with %u bufs in flight each, "
                "%u%% reads, seed %" PRIu64 ", memory and device never stall, interrupt entry %" PRIu64 " cycles\n",
                w.ios, w.min_blocks, w.max_blocks, w.threads, w.inflight, w.read_pct, seed, INTR_LATENCY);
    Result res[2];
    const int depth[2] = {0, 4};
    const char* name[2] = {"simple", "queued"};
    for (int m = 0; m < 2; m++) {
        if (!child_run(depth[m], seed, &res[m]) || !res[m].ok) {
            std::fprintf(stderr, "bench_modes: the %s run failed its checks (replay with dmasim --mode %s)\n", name[m],
                         name[m]);
            return 1;
        }
    }
    std::printf("\n  %-8s %12s %14s %12s %12s %14s %10s\n", "mode", "cycles", "bytes/kcycle", "bus eff.", "interrupts",
                "cmds/interrupt", "latency");
    for (int m = 0; m < 2; m++) {
        const Result& r = res[m];
        std::printf("  %-8s %12" PRIu64 " %14.1f %12.3f %12" PRIu64 " %14.2f %10" PRIu64 "\n", name[m], r.cycles,
                    1000.0 * r.bytes / r.cycles, double(r.beats) / r.cycles, r.interrupts,
                    double(r.commands) / r.interrupts, r.lat_sum / r.ios);
    }
    std::printf("\n");
    for (int m = 0; m < 2; m++) {
        const Result& r = res[m];
        std::printf("throughput.%s.bytes_per_kcycle %.1f\n", name[m], 1000.0 * r.bytes / r.cycles);
        std::printf("bus_efficiency.%s %.3f\n", name[m], double(r.beats) / r.cycles);
        std::printf("commands_per_interrupt.%s %.2f\n", name[m], double(r.commands) / r.interrupts);
        std::printf("latency_avg_cycles.%s %" PRIu64 "\n", name[m], r.lat_sum / r.ios);
        std::printf("sim_cycles_per_second.%s %.0f\n", name[m], r.wall > 0 ? r.cycles / r.wall : 0.0);
    }
    std::printf("speedup.queued_over_simple %.2f\n", double(res[0].cycles) / res[1].cycles);
    return 0;
}
