#!/usr/bin/env python3
"""Fit the sentence-type head of a trained relation model: one sigmoid per PLOVER type over
the encoder's [CLS] state, which says which types a sentence reports, whichever pair holds
them. The encoder stays as shipped (its weights and the pair head are not touched), so the
head is a small extra file beside the model and the parity of the pair head is unchanged.

    python3 scripts/train_sentence_head.py [--model data/model/relation] [--seed 13]

Trains on the train split's sentences (types of their gold events) and, as weak labels, the
NGEC synthetic stories of ../shared/train when present; tunes one threshold per type on the
validation split. Writes MODEL/sentence.safetensors (fp16: `sent.weight`, `sent.bias`) and
MODEL/sentence.json (labels, thresholds, figures, and a few validation sentences with the
probabilities this head gives them at fp16, which crates/sitrep-model/tests/parity.rs checks).
"""
import argparse
import json
import os
import sys
import time

import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

sys.path.insert(0, os.path.dirname(__file__))
import corpus_build  # noqa: E402
import rust_mentions  # noqa: E402
import train_relations as tr  # noqa: E402
from corpus_build import TYPES  # noqa: E402


def load_model(model_dir):
    """The relation model of a directory as train_relations builds it, weights as shipped."""
    from transformers import BertConfig, BertModel
    cfg = BertConfig.from_dict(json.load(open(os.path.join(model_dir, "config.json"))))
    enc = BertModel(cfg, add_pooling_layer=False)
    sd = {k: v.float() for k, v in load_file(os.path.join(model_dir, "model.safetensors")).items()}
    missing, _ = enc.load_state_dict({k: v for k, v in sd.items() if not k.startswith("head.")},
                                     strict=False)
    if [m for m in missing if "position_ids" not in m]:
        raise SystemExit(f"{model_dir}: encoder weights missing: {missing[:3]}")
    model = tr.RelationModel(enc)
    model.null.data = sd["head.null"]
    for name in ["fc1", "fc2"]:
        getattr(model, name).weight.data = sd[f"head.{name}.weight"]
        getattr(model, name).bias.data = sd[f"head.{name}.bias"]
    return model.eval()


def cls_states(model, data, bs=32):
    """[CLS] state of every example, in order."""
    out = []
    with torch.no_grad():
        for k in range(0, len(data), bs):
            model(data[k: k + bs])
            out.append(model.last_states[:, 0].clone())
    return torch.cat(out)


def fit(x, y, w, epochs=400, lr=0.01, decay=1e-3, seed=13):
    torch.manual_seed(seed)
    lin = torch.nn.Linear(x.shape[1], y.shape[1])
    opt = torch.optim.AdamW(lin.parameters(), lr=lr, weight_decay=decay)
    for _ in range(epochs):
        loss = torch.nn.functional.binary_cross_entropy_with_logits(lin(x), y, weight=w)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return lin


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(corpus_build.ROOT, "data", "model", "relation"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--no-ngec", action="store_true", help="leave the NGEC stories out")
    args = ap.parse_args()
    t0 = time.time()
    tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(tr.MAX_TOKENS)
    train = [tr.Encoded(tok, e) for e in rust_mentions.load("train")]
    valid = [tr.Encoded(tok, e) for e in rust_mentions.load("valid")]
    if not args.no_ngec:
        train += tr.ngec_stories(tok)
    model = load_model(args.model)
    xt, xv = cls_states(model, train), cls_states(model, valid)
    yt = torch.tensor([b.sent[0] for b in train])
    wt = torch.tensor([b.sent[1] for b in train])
    yv = torch.tensor([b.sent[0] for b in valid])
    lin = fit(xt, yt, wt, seed=args.seed)
    with torch.no_grad():
        pv = torch.sigmoid(lin(xv))
    thr = tr.tune_thresholds(pv, yv)
    figures = [round(v, 4) for v in tr.scores(pv, yv, thr)]
    print(f"valid sentence types P/R/F1 {figures} ({time.time() - t0:.0f}s)", flush=True)
    save_file({"sent.weight": lin.weight.detach().half().contiguous(),
               "sent.bias": lin.bias.detach().half().contiguous()},
              os.path.join(args.model, "sentence.safetensors"))
    json.dump({"labels": TYPES, "thresholds": [float(v) for v in thr],
               "seed": args.seed, "ngec": not args.no_ngec,
               "train_examples": len(train), "valid_examples": len(valid),
               "valid_sentences_tuned": figures, "seconds": round(time.time() - t0),
               "parity": parity(lin, xv, rust_mentions.load("valid"))},
              open(os.path.join(args.model, "sentence.json"), "w"), indent=1)


def parity(lin, xv, held, n=6):
    """The first validation sentences with the probabilities the fp16 head gives them."""
    half = torch.nn.Linear(lin.in_features, lin.out_features)
    half.weight.data = lin.weight.detach().half().float()
    half.bias.data = lin.bias.detach().half().float()
    with torch.no_grad():
        probs = torch.sigmoid(half(xv[:n])).tolist()
    return [{"text": ex["text"], "probs": p} for ex, p in zip(held[:n], probs)]


if __name__ == "__main__":
    main()
