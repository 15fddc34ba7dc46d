#!/usr/bin/env bash
# dmasim as a user meets it: bad options exit 2 with a one-line error that
# names the option and its range; a run exits 0 and writes JSON with the
# documented keys; the same seed and options give the same JSON except the
# wall-clock figures.
set -euo pipefail
sim=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

expect_usage_error() {
  local want=$1; shift
  set +e
  "$sim" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  set -e
  [ "$rc" -eq 2 ] || fail "dmasim $* exited $rc, not 2"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "dmasim $* printed more than one line: $(cat "$tmp/err")"
  grep -q -- "$want" "$tmp/err" || fail "dmasim $* said '$(cat "$tmp/err")', not '$want'"
}
expect_usage_error "--ios takes a number from 1 to 10000000, not '0'" --ios 0
expect_usage_error "--threads takes a number from 1 to 16, not 'x'" --threads x
expect_usage_error "--mode takes one of simple|queued, not 'fast'" --mode fast
expect_usage_error "--mem-stall takes a number from 0 to 0.9, not '2'" --mem-stall 2
expect_usage_error "unknown option '--bogus'" --bogus
expect_usage_error "--seed needs a value" --seed
expect_usage_error "--queue-depth and --coalesce-\* need --mode queued" --queue-depth 2
expect_usage_error "--queue-depth takes a number from 1 to 16, not '0'" --mode queued --queue-depth 0
expect_usage_error "--addr-width 64 needs --data-width 64" --addr-width 64

"$sim" --help | grep -q -- "--json FILE" || fail "--help does not explain --json"

args=(--ios 40 --seed 9 --mem-stall light --fail-pct 10 --no-progress)
"$sim" "${args[@]}" --json "$tmp/a.json" >"$tmp/run.txt" || fail "a clean run failed: $(cat "$tmp/run.txt")"
"$sim" "${args[@]}" --json "$tmp/b.json" >/dev/null || fail "the second run failed"
for key in ios bytes_read bytes_written errors cycles bus_efficiency latency_avg_cycles latency_max_cycles \
           interrupts seed checks_passed; do
  grep -q "\"$key\": " "$tmp/a.json" || fail "JSON has no key $key"
done
grep -q '"checks_passed": true' "$tmp/a.json" || fail "checks did not pass"
grep -q '"ios": 40,' "$tmp/a.json" || fail "not 40 I/Os"
diff <(grep -v -e wall_seconds -e cycles_per_second "$tmp/a.json") \
     <(grep -v -e wall_seconds -e cycles_per_second "$tmp/b.json") >/dev/null ||
  fail "two runs with the same seed gave different JSON"
grep -q "replay .*--seed 9 " "$tmp/run.txt" || fail "no replay command in the summary"

# Queued mode: the same checks, and the printed replay command repeats the
# run bit for bit.
qargs=(--mode queued --ios 60 --threads 3 --seed 11 --disk-stall light --fail-pct 5 --no-progress)
"$sim" "${qargs[@]}" --json "$tmp/q.json" >"$tmp/q.txt" || fail "a queued run failed: $(cat "$tmp/q.txt")"
grep -q '"checks_passed": true' "$tmp/q.json" || fail "queued checks did not pass"
grep -q '"queue_depth": 4,' "$tmp/q.json" || fail "queued run without command blocks"
replay=$(sed -n 's/^  replay *//p' "$tmp/q.txt")
[ -n "$replay" ] || fail "no replay command in the queued summary"
set -- $replay
"$sim" "${@:2}" --no-progress --json "$tmp/r.json" >/dev/null || fail "the replay failed"
diff <(grep -v -e wall_seconds -e cycles_per_second -e '"replay"' "$tmp/q.json") \
     <(grep -v -e wall_seconds -e cycles_per_second -e '"replay"' "$tmp/r.json") >/dev/null ||
  fail "the replay command did not repeat the queued run"
echo "dmasim CLI: 1 passed, 0 failed"
