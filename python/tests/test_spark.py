"""Spark local mode on a generated corpus of 20,000+ documents: the package on the executors
(mapInPandas, writing Parquet) and the binary under RDD.pipe both give exactly the events of
`sitrep code`, compared as sorted JSON; throughput against the plain binary is reported.

Slow: run with `pytest -m slow`. Skips, saying why, without Java, pyspark or the binary."""

import glob
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

import sitrep
from conftest import canonical, run_cli

pytestmark = pytest.mark.slow

MIN_DOCS = 20_000


def _need_spark():
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("Spark test skipped: no Java runtime (apt-get install default-jre-headless)")
    try:
        import pyspark  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as e:
        pytest.skip(f"Spark test skipped: {e.name} is not installed (pip install pyspark pyarrow)")


@pytest.fixture(scope="module")
def spark():
    _need_spark()
    from pyspark.sql import SparkSession

    # the executors' Python must be this one, which has the package installed
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("sitrep-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "2000")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sitrep_bin):
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    rc, _, err = run_cli(sitrep_bin, "bench", "--size", "22MB", "--threads", "2", "--rules-only",
                         "--save-corpus", str(path))
    assert rc == 0, err
    with open(path) as f:
        n = sum(1 for _ in f)
    assert n >= MIN_DOCS, f"the generated corpus has {n} documents; raise --size"
    return path, n


@pytest.fixture(scope="module")
def reference(corpus, sitrep_bin):
    """`sitrep code`'s events on the corpus, and how long the plain binary took."""
    path, _ = corpus
    t0 = time.perf_counter()
    p = subprocess.run([sitrep_bin, "code", str(path), "--rules-only", "--format", "jsonl"],
                       capture_output=True, text=True, check=True)
    secs = time.perf_counter() - t0
    events = [json.loads(line) for line in p.stdout.splitlines()]
    return canonical(events), secs


def _report(capsys, what, n_docs, secs, base):
    with capsys.disabled():
        print(f"\n[sitrep spark] {what}: {n_docs} docs in {secs:.1f}s = {n_docs / secs:,.0f} docs/s "
              f"(plain binary: {n_docs / base:,.0f} docs/s, {base:.1f}s)")


def test_map_in_pandas_with_the_package_writes_parquet_equal_to_sitrep_code(
    spark, corpus, reference, tmp_path, capsys
):
    import pyarrow.parquet as pq
    from sitrep import spark as ss

    path, n = corpus
    out = str(tmp_path / "events.parquet")
    t0 = time.perf_counter()
    docs = spark.read.schema("id string, date string, text string").json(str(path))
    events = docs.repartition(2).mapInPandas(ss.mapper(rules_only=True), schema=ss.SCHEMA)
    events.write.mode("overwrite").parquet(out)
    secs = time.perf_counter() - t0
    table = pq.read_table(out)
    assert table.column_names == sitrep.FLAT_COLUMNS + ["json"]
    got = canonical(json.loads(j) for j in table.column("json").to_pylist())
    want, base = reference
    assert len(got) == len(want) and got == want
    _report(capsys, "mapInPandas (package on executors, Parquet out)", n, secs, base)


def test_rdd_pipe_over_the_binary_equals_sitrep_code(spark, corpus, reference, sitrep_bin, tmp_path, capsys):
    path, n = corpus
    out = str(tmp_path / "piped")
    t0 = time.perf_counter()
    lines = spark.sparkContext.textFile(str(path), minPartitions=2)
    lines.pipe(f"{sitrep_bin} code - --rules-only --format jsonl --threads 1").saveAsTextFile(out)
    secs = time.perf_counter() - t0
    events = []
    for part in sorted(glob.glob(os.path.join(out, "part-*"))):
        with open(part) as f:
            events.extend(json.loads(line) for line in f if line.strip())
    want, base = reference
    assert canonical(events) == want
    _report(capsys, "RDD.pipe over the binary", n, secs, base)
