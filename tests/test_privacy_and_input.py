"""Coding a note prints nothing, logs no note text, and bad input raises a typed error."""

import logging

import pytest

from extractor import EmptyNote, NoteTooLarge, UnreadableInput, code_note

MARKER = "ZEBRA-QUOKKA-7741"
NOTE = (
    f"Patient {MARKER}. Bilateral L4-5 medial branch blocks under fluoroscopy, diagnostic #1. "
    "NRS 7/10 -> 1/10."
)


def test_coding_is_silent_and_logs_no_note_text(capfd, caplog):
    from loguru import logger

    captured: list[str] = []
    sink = logger.add(lambda message: captured.append(str(message)), level="TRACE")
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        with caplog.at_level(logging.DEBUG):
            result = code_note(NOTE)
    finally:
        logger.remove(sink)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert MARKER not in caplog.text
    assert not any(MARKER in line for line in captured)
    assert result.lines, "the note should code"


def test_pyrush_is_never_in_the_pipeline():
    from extractor.nlp import load_pipeline

    assert not any("rush" in name.lower() for name in load_pipeline().pipe_names)


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_note(text):
    with pytest.raises(EmptyNote, match="empty"):
        code_note(text)


def test_binary_and_bytes():
    with pytest.raises(UnreadableInput):
        code_note("abc\x00def L4-5")
    with pytest.raises(UnreadableInput):
        code_note(b"L4-5 MBB")  # type: ignore[arg-type]


def test_too_large_is_refused_before_nlp():
    with pytest.raises(NoteTooLarge) as info:
        code_note("x" * 201, max_chars=200)
    assert info.value.limit == 200


def test_same_input_same_output():
    assert code_note(NOTE).model_dump_json() == code_note(NOTE).model_dump_json()
