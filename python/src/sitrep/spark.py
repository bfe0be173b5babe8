"""Coding a corpus with PySpark: a ``mapInPandas`` function that runs the package on the
executors, and the Spark schema of its rows (the columns of ``code_frame(json=True)``).

    from sitrep import spark as ss
    docs = session.read.json("corpus.jsonl")              # id, date, text per record
    events = docs.mapInPandas(ss.mapper(rules_only=True), schema=ss.SCHEMA)
    events.write.parquet("events.parquet")

Each Spark task loads one ``Coder`` and codes its batches on one thread (Spark already runs a
task per core). Nothing here codes: it only moves batches in and frames out.
"""

from . import FLAT_COLUMNS, Coder

_TYPES = {
    "date": "date",
    "goldstein": "double",
    "quad_class": "int",
    "lat": "double",
    "lon": "double",
    "fatalities": "long",
    "confidence": "double",
}

# A Spark DDL schema: the flat event columns, then the full event as its JSON Lines record.
SCHEMA = ", ".join(f"{c} {_TYPES.get(c, 'string')}" for c in FLAT_COLUMNS) + ", json string"


def mapper(kb_dir=None, rules_only=False, threads=1, text="text", date="date", id="id"):
    """A function for ``DataFrame.mapInPandas(f, schema=SCHEMA)``: codes the column ``text``
    with the report dates in ``date`` and document ids in ``id`` (content ids when the frame
    has no such column) and yields one frame of events per batch."""

    def run(batches):
        coder = Coder(kb_dir=kb_dir, rules_only=rules_only, threads=threads)
        for batch in batches:
            ids = list(batch[id].astype(str)) if id in batch else None
            frame = coder.code_frame(
                list(batch[text]), dates=list(batch[date].astype(str)), ids=ids, json=True
            )
            frame["date"] = frame["date"].dt.date
            frame["quad_class"] = frame["quad_class"].astype("int32")
            yield frame

    return run
