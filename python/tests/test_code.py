"""sitrep.code / code_frame / Coder: the events equal the CLI's, dates and ids are honoured,
and bad input raises SitrepError with the CLI's words."""

import datetime
import json

import pandas as pd
import pytest

import sitrep
from conftest import DATES, ROOT, TEXTS, canonical, jsonl, run_cli

EVENT_FIELDS = {
    "id", "doc_id", "date", "date_precision", "event", "mode", "context", "cameo",
    "goldstein", "quad_class", "source", "target", "status", "location", "quantities",
    "evidence", "confidence",
}


def test_code_returns_one_dict_per_event_with_the_jsonl_fields(rules):
    events = rules.code(TEXTS, dates=DATES)
    assert len(events) >= 3
    for e in events:
        assert EVENT_FIELDS <= set(e), set(e) ^ EVENT_FIELDS
    shelling = [e for e in events if e["date"] == "2024-03-04"]
    assert [e["event"] for e in shelling] == ["ASSAULT"]
    assert shelling[0]["source"][0]["code"] == "TUR MIL"
    assert shelling[0]["evidence"]["trigger"] == "shelled"
    # the weather report has no event
    assert not [e for e in events if e["date"] == "2024-03-06"]


def test_code_equals_the_cli_on_the_same_records(rules, sitrep_bin):
    records = [{"date": d, "text": t} for d, t in zip(DATES, TEXTS)]
    rc, out, err = run_cli(sitrep_bin, "code", "-", "--rules-only", "--format", "jsonl", stdin=jsonl(records))
    assert rc == 0, err
    cli = [json.loads(line) for line in out.splitlines()]
    assert canonical(rules.code(TEXTS, dates=DATES)) == canonical(cli)


def test_code_path_equals_the_cli_on_the_sample_folder(rules, sitrep_bin):
    samples = ROOT / "data" / "samples"
    rc, out, err = run_cli(sitrep_bin, "code", str(samples), "--rules-only", "--format", "jsonl")
    assert rc == 0, err
    cli = [json.loads(line) for line in out.splitlines()]
    assert len(cli) > 10
    assert rules.code_path(samples) == cli


