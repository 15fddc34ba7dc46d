// dmasim: the main job. Co-simulates the xx driver on the verilated engine
// with a random block workload from several kernel threads; the scoreboard
// checks every buf (bytes, b_resid, b_error, one biodone), the protocol
// monitors every cycle; prints what it did, and how to replay it.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "checkers/scoreboard.h"
#include "testbench.h"
#include "workload.h"
#include "xx/xx.h"

using namespace tb;

namespace {

struct Options {
    WorkloadConfig w;               // --ios, --threads, sizes, mix, alignment, faults, seed
    std::string mode = "simple";
    int queue_depth = -1;           // -1: the mode's default
    int inflight = -1;
    int coalesce_count = -1, coalesce_timeout = -1;
    uint64_t intr_latency = 100;    // cycles: 1 us at 100 MHz
    unsigned data_width = 32;
    unsigned addr_width = 32;
    std::string mem_profile = "none", disk_profile = "none";
    std::string json;
    std::string waves;
    uint64_t waves_from = 0, waves_to = ~0ull;
    bool progress = true;
    Options() { w.scatter_pct = 50; }   // dmasim's default: half the buffers scattered
};

[[noreturn]] void usage_error(const std::string& msg)
{
    std::fprintf(stderr, "dmasim: %s (dmasim --help lists the options)\n", msg.c_str());
    std::exit(2);
}

uint64_t number(const std::string& opt, const char* v, uint64_t lo, uint64_t hi)
{
    char* end = nullptr;
    errno = 0;
    uint64_t n = std::strtoull(v, &end, 0);
    if (!*v || *end || errno || n < lo || n > hi || v[0] == '-')
        usage_error(opt + " takes a number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                    ", not '" + v + "'");
    return n;
}

double fraction(const std::string& opt, const char* v, double lo, double hi)
{
    char* end = nullptr;
    double d = std::strtod(v, &end);
    if (!*v || *end || !(d >= lo && d <= hi)) {
        char b[128];
        std::snprintf(b, sizeof b, " takes a number from %g to %g, not '%s'", lo, hi, v);
        usage_error(opt + b);
    }
    return d;
}

std::string choice(const std::string& opt, const char* v, const std::vector<std::string>& ok)
{
    for (const std::string& c : ok)
        if (c == v)
            return c;
    std::string all;
    for (const std::string& c : ok)
        all += (all.empty() ? "" : "|") + c;
    usage_error(opt + " takes one of " + all + ", not '" + v + "'");
}

const char* HELP =
    "usage: dmasim [options]\n"
    "Co-simulates the xx driver on the verilated DMA engine with a random workload,\n"
    "checks every transfer, and prints a summary. Exit status 0 when every check held,\n"
    "1 when one failed, 2 for a bad option.\n"
    "\n"
    "workload\n"
    "  --ios N            I/Os in all (1-10000000, default 200)\n"
    "  --threads N        kernel threads issuing them, each on its own part of the disk (1-16, default 2)\n"
    "  --min-blocks N     smallest I/O in 512-byte blocks (1-2048, default 1)\n"
    "  --max-blocks N     largest I/O in 512-byte blocks (1-2048, default 64)\n"
    "  --read-pct N       per cent of I/Os that are reads, DDI_DMA_READ (0-100, default 50)\n"
    "  --align N          buffer start alignment in bytes, a power of two (4-4096, default 64)\n"
    "  --scatter-pct N    per cent of I/Os whose buffer is scattered over pages (0-100, default 50)\n"
    "  --data-width N     the engine's data bus: 32, 64 or 128 bits (default 32; buffers then align to it)\n"
    "  --addr-width N     the engine's addresses: 32 or 64 bits (default 32; 64 needs --data-width 64 and\n"
    "                     puts RAM above 4 GiB)\n"
    "  --mode M           simple: one transfer in flight, register programming (default);\n"
    "                     queued: command blocks in memory, several in flight, coalesced interrupts\n"
    "  --queue-depth N    queued mode: command blocks in flight (1-16, default 4; the engine holds 4)\n"
    "  --inflight N       bufs each thread keeps issued at once (1-64, default 1 simple, 4 queued)\n"
    "  --coalesce-count N queued mode: interrupt after N completions (0-255, default half the depth)\n"
    "  --coalesce-timeout N  ... or when the oldest has waited N cycles (0-16777215, default 1024)\n"
    "  --intr-latency N   cycles the CPU takes to enter the interrupt handler (0-100000, default 100)\n"
    "environment\n"
    "  --mem-stall P      memory stall profile: none, light, heavy, or a probability 0-0.9\n"
    "  --disk-stall P     device stream stall profile: none, light, heavy, or 0-0.9\n"
    "  --fail-pct N       per cent of I/Os aimed at a failing disk block (0-100, default 0)\n"
    "run\n"
    "  --seed N           workload and model seed (default 1; DMA_SEED overrides)\n"
    "  --json FILE        write the summary as JSON\n"
    "  --waves FILE       write an FST of the run (open with gtkwave FILE waves/dma.gtkw)\n"
    "  --waves-from N     first cycle in the FST (default 0)\n"
    "  --waves-to N       last cycle in the FST (default: the end)\n"
    "  --no-progress      no progress line even on a terminal\n"
    "  --help             this text\n";

double profile(const std::string& opt, const char* v)
{
    std::string s = v;
    if (s == "none")
        return 0.0;
    if (s == "light")
        return 0.2;
    if (s == "heavy")
        return 0.7;
    return fraction(opt, v, 0.0, 0.9);
}

Options parse(int argc, char** argv, double* mem_stall, double* disk_stall)
{
    Options o;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        auto val = [&]() -> const char* {
            if (i + 1 >= argc)
                usage_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--help" || a == "-h") {
            std::fputs(HELP, stdout);
            std::exit(0);
        } else if (a == "--ios") {
            o.w.ios = number(a, val(), 1, 10'000'000);
        } else if (a == "--threads") {
            o.w.threads = static_cast<unsigned>(number(a, val(), 1, 16));
        } else if (a == "--min-blocks") {
            o.w.min_blocks = number(a, val(), 1, 2048);
        } else if (a == "--max-blocks") {
            o.w.max_blocks = number(a, val(), 1, 2048);
        } else if (a == "--read-pct") {
            o.w.read_pct = static_cast<unsigned>(number(a, val(), 0, 100));
        } else if (a == "--align") {
            const char* v = val();
            o.w.align = number(a, v, 4, 4096);
            if (o.w.align & (o.w.align - 1))
                usage_error(a + " takes a power of two from 4 to 4096, not '" + v + "'");
        } else if (a == "--scatter-pct") {
            o.w.scatter_pct = static_cast<unsigned>(number(a, val(), 0, 100));
        } else if (a == "--data-width") {
            o.data_width = static_cast<unsigned>(std::stoul(choice(a, val(), {"32", "64", "128"})));
        } else if (a == "--addr-width") {
            o.addr_width = static_cast<unsigned>(std::stoul(choice(a, val(), {"32", "64"})));
        } else if (a == "--mode") {
            o.mode = choice(a, val(), {"simple", "queued"});
        } else if (a == "--queue-depth") {
            o.queue_depth = static_cast<int>(number(a, val(), 1, 16));
        } else if (a == "--inflight") {
            o.inflight = static_cast<int>(number(a, val(), 1, 64));
        } else if (a == "--coalesce-count") {
            o.coalesce_count = static_cast<int>(number(a, val(), 0, 255));
        } else if (a == "--coalesce-timeout") {
            o.coalesce_timeout = static_cast<int>(number(a, val(), 0, 0xffffff));
        } else if (a == "--intr-latency") {
            o.intr_latency = number(a, val(), 0, 100000);
        } else if (a == "--mem-stall") {
            const char* v = val();
            o.mem_profile = v;
            *mem_stall = profile(a, v);
        } else if (a == "--disk-stall") {
            const char* v = val();
            o.disk_profile = v;
            *disk_stall = profile(a, v);
        } else if (a == "--fail-pct") {
            o.w.fail_pct = static_cast<unsigned>(number(a, val(), 0, 100));
        } else if (a == "--seed") {
            o.w.seed = number(a, val(), 0, UINT64_MAX);
        } else if (a == "--json") {
            o.json = val();
        } else if (a == "--waves") {
            o.waves = val();
        } else if (a == "--waves-from") {
            o.waves_from = number(a, val(), 0, UINT64_MAX);
        } else if (a == "--waves-to") {
            o.waves_to = number(a, val(), 0, UINT64_MAX);
        } else if (a == "--no-progress") {
            o.progress = false;
        } else {
            usage_error("unknown option '" + a + "'");
        }
    }
    o.w.align = std::max<uint64_t>(o.w.align, o.data_width / 8);   // the engine's alignment today
    if (o.w.min_blocks > o.w.max_blocks)
        usage_error("--min-blocks (" + std::to_string(o.w.min_blocks) + ") is larger than --max-blocks (" +
                    std::to_string(o.w.max_blocks) + ")");
    if (o.addr_width == 64 && o.data_width != 64)
        usage_error("--addr-width 64 needs --data-width 64 (the build has that model only)");
    const bool queued = o.mode == "queued";
    if (!queued && (o.queue_depth >= 0 || o.coalesce_count >= 0 || o.coalesce_timeout >= 0))
        usage_error("--queue-depth and --coalesce-* need --mode queued");
    if (o.queue_depth < 0)
        o.queue_depth = queued ? 4 : 0;
    if (o.inflight < 0)
        o.inflight = queued ? 4 : 1;
    o.w.inflight = static_cast<unsigned>(o.inflight);
    if (o.waves_from > o.waves_to)
        usage_error("--waves-from is after --waves-to");
    return o;
}

std::string json_escape(const std::string& s)
{
    std::string r;
    for (char c : s) {
        if (c == '"' || c == '\\')
            r += '\\';
        r += c;
    }
    return r;
}

std::string replay_command(const char* argv0, const Options& o)
{
    std::ostringstream s;
    s << argv0 << " --seed " << o.w.seed << " --ios " << o.w.ios << " --threads " << o.w.threads << " --min-blocks "
      << o.w.min_blocks << " --max-blocks " << o.w.max_blocks << " --read-pct " << o.w.read_pct << " --align " << o.w.align
      << " --data-width " << o.data_width << " --addr-width " << o.addr_width << " --mode " << o.mode << " --mem-stall " << o.mem_profile << " --disk-stall " << o.disk_profile
      << " --scatter-pct " << o.w.scatter_pct << " --fail-pct " << o.w.fail_pct << " --inflight " << o.inflight
      << " --intr-latency " << o.intr_latency;
    if (o.mode == "queued") {
        s << " --queue-depth " << o.queue_depth;
        if (o.coalesce_count >= 0)
            s << " --coalesce-count " << o.coalesce_count;
        if (o.coalesce_timeout >= 0)
            s << " --coalesce-timeout " << o.coalesce_timeout;
    }
    return s.str();
}

} // namespace

