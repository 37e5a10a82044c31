"""UTF-8 text decoded once as Windows-1252 and saved again ('donâ€™t', '80Â°C', 'â˜’ No',
'If â‰¥80%'), as an EHR export or a copy through an old interface leaves it: each garbled run read
as the character it was, padded with blanks to the same width (the note's offsets stay put)."""

from __future__ import annotations

import re

# a UTF-8 lead byte as Windows-1252 shows it, then one to three continuation bytes as it shows them
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_GARBLED = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]{{1,3}}")
# runs whose last byte (0x81, 0x8d, 0x8f, 0x90 or 0x9d: none printable in Windows-1252) was lost
# on the way: the character they nearly always were
_LOST_LAST_BYTE = {"\u00e2\u02dc": "\u2610", "\u00e2\u20ac": "\u201d"}
_DEGREE = "\u00b0"


def _as_bytes(run: str) -> bytes | None:
    out = bytearray()
    for character in run:
        try:
            out += character.encode("cp1252")
        except UnicodeEncodeError:
            if ord(character) > 0xFF:
                return None
            out.append(ord(character))  # a C1 control the export kept as it was ('\x90')
    return bytes(out)


def _decoded(run: str) -> tuple[str, int] | None:
    """The character a garbled run (or its longest decodable start) stood for, and how many of the
    run's characters it took."""
    raw = _as_bytes(run)
    if raw is None:
        return None
    for size in range(len(run), 1, -1):
        try:
            character = raw[:size].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return character, size
    lost = _LOST_LAST_BYTE.get(run[:2])
    return (lost, 2) if lost else None


def _padded(character: str, width: int) -> str:
    if character == _DEGREE:
        return " " * (width - 1) + character  # '80Â°C' -> '80 °C': the sign beside its unit
    return character + " " * (width - 1)


def fixed_mojibake(text: str) -> str:
    """``text`` with each garbled run as its character and blanks, the same length."""
    if "\u00c2" not in text and "\u00e2" not in text and "\u00c3" not in text:
        return text
    pieces: list[str] = []
    position = 0
    for match in _GARBLED.finditer(text):
        found = _decoded(match.group(0))
        if found is None or len(found[0]) != 1:
            continue
        character, width = found
        pieces.append(text[position : match.start()])
        pieces.append(_padded(character, width))
        position = match.start() + width
    pieces.append(text[position:])
    return "".join(pieces)
