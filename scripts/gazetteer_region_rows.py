#!/usr/bin/env python3
"""Add a region row to data/kb/gazetteer.tsv for every first-level region its cities name
(the region column, filled by scripts/gazetteer_regions.py) that has no row of its own:
"in Borno state", "in Antioquia" then find a place, placed at the population-weighted centre of
the region's cities, as gen_kb.py places its regions.

Standard library only; rerunning replaces the rows it wrote (they follow the marker comment).
A region is left out when its name is short, a country's name or alias, an actor's name in
the KB, or a word the training corpus writes in lower case ("delta", "plateau", "centre"): such
a name would place events that name no region.
"""
import csv
import glob
import json
import os
import re
import unicodedata

ROOT = os.path.join(os.path.dirname(__file__), "..")
KB = os.path.join(ROOT, "data", "kb")
GAZ = os.path.join(KB, "gazetteer.tsv")
MARKER = "# regions named by their cities' region column (scripts/gazetteer_region_rows.py)"


def rows_of(path):
    with open(path, encoding="utf-8") as f:
        lines = [ln for ln in f if not ln.startswith("#") and ln.strip()]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def fold(s):
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    return " ".join(s.lower().replace("\u2019", "'").split())


def taken_names():
    """Names a region row must not take: countries and their aliases, KB actors."""
    names = set()
    for r in rows_of(os.path.join(KB, "countries.tsv")):
        names.add(fold(r["name"]))
        names.update(fold(a) for a in (r.get("aliases") or "").split("|") if a)
        names.update(fold(a) for a in (r.get("adjectives") or "").split("|") if a)
    for f in ["orgs.tsv", "people.tsv"]:
        for r in rows_of(os.path.join(KB, f)):
            names.add(fold(r["name"]))
            names.update(fold(a) for a in (r.get("aliases") or "").split("|") if a)
    for r in rows_of(os.path.join(KB, "agents.tsv")):
        names.add(fold(r["term"]))
    return names


def lowercase_words():
    """Words the corpus writes in lower case: a region spelled like one is risky in text."""
    words = set()
    for path in glob.glob(os.path.join(ROOT, "data", "train", "corpus", "*.jsonl")):
        for ln in open(path, encoding="utf-8"):
            words.update(re.findall(r"\b[a-z][a-z'-]+\b", json.loads(ln)["text"]))
    return words


def main():
    with open(GAZ, encoding="utf-8") as f:
        text = f.read()
    text = text.split("\n" + MARKER + "\n")[0].rstrip("\n") + "\n"
    lines = text.split("\n")
    header = next(ln for ln in lines if ln and not ln.startswith("#")).split("\t")
    rows = [dict(zip(header, ln.split("\t"))) for ln in lines
            if ln and not ln.startswith("#") and ln.split("\t") != header]
    # a name that is only another place's alias still gets its row: the place called by its
    # own name wins ("in Antioquia" is the region, not the town Santa Fe de Antioquia)
    have = {(fold(r["name"]), r["country"]) for r in rows}
    have |= {(fold(r["name"]), r["country"]) for r in rows_of(os.path.join(KB, "places.tsv"))}
    groups = {}
    for r in rows:
        if r["kind"] == "city" and r.get("region"):
            groups.setdefault((r["region"], r["country"]), []).append(r)
    taken, words = taken_names(), lowercase_words()
    added = []
    for (name, cc), cities in sorted(groups.items()):
        n = fold(name)
        if (n, cc) in have or n in taken or len(n.replace(" ", "")) < 4:
            continue
        # "Rivers", "Plateau"; "Central Region", "Eastern Province": words, not names
        if all(w in words for w in n.split()):
            continue
        pop = [max(1, int(c["population"] or 1)) for c in cities]
        lat = sum(float(c["lat"]) * p for c, p in zip(cities, pop)) / sum(pop)
        lon = sum(float(c["lon"]) * p for c, p in zip(cities, pop)) / sum(pop)
        row = {h: "" for h in header}
        row.update(name=name, country=cc, lat=f"{lat:.4f}", lon=f"{lon:.4f}", kind="region",
                   region=name, cased="*")
        added.append("\t".join(row[h] for h in header))
    with open(GAZ, "w", encoding="utf-8") as f:
        f.write(text + MARKER + "\n" + "\n".join(added) + "\n")
    print(f"{len(added)} region rows added from {len(groups)} named regions")


if __name__ == "__main__":
    main()
