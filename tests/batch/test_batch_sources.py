"""Reading batch inputs: folder, JSONL and CSV, lazily, with an error record for what cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_helpers import write_jsonl

from extractor.batch import UnsupportedInput, open_source
from extractor.batch.sources import read_note_file
from extractor.cli.note_source import InputNotFound
from extractor.errors import NoteTooLarge, UnreadableInput


def test_folder_is_recursive_sorted_and_ids_are_relative_paths(note_folder: Path) -> None:
    source = open_source(note_folder)
    ids = [record.id for record in source.records()]
    assert ids[:6] == ["binary", "cp1252", "empty", "raise", "2024/feb/n00", "2024/feb/n02"]
    assert "2024/jan/n11" in ids and "cp1252" in ids and "readme" not in ids
    assert len(ids) == len(set(ids)) == 16 == source.count()
    record = next(source.records())
    assert record.text is None and Path(record.path).is_file()


def test_folder_file_decoding_with_fallback_and_refusals(note_folder: Path, tmp_path: Path) -> None:
    text, warnings = read_note_file(str(note_folder / "cp1252.txt"))
    assert text == "Caf\u00e9 \u2013 facet L3 injection." and warnings == ("DECODED_AS_CP1252",)
    text, warnings = read_note_file(str(note_folder / "2024" / "jan" / "n01.txt"))
    assert warnings == () and text.startswith("Bilateral")
    with pytest.raises(UnreadableInput):
        read_note_file(str(note_folder / "binary.txt"))
    big = tmp_path / "big.txt"
    big.write_text("x" * 4001)
    with pytest.raises(NoteTooLarge, match="4,001 bytes"):
        read_note_file(str(big), max_chars=1000)


def test_jsonl_records_and_the_errors_of_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "L4 note"}),
        "",
        json.dumps({"id": 7, "text": "L5 note"}),
        '{"id": "broken", "text": ',
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "no id"}),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "null-text", "text": None}),
        json.dumps({"id": "number-text", "text": 12}),
        json.dumps({"id": "tab", "text": "raw\ttab"}).replace("\\t", "\t"),
    ]
    path.write_text("\n".join(lines) + "\n")
    path.open("ab").write('{"id": "latin", "text": "caf\u00e9 L2"}\n'.encode("cp1252"))
    source = open_source(path)
    records = list(source.records())
    assert source.count() == len(records) == 10
    by_id = {record.id: record for record in records}
    assert by_id["a"].text == "L4 note" and by_id["7"].text == "L5 note"
    assert by_id["#L4"].error[0] == "INVALID_RECORD" and "not valid JSON" in by_id["#L4"].error[1]
    assert by_id["#L5"].error[0] == "INVALID_RECORD"
    assert by_id["#L6"].error == ("INVALID_RECORD", "Line 6 has no usable 'id' (string or integer).")
    assert by_id["no-text"].error == ("INVALID_RECORD", "The record has no 'text' field.")
    assert by_id["null-text"].error[0] == "EMPTY_NOTE"
    assert by_id["number-text"].error[0] == "INVALID_RECORD"
    assert by_id["tab"].text == "raw\ttab"
    assert by_id["latin"].text == "caf\u00e9 L2" and by_id["latin"].input_warnings == ("DECODED_AS_CP1252",)


def test_jsonl_custom_fields_and_a_line_too_long_to_hold(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "notes.jsonl",
        [
            {"note_id": "n1", "body": "short L1"},
            {"note_id": "huge", "body": "x" * 200_000},
            {"note_id": "n3", "body": "short L3"},
        ],
    )
    source = open_source(path, id_field="note_id", text_field="body", max_chars=1_000)
    records = list(source.records())
    assert [record.id for record in records] == ["n1", "#L2", "n3"]
    assert records[1].error[0] == "NOTE_TOO_LARGE"
    path = write_jsonl(
        tmp_path / "default.jsonl", [{"id": "huge", "text": "x" * 200_000}, {"id": "n2", "text": "y"}]
    )
    records = list(open_source(path, max_chars=1_000).records())
    assert [(record.id, record.error and record.error[0]) for record in records] == [
        ("huge", "NOTE_TOO_LARGE"),
        ("n2", None),
    ]


def test_csv_with_multiline_notes_custom_columns_and_fallback_per_record(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    body = (
        'mrn,note,extra\r\n"a1","line one\nline two at L4",x\r\n'
        '"a2","caf\u00e9 L5",y\r\n'
        ",empty id,z\r\n"
        "short\r\n"
        '"a5","plain",w\r\n'
    )
    path.write_bytes(body.encode("cp1252"))
    source = open_source(path, id_field="mrn", text_field="note")
    records = list(source.records())
    assert source.count() == len(records) == 5
    assert records[0].text == "line one\nline two at L4" and records[0].input_warnings == ()
    assert records[1].text == "caf\u00e9 L5" and records[1].input_warnings == ("DECODED_AS_CP1252",)
    assert records[2].id == "#R3" and records[2].error[0] == "INVALID_RECORD"
    assert records[3].id == "short" and "fewer than the header" in records[3].error[1]
    assert records[4].text == "plain" and records[4].input_warnings == ()


def test_csv_without_the_columns_is_refused_up_front(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("id,body\n1,x\n")
    with pytest.raises(UnsupportedInput, match="no column 'text'"):
        open_source(path)


def test_unknown_inputs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound):
        open_source(tmp_path / "missing.jsonl")
    other = tmp_path / "notes.xml"
    other.write_text("<notes/>")
    with pytest.raises(UnsupportedInput, match="folder of .txt"):
        open_source(other)
