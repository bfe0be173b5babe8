"""sitrep.Store: ingest, filtered events as a DataFrame, series, stories and exports, checked
against each other, against the CLI, and through DuckDB."""

import json

import pandas as pd
import pytest

import sitrep
from conftest import DATES, TEXTS, run_cli

# More reports, written for these tests, so series and stories have something to group.
MORE = [
    ("2024-03-04", "Turkish troops shelled militia positions in northern Syria."),
    ("2024-03-11", "Russia accused Ukraine of shelling Belgorod again."),
    ("2024-03-12", "Russian forces attacked Ukrainian positions near Kharkiv."),
    ("2024-03-19", "Ukraine accused Russia of striking a power plant."),
]


@pytest.fixture()
def store(tmp_path, rules):
    s = sitrep.Store(tmp_path / "events.db")
    texts = TEXTS + [t for _, t in MORE]
    dates = DATES + [d for d, _ in MORE]
    stats = s.ingest(texts, dates=dates, coder=rules)
    assert stats["documents_added"] == len(texts)
    return s


def test_ingest_is_idempotent_and_counts_agree(store, rules):
    before = store.counts()
    again = store.ingest(TEXTS, dates=DATES, coder=rules)
    assert again["documents_added"] == 0 and again["documents_skipped"] == len(TEXTS)
    assert store.counts() == before
    assert before["events"] == len(store.event_records()) > 0


def test_ingest_stores_what_the_coder_codes(store, rules):
    stored = store.event_records()
    coded = rules.code(TEXTS + [t for _, t in MORE], dates=DATES + [d for d, _ in MORE])
    key = lambda e: e["id"]
    assert sorted(stored, key=key) == sorted(coded, key=key)


def test_events_frame_has_the_export_columns_and_dtypes(store):
    frame = store.events()
    assert list(frame.columns) == sitrep.EXPORT_COLUMNS
    assert len(frame) == store.counts()["events"]
    for col in ("GLOBALEVENTID", "SQLDATE", "QuadClass", "NumMentions"):
        assert frame[col].dtype == "int64", col
    assert frame["GoldsteinScale"].dtype == "float64"
    assert str(frame["ActionGeo_Type"].dtype) == "Int64"
    assert pd.api.types.is_string_dtype(frame["plover_event"])


def test_event_filters_narrow_as_the_cli_filters_do(store):
    everything = store.events()
    assaults = store.events(event="ASSAULT")
    assert len(assaults) == (everything["plover_event"] == "ASSAULT").sum() > 0
    rus_ukr = store.events(dyad="RUS,UKR")
    assert len(rus_ukr) > 0
    assert set(rus_ukr["Actor1CountryCode"]) == {"RUS"} and set(rus_ukr["Actor2CountryCode"]) == {"UKR"}
    assert len(store.events(dyad=("RUS", "UKR"))) == len(rus_ukr)
    later = store.events(from_="2024-03-10")
    assert len(later) > 0 and (later["SQLDATE"] >= 20240310).all()
    assert len(store.events(limit=2)) == 2
    assert len(store.events(event="ASSAULT", to="2024-03-01")) == 0


@pytest.mark.parametrize(
    "filters, error, message",
    [
        ({"event": "BOMBARD"}, sitrep.SitrepError, "event \"BOMBARD\": not a PLOVER event type"),
        ({"dyad": "RUS"}, sitrep.SitrepError, "dyad \"RUS\": expected two country codes like ISR,LBN"),
        ({"status": "maybe"}, sitrep.SitrepError, "status \"maybe\": expected asserted"),
        ({"from_": "March"}, sitrep.SitrepError, "from_ \"March\": expected YYYY-MM-DD"),
        ({"quad": 7}, sitrep.SitrepError, "bad query: quad class 7: expected 1 to 4"),
        ({"country": "RUS"}, TypeError, "unknown filter \"country\""),
    ],
)
def test_bad_filters_raise_with_clear_messages(store, filters, error, message):
    with pytest.raises(error) as e:
        store.events(**filters)
    assert message in str(e.value)


def test_series_counts_add_up_to_the_events(store):
    total = store.series(bucket="week")
    assert list(total.columns) == ["key", "period", "count", "mean_goldstein"]
    assert total["count"].dtype == "int64"
    assert total["count"].sum() == store.counts()["events"]
    dyads = store.series(by="dyad", bucket="month", event="ASSAULT")
    assert dyads["count"].sum() == len(store.events(event="ASSAULT"))
    with pytest.raises(sitrep.SitrepError, match='bucket "year": expected day, week or month'):
        store.series(bucket="year")


def test_stories_group_the_stored_events(store):
    stories = store.stories()
    assert len(stories) == store.counts()["stories"] > 0
    assert stories["n_events"].sum() == store.counts()["events"]
    assert stories["n_events"].dtype == "int64"


def test_parquet_export_reads_back_equal_to_the_events_frame(store, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "events.parquet"
    n = store.export(path, format="parquet")
    assert n == store.counts()["events"]
    back = pq.read_table(path).to_pandas()
    frame = store.events()
    assert list(back.columns) == list(frame.columns)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)


def test_duckdb_counts_of_the_parquet_export_equal_the_stores(store, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "events.parquet"
    store.export(path)
    rows = duckdb.sql(f"SELECT count(*), plover_event FROM '{path}' GROUP BY plover_event").fetchall()
    from_duckdb = {event: n for n, event in rows}
    from_store = {e: len(store.events(event=e)) for e in from_duckdb}
    assert from_duckdb == from_store
    assert sum(from_duckdb.values()) == store.counts()["events"]


def test_other_export_formats_write_files(store, tmp_path):
    n = store.counts()["events"]
    assert store.export(tmp_path / "e.csv", format="csv") == n
    csv = pd.read_csv(tmp_path / "e.csv")
    assert list(csv.columns) == sitrep.EXPORT_COLUMNS and len(csv) == n
    assert store.export(tmp_path / "e.jsonl", format="events") == n
    lines = (tmp_path / "e.jsonl").read_text().splitlines()
    assert [json.loads(x) for x in lines] == store.event_records()
    with pytest.raises(sitrep.SitrepError, match='format "xls"'):
        store.export(tmp_path / "e.xls", format="xls")


def test_the_cli_reads_a_store_written_from_python(store, sitrep_bin, tmp_path):
    rc, out, err = run_cli(sitrep_bin, "export", "--db", str(store.path), "--format", "events")
    assert rc == 0, err
    assert [json.loads(x) for x in out.splitlines()] == store.event_records()


def test_a_file_that_is_not_a_database_raises(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(sitrep.SitrepError, match="not a sitrep database or corrupt"):
        sitrep.Store(bad)


def test_ingest_a_folder(tmp_path, rules):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, (d, t) in enumerate(MORE):
        (folder / f"{i}.jsonl").write_text(json.dumps({"date": d, "text": t}) + "\n")
    s = sitrep.Store(":memory:")
    stats = s.ingest(path=folder, coder=rules)
    assert stats["documents_added"] == len(MORE)
    assert s.counts()["events"] == len(rules.code_path(folder))
