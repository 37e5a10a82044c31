"""Reads a note from a file path or ``-`` (stdin) for the CLI, with typed errors."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import FacetCoderError, UnreadableInput


class InputNotFound(FacetCoderError):
    code = "INPUT_NOT_FOUND"
    exit_code = 9


def decode_note_bytes(raw: bytes) -> tuple[str, bool]:
    """Decode UTF-8, falling back to cp1252 then Latin-1; the flag says a fallback was used."""
    if b"\x00" in raw:
        raise UnreadableInput("The input contains NUL bytes: it looks like a binary file, not text.")
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), True
    except UnicodeDecodeError:
        return raw.decode("latin-1"), True


def read_note(source: str) -> str:
    if source == "-":
        raw = sys.stdin.buffer.read()
    else:
        path = Path(source)
        if not path.is_file():
            raise InputNotFound(f"No such file: {source}")
        raw = path.read_bytes()
    text, _ = decode_note_bytes(raw)
    return text
