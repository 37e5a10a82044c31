"""Shared fixtures for the performance-equivalence tests: every corpus note, and the fast and
reference pipelines run on them once per session."""

from __future__ import annotations

import pytest

from extractor.nlp.pipeline import load_pipeline

from .equivalence import corpus_notes


@pytest.fixture(scope="session")
def notes() -> list[tuple[str, str]]:
    """(name, text) of every note under corpora/."""
    return [(path.name, path.read_text(encoding="utf-8")) for path in corpus_notes()]


@pytest.fixture(scope="session")
def docs(notes):
    """(name, fast Doc, reference Doc) for every corpus note."""
    fast, reference = load_pipeline(), load_pipeline(reference=True)
    return [(name, fast(text), reference(text)) for name, text in notes]
