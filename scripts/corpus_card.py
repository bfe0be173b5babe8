#!/usr/bin/env python3
"""Figures for the relation corpus's data card (data/train/README.md): counts per slice, kind,
type, mode, status and hard-negative tag, the split, and two diversity figures:

- the share of distinct word trigrams (distinct / all trigram occurrences);
- how many records have a near-duplicate in the corpus (Jaccard >= 0.7 on word trigrams).

    python3 scripts/corpus_card.py [--json]
"""
import argparse
import json
import os
import re
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(__file__))
import corpus_build  # noqa: E402
from corpus_check import as_list  # noqa: E402


def words(text):
    return re.findall(r"[a-z0-9']+", text.lower())


def trigrams(text):
    w = words(text)
    return [tuple(w[k:k + 3]) for k in range(len(w) - 2)]


def near_duplicates(texts, threshold=0.7, max_df=40):
    """Records with another at Jaccard >= threshold on trigram sets; candidates share a
    trigram that few records hold, so common phrases do not make the search quadratic."""
    sets = [set(trigrams(t)) for t in texts]
    index = defaultdict(list)
    for i, s in enumerate(sets):
        for g in s:
            index[g].append(i)
    dup = set()
    for i, s in enumerate(sets):
        cands = Counter()
        for g in s:
            if len(index[g]) <= max_df:
                cands.update(j for j in index[g] if j != i)
        for j, shared in cands.items():
            if j in dup and i in dup:
                continue
            union = len(s | sets[j])
            if union and shared / union >= threshold:
                dup.update((i, j))
    return len(dup)


def card():
    recs = list(corpus_build.records())
    texts = [r["text"] for r in recs]
    grams = [g for t in texts for g in trigrams(t)]
    kinds, slices, types, modes, statuses, hard, split = (Counter() for _ in range(7))
    sentences = 0
    pairs = positive = 0
    for r in recs:
        kinds[r.get("kind", "sentence")] += 1
        slices[r["id"].split("-")[0]] += 1
        split[corpus_build.split_of(r["text"])] += 1
        sentences += max(1, len(re.findall(r"[.!?](?:\s|$)", r["text"]))) \
            if r.get("kind") == "passage" else 1
        for t in as_list(r.get("hard")):
            hard[t] += 1
        for ev in r.get("events", []):
            types[ev["type"]] += 1
            statuses[ev.get("status", "asserted")] += 1
            if ev.get("mode"):
                modes[f"{ev['type']}/{ev['mode']}"] += 1
        ex = corpus_build.example(r)
        for i, j, labels in ex["pairs"]:
            if i >= 0 and j >= 0:
                pairs += 1
                positive += bool(labels)
    return {
        "records": len(recs), "sentences": sentences, "kinds": dict(kinds),
        "slices": dict(sorted(slices.items())), "split": dict(split),
        "records_without_event": sum(1 for r in recs if not r.get("events")),
        "events": sum(types.values()), "types": dict(sorted(types.items())),
        "modes": dict(sorted(modes.items())), "statuses": dict(statuses),
        "hard_tags": dict(hard.most_common()),
        "mention_pairs": pairs, "non_event_pair_share": round(1 - positive / max(1, pairs), 3),
        "distinct_trigram_share": round(len(set(grams)) / max(1, len(grams)), 3),
        "records_with_near_duplicate": near_duplicates(texts),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    c = card()
    if args.json:
        print(json.dumps(c, indent=1))
        return
    for k, v in c.items():
        print(f"{k}: {v}")


if __name__ == "__main__":
    main()
