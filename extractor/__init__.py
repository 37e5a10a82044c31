"""facet-coder: codes spinal facet procedure notes to CPT claim lines with evidence and warnings.

Heavy modules (spaCy, medspaCy) load on first use, so importing the package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    EmptyNote,
    FacetCoderError,
    InvalidClaim,
    NoteTooLarge,
    UnknownPayer,
    UnreadableInput,
)
from .models import SCHEMA_VERSION, CodingResult

if TYPE_CHECKING:
    from .api import code_note as code_note

__all__ = [
    "SCHEMA_VERSION",
    "CodingResult",
    "EmptyNote",
    "FacetCoderError",
    "InvalidClaim",
    "NoteTooLarge",
    "UnknownPayer",
    "UnreadableInput",
    "audit_claim",
    "code_note",
    "load_pipeline",
]


def __getattr__(name: str) -> Any:
    if name == "code_note":
        from .api import code_note

        return code_note
    if name == "audit_claim":
        from .audit import audit_claim

        return audit_claim
    if name == "load_pipeline":
        from .nlp import load_pipeline

        return load_pipeline
    raise AttributeError(name)
