"""The Python blocks of docs/python.md run as written (from the repository root, on
data/samples), except the Spark one, which test_spark.py covers."""

import os
import re

import pytest

from conftest import ROOT


def _blocks():
    text = (ROOT / "docs" / "python.md").read_text()
    return [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "mapInPandas" not in b]


def test_the_notebook_example_runs(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib", reason="the notebook example plots with matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    blocks = _blocks()
    assert len(blocks) == 2
    monkeypatch.chdir(ROOT)
    # what the example writes goes to the scratch directory, not the repository
    code = "\n".join(blocks)
    for name in ("isr-pse-weekly.png", "news.db", "events.parquet"):
        code = code.replace(f'"{name}"', repr(str(tmp_path / name)))
    scope = {}
    exec(compile(code, "docs/python.md", "exec"), scope)
    assert os.path.getsize(tmp_path / "isr-pse-weekly.png") > 1000
    assert len(scope["isr_pse"]) > 0 and scope["weekly"]["count"].sum() == len(scope["isr_pse"])
    assert (tmp_path / "events.parquet").exists()
