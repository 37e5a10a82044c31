"""``code_note`` on arbitrary and damaged input: a result or a typed error, never another
exception; every evidence span is the note's text at its offsets; the same input gives the
same JSON, in this process and in others with other hash seeds.

Bounded (a few hundred examples, about 30 s); ``bench/fuzz.py --minutes N`` runs the same
generators for longer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractor import code_note
from extractor.errors import NoteTooLarge, UnreadableInput

from .near_notes import (
    PAYERS,
    ROOT,
    check_outcome,
    check_spans,
    corpus_notes,
    evidence_spans,
    near_notes,
    swap_sides,
    token_soup,
    unicode_text,
)

BOUNDED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
payers = st.sampled_from(PAYERS)


@settings(BOUNDED, max_examples=150)
@given(unicode_text(), payers)
@example("Bilateral L4-5 \ud800 medial branch block under fluoroscopy", "medicare")
@example("\ufeffBilateral L4-L5 MBB\u0301 \u0130\u0130 \u212a\u017f left", "rt_lt")
@example("<script>alert(1)</script> L4-5 MBB", "commercial")
def test_arbitrary_unicode_gives_a_result_or_a_typed_error(text: str, payer: str) -> None:
    check_outcome(text, payer)


@settings(BOUNDED, max_examples=200)
@given(token_soup(), payers)
def test_note_vocabulary_in_any_order(text: str, payer: str) -> None:
    check_outcome(text, payer)


@settings(BOUNDED, max_examples=70)
@given(near_notes(long_line_chars=20_000), payers)
def test_damaged_corpus_notes(text: str, payer: str) -> None:
    check_outcome(text, payer)


def test_the_span_walk_reaches_every_kind_of_evidence() -> None:
    """The checks above are only as good as the walk: on the corpus it must find evidence in
    every place a result keeps it, and a forged span must fail."""
    places: set[str] = set()
    for text in corpus_notes()[::3]:
        result = code_note(text)
        check_spans(text, result)
        for where, _ in evidence_spans(result):
            places.add(_field_path(where))
    expected = {
        "result.procedures.evidence",
        "result.procedures.joints.evidence",
        "result.procedures.field_evidence.evidence",
        "result.agents.evidence",
        "result.pain.evidence",
        "result.sedation_evidence",
        "result.lines.evidence",
        "result.warnings.evidence",
        "result.prior_response.evidence",
        "result.level_discrepancy.evidence",
    }
    assert expected <= places, f"no evidence found under {sorted(expected - places)}"
    text = corpus_notes()[0]
    forged = code_note(text)
    span = forged.lines[0].evidence[0]
    forged.lines[0].evidence[0] = span.model_copy(update={"start": span.start + 1, "end": span.end + 1})
    with pytest.raises(AssertionError, match=r"result\.lines\[0\]\.evidence\[0\]"):
        check_spans(text, forged)


def _field_path(where: str) -> str:
    """``result.procedures[0].field_evidence['guidance'][1]`` ->
    ``result.procedures.field_evidence.evidence``"""
    path = []
    for part in where.replace("[", ".[").split("."):
        if part.startswith("['"):
            path.append("evidence")
        elif part and not part.startswith("["):
            path.append(part)
    return ".".join(dict.fromkeys(path))


def test_lone_surrogates_are_unreadable_input() -> None:
    """JSON ``"\\ud800"`` decodes to a lone surrogate (HTTP, JSONL): not text spaCy can hash."""
    with pytest.raises(UnreadableInput, match="surrogate"):
        code_note("Bilateral L4-5 medial branch block \udc00 under fluoroscopy")


def test_a_megabyte_line_is_refused_before_any_work() -> None:
    note = corpus_notes()[0] + "L4-5 " * 200_000 + "\n"
    with pytest.raises(NoteTooLarge) as info:
        code_note(note)
    assert info.value.size == len(note)
    assert note[:40] not in str(info.value)


_CODE_IN_CHILD = """
import json, sys
from extractor import code_note
texts = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump([code_note(text).model_dump_json(by_alias=True) for text in texts], sys.stdout)
"""


def test_results_do_not_depend_on_the_hash_seed(tmp_path) -> None:
    """Set iteration order changes with PYTHONHASHSEED: results must not follow it. (Two
    children started together, not this process: rule files edited meanwhile would differ.)"""
    notes = corpus_notes()[::12]
    texts = [*notes, *(swap_sides(note) for note in notes[:8])]
    source = tmp_path / "texts.json"
    source.write_text(json.dumps(texts), encoding="utf-8")
    children = [
        subprocess.Popen(
            [sys.executable, "-c", _CODE_IN_CHILD, str(source)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        for seed in ("1", "4242")
    ]
    outputs = []
    for child in children:
        stdout, stderr = child.communicate(timeout=180)
        assert child.returncode == 0, stderr[-2000:]
        outputs.append(json.loads(stdout))
    assert len(outputs[0]) == len(outputs[1]) == len(texts)
    for index, text in enumerate(texts):
        assert outputs[0][index] == outputs[1][index], f"text {index} differs: {text[:60]!r}"