// libsystemc provides main(), which prints SystemC's banner before sc_main
// runs; this main silences it first (unless the user set the variable).
int main(int argc, char** argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char** argv)
{
    double mem_stall = 0, disk_stall = 0;
    Options o = parse(argc, argv, &mem_stall, &disk_stall);
    if (const char* s = std::getenv("DMA_SEED"))
        o.w.seed = number("DMA_SEED", s, 0, UINT64_MAX);
    const bool tty = o.progress && isatty(STDOUT_FILENO);

    TestbenchConfig cfg;
    cfg.name = "dmasim";
    cfg.seed = o.w.seed;
    cfg.data_width = o.data_width;
    cfg.addr_width = o.addr_width;
    cfg.mem = MemoryConfig::stalls(mem_stall);
    cfg.disk.stall = disk_stall;
    cfg.waves.path = o.waves;
    cfg.waves.from = o.waves_from;
    cfg.waves.to = o.waves_to;
    cfg.max_cycles = ~0ull;
    cfg.queue_depth = o.queue_depth;
    cfg.intr_latency = o.intr_latency;
    cfg.coalesce_count = o.coalesce_count;
    cfg.coalesce_timeout = o.coalesce_timeout;
    Testbench tb(cfg);

    const WorkloadConfig& w = o.w;
    const uint64_t part = workload_part_blocks(tb, o.w);
    if (o.w.max_blocks > part)
        usage_error("--max-blocks is larger than a buf's share of the disk (" + std::to_string(part) +
                    " blocks with " + std::to_string(o.w.threads) + " threads and " + std::to_string(o.w.inflight) +
                    " bufs in flight each)");
    workload_prepare(tb, w);
    Scoreboard sb(tb.sim().disk());

    WorkloadStats st;
    auto t_start = std::chrono::steady_clock::now();
    bool ok = tb.run([&] {
        st = workload_run(tb, sb, w, [&](const WorkloadStats& s) {
            if (tty && s.ios % 50 == 0) {
                double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
                std::printf("\r  %" PRIu64 "/%" PRIu64 " I/Os, %" PRIu64 " cycles, %.2f M cycles/s   ", s.ios,
                            o.w.ios, tb.sim().cycle(), secs > 0 ? tb.sim().cycle() / secs / 1e6 : 0.0);
                std::fflush(stdout);
            }
        });
    });
    const uint64_t callbacks = st.callbacks;
    if (!st.attached)
        std::fprintf(stderr, "dmasim: xxattach failed\n");
    if (tty)
        std::printf("\r%60s\r", "");
    sb.finish();

    std::vector<std::string> problems = tb.problems();
    for (const std::string& e : sb.errors())
        problems.push_back("scoreboard: " + e);
    if (!ok)
        problems.push_back("the run did not finish: " + tb.platform().last_hang_report());
    if (st.ios != o.w.ios)
        problems.push_back("only " + std::to_string(st.ios) + " of " + std::to_string(o.w.ios) + " I/Os completed");

    const uint64_t cycles = tb.sim().cycle();
    const double secs = tb.wall_seconds();
    const uint64_t beats = tb.sim().data_beats();
    const uint64_t intrs = tb.platform().interrupts_taken();
    const uint64_t nerr = st.error_count();
    const double eff = cycles ? double(beats) / double(cycles) : 0.0;
    const bool pass = problems.empty();

    std::printf("dmasim: %" PRIu64 " I/Os on %u threads (%u in flight each), mode %s", st.ios, o.w.threads,
                o.w.inflight, o.mode.c_str());
    if (st.queue_depth > 0)
        std::printf(" (%u command blocks)", st.queue_depth);
    std::printf(", seed %" PRIu64 "\n", o.w.seed);
    std::printf("  reads        %8" PRIu64 "  %12" PRIu64 " bytes\n", st.reads, st.bytes_read);
    std::printf("  writes       %8" PRIu64 "  %12" PRIu64 " bytes\n", st.writes, st.bytes_written);
    std::printf("  errors       %8" PRIu64, nerr);
    for (auto& kv : st.errors)
        std::printf("  %s %" PRIu64, kv.first.c_str(), kv.second);
    std::printf("\n");
    std::printf("  latency      avg %" PRIu64 ", worst %" PRIu64 " cycles (xxstrategy to biodone)\n",
                st.ios ? st.lat_sum / st.ios : 0, st.lat_max);
    // A completion is an engine command done: a command block reaped, or
    // in simple mode a register command (one per interrupt).
    const uint64_t completions = st.queue_depth > 0 ? st.completions : st.starts;
    const double per_intr = st.interrupts ? double(completions) / double(st.interrupts) : 0.0;
    std::printf("  interrupts   %8" PRIu64 "  (%" PRIu64 " claimed by xx: %.2f engine commands completed per interrupt)\n",
                intrs, st.interrupts, per_intr);
    std::printf("  callbacks    %8" PRIu64 "\n", callbacks);
    std::printf("  portions     %8" PRIu64 "  (bufs moved in several engine commands)\n", st.portions);
    std::printf("  register I/O %8" PRIu64 " accesses, %.1f bus cycles each\n", tb.platform().bus_accesses(),
                tb.platform().bus_accesses() ? double(tb.platform().bus_cycles()) / tb.platform().bus_accesses() : 0.0);
    std::printf("  bus          %.3f efficiency (%" PRIu64 " data beats in %" PRIu64 " cycles)\n", eff, beats, cycles);
    std::printf("  simulated    %" PRIu64 " cycles, %.3f ms at 100 MHz, in %.2f s: %.2f M cycles/s\n", cycles,
                cycles / 1e5, secs, secs > 0 ? cycles / secs / 1e6 : 0.0);
    std::printf("  checks       %s (%" PRIu64 " bufs checked by the scoreboard, %" PRIu64 " bytes compared)\n",
                pass ? "passed" : "FAILED", sb.completed(), sb.checked_bytes());
    for (size_t i = 0; i < problems.size() && i < 10; i++)
        std::printf("    %s\n", problems[i].c_str());
    std::string replay = replay_command(argv[0], o);
    std::printf("  replay       %s\n", replay.c_str());
    if (!o.waves.empty()) {
        tb.sim().close_waves();
        std::printf("  waves        gtkwave %s waves/dma.gtkw\n", o.waves.c_str());
    }

    if (!o.json.empty()) {
        std::ofstream j(o.json);
        j << "{\n";
        j << "  \"seed\": " << o.w.seed << ",\n";
        j << "  \"mode\": \"" << o.mode << "\",\n";
        j << "  \"threads\": " << o.w.threads << ",\n";
        j << "  \"ios\": " << st.ios << ",\n";
        j << "  \"reads\": " << st.reads << ",\n";
        j << "  \"writes\": " << st.writes << ",\n";
        j << "  \"bytes_read\": " << st.bytes_read << ",\n";
        j << "  \"bytes_written\": " << st.bytes_written << ",\n";
        j << "  \"errors\": " << nerr << ",\n";
        j << "  \"errors_by_kind\": {";
        bool first = true;
        for (auto& kv : st.errors) {
            j << (first ? "" : ", ") << "\"" << kv.first << "\": " << kv.second;
            first = false;
        }
        j << "},\n";
        j << "  \"cycles\": " << cycles << ",\n";
        j << "  \"bus_efficiency\": " << eff << ",\n";
        j << "  \"latency_avg_cycles\": " << (st.ios ? st.lat_sum / st.ios : 0) << ",\n";
        j << "  \"latency_max_cycles\": " << st.lat_max << ",\n";
        j << "  \"interrupts\": " << intrs << ",\n";
        j << "  \"inflight\": " << o.w.inflight << ",\n";
        j << "  \"queue_depth\": " << st.queue_depth << ",\n";
        j << "  \"engine_commands\": " << completions << ",\n";
        j << "  \"completions_per_interrupt\": " << per_intr << ",\n";
        j << "  \"callbacks\": " << callbacks << ",\n";
        j << "  \"register_accesses\": " << tb.platform().bus_accesses() << ",\n";
        j << "  \"checks_passed\": " << (pass ? "true" : "false") << ",\n";
        j << "  \"problems\": [";
        for (size_t i = 0; i < problems.size(); i++)
            j << (i ? ", " : "") << "\"" << json_escape(problems[i]) << "\"";
        j << "],\n";
        j << "  \"replay\": \"" << json_escape(replay) << "\",\n";
        j << "  \"wall_seconds\": " << secs << ",\n";
        j << "  \"cycles_per_second\": " << (secs > 0 ? cycles / secs : 0.0) << "\n";
        j << "}\n";
    }
    return pass ? 0 : 1;
}
