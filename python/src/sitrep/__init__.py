"""sitrep: code dated news text into sourced PLOVER/CAMEO events, from Python.

A thin binding over the Rust engine (crates/sitrep-py): every function here calls it and only
shapes the answer into lists, dicts or pandas DataFrames.

    import sitrep
    events = sitrep.code(["Israel shelled Gaza on Monday."], dates="2023-11-07")
    frame = sitrep.code_frame(texts, dates=dates)          # one row per event
"""

from functools import lru_cache as _lru_cache

from ._sitrep import (
    EXPORT_COLUMNS,
    FILTERS,
    FLAT_COLUMNS,
    SitrepError,
    __version__,
)
from ._sitrep import Coder as _Coder
from ._sitrep import Store as _Store

__all__ = [
    "Coder",
    "Store",
    "SitrepError",
    "code",
    "code_frame",
    "FLAT_COLUMNS",
    "EXPORT_COLUMNS",
    "FILTERS",
    "__version__",
]

# pandas dtypes of the frames; every other column is text.
_FLAT_TYPES = {
    "goldstein": "float64",
    "quad_class": "int64",
    "lat": "float64",
    "lon": "float64",
    "confidence": "float64",
}
_EXPORT_TYPES = {
    "GLOBALEVENTID": "int64",
    "SQLDATE": "int64",
    "MonthYear": "int64",
    "Year": "int64",
    "FractionDate": "float64",
    "IsRootEvent": "int64",
    "QuadClass": "int64",
    "GoldsteinScale": "float64",
    "NumMentions": "int64",
    "NumSources": "int64",
    "NumArticles": "int64",
    "ActionGeo_Type": "Int64",
    "ActionGeo_Lat": "float64",
    "ActionGeo_Long": "float64",
    "confidence": "float64",
}


def _frame(columns, types, dates=()):
    import pandas as pd

    frame = pd.DataFrame(columns)
    for name, dtype in types.items():
        if name in frame:
            frame[name] = frame[name].astype(dtype)
    for name in dates:
        frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d")
    return frame


class Coder(_Coder):
    __doc__ = _Coder.__doc__

    def code_frame(self, texts=None, dates=None, ids=None, *, path=None, strict=False, json=False):
        """Codes texts (or a file or directory given as ``path=``) into a pandas DataFrame.

        One row per event, with the columns of ``sitrep code --format csv`` (``FLAT_COLUMNS``):
        several actors on a side are joined by ``;`` in ``source_code``/``source_text``,
        ``date`` is a datetime64 column, ``lat``/``lon`` are NaN where no place was found.
        ``json=True`` adds a ``json`` column holding each full event as its JSON Lines record.
        """
        cols = self.code_columns(texts, dates, ids, path=path, strict=strict, json=json)
        return _frame(cols, _FLAT_TYPES, dates=("date",))


@_lru_cache(maxsize=4)
def _default_coder(kb_dir, rules_only):
    return Coder(kb_dir=kb_dir, rules_only=rules_only)


def code(texts, dates=None, ids=None, *, kb_dir=None, rules_only=False):
    """Codes texts into events: a list of dicts with the fields of ``sitrep code``'s JSON Lines.

    texts: a str or a sequence of str, one document each.
    dates: one report date for all ('YYYY-MM-DD', ``datetime.date`` or pandas Timestamp) or a
        sequence with one per text.
    ids: document ids, one per text (default: content-addressed).
    kb_dir, rules_only: as for ``Coder``; the coder is loaded once and kept for later calls.

    Raises SitrepError with the CLI's message (``texts:N: error: …`` names the Nth text).
    """
    return _default_coder(kb_dir, rules_only).code(texts, dates, ids)


def code_frame(texts=None, dates=None, ids=None, *, path=None, kb_dir=None, rules_only=False, json=False):
    """Like ``code``, as a pandas DataFrame with one row per event (see ``Coder.code_frame``)."""
    return _default_coder(kb_dir, rules_only).code_frame(texts, dates, ids, path=path, json=json)


class Store(_Store):
    __doc__ = _Store.__doc__

    def ingest(self, texts=None, dates=None, ids=None, *, path=None, coder=None, strict=False, batch=5000):
        """Codes documents and stores them with their events, as ``sitrep ingest``.

        Give ``texts`` (with ``dates``/``ids`` as in ``code``) or ``path=`` (a file or a
        directory). ``coder`` defaults to the learned coder; pass ``Coder(rules_only=True)``
        for the fast rules. Documents already stored are skipped. Returns counts
        (documents_added, documents_skipped, events_added, events_duplicate, events_removed).
        """
        coder = coder if coder is not None else _default_coder(None, False)
        return super().ingest(coder, texts, dates, ids, path=path, strict=strict, batch=batch)

    def events(self, **filters):
        """Matching events as a DataFrame with the columns of ``sitrep export`` (CSV/Parquet).

        Filters, all optional: actor, dyad ("ISR,LBN" or a pair), event, quad, status, from_,
        to (dates), place, text, story, doc_id, min_confidence, limit, offset.
        """
        return _frame(self.event_columns(**filters), _EXPORT_TYPES)

    def series(self, by="total", bucket="week", **filters):
        """Event counts and mean Goldstein per period as a DataFrame (key, period, count,
        mean_goldstein), as ``sitrep query --series BUCKET --by BY``."""
        import pandas as pd

        frame = pd.DataFrame(
            self.series_records(by, bucket, **filters),
            columns=["key", "period", "count", "mean_goldstein"],
        )
        return frame.astype({"count": "int64", "mean_goldstein": "float64"})

    def stories(self, **filters):
        """Stories (one event told by several reports) with a matching event, as a DataFrame."""
        import pandas as pd

        cols = [
            "id", "event", "src_country", "tgt_country", "first_date", "last_date",
            "n_events", "n_documents", "n_sources", "mean_goldstein",
        ]
        frame = pd.DataFrame(self.story_records(**filters), columns=cols)
        types = {c: "int64" for c in ("n_events", "n_documents", "n_sources")}
        return frame.astype({**types, "mean_goldstein": "float64"})
