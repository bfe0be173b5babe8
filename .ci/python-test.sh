#!/usr/bin/env bash
# The Python package: builds the wheel with maturin (release profile, so it reuses what
# `cargo build --release` already compiled), installs it into a fresh venv and runs pytest,
# the Spark suite included. Java and pyspark are installed when they can be; without them the
# Spark tests skip and say why. Prints the seconds each part took.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
venv="$target/py-ci"
t0=$(date +%s)
lap() { echo "python-test: $1 took $(( $(date +%s) - t0 ))s"; t0=$(date +%s); }
pip_retry() { for i in 1 2 3; do "$venv/bin/pip" install -q --disable-pip-version-check "$@" && return 0; sleep 5; done; return 1; }

rm -rf "$venv" "$target/wheels"
python3 -m venv "$venv"
pip_retry maturin
lap "venv + maturin"
# from python/, where maturin finds pyproject.toml (-m takes only a Cargo.toml)
(cd python && "$venv/bin/maturin" build -o "$target/wheels")
lap "wheel build"

# a fresh venv holds only the wheel and the test tools, as a user's would
rm -rf "$venv"
python3 -m venv "$venv"
pip_retry "$target"/wheels/sitrep-*.whl pytest pyarrow duckdb matplotlib
pip_retry pyspark || echo "python-test: pyspark did not install: the Spark tests will skip"
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "python-test: installing a Java runtime (apt-get default-jre-headless)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless) >/dev/null 2>&1 \
      || echo "python-test: could not install Java: the Spark tests will skip"
  fi
fi
lap "test venv (wheel, pytest, pyarrow, duckdb, matplotlib, pyspark)"

# the CLI the tests compare with: the release binary the earlier steps built
export SITREP_BIN="$target/release/sitrep"
cargo build --release -q -p sitrep   # a no-op when fresh; a stale binary would differ from the wheel
cd python
"$venv/bin/pytest" -q -rs -p no:cacheprovider tests
lap "pytest (with the slow Spark suite)"
