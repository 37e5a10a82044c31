"""Where a regular expression can start matching: the first few characters of every possible
match, read from the parsed pattern.

Python's ``re`` has no fast skip for case-insensitive patterns that start with ``\\b``: a
``finditer`` over a note tries every branch of every rule at every character (about half a
microsecond per character for a rule file). Knowing how a rule's matches can start lets a
scanner try each rule only where the note starts that way, with the same result (see
``rule_scan``).

Characters are compared by *key* (``key_text``): lower-cased ASCII, with every non-ASCII
character that ``re.IGNORECASE`` does not relate to an ASCII letter folded into one key. A
*start* is a sequence of key sets, one per character (``[{"l"}, {" ", "-", "1", ...}]``); the
analysis over-approximates: every match begins with a string that fits one of the rule's
starts (a start shorter than ``length`` means any characters may follow); ``None`` means
"could start anywhere" (the pattern can match the empty string, or uses a construct not
analysed here).
"""

from __future__ import annotations

import re

# Private but stable since 3.11 (sre_parse / sre_compile before); the fallback for anything
# unexpected is "could start anywhere", which is always correct.
from re import _compiler as _sre_compiler  # type: ignore[attr-defined]
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parser  # type: ignore[attr-defined]

_MAX_STARTS = 4096
NON_ASCII = "\x80"
"""The key of every non-ASCII character except the four in ``ASCII_FOLDS``."""
ASCII_FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
"""Non-ASCII characters that ``re.IGNORECASE`` matches with ASCII letters (see the ``re``
docs on ``[a-z]`` with IGNORECASE), keyed as those letters."""
_ASCII = tuple(chr(code) for code in range(128))
_OTHER_NON_ASCII = re.compile("[^\\x00-\\x7f]")
_CONSUMING = frozenset({_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY})
_REPEATS = frozenset({_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT})
_ZERO_WIDTH = frozenset({_sre.ASSERT, _sre.ASSERT_NOT})


class _Unbounded(Exception):
    """The pattern can start anywhere (or uses a construct we do not analyse)."""


Start = tuple[bool, frozenset[str] | None, tuple[frozenset[str], ...]]
"""(a ``\\b`` is asserted where the match starts, the keys a one-character look-behind at the
start allows before it (None: no such look-behind), the key set of each first character)."""


def key_text(text: str) -> str:
    """``text`` with every character replaced by its key: ASCII letters lower-cased, the
    ``ASCII_FOLDS`` letters by their ASCII letter, any other non-ASCII character by
    ``NON_ASCII``. Same length as ``text``."""
    if text.isascii():
        return text.lower()
    return _OTHER_NON_ASCII.sub(_fold, text).lower()


def _fold(match: re.Match[str]) -> str:
    return ASCII_FOLDS.get(match.group(), NON_ASCII)


_CHARS: dict[str, frozenset[str]] = {}


def _may_match_other_non_ascii(op, av) -> bool:
    """Conservative: could this item match a non-ASCII character other than the four that
    case-fold to ASCII letters (those get the letter's key)?"""
    if op is _sre.LITERAL:
        return av >= 128
    if op is _sre.IN:
        for kind, value in av:
            if kind in (_sre.NEGATE, _sre.CATEGORY):
                return True
            if kind is _sre.LITERAL and value >= 128:
                return True
            if kind is _sre.RANGE and value[1] >= 128:
                return True
        return False
    return True


def _chars_matching(item: tuple) -> frozenset[str]:
    """The keys of the characters one consuming item can match, tested case-insensitively
    (a superset of what a case-sensitive item matches)."""
    cache_key = repr(item)
    chars = _CHARS.get(cache_key)
    if chars is None:
        state = _sre_parser.State()
        compiled = _sre_compiler.compile(_sre_parser.SubPattern(state, [item]), re.IGNORECASE)
        found = {char.lower() for char in _ASCII if compiled.match(char)}
        found |= {letter for char, letter in ASCII_FOLDS.items() if compiled.match(char)}
        if _may_match_other_non_ascii(*item):
            found.add(NON_ASCII)
        chars = _CHARS[cache_key] = frozenset(found)
    return chars


class _Walk:
    """Walks the parsed pattern, extending every open start by each consuming item."""

    def __init__(self, length: int, limit: int) -> None:
        self.length, self.limit = length, limit
        self.done: set[Start] = set()

    def sequence(self, items, active: set[Start]) -> set[Start]:
        for op, av in items:
            if not active:
                break
            active = self.item(op, av, active)
        return active

    def item(self, op, av, active: set[Start]) -> set[Start]:
        if op in _CONSUMING:
            return self.consume(_chars_matching((op, av)), active)
        if op is _sre.AT:
            if av is _sre.AT_BOUNDARY:
                return {(bounded or not sets, before, sets) for bounded, before, sets in active}
            return active
        if op is _sre.ASSERT and av[0] < 0 and len(av[1].data) == 1 and av[1].data[0][0] in _CONSUMING:
            chars = _chars_matching(av[1].data[0])
            return {
                (bounded, chars if before is None and not sets else before, sets)
                for bounded, before, sets in active
            }
        if op in _ZERO_WIDTH:
            return active
        if op is _sre.BRANCH:
            out: set[Start] = set()
            for alternative in av[1]:
                out |= self.sequence(alternative.data, set(active))
            return out
        if op is _sre.SUBPATTERN:
            return self.sequence(av[3].data, active)
        if op is _sre.ATOMIC_GROUP:
            return self.sequence(av.data, active)
        if op in _REPEATS:
            low, high, body = av
            current = set(active)
            for _ in range(min(low, self.length + 1)):
                current = self.sequence(body.data, current)
            reached = set(current)
            for _ in range(min(high - low, self.length + 1)):
                current = self.sequence(body.data, current)
                reached |= current
            return reached
        raise _Unbounded

    def consume(self, chars: frozenset[str], active: set[Start]) -> set[Start]:
        extended: set[Start] = set()
        for bounded, before, sets in active:
            start = (bounded, before, (*sets, chars))
            (self.done if len(start[2]) >= self.length else extended).add(start)
        if len(self.done) + len(extended) > self.limit:
            raise _Unbounded
        return extended


def start_keys(
    pattern: str, flags: int = re.IGNORECASE, length: int = 4, limit: int = _MAX_STARTS
) -> frozenset[Start] | None:
    """The starts (see ``Start``) of ``pattern``'s matches, each 1 to ``length`` characters
    long. ``None``: the pattern can start anywhere (or has more than ``limit`` starts)."""
    walk = _Walk(length, limit)
    try:
        parsed = _sre_parser.parse(pattern, flags)
        rest = walk.sequence(parsed.data, {(False, None, ())})
    except (_Unbounded, re.error, RecursionError):
        return None
    starts = walk.done | rest
    if any(not sets for _, _, sets in starts):
        return None
    return frozenset(starts)
