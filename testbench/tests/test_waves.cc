// The committed GTKWave save files must keep naming signals that exist:
// dump a short transfer and look every signal of waves/*.gtkw up in it.
#include "rig.h"

#include <dirent.h>

#include <fstream>
#include <set>

#include "gtkwave/fstapi.h"

using namespace tb;

#ifndef DMA_WAVES_DIR
#define DMA_WAVES_DIR "waves"
#endif

static std::set<std::string> fst_signals(const std::string& path)
{
    std::set<std::string> names;
    void* ctx = fstReaderOpen(path.c_str());
    REQUIRE(ctx != nullptr);
    std::vector<std::string> scope;
    fstReaderIterateHierRewind(ctx);
    while (struct fstHier* h = fstReaderIterateHier(ctx)) {
        if (h->htyp == FST_HT_SCOPE) {
            scope.push_back(h->u.scope.name);
        } else if (h->htyp == FST_HT_UPSCOPE) {
            scope.pop_back();
        } else if (h->htyp == FST_HT_VAR) {
            std::string full;
            for (const std::string& s : scope)
                full += s + ".";
            for (const char* c = h->u.var.name; *c; c++)
                if (*c != ' ')      // "tb_note [127:0]" is shown as tb_note[127:0]
                    full += *c;
            names.insert(full);
        }
    }
    fstReaderClose(ctx);
    return names;
}

TEST_CASE("waves: every signal the committed save files name is in a dump", "[waves]")
{
    TestbenchConfig cfg = named_config();
    cfg.waves.path = std::string(DMA_WAVES_DIR) + "/.check_gtkw.fst";
    Testbench tb(cfg);
    GuardedBuffer b(tb, 1024);
    int err = -1;
    REQUIRE(tb.run([&] {
        attach(tb);
        struct buf* bp = make_buf(B_READ, 3, 1024, b.data);
        (void)xxstrategy(bp);
        err = biowait(bp);
    }));
    CHECK(err == 0);
    tb.sim().close_waves();
    std::set<std::string> have = fst_signals(cfg.waves.path);
    std::remove(cfg.waves.path.c_str());
    REQUIRE(have.count("top.dma_tb_top.tb_note[127:0]") == 1);

    int files = 0;
    DIR* d = opendir(DMA_WAVES_DIR);
    REQUIRE(d != nullptr);
    while (struct dirent* e = readdir(d)) {
        std::string n = e->d_name;
        if (n.size() < 5 || n.substr(n.size() - 5) != ".gtkw")
            continue;
        files++;
        std::ifstream in(std::string(DMA_WAVES_DIR) + "/" + n);
        std::string line;
        int named = 0;
        while (std::getline(in, line)) {
            if (line.rfind("^", 0) == 0) {
                // "^1 waves/filters/x.txt": a translate filter, relative to the tree's top
                std::string file = std::string(DMA_WAVES_DIR) + "/../" + line.substr(line.find(' ') + 1);
                INFO(n << " uses filter " << file);
                CHECK(std::ifstream(file).good());
                continue;
            }
            if (line.rfind("top.", 0) != 0)
                continue;
            named++;
            INFO(n << " names " << line);
            CHECK(have.count(line) == 1);
        }
        CHECK(named > 10);
    }
    closedir(d);
    CHECK(files >= 1);
}
