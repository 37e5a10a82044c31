"""A speech engine's misheard words as the physician meant them, in the same width.

An unproofread transcript writes what it heard: 'one percent lie dough cane', 'point five percent
bupi vacate', 'depot metal', 'omni pack two forty', 'the L three medial ranch', 'flora scope views',
'radio frequency abrasion', and sides as 'the write side' and 'lift L five S one'. The rules know
the drugs, nerves and modalities by their names; read as heard, the injectate, the nerve list and
the guidance are lost and the sides vanish. The table is data (``patterns/nlp/misheard.json``):
its phrases are read as meant wherever they stand; the side words 'write' and 'lift' only in a
note that also writes them beside 'side', 'sided' or 'the' (elsewhere they are the verbs).
"""

from __future__ import annotations

import re
from functools import cache

from .rule_data import misheard_words as table


@cache
def _fragments() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Lower-case forms to look for before any regex runs (most notes hold none: 0.2 ms a note
    for the regexes, a few microseconds for these)."""
    data = table()
    return tuple(" ".join(k.lower().split()) for k in data["phrases"]), tuple(data["sides"])


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, str]]:
    data = table()
    meanings = {" ".join(k.lower().split()): v for k, v in [*data["phrases"].items(), *data["sides"].items()]}

    def alternation(words: list[str]) -> str:
        longest_first = sorted(words, key=len, reverse=True)
        return "|".join(r"[ \t]+".join(re.escape(part) for part in w.split()) for w in longest_first)

    phrases = re.compile(r"(?i)\b(?:" + alternation(list(data["phrases"])) + r")\b")
    markers = re.compile(r"(?i)\b(?:" + alternation(list(data["side_markers"])) + r")\b")
    sides = re.compile(r"(?i)\b(?:" + alternation(list(data["sides"])) + r")\b(?![-'])")
    return phrases, markers, sides, meanings


def _meant(match: re.Match[str], meanings: dict[str, str]) -> str:
    heard = match.group(0)
    meant = meanings[" ".join(heard.lower().split())]
    if heard[:1].isupper():
        meant = meant[:1].upper() + meant[1:]  # ('Lift L five S one' opens its sentence)
    return meant + " " * (len(heard) - len(meant))


def misheard_words(text: str) -> str:
    """``text`` with the speech engine's misheard words as meant (same length)."""
    lowered = text.lower()
    heard_phrases, heard_sides = _fragments()
    has_phrase = any(f in lowered for f in heard_phrases)
    if not has_phrase and not any(f in lowered for f in heard_sides):
        return text
    phrases, markers, sides, meanings = _patterns()
    if has_phrase:
        text = phrases.sub(lambda m: _meant(m, meanings), text)
    if markers.search(text):
        text = sides.sub(lambda m: _meant(m, meanings), text)
    return text
