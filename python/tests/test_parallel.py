"""The GIL is released while coding: Python threads code in parallel. Timings are reported,
not asserted (a shared 2-core machine makes any threshold flaky); the results are checked."""

import os
import threading
import time

import sitrep
from conftest import DATES, TEXTS

# Enough work per call for the timing to mean something with the rules coder.
COPIES = 300


def _chunks():
    texts = [f"{t} (report {i})" for i in range(COPIES) for t in TEXTS]
    dates = [d for _ in range(COPIES) for d in DATES]
    half = len(texts) // 2
    return [(texts[:half], dates[:half]), (texts[half:], dates[half:])]


def _report(capsys, line):
    with capsys.disabled():
        print(f"\n[sitrep timing] {line}")


def test_threads_code_in_parallel_with_the_gil_released(capsys):
    one = sitrep.Coder(rules_only=True, threads=1)
    chunks = _chunks()
    t0 = time.perf_counter()
    serial = [one.code(t, dates=d) for t, d in chunks]
    t_serial = time.perf_counter() - t0

    results = [None] * len(chunks)

    def work(i):
        results[i] = one.code(chunks[i][0], dates=chunks[i][1])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(chunks))]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t_threads = time.perf_counter() - t0
    assert results == serial
    docs = sum(len(t) for t, _ in chunks)
    _report(
        capsys,
        f"{docs} docs, 1-thread coder: serial {t_serial:.2f}s, 2 Python threads {t_threads:.2f}s "
        f"(speed-up {t_serial / max(t_threads, 1e-9):.2f}x on {os.cpu_count()} cores)",
    )


def test_one_call_uses_the_rayon_pool(capsys):
    texts = [t for t, _ in _chunks()]
    flat_texts = texts[0] + texts[1]
    dates = [d for _ in range(COPIES) for d in DATES]
    one = sitrep.Coder(rules_only=True, threads=1)
    pool = sitrep.Coder(rules_only=True)
    t0 = time.perf_counter()
    a = one.code(flat_texts, dates=dates)
    t_one = time.perf_counter() - t0
    t0 = time.perf_counter()
    b = pool.code(flat_texts, dates=dates)
    t_pool = time.perf_counter() - t0
    assert a == b
    _report(capsys, f"{len(flat_texts)} docs in one call: threads=1 {t_one:.2f}s, all cores {t_pool:.2f}s")
