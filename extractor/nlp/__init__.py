"""The NLP half: spaCy + medspaCy components and rule data that turn a note into NoteFacts."""

from __future__ import annotations

from .facts import extract_facts
from .pipeline import load_pipeline

__all__ = ["extract_facts", "load_pipeline"]
