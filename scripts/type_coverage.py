"""A regression guard beside the dev gold: codes the NGEC synthetic stories (one PLOVER label
per story, ../shared/train) and data/train/sentences.tsv (one label per sentence) and reports how
often an event of the labelled type comes out, and how many events of other types per item.
Story labels name one event of many, so the figure moves with recall, not precision; compare two
builds on the same machine.  Usage: python3 scripts/type_coverage.py target/release/sitrep"""
import csv, json, os, subprocess, sys, collections
BIN = sys.argv[1]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
def code(items):
    inp = ''.join(json.dumps({'id': str(i), 'date': '2020-01-01', 'text': t}) + '\n' for i, (_, t) in enumerate(items))
    out = subprocess.run([BIN, 'code', '-'], input=inp, capture_output=True, text=True).stdout
    by = collections.defaultdict(list)
    for l in out.splitlines():
        e = json.loads(l)
        by[e['doc_id']].append(e['event'])
    return by
def report(name, items):
    by = code(items)
    hit = other = none_fa = n = nn = 0
    for i, (lab, _) in enumerate(items):
        ev = by.get(str(i), [])
        if lab == 'NONE':
            nn += 1; none_fa += bool(ev); continue
        n += 1; hit += lab in ev; other += sum(1 for x in ev if x != lab)
    print(f"{name}: {n} labelled items, type found {hit/n:.3f}, other-type events/item {other/n:.2f}" + (f", NONE items with events {none_fa}/{nn}" if nn else ""))
rows = list(csv.DictReader(open(os.path.join(ROOT, '..', 'shared', 'train', 'ngec-synthetic-events.csv'))))
report('ngec stories', [(r['label'].upper(), r['text']) for r in rows])
sents = [l.rstrip('\n').split('\t', 1) for l in open(os.path.join(ROOT, 'data', 'train', 'sentences.tsv')) if l.strip() and not l.startswith('#')]
report('train sentences', [(a, b) for a, b in sents])
