"""The batch machinery with a fake coder: one line per record, errors, resume, dying workers, progress."""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from batch_fakes import expected_codes, fake_code_note
from batch_helpers import read_output, write_jsonl

from extractor.batch import BatchAborted, BatchOptions, OutputExists, UnsupportedInput, run_batch
from extractor.batch import runner as runner_module
from extractor.batch.sources import NoteRecord


def options(**overrides) -> BatchOptions:
    base = {"coder": fake_code_note, "workers": 2, "quiet": True, "chunk_size": 4}
    base.update(overrides)
    return BatchOptions(**base)


def test_folder_run_writes_one_line_per_record_with_results_errors_and_warnings(
    note_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"
    summary = run_batch(note_folder, out, options())
    lines = read_output(out)
    by_id = {line["id"]: line for line in lines}
    assert len(lines) == len(by_id) == 16
    for index in range(12):
        month = "jan" if index % 2 else "feb"
        line = by_id[f"2024/{month}/n{index:02d}"]
        assert [claim["code"] for claim in line["result"]["lines"]] == [f"6449{index % 5 + 1}"]
        assert "error" not in line and "input_warnings" not in line
    assert by_id["cp1252"]["input_warnings"] == ["DECODED_AS_CP1252"]
    assert by_id["cp1252"]["result"]["lines"][0]["evidence"][0]["text"] == "L3"
    assert by_id["binary"]["error"]["type"] == "UNREADABLE_INPUT"
    assert by_id["empty"]["error"]["type"] == "EMPTY_NOTE"
    assert by_id["raise"]["error"] == {
        "type": "INTERNAL_ERROR",
        "message": "RuntimeError: the fake coder was told to fail",
    }
    assert summary["records"] == 16 and summary["coded"] == 13 and summary["errors"] == 3
    assert summary["lines_per_code"] == {"64491": 3, "64492": 3, "64493": 3, "64494": 2, "64495": 2}
    assert summary["errors_per_type"] == {"EMPTY_NOTE": 1, "INTERNAL_ERROR": 1, "UNREADABLE_INPUT": 1}
    assert summary["warnings_per_id"] == {}
    assert summary["input_warnings"] == {"DECODED_AS_CP1252": 1}
    assert summary["this_run"]["worker_deaths"] == 0


def test_result_json_is_the_coding_result_of_the_coder(tmp_path: Path) -> None:
    text = "Right L4 and L5 medial branch blocks."
    source = write_jsonl(
        tmp_path / "in.jsonl", [{"id": "one", "text": text}, {"id": "two", "text": "nothing"}]
    )
    out = tmp_path / "out.jsonl"
    summary = run_batch(source, out, options(workers=1))
    lines = {line["id"]: line for line in read_output(out)}
    assert lines["one"]["result"] == json.loads(fake_code_note(text).model_dump_json(by_alias=True))
    assert summary["warnings_per_id"] == {"NO_FACET_PROCEDURE": 1}


def test_an_existing_output_is_kept_unless_resume_or_overwrite(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"n{i}", "text": f"L{i % 5 + 1}"} for i in range(6)])
    out = tmp_path / "out.jsonl"
    run_batch(source, out, options(workers=1))
    with pytest.raises(OutputExists, match="--resume"):
        run_batch(source, out, options(workers=1))
    summary = run_batch(source, out, options(workers=1, overwrite=True))
    assert summary["this_run"]["processed"] == 6 and len(read_output(out)) == 6
    with pytest.raises(UnsupportedInput, match="is the input"):
        run_batch(source, source, options(workers=1, resume=True))


def test_resume_skips_done_ids_repairs_a_torn_line_and_counts_the_whole_file(tmp_path: Path) -> None:
    records = [{"id": f"n{i}", "text": f"note at L{i % 5 + 1}"} for i in range(30)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    run_batch(write_jsonl(tmp_path / "first.jsonl", records[:10]), out, options(workers=1))
    with out.open("ab") as handle:
        handle.write(b'{"id": "n10", "result": {"lines": [{"co')  # a run killed mid-write
    summary = run_batch(source, out, options(resume=True))
    ids = [line["id"] for line in read_output(out)]
    assert sorted(ids) == sorted(record["id"] for record in records)
    assert summary["this_run"]["skipped_already_done"] == 10
    assert summary["this_run"]["processed"] == 20 and summary["this_run"]["repaired_torn_line"] is True
    assert summary["records"] == 30 and sum(summary["lines_per_code"].values()) == 30
    again = run_batch(source, out, options(resume=True))
    assert again["this_run"]["processed"] == 0 and len(read_output(out)) == 30


def test_duplicate_ids_get_an_error_line_of_their_own(tmp_path: Path) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [{"id": "a", "text": "L1"}, {"id": "b", "text": "L2"}, {"id": "a", "text": "L3"}, {"id": "bad"}],
    )
    out = tmp_path / "out.jsonl"
    summary = run_batch(source, out, options(workers=1))
    lines = read_output(out)
    assert len(lines) == 4
    assert Counter(line.get("error", {}).get("type") for line in lines) == Counter(
        {None: 2, "DUPLICATE_ID": 1, "INVALID_RECORD": 1}
    )
    assert summary["errors_per_type"] == {"DUPLICATE_ID": 1, "INVALID_RECORD": 1}


