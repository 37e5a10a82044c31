"""What a dictation took back reads as blanks in the same width; a one-word correction and a
template line kept aloud stay for the rules."""

from __future__ import annotations

import pytest

from extractor.nlp.rule_text import rule_text
from extractor.nlp.spoken_retractions import spoken_retractions


@pytest.mark.parametrize(
    ("dictated", "taken_back", "stays"),
    [
        (
            "Levels right T7-8 and T8-9. Actually make that T8-9 and T9-10."
            " No, scratch that, the original levels stand.",
            "T9-10",
            "Levels right T7-8 and T8-9.",
        ),
        (
            "Use my lumbar MBB template, left side, L4-5. Wait, no."
            " Scratch that whole thing, wrong template.",
            "left side, L4-5",
            "Wait, no.",
        ),
        (
            "The template has L three four and L four five, change both of those."
            " The levels today are L four five.",
            "L three four",
            "The levels today are L four five.",
        ),
        (
            "The template has a line about Depo-Medrol after lesioning, scratch that, no steroid today.",
            "Depo-Medrol",
            "no steroid today.",
        ),
        (
            "LEVELS RIGHT T7-8 AND T8-9. ACTUALLY MAKE THAT T9-10."
            " NO, SCRATCH THAT, THE ORIGINAL LEVELS STAND.",
            "T9-10",
            "LEVELS RIGHT T7-8 AND T8-9.",
        ),
        (
            "No contrast today, strike the contrast line from the template.",
            "contrast line",
            "No contrast today,",
        ),
        (
            "Going back to the procedure.\n\nProcedure was a left L four five facet injection under flouro."
            "\n\nScratch that last paragraph, that was from the template."
            " Procedure was a left SI joint injection.",
            "L four five",
            "left SI joint injection",
        ),
    ],
)
def test_what_was_taken_back_is_blank(dictated: str, taken_back: str, stays: str) -> None:
    read = spoken_retractions(dictated)
    assert taken_back not in read
    assert stays in read
    assert len(read) == len(dictated) == len(rule_text(dictated))


@pytest.mark.parametrize(
    "kept",
    [
        # one word, read by level_facts
        "Under flouro, the left, scratch that, the right L5-S1 was injected.",
        "The template says fluoroscopy, leave that in, it was flouro.",
        "Lesions at eighty degrees, scratch that, eighty five degrees Celsius.",
        "Scratch that. The right L4-5 was injected.",  # (nothing before it in its paragraph)
        "Right L4-5 MBB.\n\nScratch that line from the plan.",
        "Scratch that last paragraph. Right L4-5 MBB.",  # no paragraph before it
    ],
)
def test_what_stands_stays(kept: str) -> None:
    assert spoken_retractions(kept) == kept