def test_one_date_for_all_and_date_objects_give_the_same_events(rules):
    text = TEXTS[1]
    as_str = rules.code([text, text], dates="2024-03-05")
    as_list = rules.code([text, text], dates=["2024-03-05", "2024-03-05"])
    as_date = rules.code([text, text], dates=datetime.date(2024, 3, 5))
    as_stamp = rules.code([text, text], dates=[pd.Timestamp("2024-03-05")] * 2)
    assert as_str == as_list == as_date == as_stamp
    assert rules.code(text, dates="2024-03-05") == as_str[: len(as_str) // 2]


def test_ids_name_the_documents_and_content_ids_are_stable(rules):
    given = rules.code(TEXTS[:2], dates=DATES[:2], ids=["a-1", "b-2"])
    assert {e["doc_id"] for e in given} == {"a-1", "b-2"}
    first = rules.code(TEXTS[:2], dates=DATES[:2])
    again = rules.code(["  " + TEXTS[0] + "\n", TEXTS[1]], dates=DATES[:2])
    assert [e["doc_id"] for e in first] == [e["doc_id"] for e in again]
    assert all(e["doc_id"].startswith("d-") for e in first)


def test_module_level_code_uses_a_cached_coder():
    a = sitrep.code(TEXTS[0], dates=DATES[0], rules_only=True)
    b = sitrep.code(TEXTS[0], dates=DATES[0], rules_only=True)
    assert a == b and a[0]["event"] == "ASSAULT"
    assert sitrep._default_coder(None, True) is sitrep._default_coder(None, True)


def test_empty_input_gives_no_events(rules):
    assert rules.code([], dates=[]) == []
    frame = rules.code_frame([], dates=[])
    assert list(frame.columns) == sitrep.FLAT_COLUMNS and len(frame) == 0


@pytest.mark.parametrize(
    "texts, dates, message",
    [
        (["Russia accused Ukraine."], None, "texts:1: error: missing field 'date'"),
        (["a", "Russia accused Ukraine."], ["2024-01-01", "2024-13-01"], "texts:2: error: bad date '2024-13-01': `2024-13-01` is not a day of the calendar"),
        (["Russia accused Ukraine.", ""], "2024-01-01", "texts:2: error: field 'text' is empty"),
        (["Russia accused Ukraine."], "yesterday", "bad date 'yesterday': expected YYYY-MM-DD"),
    ],
)
def test_bad_records_raise_with_the_readers_message(rules, texts, dates, message):
    with pytest.raises(sitrep.SitrepError) as e:
        rules.code(texts, dates=dates)
    assert message in str(e.value)


def test_missing_date_message_is_the_clis(rules, sitrep_bin):
    rc, _, err = run_cli(sitrep_bin, "code", "-", "--rules-only", stdin=jsonl([{"text": "Russia accused Ukraine."}]))
    assert rc == 1
    with pytest.raises(sitrep.SitrepError) as e:
        rules.code(["Russia accused Ukraine."])
    cli_message = err.strip().split("<stdin>:1: error: ", 1)[1]
    assert str(e.value) == "texts:1: error: " + cli_message


def test_wrong_shapes_raise_type_and_value_errors(rules):
    with pytest.raises(ValueError, match="dates has 1 entries for 2 texts"):
        rules.code(["a", "b"], dates=["2024-01-01"])
    with pytest.raises(ValueError, match="ids has 3 entries for 2 texts"):
        rules.code(["a", "b"], dates="2024-01-01", ids=["x", "y", "z"])
    with pytest.raises(TypeError, match=r"texts\[1\]: expected str, got int"):
        rules.code(["a", 7], dates="2024-01-01")


def test_a_bad_kb_dir_raises_the_clis_message(tmp_path, sitrep_bin):
    missing = tmp_path / "no-such-kb"
    rc, _, err = run_cli(sitrep_bin, "code", "-", "--rules-only", "--kb", str(missing), stdin=jsonl([{"date": "2024-01-01", "text": "x"}]))
    assert rc != 0
    with pytest.raises(sitrep.SitrepError) as e:
        sitrep.Coder(kb_dir=missing, rules_only=True)
    assert "sitrep: error: " + str(e.value) == err.strip()


def test_a_kb_dir_adds_actors(tmp_path, rules):
    kb = tmp_path / "kb"
    kb.mkdir()
    # a made-up armed group, added through the KB files a user can write (docs/kb.md)
    (kb / "orgs.tsv").write_text(
        "id\tname\taliases\tcountry\tsector\nvessa-front\tVessa Front\t\tRUS\tREB\n"
    )
    text = "The Vessa Front attacked a convoy near Kursk."
    extended = sitrep.Coder(kb_dir=kb, rules_only=True).code(text, dates="2024-05-01")
    plain = rules.code(text, dates="2024-05-01")
    assert any(a.get("kb") == "vessa-front" for e in extended for a in e["source"])
    assert not any(a.get("kb") == "vessa-front" for e in plain for a in e["source"])


def test_code_frame_is_flattened_like_the_code_csv_with_typed_columns(rules):
    frame = rules.code_frame(TEXTS, dates=DATES)
    events = rules.code(TEXTS, dates=DATES)
    assert list(frame.columns) == sitrep.FLAT_COLUMNS
    assert len(frame) == len(events)
    assert str(frame["date"].dtype).startswith("datetime64")
    for col, kind in {"goldstein": "f", "quad_class": "i", "lat": "f", "lon": "f", "confidence": "f"}.items():
        assert frame[col].dtype.kind == kind, (col, frame[col].dtype)
    for col in ("id", "event", "source_code", "target_text", "rule"):
        assert pd.api.types.is_string_dtype(frame[col]), (col, frame[col].dtype)
    talks = frame[frame["event"] == "CONSULT"].iloc[0]
    assert talks["target_code"] == "ISR;PSE REB" and talks["target_text"] == "Israel;Hamas"
    shelling = frame[frame["event"] == "ASSAULT"].iloc[0]
    assert pd.isna(shelling["lat"]) and shelling["location"] == ""
    assert list(frame["id"]) == [e["id"] for e in events]


def test_code_frame_equals_the_cli_csv(rules, sitrep_bin, tmp_path):
    records = [{"date": d, "text": t} for d, t in zip(DATES, TEXTS)]
    rc, out, err = run_cli(sitrep_bin, "code", "-", "--rules-only", "--format", "csv", stdin=jsonl(records))
    assert rc == 0, err
    (tmp_path / "cli.csv").write_text(out)
    cli = pd.read_csv(tmp_path / "cli.csv", keep_default_na=False, dtype=str)
    frame = rules.code_frame(TEXTS, dates=DATES)
    for col in ("id", "doc_id", "event", "mode", "status", "cameo", "source_code", "source_text",
                "target_code", "target_text", "location", "quantities", "trigger", "rule"):
        assert list(frame[col]) == list(cli[col]), col
    assert list(frame["goldstein"]) == [float(x) for x in cli["goldstein"]]
    assert [f"{c:.2f}" for c in frame["confidence"]] == list(cli["confidence"])


def test_code_frame_json_column_holds_the_full_events(rules):
    frame = rules.code_frame(TEXTS, dates=DATES, json=True)
    assert [json.loads(j) for j in frame["json"]] == rules.code(TEXTS, dates=DATES)


def test_help_is_useful():
    for f in (sitrep.code, sitrep.code_frame, sitrep.Coder.code, sitrep.Coder.code_frame, sitrep.Store.events):
        assert f.__doc__ and len(f.__doc__) > 80, f
    assert "dates" in sitrep.code.__doc__ and "SitrepError" in sitrep.code.__doc__
    assert "rules_only" in sitrep.Coder.__doc__


def test_the_learned_coder_is_the_default_and_codes(sitrep_bin):
    learned = sitrep.Coder()
    assert not learned.rules_only
    text = "Turkish forces shelled Kurdish militia positions near the Syrian border."
    events = learned.code(text, dates="2024-03-04")
    rc, out, err = run_cli(sitrep_bin, "code", "-", "--format", "jsonl", stdin=jsonl([{"date": "2024-03-04", "text": text}]))
    assert rc == 0, err
    assert canonical(events) == canonical(json.loads(line) for line in out.splitlines())
    assert events, "the learned coder found no event in a plain shelling report"
