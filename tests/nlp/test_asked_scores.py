"""A transcript's pain score: asked for in one speaker's turn, given in the next speaker's."""

from __future__ import annotations

import pytest

from extractor.nlp.asked_scores import asked_scores


@pytest.mark.parametrize(
    ("transcript", "value"),
    [
        (
            "[00:01:17] DR. OKAFOR: Pain now, zero to ten?\n[00:01:22] PATIENT: About a six. Good day.\n",
            6,
        ),
        ("DR. MWANGI: Zero to ten right now?\nPATIENT: Five. It's always five in the morning.\n", 5),
        ("DR. BAPTISTE: Number?\nPATIENT: Honestly, zero.\n", 0),
        ("DR. NAKAMURA: Zero to ten?\nPATIENT: 5 out of 10.\n", 5),
    ],
)
def test_the_answer_gives_the_score(transcript: str, value: float) -> None:
    [(start, end, found)] = asked_scores(transcript)
    assert found == value
    assert transcript[start:end].lower() in {str(value), "six", "five", "zero"}


@pytest.mark.parametrize(
    "transcript",
    [
        "DR. X: Zero to ten?\nDR. X: Let me rephrase that, five things first.\n",  # the same speaker
        "DR. X: Any blood thinners?\nPATIENT: Just the one baby aspirin.\n",  # not a pain question
        "DR. X: Pain right now?\nPATIENT: It's 8 o'clock, I haven't taken anything.\n",  # a time
        "DR. X: Pain right now?\nPATIENT: Hard to say, it moves around from day to day and at night.\n",
    ],
)
def test_no_score_where_none_was_asked_or_given(transcript: str) -> None:
    assert asked_scores(transcript) == []
