"""Where a regular expression can start matching: the first one or two characters of every
possible match, read from the parsed pattern.

Python's ``re`` has no fast skip for case-insensitive patterns that start with ``\\b``: a
``finditer`` over a note tries every branch of every rule at every character (about half a
microsecond per character for a rule file). Knowing the two-character prefixes a rule can
start with lets a scanner try each rule only where the note starts that way, with the same
result (see ``rule_scan``).

The analysis over-approximates: every prefix a match can have is reported (a one-character
key means "any second character"); ``None`` means "could start anywhere" (the pattern can
match the empty string, or uses a construct not analysed here).
"""

from __future__ import annotations

import re
# Private but stable since 3.11 (sre_parse / sre_compile before); the fallback for anything
# unexpected is "could start anywhere", which is always correct.
from re import _compiler as _sre_compiler  # type: ignore[attr-defined]
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parser  # type: ignore[attr-defined]

_MAX_KEYS = 20000
_ASCII = tuple(chr(code) for code in range(128))
_CONSUMING = frozenset({_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY})
_REPEATS = frozenset({_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT})
_ZERO_WIDTH = frozenset({_sre.ASSERT, _sre.ASSERT_NOT})


class _Unbounded(Exception):
    """The pattern can start anywhere (or uses a construct we do not analyse)."""


Key = tuple[bool, frozenset[str] | None, str]
"""(a ``\\b`` is asserted where the match starts, the ASCII keys a one-character look-behind
at the start allows before it (None: no such look-behind), lower-cased ASCII prefix)."""


def ascii_key(char: str) -> str:
    """The dispatch key of one ASCII character (letters lower-cased)."""
    return char.lower()


_CHARS: dict[str, frozenset[str]] = {}


def _chars_matching(item: tuple) -> frozenset[str]:
    """ASCII keys one consuming item can match, tested case-insensitively (a superset of
    what a case-sensitive item matches)."""
    cache_key = repr(item)
    chars = _CHARS.get(cache_key)
    if chars is None:
        state = _sre_parser.State()
        compiled = _sre_compiler.compile(_sre_parser.SubPattern(state, [item]), re.IGNORECASE)
        chars = _CHARS[cache_key] = frozenset(ascii_key(char) for char in _ASCII if compiled.match(char))
    return chars


def _consume(item: tuple, active: set[Key], done: set[Key], length: int) -> set[Key]:
    chars = _chars_matching(item)
    extended: set[Key] = set()
    for bounded, before, prefix in active:
        for char in chars:
            key = (bounded, before, prefix + char)
            (done if len(key[2]) >= length else extended).add(key)
    if len(done) + len(extended) > _MAX_KEYS:
        raise _Unbounded
    return extended


def _sequence(items, active: set[Key], done: set[Key], length: int) -> set[Key]:
    for op, av in items:
        if not active:
            break
        active = _item(op, av, active, done, length)
    return active


def _item(op, av, active: set[Key], done: set[Key], length: int) -> set[Key]:
    if op in _CONSUMING:
        return _consume((op, av), active, done, length)
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
            out |= _sequence(alternative.data, set(active), done, length)
        return out
    if op is _sre.SUBPATTERN:
        return _sequence(av[3].data, active, done, length)
    if op is _sre.ATOMIC_GROUP:
        return _sequence(av.data, active, done, length)
    if op in _REPEATS:
        low, high, body = av
        current = set(active)
        for _ in range(min(low, length + 1)):
            current = _sequence(body.data, current, done, length)
        reached = set(current)
        for _ in range(min(high - low, length + 1)):
            current = _sequence(body.data, current, done, length)
            reached |= current
        return reached
    raise _Unbounded


def start_keys(pattern: str, flags: int = re.IGNORECASE, length: int = 2) -> frozenset[Key] | None:
    """Every (``\\b`` asserted at the start, look-behind characters, prefix) a match of
    ``pattern`` can begin with; prefixes are 1 to ``length`` lower-cased ASCII characters (a
    shorter one means any next characters, including none). Matches whose first ``length``
    characters are not all ASCII are not described: callers try every rule there. ``None``:
    the pattern can start anywhere (or has too many prefixes of that length)."""
    try:
        parsed = _sre_parser.parse(pattern, flags)
        done: set[Key] = set()
        rest = _sequence(parsed.data, {(False, None, "")}, done, length)
    except (_Unbounded, re.error, RecursionError):
        return None
    done |= rest
    if any(not prefix for _, _, prefix in done):
        return None
    return frozenset(done)
