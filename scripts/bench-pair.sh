#!/usr/bin/env bash
# Two dolbom builds on one input, alternating, in one invocation (a VM's speed drifts; alternating pairs
# see the same drift): prints each run's wall seconds and peak RSS, then the medians and their ratio.
#   scripts/bench-pair.sh BASELINE_BIN CANDIDATE_BIN INPUT [RUNS]      (default RUNS=3)
# Example: build the baseline in a worktree (git worktree add ../base <commit>; swift build -c release there).
set -euo pipefail
base="$1" cand="$2" input="$3" runs="${4:-3}"
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
run() {  # BIN LABEL → "seconds rss_kb"
  /usr/bin/time -f "%e %M" -o "$work/t" "$1" run -q --as-of 2024-07-15 --out "$work/out-$2" "$input" >/dev/null 2>"$work/err" || true
  cat "$work/t"
}
b=() c=() br=() cr=()
for i in $(seq "$runs"); do
  read -r s m < <(run "$base" base); b+=("$s"); br+=("$m"); echo "baseline  run $i: ${s} s, $((m / 1024)) MB"
  read -r s m < <(run "$cand" cand); c+=("$s"); cr+=("$m"); echo "candidate run $i: ${s} s, $((m / 1024)) MB"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mb=$(median "${b[@]}") mc=$(median "${c[@]}") rb=$(median "${br[@]}") rc=$(median "${cr[@]}")
echo "median: baseline ${mb} s ($((rb / 1024)) MB), candidate ${mc} s ($((rc / 1024)) MB); time ratio $(awk "BEGIN {printf \"%.3f\", $mc / $mb}"), memory ratio $(awk "BEGIN {printf \"%.3f\", $rc / $rb}")"
