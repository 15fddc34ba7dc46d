#include "models/block_disk.h"

#include <algorithm>
#include <cstring>

namespace tb {

BlockDisk::BlockDisk(const DiskConfig& cfg, uint64_t seed)
    : cfg_(cfg), rng_(seed), data_(cfg.nblocks * BLOCK)
{
}

bool BlockDisk::block_ok(uint64_t byte_off) const
{
    return !bad_blocks_.count(byte_off / BLOCK);
}

void BlockDisk::drive(DevResp& out)
{
    out.cmd_ready = state_ == State::Idle;
    out.sts_valid = state_ == State::Status;
    out.sts_error = error_;
    bool data_time = cycle_ >= next_beat_at_;
    out.tx_tready = state_ == State::Write && data_time && !stall();

    if (state_ == State::Read && !rx_shown_)
        rx_shown_ = data_time && !stall();
    out.rx_tvalid = state_ == State::Read && rx_shown_;
    if (out.rx_tvalid) {
        out.rx_tdata.fill(0);
        uint64_t left = len_ - done_;
        unsigned n = static_cast<unsigned>(std::min<uint64_t>(left, cfg_.data_bytes));
        if (cmd_short_ && done_ == cfg_.data_bytes && n == cfg_.data_bytes && left > n)
            n--;    // a beat short of full before the last: the rule broken
        // Stop before a failing block: an empty last beat, then the error.
        bool fail = cmd_failed_ || !block_ok(base_ + done_) ||
                    (n > 0 && !block_ok(base_ + done_ + n - 1));
        if (fail || n == 0) {
            out.rx_tkeep = 0;
            out.rx_tlast = true;
        } else {
            std::memcpy(out.rx_tdata.data(), &data_[base_ + done_], n);
            out.rx_tkeep = n >= 32 ? ~0u : (1u << n) - 1;
            out.rx_tlast = done_ + n == len_;
        }
    }
}

void BlockDisk::sample(const DevReq& in, const DevResp& out)
{
    switch (state_) {
    case State::Idle:
        if (in.cmd_valid && out.cmd_ready) {
            write_ = in.cmd_write;
            base_ = static_cast<uint64_t>(in.cmd_block) * BLOCK;
            len_ = in.cmd_len;
            done_ = 0;
            cmd_injected_ = bad_cmds_.count(ncmds_) > 0;
            cmd_short_ = short_cmds_.count(ncmds_) > 0;
            cmd_failed_ = cmd_injected_ || len_ == 0 || base_ + len_ > data_.size();
            error_ = cmd_failed_;
            next_beat_at_ = cycle_ + cfg_.cmd_latency;
            rx_shown_ = false;
            state_ = hung_cmds_.count(ncmds_) ? State::Hung : write_ ? State::Write : State::Read;
            ncmds_++;
        }
        break;
    case State::Write:
        if (in.tx_tvalid && out.tx_tready) {
            next_beat_at_ = cycle_ + cfg_.cycles_per_beat;
            if (in.tx_tuser) {
                error_ = true;      // the engine abandoned the command
            } else {
                for (unsigned i = 0; i < cfg_.data_bytes; i++) {
                    if (!(in.tx_tkeep >> i & 1))
                        continue;
                    uint64_t off = base_ + done_;
                    if (cmd_failed_ || done_ >= len_ || !block_ok(off))
                        error_ = true;          // not written: a failing block
                    else
                        data_[off] = in.tx_tdata[i];
                    done_++;
                }
            }
            if (in.tx_tlast) {
                if (done_ != len_)
                    error_ = true;
                state_ = State::Status;
            }
        }
        break;
    case State::Read:
        if (in.rx_tready && out.rx_tvalid) {
            rx_shown_ = false;
            next_beat_at_ = cycle_ + cfg_.cycles_per_beat;
            done_ += __builtin_popcount(out.rx_tkeep);
            if (out.rx_tkeep == 0)
                error_ = true;
            if (out.rx_tlast)
                state_ = State::Status;
        }
        break;
    case State::Hung:
        break;
    case State::Status:
        if (in.sts_ready && out.sts_valid) {
            if (error_)
                nerrors_++;
            last_cmd_injected_ = cmd_injected_;
            error_ = false;
            state_ = State::Idle;
        }
        break;
    }
    cycle_++;
}

} // namespace tb
