// The device behind the engine's device port: a block "disk" of 512-byte
// blocks. It takes one command at a time, moves its data on the streams and
// answers with one status. Seeded stalls, a command latency, a bandwidth
// limit, and error injection (failing blocks, a failing Nth command).
//
// On an error while sending (device to memory) it ends its stream early
// with a beat that carries no data (tkeep 0, tlast 1), then reports the
// error: no byte of a failed block ever reaches the engine.
#pragma once

#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include "models/signals.h"

namespace tb {

struct DiskConfig {
    unsigned data_bytes = 4;        // stream width in bytes
    uint64_t nblocks = 8192;        // 4 MiB
    unsigned cmd_latency = 8;       // cycles from command to first data
    unsigned cycles_per_beat = 1;   // bandwidth limit: one beat per N cycles
    double stall = 0.0;             // probability a stream ready/valid is held low
};

class BlockDisk {
public:
    static constexpr unsigned BLOCK = 512;

    BlockDisk(const DiskConfig& cfg, uint64_t seed);

    void drive(DevResp& out);
    void sample(const DevReq& in, const DevResp& out);

    std::vector<uint8_t>& data() { return data_; }
    uint64_t nblocks() const { return cfg_.nblocks; }

    void fail_block(uint64_t block) { bad_blocks_.insert(block); }
    void fail_command(uint64_t n) { bad_cmds_.insert(n); }  // 0-based command count
    // Command n is accepted and then nothing: no data, no status (a dead device).
    void hang_command(uint64_t n) { hung_cmds_.insert(n); }
    // Command n (device to memory) breaks the stream rule: its second beat
    // is not full although it is not the last (the rest follows, and the
    // device then reports success, as a buggy device would).
    void short_beat_command(uint64_t n) { short_cmds_.insert(n); }
    void clear_failures()
    {
        bad_blocks_.clear();
        bad_cmds_.clear();
        hung_cmds_.clear();
        short_cmds_.clear();
    }
    // The first failing block in [lo, hi), or ~0.
    uint64_t first_failing_block(uint64_t lo, uint64_t hi) const
    {
        auto it = bad_blocks_.lower_bound(lo);
        return it != bad_blocks_.end() && *it < hi ? *it : ~0ull;
    }
    // The last command that ended was failed whole by fail_command().
    bool command_failed_last() const { return last_cmd_injected_; }

    uint64_t commands() const { return ncmds_; }
    uint64_t errors() const { return nerrors_; }
    bool idle() const { return state_ == State::Idle; }

private:
    enum class State { Idle, Write, Read, Status, Hung };
    bool stall() { return cfg_.stall > 0 && dist_(rng_) < cfg_.stall; }
    bool block_ok(uint64_t byte_off) const;

    DiskConfig cfg_;
    std::mt19937_64 rng_;
    std::uniform_real_distribution<double> dist_{0.0, 1.0};
    std::vector<uint8_t> data_;
    std::set<uint64_t> bad_blocks_, bad_cmds_, hung_cmds_, short_cmds_;
    bool cmd_short_ = false;
    bool hung_ = false;
    bool cmd_injected_ = false, last_cmd_injected_ = false;

    State state_ = State::Idle;
    bool write_ = false;
    uint64_t base_ = 0;             // byte offset on the disk
    uint64_t len_ = 0;
    uint64_t done_ = 0;             // bytes moved
    bool error_ = false;
    bool cmd_failed_ = false;       // the whole command fails before any data
    uint64_t next_beat_at_ = 0;
    bool rx_shown_ = false;
    uint64_t cycle_ = 0;
    uint64_t ncmds_ = 0, nerrors_ = 0;
};

} // namespace tb
