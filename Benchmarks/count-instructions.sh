#!/usr/bin/env bash
# Instruction, cache-miss and branch-miss counts per call of the direct-loop variants, under
# valgrind's callgrind: unlike wall-clock times they repeat exactly whatever else the machine
# is doing. valgrind 3.19 cannot read this toolchain's debug info, so the binary is
# stripped of it first (symbols stay, so the measured function can still be selected).
#   Benchmarks/count-instructions.sh bare jws jwt
# "estimate" weighs the misses as a rough cycle count: Ir + 10 × (I1 + D1 misses) + 15 × branch misses.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --package-path Benchmarks --scratch-path "$PWD/.build-bench" -c release --product JOSEDirectLoop >/dev/null 2>&1
binary=$(mktemp)
trap 'rm -f "$binary" "$binary.out"' EXIT
strip --strip-debug -o "$binary" .build-bench/release/JOSEDirectLoop
calls=1000
variants=("$@")
[ ${#variants[@]} -gt 0 ] || variants=(bare jws jwt)
for variant in "${variants[@]}"; do
    counts=$(valgrind --tool=callgrind --cache-sim=yes --branch-sim=yes --toggle-collect='*runVariant*' \
        --callgrind-out-file="$binary.out" "$binary" "$variant" "$calls" 2>&1 | sed -n 's/.*Collected : //p')
    read -r ir _ _ i1 d1r d1w _ _ _ _ bcm _ bim <<<"$counts"
    printf '%-20s Ir %7d  I1 misses %4d  D1 misses %4d  branch misses %4d  estimate %7d\n' "$variant" \
        $((ir / calls)) $((i1 / calls)) $(((d1r + d1w) / calls)) $(((bcm + bim) / calls)) \
        $(((ir + 10 * (i1 + d1r + d1w) + 15 * (bcm + bim)) / calls))
done
