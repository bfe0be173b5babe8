#!/usr/bin/env python3
"""Turn the written relation corpus (data/train/corpus/*.jsonl) into what training and
evaluation read.

- `load(split)` gives training examples: the text, its actor mentions as character spans with
  an entity id (a pronoun shares its antecedent's entity), and the event types of every
  candidate (source, target) pair, where -1 stands for "no actor named".
- `python3 scripts/corpus_build.py [--out DIR]` writes DIR/valid.gold.jsonl and
  DIR/train.gold.jsonl in the gold format `sitrep eval` reads, and prints the split's counts.

The split is by a hash of the normalised text, so a record never changes sides when others
are added: validation is where rules and model are tuned; the dev gold is a final check.
"""
import argparse
import glob
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from corpus_check import as_list, check_record, resolve  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
CORPUS = os.path.join(ROOT, "data", "train", "corpus")
TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT"]
# the report date given to every record: people's KB roles depend on it
GOLD_DATE = "2025-06-01"
VALID_SHARE = 10  # percent


def norm(text):
    return re.sub(r"\s+", " ", text.strip().lower())


def split_of(text):
    h = hashlib.blake2b(norm(text).encode("utf-8"), digest_size=8).digest()
    return "valid" if int.from_bytes(h, "big") % 100 < VALID_SHARE else "train"


def fold_of(text, n):
    """Which of n folds of the training split a record falls in (for the k-fold figure); the
    hash is salted so folds cut across the train/validation split's hash."""
    h = hashlib.blake2b(norm(text).encode("utf-8"), digest_size=8, person=b"kfold").digest()
    return int.from_bytes(h, "big") % n


def in_fold(text, fold):
    """fold = (k, n, held): held-out fold k of the training split, or the other n-1 folds."""
    k, n, held = fold
    return split_of(text) == "train" and (fold_of(text, n) == k) == held


def records(files=None):
    files = files or sorted(glob.glob(os.path.join(CORPUS, "*.jsonl")))
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                rec = json.loads(line)
                if check_record(rec, f"{f}:{n}"):
                    continue  # the checker reports these; training skips them
                yield rec


def mentions_of(rec):
    """Actor mentions (char start, end, name) and each name's entity id."""
    text = rec["text"]
    out, entity = [], {}
    for a in rec["actors"]:
        name = a.get("text") if isinstance(a, dict) else a
        span = resolve(text, name)
        out.append((span[0], span[1], name))
        base = re.sub(r"#\d+$", "", name)
        entity.setdefault(base, len(entity))
    ents = {}
    for a in rec["actors"]:
        name = a.get("text") if isinstance(a, dict) else a
        base = re.sub(r"#\d+$", "", name)
        ref = a.get("ref") if isinstance(a, dict) else None
        root = re.sub(r"#\d+$", "", ref) if ref else base
        ents[name] = entity.get(root, entity[base])
    return out, ents


def pair_labels(rec, ents):
    """{(source entity | -1, target entity | -1): set of types}."""
    labels = {}
    for ev in rec.get("events", []):
        srcs = [ents[s] for s in as_list(ev.get("source"))] or [-1]
        tgts = [ents[t] for t in as_list(ev.get("target"))] or [-1]
        for s in srcs:
            for t in tgts:
                if s == t:
                    continue
                labels.setdefault((s, t), set()).add(ev["type"])
                if ev.get("mutual") and s != -1 and t != -1:
                    labels.setdefault((t, s), set()).add(ev["type"])
    return labels


def example(rec):
    ments, ents = mentions_of(rec)
    ent_ids = [ents[m[2]] for m in ments]
    by_ent = pair_labels(rec, ents)
    pairs = []
    n = len(ments)
    for i in range(n):
        for j in range(n):
            if i == j or ent_ids[i] == ent_ids[j]:
                continue
            pairs.append((i, j, sorted(by_ent.get((ent_ids[i], ent_ids[j]), ()))))
        pairs.append((i, -1, sorted(by_ent.get((ent_ids[i], -1), ()))))
        pairs.append((-1, i, sorted(by_ent.get((-1, ent_ids[i]), ()))))
    return {"id": rec["id"], "text": rec["text"], "kind": rec.get("kind", "sentence"),
            "mentions": [(s, e) for s, e, _ in ments], "pairs": pairs}


def load(split, files=None, fold=None):
    """Examples of a split ("train", "valid", "all"), or of a k-fold part when fold is given."""
    if fold is not None:
        return [example(r) for r in records(files) if in_fold(r["text"], fold)]
    return [example(r) for r in records(files) if split in ("all", split_of(r["text"]))]


def gold_lines(rec):
    """The record as `sitrep eval` gold lines: one per event, or one NONE line."""
    codes = {}
    for a in rec["actors"]:
        if isinstance(a, dict):
            codes[a["text"]] = a.get("code", "")
    for a in rec["actors"]:
        if isinstance(a, dict) and a.get("ref") and not codes.get(a["text"]):
            codes[a["text"]] = codes.get(a["ref"], "")

    def actors(names):
        out = []
        for name in as_list(names):
            code = codes.get(name, "")
            if code:
                out.append({"actorText": re.sub(r"#\d+$", "", name), "code": code})
        return out

    base = {"id": rec["id"], "date": GOLD_DATE, "text": rec["text"]}
    evs = rec.get("events", [])
    if not evs:
        yield dict(base, event="NONE")
    for k, ev in enumerate(evs):
        line = dict(base, id=f"{rec['id']}-{k + 1}", event=ev["type"],
                    source=actors(ev.get("source")), target=actors(ev.get("target")),
                    status=ev.get("status", "asserted"))
        if ev.get("mode"):
            line["mode"] = ev["mode"]
        yield line


def write_folds(out, n):
    files = [open(os.path.join(out, f"fold{k}.gold.jsonl"), "w", encoding="utf-8")
             for k in range(n)]
    for rec in records():
        if split_of(rec["text"]) == "train":
            for line in gold_lines(rec):
                files[fold_of(rec["text"], n)].write(json.dumps(line, ensure_ascii=False) + "\n")
    for f in files:
        print(f"held-out fold -> {f.name}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "out", "corpus"))
    ap.add_argument("--folds", type=int, default=0,
                    help="also write foldK.gold.jsonl: the held-out part K of N training folds")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.folds:
        write_folds(args.out, args.folds)
    counts = {"train": [0, 0], "valid": [0, 0]}
    outs = {s: open(os.path.join(args.out, f"{s}.gold.jsonl"), "w", encoding="utf-8")
            for s in counts}
    for rec in records():
        s = split_of(rec["text"])
        counts[s][0] += 1
        for line in gold_lines(rec):
            counts[s][1] += line["event"] != "NONE"
            outs[s].write(json.dumps(line, ensure_ascii=False) + "\n")
    for s, (n, e) in counts.items():
        print(f"{s}: {n} records, {e} events -> {outs[s].name}")


if __name__ == "__main__":
    main()
