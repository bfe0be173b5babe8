#!/usr/bin/env python3
"""Check and count the relation corpus in data/train/corpus/*.jsonl.

Usage: scripts/corpus_check.py [FILE...]   (default: every file of the corpus)

Each line is one record (see data/train/README.md). The check fails (exit 1) on a record
that cannot be used: bad JSON, an unknown type/mode/status, an actor or event span that is
not in the text, an event actor that is not listed among the actors. It prints counts per
type, status and hard-negative tag, and the share of candidate pairs that are non-events.
"""
import glob
import json
import os
import re
import sys
from collections import Counter

TYPES = {
    "AGREE": [], "CONSULT": ["visit", "third-party", "multilateral", "phone"],
    "SUPPORT": [], "CONCEDE": [], "COOPERATE": [], "AID": [],
    "RETREAT": ["withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"],
    "REQUEST": ["assist", "change", "meet", "yield"],
    "ACCUSE": ["disapprove", "investigate", "allege"],
    "REJECT": ["assist", "change", "meet", "yield"],
    "THREATEN": ["arrest", "ban", "expel", "relations", "restrict", "territory", "violence"],
    "SANCTION": ["convict", "discontinue", "expel", "withdraw"],
    "PROTEST": ["boycott", "demo", "hunger", "obstruct", "riot", "strike"],
    "MOBILIZE": ["militia", "police", "troops", "weapons"],
    "COERCE": ["arrest", "ban", "censor", "curfew", "cyber", "deport", "martial-law",
               "misinformation", "restrict", "seize", "withhold"],
    "ASSAULT": ["abduct", "aerial", "assassinate", "beat", "cleansing", "crowd-control",
                "destroy", "drone", "execute", "explosives", "firearms", "heavy-weapons",
                "massacre", "primitive", "sexual", "suicide-attack", "torture",
                "unconventional"],
}
STATUSES = {"asserted", "hypothetical", "negated", "planned", "intended", "reported"}
KINDS = {"sentence", "passage", "headline"}


def occurrences(text, mention):
    """Byte-free char spans of a mention's word-bounded occurrences in text."""
    pat = r"(?<!\w)" + re.escape(mention) + r"(?!\w)"
    return [m.span() for m in re.finditer(pat, text)]


def resolve(text, ref):
    """'Hamas#2' is the second occurrence of Hamas; a plain name is the first."""
    m = re.fullmatch(r"(.*?)#(\d+)", ref)
    name, nth = (m.group(1), int(m.group(2))) if m else (ref, 1)
    occ = occurrences(text, name)
    return occ[nth - 1] if len(occ) >= nth else None


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def check_record(rec, where):
    errs = []
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return [f"{where}: no text"]
    if rec.get("kind", "sentence") not in KINDS:
        errs.append(f"{where}: kind must be one of {sorted(KINDS)}")
    actors = rec.get("actors")
    if not isinstance(actors, list):
        return errs + [f"{where}: actors must be a list"]
    names = set()
    for a in actors:
        t = a.get("text") if isinstance(a, dict) else a
        if not isinstance(t, str) or resolve(text, t) is None:
            errs.append(f"{where}: actor {t!r} is not in the text (as whole words)")
        names.add(t)
    for a in actors:
        ref = a.get("ref") if isinstance(a, dict) else None
        if ref is not None and ref not in names:
            errs.append(f"{where}: pronoun {a.get('text')!r} refers to {ref!r}, not an actor")
    for ev in rec.get("events", []):
        typ = ev.get("type")
        if typ not in TYPES:
            errs.append(f"{where}: unknown type {typ!r}")
            continue
        mode = ev.get("mode") or ""
        if mode and mode not in TYPES[typ]:
            errs.append(f"{where}: mode {mode!r} is not a mode of {typ} ({TYPES[typ]})")
        if ev.get("status", "asserted") not in STATUSES:
            errs.append(f"{where}: unknown status {ev.get('status')!r}")
        ends = as_list(ev.get("source")) + as_list(ev.get("target"))
        if not ends:
            errs.append(f"{where}: an event needs a source or a target")
        for s in ends:
            if s not in names:
                errs.append(f"{where}: event actor {s!r} is not listed in actors")
        trig = ev.get("trigger")
        if trig is not None and trig not in text:
            errs.append(f"{where}: trigger {trig!r} is not in the text")
    return errs


def pairs(rec):
    """Candidate ordered pairs of distinct actors, and how many of them are events."""
    names = []
    for a in rec["actors"]:
        t = a.get("text") if isinstance(a, dict) else a
        if t not in names:
            names.append(t)
    positive = set()
    for ev in rec.get("events", []):
        srcs, tgts = as_list(ev.get("source")), as_list(ev.get("target"))
        for s in srcs or [None]:
            for t in tgts or [None]:
                positive.add((s, t))
                if ev.get("mutual"):
                    positive.add((t, s))
    total = len(names) * (len(names) - 1)
    pos = sum(1 for (s, t) in positive if s is not None and t is not None)
    return total, pos


def main(argv):
    root = os.path.join(os.path.dirname(__file__), "..", "data", "train", "corpus")
    files = argv or sorted(glob.glob(os.path.join(root, "*.jsonl")))
    errors, records = [], []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{os.path.basename(f)}:{n}"
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    errors.append(f"{where}: not JSON ({e})")
                    continue
                errs = check_record(rec, where)
                errors.extend(errs)
                if not errs:
                    records.append(rec)
    types, statuses, hard, kinds = Counter(), Counter(), Counter(), Counter()
    tot_pairs = pos_pairs = 0
    no_event = 0
    for r in records:
        kinds[r.get("kind", "sentence")] += 1
        for t in as_list(r.get("hard")):
            hard[t] += 1
        evs = r.get("events", [])
        if not evs:
            no_event += 1
        for ev in evs:
            types[ev["type"]] += 1
            statuses[ev.get("status", "asserted")] += 1
        t, p = pairs(r)
        tot_pairs += t
        pos_pairs += p
    texts = [r["text"] for r in records]
    print(f"records: {len(records)} ({dict(kinds)}); without any event: {no_event}")
    print(f"distinct texts: {len(set(texts))}")
    print("types:", dict(sorted(types.items())))
    print("statuses:", dict(statuses))
    print("hard tags:", dict(hard.most_common()))
    if tot_pairs:
        print(f"actor pairs: {tot_pairs}, event pairs {pos_pairs}, "
              f"non-event share {1 - pos_pairs / tot_pairs:.2f}")
    for e in errors[:50]:
        print(e, file=sys.stderr)
    if errors:
        print(f"{len(errors)} errors", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
