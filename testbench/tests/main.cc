// Catch2 under SystemC: libsystemc owns main() and calls sc_main, so the
// session is run from here. SystemC elaborates once per process, so when a
// command line selects more than one test case each runs in a child process
// of its own (CTest already runs one per process; this makes a plain
// `./build/tests` work too).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <systemc>   // declares sc_main extern "C"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

static std::string escape_spec(const std::string& name)
{
    std::string r;
    for (char c : name) {
        if (c == ',' || c == '[' || c == ']' || c == '*' || c == '\\' || c == '"' || c == '~')
            r += '\\';
        r += c;
    }
    return r;
}

// libsystemc provides main(), which prints SystemC's banner before sc_main
// runs; this main silences it first (unless the user set the variable).
int main(int argc, char* argv[])
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}

int sc_main(int argc, char* argv[])
{
    Catch::Session session;
    int rc = session.applyCommandLine(argc, argv);
    if (rc != 0)
        return rc;
    const Catch::Config& cfg = session.config();
    if (cfg.listTests() || cfg.listTestNamesOnly() || cfg.listTags() || cfg.listReporters())
        return session.run();

    auto tests = Catch::filterTests(Catch::getAllTestCasesSorted(cfg), cfg.testSpec(), cfg);
    if (tests.size() <= 1)
        return session.run();

    int passed = 0, failed = 0;
    std::vector<std::string> failures;
    for (const Catch::TestCase& t : tests) {
        std::fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            std::string spec = escape_spec(t.name);
            execl("/proc/self/exe", argv[0], spec.c_str(), static_cast<char*>(nullptr));
            _exit(127);
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            passed++;
        } else {
            failed++;
            failures.push_back(t.name);
        }
    }
    for (const std::string& f : failures)
        std::printf("FAILED: %s\n", f.c_str());
    std::printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
