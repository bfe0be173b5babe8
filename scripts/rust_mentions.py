"""Training examples over the mentions the Rust coder finds, as the learned coder sees them at
run time: one example per sentence, the mentions that name an actor (the first 12), and each
candidate pair labelled from the record's gold events.

A gold actor is the mention that overlaps it most. A gold event whose source (or target) the
coder does not find is labelled on the pair with that side left open, since that is the best
event the coder can still emit: a right type and one right side.
"""
import json
import os
import re
import subprocess

import corpus_build
from corpus_build import as_list, resolve

MAX_MENTIONS = 12  # LearnedPolicy::max_mentions
BINARY = os.path.join(corpus_build.ROOT, "target", "release", "examples", "mentions")


def views(recs):
    """{record id: [sentence {"start", "end", "mentions": [[start, end, codes]]}]} (bytes)."""
    if not os.path.exists(BINARY):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "sitrep-model",
                        "--example", "mentions"], cwd=corpus_build.ROOT, check=True)
    inp = "".join(json.dumps({"id": r["id"], "text": r["text"], "date": corpus_build.GOLD_DATE})
                  + "\n" for r in recs)
    out = subprocess.run([BINARY], input=inp.encode(), capture_output=True, check=True).stdout
    return {v["id"]: v["sentences"] for v in map(json.loads, out.decode().splitlines())}


def gold_entities(rec):
    """[(char start, end, entity)] of the record's actors, and the name → entity map."""
    spans, ents = corpus_build.mentions_of(rec)
    return [(s, e, ents[name]) for s, e, name in spans], ents


def entity_of(span, gold):
    """The gold entity overlapping a char span most, or None."""
    s, e = span
    best, size = None, 0
    for gs, ge, ent in gold:
        o = min(e, ge) - max(s, gs)
        if o > size:
            best, size = ent, o
    return best


def labels(rec, ents, present):
    """{(source entity | -1, target entity | -1): types}, sides the coder misses left open."""
    out = {}
    for ev in rec.get("events", []):
        def side(names):
            found = [ents[n] for n in as_list(names) if ents[n] in present]
            return found or [-1]
        for s in side(ev.get("source")):
            for t in side(ev.get("target")):
                if s == t or (s == -1 and t == -1):
                    continue
                out.setdefault((s, t), set()).add(ev["type"])
                if ev.get("mutual") and s != -1 and t != -1:
                    out.setdefault((t, s), set()).add(ev["type"])
    return out


def examples(rec, sentences):
    text = rec["text"]
    raw = text.encode("utf-8")
    char_at = lambda b: len(raw[:b].decode("utf-8", "ignore"))  # noqa: E731
    gold, ents = gold_entities(rec)
    fresh = 1000
    out = []
    for sent in sentences:
        ments = [m for m in sent["mentions"] if m[2]][:MAX_MENTIONS]
        if not ments:
            continue
        s0 = char_at(sent["start"])
        spans, ids, codes = [], [], []
        for bs, be, cs in ments:
            span = (char_at(bs), char_at(be))
            ent = entity_of(span, gold)
            if ent is None:
                ent, fresh = fresh, fresh + 1
            spans.append((span[0] - s0, span[1] - s0))
            ids.append(ent)
            codes.append(sorted(set(cs)))
        by_ent = labels(rec, ents, set(ids))
        pairs = []
        for i in range(len(ments)):
            for j in range(len(ments)):
                if i != j and codes[i] != codes[j]:
                    types = by_ent.get((ids[i], ids[j]), ()) if ids[i] != ids[j] else ()
                    pairs.append((i, j, sorted(types)))
            pairs.append((i, -1, sorted(by_ent.get((ids[i], -1), ()))))
            pairs.append((-1, i, sorted(by_ent.get((-1, ids[i]), ()))))
        out.append({"id": f"{rec['id']}@{sent['start']}", "kind": rec.get("kind", "sentence"),
                    "text": text[s0:char_at(sent["end"])], "mentions": spans, "pairs": pairs})
    return out


def load(split, fold=None):
    """Examples of a split or a k-fold part, as corpus_build.load, over the coder's mentions."""
    if fold is not None:
        recs = [r for r in corpus_build.records() if corpus_build.in_fold(r["text"], fold)]
    else:
        recs = [r for r in corpus_build.records()
                if split in ("all", corpus_build.split_of(r["text"]))]
    v = views(recs)
    return [ex for r in recs for ex in examples(r, v.get(r["id"], []))]
