"""The batch run with the real ``code_note`` on corpus notes: the same results as coding them one by one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from batch_helpers import read_output

from extractor import UnknownPayer
from extractor.batch import BatchOptions, run_batch

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "dev"


@pytest.fixture(scope="module")
def corpus_folder(tmp_path_factory) -> Path:
    """Two notes of each style of the dev corpus, in their style folders, plus a cp1252 copy."""
    root = tmp_path_factory.mktemp("corpus")
    for style in sorted(path for path in CORPUS.iterdir() if path.is_dir()):
        for note in sorted(style.glob("*.txt"))[:2]:
            (root / style.name).mkdir(exist_ok=True)
            shutil.copy(note, root / style.name / note.name)
    first = sorted(root.glob("*/*.txt"))[0]
    text = first.read_text(encoding="utf-8").replace("\u2019", "'") + "\nReviewed by Dr. Mu\u00f1oz.\n"
    (root / "encoded-cp1252.txt").write_bytes(text.encode("cp1252"))
    assert len(list(root.glob("*/*.txt"))) >= 8, "the dev corpus is missing"
    return root


def test_batch_results_are_those_of_code_note(corpus_folder: Path, tmp_path: Path) -> None:
    from extractor import code_note

    out = tmp_path / "out.jsonl"
    summary = run_batch(corpus_folder, out, BatchOptions(workers=2, payer="commercial", quiet=True))
    lines = {line["id"]: line for line in read_output(out)}
    notes = sorted(corpus_folder.rglob("*.txt"))
    assert len(lines) == len(notes) == summary["records"]
    for path in notes:
        note_id = path.relative_to(corpus_folder).with_suffix("").as_posix()
        raw = path.read_bytes()
        text = raw.decode("utf-8") if note_id != "encoded-cp1252" else raw.decode("cp1252")
        try:
            expected = json.loads(code_note(text, payer="commercial").model_dump_json(by_alias=True))
        except Exception as error:  # noqa: BLE001 - the batch must give the same error type
            assert lines[note_id]["error"]["type"] == getattr(error, "code", "INTERNAL_ERROR")
            continue
        assert lines[note_id].get("result") == expected, note_id
        assert expected["payer"] == "commercial"
    assert lines["encoded-cp1252"]["input_warnings"] == ["DECODED_AS_CP1252"]
    assert sum(summary["lines_per_code"].values()) == sum(
        len(line["result"]["lines"]) for line in lines.values() if "result" in line
    )


def test_an_unknown_payer_stops_the_run_before_it_starts(corpus_folder: Path, tmp_path: Path) -> None:
    with pytest.raises(UnknownPayer):
        run_batch(corpus_folder, tmp_path / "out.jsonl", BatchOptions(workers=1, payer="nobody", quiet=True))
    assert not (tmp_path / "out.jsonl").exists()
