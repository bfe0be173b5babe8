#!/usr/bin/env bash
# Runs each fuzz target in turn for $SECONDS_PER_TARGET seconds (default 600), niced, seeding the
# corpora from the repository's own inputs. Usage: fuzz/run.sh [target…]
set -euo pipefail
cd "$(dirname "$0")"
secs=${SECONDS_PER_TARGET:-600}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(readers text parsers coder)
mkdir -p corpus/readers corpus/text corpus/parsers corpus/coder logs
cp -n ../tests/data/bad/* corpus/readers/ 2>/dev/null || true
for f in ../data/samples/*; do
    [ -f "$f" ] && cp -n "$f" corpus/coder/ && cp -n "$f" corpus/text/
done
for t in "${targets[@]}"; do
    cp -n ../tests/data/fuzz-regressions/"$t"/* corpus/"$t"/ 2>/dev/null || true
    case $t in
        coder | text) len=8192 ;;
        *) len=4096 ;;
    esac
    RUSTC_BOOTSTRAP=1 nice cargo fuzz run -s none "$t" corpus/"$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="$len" \
        -print_final_stats=1 2>&1 | grep -v NEW_FUNC > logs/"$t".log || true
done
