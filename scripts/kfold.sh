#!/usr/bin/env bash
# The k-fold figure for the relation model: train on N-1 folds of the training split with the
# shipped recipe, then score the held-out fold with `sitrep eval` (type, +source, +target F1).
# Usage: scripts/kfold.sh [N] [extra train_relations.py flags]; results in out/kfold/.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
shift || true
python3 scripts/corpus_build.py --folds "$n" >/dev/null
cargo build --release -q -p sitrep
for k in $(seq 0 $((n - 1))); do
  python3 scripts/train_relations.py --fold "$k/$n" --threads 2 "$@" > "out/kfold-$k.log" 2>&1
  ./target/release/sitrep eval "out/corpus/fold$k.gold.jsonl" --all-statuses --json \
    --relation-model "out/kfold/$k" > "out/kfold/$k/eval.json"
  echo "fold $k: $(cat "out/kfold/$k/eval.json")"
done
