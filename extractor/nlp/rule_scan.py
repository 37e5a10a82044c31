"""Runs several rule passes over a note in one sweep, with the results of ``finditer``.

A *pass* is an ordered list of rule patterns that ``finditer`` would run as one alternation
(our TargetRule files) or a single rule (each ConTextRule, as medspaCy's RegexMatcher runs
them). For every pass, ``scan`` returns exactly the ``(rule, start, end)`` matches
``re.compile("|".join(rules), flags).finditer(text)`` yields, in order:

- a match can only start where one of its rules' start keys (``start_keys``) fits, so only
  those positions are tried: word starts (one fast ``\\w+`` sweep) and the few other
  characters some rule starts with (one character-class sweep);
- at a position, the rules of a pass whose keys fit are tried in file order and the first
  that matches wins, which is what the alternation does; the next match of that pass is
  looked for from the end of this one, which is what ``finditer`` does;
- where the first two characters are not both ASCII every rule is tried; a pass with a rule
  that could start anywhere is run with ``finditer`` itself.

Everything is compiled once, when the scanner is built.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter

from .start_keys import start_keys

Match = tuple[int, int, int]
"""(rule index within its pass, start, end)."""

_WORD_RUN = re.compile(r"\w+")
_ASCII_LOWER = str.maketrans({chr(code): chr(code).lower() for code in range(65, 91)})
_ASCII = tuple(chr(code) for code in range(128))
_NOT_ASCII = "\\x80-\\U0010ffff"
_FIRST = itemgetter(0)

# A dispatch table maps a two-character key (or a one-character key at the end of the text)
# to the passes that may match there, each with the rules to try in order.
Entries = tuple[tuple[int, tuple[tuple[int, re.Pattern[str]], ...]], ...]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _class(chars: set[str] | frozenset[str]) -> str:
    return "".join(re.escape(char) for char in sorted(chars))


class RuleScanner:
    """Runs ``passes`` (each a sequence of patterns) with ``flags``; see the module doc.

    With ``line_starts=True`` every rule is anchored at the start of a line (``^`` with
    ``re.MULTILINE``), so only line starts are tried.
    """

    def __init__(self, passes: Sequence[Sequence[str]], flags: int = re.IGNORECASE, line_starts: bool = False):
        self.line_starts = line_starts
        self._regexes = [tuple(re.compile(pattern, flags) for pattern in rules) for rules in passes]
        self._whole: dict[int, re.Pattern[str]] = {}
        at_word: dict[str, dict[int, set[int]]] = {}
        elsewhere: dict[str, dict[int, set[int]]] = {}
        sweep: dict[tuple[frozenset[str] | None, str], set[str] | None] = {}
        for index, rules in enumerate(passes):
            keys = [start_keys(pattern, flags) for pattern in rules]
            if any(k is None for k in keys):
                alternation = "|".join(f"(?P<r{n}>{pattern})" for n, pattern in enumerate(rules))
                self._whole[index] = re.compile(alternation, flags)
                continue
            for rule, rule_keys in enumerate(keys):
                for bounded, before, prefix in rule_keys or ():
                    first = prefix[0]
                    tables = [at_word] if _is_word(first) else []
                    if not (bounded and _is_word(first)):
                        tables.append(elsewhere)
                        second = sweep.setdefault((before, first), set())
                        if second is not None:
                            if len(prefix) == 1:
                                sweep[(before, first)] = None
                            else:
                                second.add(prefix[1])
                    for table in tables:
                        for key in [prefix] if len(prefix) == 2 else [first + c for c in _ASCII]:
                            table.setdefault(key, {}).setdefault(index, set()).add(rule)
                        table.setdefault(first, {}).setdefault(index, set()).add(rule)
        self._at_word = self._freeze(at_word)
        self._elsewhere = self._freeze(elsewhere)
        self._everything: Entries = tuple(
            (index, tuple(enumerate(regexes)))
            for index, regexes in enumerate(self._regexes)
            if index not in self._whole
        )
        self._sweep = self._sweep_regex(sweep)

    def _freeze(self, table: dict[str, dict[int, set[int]]]) -> dict[str, Entries]:
        frozen: dict[str, Entries] = {}
        for key, passes in table.items():
            frozen[key] = tuple(
                (index, tuple((rule, self._regexes[index][rule]) for rule in sorted(rules)))
                for index, rules in sorted(passes.items())
            )
        return frozen

    @staticmethod
    def _sweep_regex(sweep: dict[tuple[frozenset[str] | None, str], set[str] | None]) -> re.Pattern[str]:
        """Positions (other than word starts) where some rule may start, and every position
        whose character is not ASCII."""
        parts = [f"[{_NOT_ASCII}]"]
        for (before, first), second in sorted(sweep.items(), key=repr):
            part = f"[{_class({first})}]"
            if before is not None:
                part = f"(?<=[{_class(before)}{_NOT_ASCII}]){part}"
            if second is not None:
                part += f"(?=[{_class(second)}{_NOT_ASCII}])"
            parts.append(part)
        return re.compile("|".join(parts), re.IGNORECASE)

    def _positions(self, text: str) -> list[tuple[int, dict[str, Entries]]]:
        at_word, elsewhere = self._at_word, self._elsewhere
        if self.line_starts:
            starts = [0] + [m.end() for m in re.finditer("\n", text)]
            return [
                (p, at_word if _is_word(text[p]) else elsewhere) for p in starts if p < len(text)
            ]
        words = [m.start() for m in _WORD_RUN.finditer(text)]
        word_set = set(words)
        positions = [(p, at_word) for p in words]
        positions += [(m.start(), elsewhere) for m in self._sweep.finditer(text) if m.start() not in word_set]
        positions.sort(key=_FIRST)
        return positions

    def scan(self, text: str) -> list[list[Match]]:
        """For every pass, its ``finditer`` matches as (rule index, start, end)."""
        found: list[list[Match]] = [[] for _ in self._regexes]
        for index, regex in self._whole.items():
            found[index] = [(int(m.lastgroup[1:]), m.start(), m.end()) for m in regex.finditer(text)]  # type: ignore[index]
        if not self._everything:
            return found
        low = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
        resume = [0] * len(self._regexes)
        everything = self._everything
        for position, table in self._positions(text):
            key = low[position : position + 2]
            entries = table.get(key)
            if entries is None:
                if key.isascii():
                    continue
                entries = everything
            for index, rules in entries:
                if position < resume[index]:
                    continue
                for rule, regex in rules:
                    match = regex.match(text, position)
                    if match is not None:
                        end = match.end()
                        found[index].append((rule, position, end))
                        resume[index] = end if end > position else position + 1
                        break
        return found

