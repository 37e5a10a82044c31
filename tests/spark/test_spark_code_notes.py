"""``extractor.spark.code_notes``: the same lines as ``code_note``, one row per note, errors as rows."""

from __future__ import annotations

import functools
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")

from extractor import spark as spark_backend  # noqa: E402
from extractor.models import ClaimLine, CodingResult  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dev"


def _corpus_notes(count: int = 60) -> list[str]:
    """Up to ``count`` dev notes spread over every style (they are repeated to a few hundred rows)."""
    paths = sorted(CORPUS.glob("*/*.txt"))
    assert len(paths) >= 10, "the dev corpus is missing"
    step = max(1, len(paths) // count)
    return [path.read_text(encoding="utf-8") for path in paths[::step][:count]]


def _tiny_coder(text: str, payer: str = "medicare") -> CodingResult:
    if "RAISE" in text:
        raise RuntimeError("told to fail")
    return CodingResult(payer=payer, lines=[ClaimLine(code="64490", modifiers=["RT"], units=2)])


def _reference(code_note, text: str, payer: str) -> dict:
    """What code_note gives for ``text``: the error type, or the lines, warning ids and JSON."""
    try:
        result = code_note(text, payer=payer)
    except Exception as error:  # noqa: BLE001
        return {"error": getattr(error, "code", "INTERNAL_ERROR")}
    return {
        "error": None,
        "lines": [(line.code, list(line.modifiers), line.units) for line in result.lines],
        "warnings": [warning.id for warning in result.warnings],
        "json": json.loads(result.model_dump_json(by_alias=True)),
    }


def test_code_batches_turns_frames_into_result_frames_and_errors_into_rows(monkeypatch) -> None:
    monkeypatch.setitem(spark_backend._CODERS, "tiny", _tiny_coder)
    frame = pd.DataFrame({"id": [1, 2, 3, 4, 5], "text": ["L4 note", None, "RAISE", b"caf\xe9 L5", "   "]})
    (out,) = list(spark_backend.code_batches(iter([frame]), payer="commercial", coder="tiny"))
    assert list(out.columns) == ["id", "lines", "warnings", "result_json", "error"]
    assert list(out["id"]) == [1, 2, 3, 4, 5]
    assert out["lines"][0] == [{"code": "64490", "modifiers": ["RT"], "units": 2}]
    assert out["warnings"][0] == [] and out["error"][0] is None and out["lines"][1] is None
    assert json.loads(out["result_json"][0])["payer"] == "commercial"
    assert out["error"][1] == "EMPTY_NOTE: The text column is null." and out["lines"][1] is None
    assert out["error"][2] == "INTERNAL_ERROR: RuntimeError: told to fail" and out["result_json"][2] is None
    assert out["error"][3] is None  # bytes are decoded with the cp1252 fallback
    assert out["error"][4] is None  # the coder decides; check_note is code_note's job


def test_the_worker_builds_the_pipeline_once_and_caches_it(monkeypatch) -> None:
    import extractor

    builds = []
    monkeypatch.setattr(extractor, "load_pipeline", lambda: builds.append(1), raising=False)
    monkeypatch.setattr(spark_backend, "_CODERS", {})
    first = spark_backend.worker_coder()
    assert spark_backend.worker_coder() is first and builds == [1]
    from extractor.api import code_note

    assert first is code_note


def test_the_shipped_function_pickles_by_name_without_the_pipeline() -> None:
    cloudpickle = pytest.importorskip("cloudpickle")
    shipped = functools.partial(spark_backend.code_batches, payer="medicare", coder=None)
    data = cloudpickle.dumps(shipped)
    assert len(data) < 500 and b"extractor.spark" in data and b"spacy" not in data


@pytest.mark.spark
def test_spark_gives_the_lines_of_code_note_on_a_few_hundred_notes(spark) -> None:
    from extractor import code_note

    notes = _corpus_notes()
    rows = [(index, notes[index % len(notes)]) for index in range(300)]
    rows += [(300, None), (301, ""), (302, "x" * 200_001)]
    df = spark.createDataFrame(rows, "note_id long, body string").repartition(4)
    result = spark_backend.code_notes(df, text_col="body", id_col="note_id", payer="medicare")
    assert result.schema.simpleString() == (
        "struct<id:bigint,lines:array<struct<code:string,modifiers:array<string>,units:int>>,"
        "warnings:array<struct<id:string,severity:string,message:string>>,result_json:string,error:string>"
    )
    assert spark_backend._CODERS == {}, "the driver must not build the pipeline"
    collected = {row["id"]: row for row in result.collect()}
    assert sorted(collected) == list(range(303))

    expected = {text: _reference(code_note, text, "medicare") for text in set(notes)}
    compared = 0
    for index, text in rows[:300]:
        row, reference = collected[index], expected[text]
        if reference["error"] is not None:
            assert row["error"].startswith(f"{reference['error']}: "), (index, row["error"])
            continue
        assert row["error"] is None, (index, row["error"])
        lines = [(line["code"], list(line["modifiers"]), line["units"]) for line in row["lines"]]
        assert lines == reference["lines"], index
        assert [warning["id"] for warning in row["warnings"]] == reference["warnings"]
        assert json.loads(row["result_json"]) == reference["json"]
        compared += 1
    assert compared >= 200, "too few corpus notes coded to compare"
    assert collected[300]["error"].startswith("EMPTY_NOTE") and collected[300]["lines"] is None
    assert collected[301]["error"].startswith("EMPTY_NOTE")
    assert collected[302]["error"].startswith("NOTE_TOO_LARGE")


@pytest.mark.spark
def test_each_python_worker_builds_its_coder_once(spark) -> None:
    df = spark.createDataFrame(
        [(index, "L4" * (index % 7 + 1)) for index in range(400)], "id int, text string"
    )
    result = spark_backend.code_notes(df.repartition(8), coder="spark_fakes:worker_identity_coder")
    rows = result.collect()
    assert len(rows) == 400 and all(row["error"] is None for row in rows)
    builds_per_worker: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        pid, build = json.loads(row["result_json"])["payer"].split(":")
        builds_per_worker[pid].add(build)
    assert 1 <= len(builds_per_worker) <= 2 and str(os.getpid()) not in builds_per_worker
    assert all(len(builds) == 1 for builds in builds_per_worker.values())
    assert rows[0]["lines"][0]["units"] == len("L4" * (rows[0]["id"] % 7 + 1)) % 3 + 1


def test_an_unknown_payer_fails_on_the_driver_before_any_job() -> None:
    pytest.importorskip("pyspark")
    from extractor import UnknownPayer

    with pytest.raises(UnknownPayer):
        spark_backend.code_notes(object(), payer="nobody")
