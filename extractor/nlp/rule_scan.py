"""Runs several rule passes over a note in one sweep, with the results of ``finditer``.

A *pass* is an ordered list of rule patterns that ``finditer`` would run as one alternation
(our TargetRule files) or a single rule (each ConTextRule, as medspaCy's RegexMatcher runs
them). For every pass, ``scan`` returns exactly the ``(rule, start, end)`` matches
``re.compile("|".join(rules), flags).finditer(text)`` yields, in order:

- a match can only start where one of its rules' start keys (``start_keys``) fits, so only
  those positions are tried: word starts (one ``\\w+`` sweep) and the few other characters
  some rule starts with (one character-class sweep);
- at a position, the rules of a pass whose keys fit the next four characters are tried in
  file order and the first that matches wins, which is what the alternation does; the next
  match of that pass is looked for from the end of this one, which is what ``finditer`` does;
- where the next characters are not all ASCII every rule is tried; a pass with a rule that
  could start anywhere is run with ``finditer`` itself.

Everything is compiled once, when the scanner is built.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter

from .start_keys import start_keys

Match = tuple[int, int, int]
"""(rule index within its pass, start, end)."""

KEY_LENGTH = 4
HEAD = 2
_WORD_RUN = re.compile(r"\w+")
_LINE_START = re.compile(r"\n")
_ASCII_LOWER = str.maketrans({chr(code): chr(code).lower() for code in range(65, 91)})
_ASCII = tuple(chr(code) for code in range(128))
_NOT_ASCII = "\\x80-\\U0010ffff"
_FIRST = itemgetter(0)

Entries = tuple[tuple[int, tuple[tuple[int, re.Pattern[str]], ...]], ...]
"""Passes to try at a position (in pass order), each with its rules to try (in rule order)."""


@dataclass(frozen=True)
class _Node:
    """The rules that may start with a two-character head: ``short`` when the text goes on
    with characters no longer key names, ``deep`` by the next two characters, ``every`` when
    those are not both ASCII (or the text ends)."""

    short: Entries
    deep: dict[str, Entries]
    every: Entries


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _both_cases(chars: Iterable[str]) -> str:
    out = set()
    for char in chars:
        out |= {char, char.upper(), char.lower()}
    return "".join(re.escape(char) for char in sorted(out))


class _Table:
    """Rule sets by key while building; ``freeze`` turns them into ``_Node`` lookups."""

    def __init__(self) -> None:
        self.short: dict[str, dict[int, set[int]]] = {}
        self.deep: dict[str, dict[str, dict[int, set[int]]]] = {}

    @staticmethod
    def _add(into: dict, key: str, index: int, rule: int) -> None:
        into.setdefault(key, {}).setdefault(index, set()).add(rule)

    def add(self, prefix: str, index: int, rule: int) -> None:
        if len(prefix) < HEAD:
            heads = [prefix + char for char in _ASCII] + [prefix]
        else:
            heads = [prefix[:HEAD]]
        for head in heads:
            if len(prefix) <= HEAD:
                self._add(self.short, head, index, rule)
                continue
            tail = prefix[HEAD:]
            deep = self.deep.setdefault(head, {})
            for key in [tail] if len(tail) == KEY_LENGTH - HEAD else [tail + char for char in _ASCII]:
                self._add(deep, key, index, rule)
            self._add(deep, "", index, rule)

    def freeze(self, regexes: Sequence[Sequence[re.Pattern[str]]]) -> dict[str, _Node]:
        def entries(*groups: dict[int, set[int]]) -> Entries:
            merged: dict[int, set[int]] = {}
            for group in groups:
                for index, rules in group.items():
                    merged.setdefault(index, set()).update(rules)
            return tuple(
                (index, tuple((rule, regexes[index][rule]) for rule in sorted(rules)))
                for index, rules in sorted(merged.items())
            )

        nodes: dict[str, _Node] = {}
        cache: dict[tuple, Entries] = {}
        for head in set(self.short) | set(self.deep):
            short = self.short.get(head, {})
            deep = self.deep.get(head, {})
            every = entries(short, deep.get("", {}))
            by_tail: dict[str, Entries] = {}
            for tail, rules in deep.items():
                if tail:
                    frozen = entries(short, rules)
                    by_tail[tail] = cache.setdefault(repr(frozen), frozen)
            nodes[head] = _Node(entries(short), by_tail, every)
        return nodes


class RuleScanner:
    """Runs ``passes`` (each a sequence of patterns) with ``flags``; see the module doc.

    With ``line_starts=True`` every rule is anchored at the start of a line (``^`` with
    ``re.MULTILINE``), so only line starts are tried.
    """

    def __init__(
        self, passes: Sequence[Sequence[str]], flags: int = re.IGNORECASE, line_starts: bool = False
    ) -> None:
        self.line_starts = line_starts
        self._regexes = [tuple(re.compile(pattern, flags) for pattern in rules) for rules in passes]
        self._whole: dict[int, re.Pattern[str]] = {}
        at_word, elsewhere = _Table(), _Table()
        sweep: dict[tuple[frozenset[str] | None, str], set[str] | None] = {}
        for index, rules in enumerate(passes):
            keys = [start_keys(p, flags, KEY_LENGTH) or start_keys(p, flags, HEAD) for p in rules]
            if any(k is None for k in keys):
                alternation = "|".join(f"(?P<r{n}>{pattern})" for n, pattern in enumerate(rules))
                self._whole[index] = re.compile(alternation, flags)
                continue
            for rule, rule_keys in enumerate(keys):
                for bounded, before, prefix in rule_keys or ():
                    first = prefix[0]
                    if _is_word(first):
                        at_word.add(prefix, index, rule)
                    if bounded and _is_word(first):
                        continue
                    elsewhere.add(prefix, index, rule)
                    seconds = sweep.setdefault((before, first), set())
                    if seconds is not None:
                        if len(prefix) == 1:
                            sweep[(before, first)] = None
                        else:
                            seconds.add(prefix[1])
        self._at_word = at_word.freeze(self._regexes)
        self._elsewhere = elsewhere.freeze(self._regexes)
        self._everything: Entries = tuple(
            (index, tuple(enumerate(regexes)))
            for index, regexes in enumerate(self._regexes)
            if index not in self._whole
        )
        self._sweep = self._sweep_regex(sweep)

    @staticmethod
    def _sweep_regex(sweep: dict[tuple[frozenset[str] | None, str], set[str] | None]) -> re.Pattern[str]:
        """Positions (other than word starts) where some rule may start, and every position
        whose character is not ASCII. One character class first, so ``re`` skips ahead in C."""
        checks = [f"(?<=[{_NOT_ASCII}])"]
        for (before, first), seconds in sorted(sweep.items(), key=repr):
            check = f"[{_both_cases(first)}]"
            if before is not None:
                check = f"[{_both_cases(before)}{_NOT_ASCII}]{check}"
            check = f"(?<={check})"
            if seconds is not None:
                check += f"(?=[{_both_cases(seconds)}{_NOT_ASCII}])"
            checks.append(check)
        firsts = _both_cases({first for _, first in sweep})
        return re.compile(f"[{firsts}{_NOT_ASCII}](?:{'|'.join(checks)})")

    def _positions(self, text: str) -> list[tuple[int, dict[str, _Node]]]:
        at_word, elsewhere = self._at_word, self._elsewhere
        if self.line_starts:
            starts = [0] + [m.end() for m in _LINE_START.finditer(text)]
            return [(p, at_word if _is_word(text[p]) else elsewhere) for p in starts if p < len(text)]
        words = [m.start() for m in _WORD_RUN.finditer(text)]
        others = [m.start() for m in self._sweep.finditer(text)]
        if not others:
            return [(p, at_word) for p in words]
        word_set = set(words)
        positions = [(p, at_word) for p in words]
        positions += [(p, elsewhere) for p in others if p not in word_set]
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
        for position, table in self._positions(text):
            head = low[position : position + HEAD]
            node = table.get(head)
            if node is None:
                if head.isascii():
                    continue
                entries = self._everything
            elif not node.deep:
                entries = node.short
            else:
                tail = low[position + HEAD : position + KEY_LENGTH]
                deep = node.deep.get(tail)
                if deep is not None:
                    entries = deep
                elif len(tail) == KEY_LENGTH - HEAD and tail.isascii():
                    entries = node.short
                else:
                    entries = node.every
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
