"""Text the rules must not read, as blanks of the same width: the note's offsets stay put."""

from __future__ import annotations


def as_blanks(text: str) -> str:
    """``text`` with every character but a line break as a blank (line breaks stay, so the
    sentence and section bounds around it do not move)."""
    return "".join("\n" if c == "\n" else " " for c in text)