def test_dying_workers_lose_no_record(tmp_path: Path) -> None:
    """A worker dying mid-chunk: its chunk-mates are retried and coded; a note that kills its worker
    again when retried alone gets a WORKER_DIED line; one that killed it only once is coded."""
    marker = tmp_path / "died-once"
    records = [{"id": f"n{i}", "text": f"L{i % 5 + 1} note"} for i in range(40)]
    records[5] = {"id": "once", "text": f"DIE_ONCE {marker} at L4"}
    records[17] = {"id": "exit", "text": "DIE_ALWAYS"}
    records[30] = {"id": "sigkill", "text": "SIGKILL_SELF"}
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    summary = run_batch(source, out, options())
    lines = {line["id"]: line for line in read_output(out)}
    assert sorted(lines) == sorted(record["id"] for record in records)
    assert len(read_output(out)) == 40
    assert marker.exists() and lines["once"]["result"]["lines"][0]["code"] == "64494"
    assert lines["exit"]["error"]["type"] == "WORKER_DIED"
    assert lines["sigkill"]["error"]["type"] == "WORKER_DIED"
    for record in records:
        if record["id"].startswith("n"):
            codes = [claim["code"] for claim in lines[record["id"]]["result"]["lines"]]
            assert codes == expected_codes(record["text"])
    # once, and exit and sigkill each alone; their deaths among others may coincide
    assert 3 <= summary["this_run"]["worker_deaths"] <= 5
    assert summary["errors_per_type"] == {"WORKER_DIED": 2}


class _ExitWhenUnpickled:
    """A coder that kills every worker while it starts, before it is ready."""

    def __reduce__(self):
        return (os._exit, (7,))

    def __call__(self, text: str, payer: str = "medicare"):  # pragma: no cover - never runs
        raise AssertionError


def test_workers_that_die_before_being_ready_abort_the_run_without_blaming_records(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [{"id": f"n{i}", "text": "L1"} for i in range(5)])
    out = tmp_path / "out.jsonl"
    with pytest.raises(BatchAborted, match="before they were ready"):
        run_batch(source, out, options(coder=_ExitWhenUnpickled(), workers=1))
    assert out.read_text() == ""


def test_records_are_streamed_with_a_bounded_number_in_flight(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out.jsonl"
    ahead: list[int] = []

    class CountingSource:
        description = "counting"

        def count(self) -> int:
            return 300

        def records(self):
            for index in range(300):
                written = out.read_bytes().count(b"\n") if out.exists() else 0
                ahead.append(index - written)
                yield NoteRecord(id=f"n{index}", text=f"L{index % 5 + 1}")

    monkeypatch.setattr(runner_module, "open_source", lambda *args, **kwargs: CountingSource())
    run_batch(tmp_path / "ignored", out, options(chunk_size=4))
    assert len(read_output(out)) == 300
    assert max(ahead) <= 2 * 4 + 4  # a chunk per worker + the chunk being filled


class _FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_counts_rate_eta_and_errors_but_never_note_text(
    note_folder: Path, tmp_path: Path
) -> None:
    plain = io.StringIO()
    run_batch(
        note_folder,
        tmp_path / "plain.jsonl",
        options(quiet=False, progress_stream=plain, progress_interval=0),
    )
    report = plain.getvalue()
    assert "16/16 (100%)" in report and "notes/s" in report and "ETA" in report and "errors 3" in report
    tty = _FakeTty()
    run_batch(note_folder, tmp_path / "bar.jsonl", options(quiet=False, progress_stream=tty, workers=1))
    bar = tty.getvalue()
    assert "16/16" in bar and "errors=3" in bar and "note/s" in bar
    quiet = io.StringIO()
    run_batch(note_folder, tmp_path / "quiet.jsonl", options(quiet=True, progress_stream=quiet, workers=1))
    assert quiet.getvalue() == ""
    for text in (report, bar):
        assert "SECRETNAME" not in text and "Bilateral" not in text


def test_workers_are_recycled_after_a_number_of_records_without_losing_any(tmp_path: Path) -> None:
    records = [{"id": f"n{i}", "text": f"L{i % 5 + 1}"} for i in range(30)]
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    summary = run_batch(source, out, options(workers=1, chunk_size=4, recycle_after=10))
    assert Counter(line["id"] for line in read_output(out)) == Counter(record["id"] for record in records)
    assert summary["this_run"]["recycled_pools"] == 2  # pools of 12, 12 and 6 records
    assert summary["this_run"]["worker_deaths"] == 0 and summary["errors"] == 0


def test_a_record_that_never_finishes_gets_a_timeout_line_and_the_rest_are_coded(tmp_path: Path) -> None:
    records = [{"id": f"n{i}", "text": f"L{i % 5 + 1} note"} for i in range(10)]
    records[6] = {"id": "hang", "text": "HANG at L2"}
    source = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    summary = run_batch(source, out, options(record_timeout=0.5))
    lines = {line["id"]: line for line in read_output(out)}
    assert sorted(lines) == sorted(record["id"] for record in records)
    assert lines["hang"]["error"]["type"] == "TIMEOUT"
    for record in records:
        if record["id"] != "hang":
            codes = [claim["code"] for claim in lines[record["id"]]["result"]["lines"]]
            assert codes == expected_codes(record["text"])
    # its chunk of four ran over once, then the record alone ran over again
    assert summary["this_run"]["timed_out_chunks"] == 2
    assert summary["this_run"]["worker_deaths"] == 0
    assert summary["errors_per_type"] == {"TIMEOUT": 1}
