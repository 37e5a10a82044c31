"""One place that decides whether a piece of input is a note we can code."""

from __future__ import annotations

import re

from .errors import DEFAULT_MAX_CHARS, EmptyNote, NoteTooLarge, UnreadableInput

_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")  # control characters other than blanks and line breaks
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_note(text: object, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return ``text`` unchanged if it is codable, else raise the typed error that says why.

    Size is checked before anything else so an oversized note costs no NLP work.
    """
    if isinstance(text, (bytes, bytearray)):
        raise UnreadableInput("The note must be text (str), not bytes; decode it first.")
    if not isinstance(text, str):
        raise UnreadableInput(f"The note must be text (str), not {type(text).__name__}.")
    if len(text) > max_chars:
        raise NoteTooLarge(len(text), max_chars)
    if not text.strip():
        raise EmptyNote()
    if "\x00" in text:
        raise UnreadableInput("The note contains NUL bytes: it looks like a binary file, not text.")
    if not text.isascii() and _SURROGATE.search(text):
        raise UnreadableInput(
            "The note contains unpaired UTF-16 surrogates (such as a JSON \\ud800 escape): "
            "it is not valid text."
        )
    if _CONTROL.search(text) and len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise UnreadableInput("The note is mostly control characters: it looks like a binary file, not text.")
    return text
