"""``code_note``: the one function every interface (CLI, HTTP, batch, Spark) calls."""

from __future__ import annotations

from .coding import code_facts, load_profile
from .errors import DEFAULT_MAX_CHARS
from .models import CodingResult
from .nlp import extract_facts
from .note_input import check_note


def code_note(text: str, payer: str = "medicare", *, max_chars: int = DEFAULT_MAX_CHARS) -> CodingResult:
    """Extract the facts of a facet procedure note and code them for ``payer``.

    ``payer`` is a built-in profile name (medicare, commercial, rt_lt) or a path to a profile
    file. Raises the typed errors of ``extractor.errors`` on bad input; never prints or logs
    note text.
    """
    check_note(text, max_chars)
    profile = load_profile(payer)
    facts = extract_facts(text)
    lines, warnings = code_facts(facts, profile)
    return CodingResult(**dict(facts), payer=profile.name, lines=lines, warnings=warnings)
