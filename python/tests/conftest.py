"""Shared fixtures: a rules-only coder loaded once, the repository root, and the sitrep CLI
binary (SITREP_BIN, else target/release or target/debug) for comparing with the command line."""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

import sitrep

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Sentences written for these tests.
TEXTS = [
    "Turkish forces shelled Kurdish militia positions near the Syrian border on Monday.",
    "Russia accused Ukraine of attacking a fuel depot in Belgorod. Ukraine denied the claim.",
    "The weather in Lisbon was mild and sunny.",
    "Egypt hosted talks between Israel and Hamas in Cairo.",
]
DATES = ["2024-03-04", "2024-03-05", "2024-03-06", "2024-03-07"]


@pytest.fixture(scope="session")
def rules():
    return sitrep.Coder(rules_only=True)


def _find_bin():
    given = os.environ.get("SITREP_BIN")
    if given:
        return given
    for profile in ("release", "debug"):
        for base in (os.environ.get("CARGO_TARGET_DIR"), ROOT / "target"):
            if base:
                p = pathlib.Path(base) / profile / "sitrep"
                if p.exists():
                    return str(p)
    return shutil.which("sitrep")


@pytest.fixture(scope="session")
def sitrep_bin():
    b = _find_bin()
    if not b:
        pytest.skip("no sitrep binary (build it, or set SITREP_BIN) to compare with the CLI")
    return b


def run_cli(binary, *args, stdin=None):
    """Runs the CLI; returns (exit code, stdout, stderr)."""
    p = subprocess.run(
        [binary, *args], input=stdin, capture_output=True, text=True, timeout=600
    )
    return p.returncode, p.stdout, p.stderr


def jsonl(records):
    return "".join(json.dumps(r) + "\n" for r in records)


def canonical(events):
    """Events as sorted canonical JSON, for comparing runs regardless of order."""
    return sorted(json.dumps(e, sort_keys=True) for e in events)
