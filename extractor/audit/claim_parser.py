"""``parse_claim``: a claim as text (``"64493-50-KX, 64494-50-KX x1"``) or JSON lines, checked.

Lines are separated by commas or newlines; each is ``CODE[-MOD...][ xUNITS]`` (also ``x 2``,
``X2``, ``×2``); units default to 1. Anything else raises ``InvalidClaim`` naming the bad part.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InvalidClaim
from .models import SubmittedLine

MAX_UNITS = 999
_CODE = re.compile(r"(?:\d{5}|\d{4}[A-Z]|[A-Z]\d{4})")
_MODIFIER = re.compile(r"[0-9A-Z]{2}")
_UNITS_TAIL = re.compile(r"(?<=[\s\dT])[x×]\s*(?P<units>\d+)\s*$", re.IGNORECASE)
# a malformed units tail ("x", "x2.5") only after a space: "0000X" is a code ending in X
_BAD_UNITS_TAIL = re.compile(r"(?<=\s)[x×]\s*(?P<units>\d\S*|)\s*$", re.IGNORECASE)
_LINE_FORM = "CODE[-MOD...][ xUNITS], e.g. 64493-50-KX or 64636-RT x2"


def parse_claim(claim: str | Sequence[Mapping[str, Any] | SubmittedLine]) -> list[SubmittedLine]:
    """Return the claim's lines in the order given; raise ``InvalidClaim`` on the first bad part."""
    if isinstance(claim, str):
        lines = _parse_text(claim)
    elif isinstance(claim, Sequence) and not isinstance(claim, (bytes, bytearray)):
        lines = [_parse_item(position, item) for position, item in enumerate(claim, start=1)]
    else:
        raise InvalidClaim(
            f"A claim is a string such as '64493-50-KX, 64494-50-KX' or a list of lines, "
            f"not {type(claim).__name__}."
        )
    if not lines:
        raise InvalidClaim("The claim has no lines.")
    return lines


def _parse_text(claim: str) -> list[SubmittedLine]:
    parts = [part.strip() for part in re.split(r"[,\n\r]", claim)]
    return [_parse_part(position, part) for position, part in enumerate(filter(None, parts), start=1)]


def _parse_part(position: int, part: str) -> SubmittedLine:
    where = f"Claim line {position} ({part!r})"
    body, units = part, 1
    tail = _UNITS_TAIL.search(part) or _BAD_UNITS_TAIL.search(part)
    if tail:
        body = part[: tail.start()].rstrip()
        units = _parse_units(where, tail.group("units"))
    pieces = [piece.strip() for piece in body.split("-")]
    return SubmittedLine(
        code=_parse_code(where, pieces[0]),
        modifiers=_parse_modifiers(where, pieces[1:]),
        units=units,
    )


def _parse_item(position: int, item: object) -> SubmittedLine:
    where = f"Claim line {position}"
    if isinstance(item, SubmittedLine):
        item = item.model_dump()
    if not isinstance(item, Mapping):
        raise InvalidClaim(
            f"{where} must be an object with code, modifiers and units, not {type(item).__name__}."
        )
    unknown = sorted(set(item) - {"code", "modifiers", "units"})
    if unknown:
        raise InvalidClaim(
            f"{where} has unknown field(s) {', '.join(unknown)}; expected code, modifiers, units."
        )
    code = item.get("code")
    if not isinstance(code, str):
        raise InvalidClaim(f"{where} needs a code (a string such as '64493').")
    modifiers = item.get("modifiers") or []
    if isinstance(modifiers, str):
        modifiers = [piece for piece in re.split(r"[-,\s]+", modifiers) if piece]
    if not isinstance(modifiers, list) or not all(isinstance(m, str) for m in modifiers):
        raise InvalidClaim(f"{where}: modifiers must be a list of strings such as ['50', 'KX'].")
    units = item.get("units", 1)
    if isinstance(units, bool) or not isinstance(units, (int, str)):
        raise InvalidClaim(f"{where}: units must be a whole number from 1 to {MAX_UNITS}.")
    return SubmittedLine(
        code=_parse_code(where, code.strip()),
        modifiers=_parse_modifiers(where, [m.strip() for m in modifiers]),
        units=_parse_units(where, str(units)),
    )


def _parse_code(where: str, text: str) -> str:
    code = text.upper()
    if not _CODE.fullmatch(code):
        raise InvalidClaim(
            f"{where}: {text!r} is not a procedure code (5 digits, 4 digits and a letter such as 0216T, "
            f"or a letter and 4 digits); expected {_LINE_FORM}."
        )
    return code


def _parse_modifiers(where: str, pieces: list[str]) -> list[str]:
    modifiers: list[str] = []
    for piece in pieces:
        modifier = piece.upper()
        if not _MODIFIER.fullmatch(modifier):
            raise InvalidClaim(
                f"{where}: {piece!r} is not a modifier (two letters or digits, e.g. 50, RT, KX); "
                f"expected {_LINE_FORM}."
            )
        if modifier in modifiers:
            raise InvalidClaim(f"{where}: modifier {modifier} appears twice.")
        modifiers.append(modifier)
    return modifiers


def _parse_units(where: str, text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_UNITS:
        raise InvalidClaim(f"{where}: units {text!r} must be a whole number from 1 to {MAX_UNITS}.")
    return int(text)
