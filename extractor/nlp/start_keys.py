"""Where a regular expression can start matching: the first few characters of every possible
match, read from the parsed pattern.

Python's ``re`` has no fast skip for case-insensitive patterns that start with ``\\b``: a
``finditer`` over a note tries every branch of every rule at every character (about half a
microsecond per character for a rule file). Knowing the prefixes a rule can start with lets a
scanner try each rule only where the note starts that way, with the same result (see
``rule_scan``).

Characters are compared by *key* (``key_text``): lower-cased ASCII, with every non-ASCII
character that ``re.IGNORECASE`` does not relate to an ASCII letter folded into one key. The
analysis over-approximates: every prefix a match can have is reported; ``None`` means "could
start anywhere" (the pattern can match the empty string, or uses a construct not analysed).
"""

from __future__ import annotations

import re

# Private but stable since 3.11 (sre_parse / sre_compile before); the fallback for anything
# unexpected is "could start anywhere", which is always correct.
from re import _compiler as _sre_compiler  # type: ignore[attr-defined]
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parser  # type: ignore[attr-defined]

_MAX_KEYS = 20000
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


Key = tuple[bool, frozenset[str] | None, str]
"""(a ``\\b`` is asserted where the match starts, the keys a one-character look-behind at the
start allows before it (None: no such look-behind), the prefix as keys)."""


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


def _consume(item: tuple, active: set[Key], done: set[Key], length: int, limit: int) -> set[Key]:
    chars = _chars_matching(item)
    extended: set[Key] = set()
    for bounded, before, prefix in active:
        for char in chars:
            key = (bounded, before, prefix + char)
            (done if len(key[2]) >= length else extended).add(key)
    if len(done) + len(extended) > limit:
        raise _Unbounded
    return extended


def _sequence(items, active: set[Key], done: set[Key], length: int, limit: int) -> set[Key]:
    for op, av in items:
        if not active:
            break
        active = _item(op, av, active, done, length, limit)
    return active


def _item(op, av, active: set[Key], done: set[Key], length: int, limit: int) -> set[Key]:
    if op in _CONSUMING:
        return _consume((op, av), active, done, length, limit)
    if op is _sre.AT:
        if av is _sre.AT_BOUNDARY:
            return {(bounded or not prefix, before, prefix) for bounded, before, prefix in active}
        return active
    if op is _sre.ASSERT and av[0] < 0 and len(av[1].data) == 1 and av[1].data[0][0] in _CONSUMING:
        chars = _chars_matching(av[1].data[0])
        return {
            (bounded, chars if before is None and not prefix else before, prefix)
            for bounded, before, prefix in active
        }
    if op in _ZERO_WIDTH:
        return active
    if op is _sre.BRANCH:
        out: set[Key] = set()
        for alternative in av[1]:
            out |= _sequence(alternative.data, set(active), done, length, limit)
        return out
    if op is _sre.SUBPATTERN:
        return _sequence(av[3].data, active, done, length, limit)
    if op is _sre.ATOMIC_GROUP:
        return _sequence(av.data, active, done, length, limit)
    if op in _REPEATS:
        low, high, body = av
        current = set(active)
        for _ in range(min(low, length + 1)):
            current = _sequence(body.data, current, done, length, limit)
        reached = set(current)
        for _ in range(min(high - low, length + 1)):
            current = _sequence(body.data, current, done, length, limit)
            reached |= current
        return reached
    raise _Unbounded


def start_keys(
    pattern: str, flags: int = re.IGNORECASE, length: int = 2, limit: int = _MAX_KEYS
) -> frozenset[Key] | None:
    """Every (``\\b`` asserted at the start, look-behind keys, prefix) a match of ``pattern``
    can begin with; prefixes are 1 to ``length`` keys (``key_text``); a shorter one means any
    next characters, including none. ``None``: the pattern can start anywhere (or has too
    many prefixes of that length)."""
    try:
        parsed = _sre_parser.parse(pattern, flags)
        done: set[Key] = set()
        rest = _sequence(parsed.data, {(False, None, "")}, done, length, limit)
    except (_Unbounded, re.error, RecursionError):
        return None
    done |= rest
    if any(not prefix for _, _, prefix in done):
        return None
    return frozenset(done)
