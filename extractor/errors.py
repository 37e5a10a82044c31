"""Typed errors: every bad input becomes one of these, with a message a coder can act on.

The CLI maps each to its own exit code and the HTTP service to a 4xx JSON body, so the
``code`` and ``exit_code`` attributes are part of the public contract. Messages never quote
note text (privacy).
"""

from __future__ import annotations

DEFAULT_MAX_CHARS = 200_000


class FacetCoderError(Exception):
    """Base class; ``code`` is the machine-readable id, ``exit_code`` the CLI status."""

    code = "FACET_CODER_ERROR"
    exit_code = 2
    http_status = 422


class EmptyNote(FacetCoderError):
    code = "EMPTY_NOTE"
    exit_code = 3

    def __init__(self, message: str = "The note is empty or contains only whitespace.") -> None:
        super().__init__(message)


class NoteTooLarge(FacetCoderError):
    code = "NOTE_TOO_LARGE"
    exit_code = 4
    http_status = 413

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"The note has {size:,} characters; the limit is {limit:,}. Split it or raise the limit."
        )
        self.size = size
        self.limit = limit


class UnreadableInput(FacetCoderError):
    code = "UNREADABLE_INPUT"
    exit_code = 5

    def __init__(self, message: str = "The input is not text (binary or NUL bytes found).") -> None:
        super().__init__(message)


class InvalidClaim(FacetCoderError):
    code = "INVALID_CLAIM"
    exit_code = 6


def quoted_payer(name: str, longest: int = 64) -> str:
    """``name`` quoted if it can be a profile name or path (one word, at most ``longest``
    characters); else only its length: a note passed as the payer by mistake (arguments
    swapped) is never echoed."""
    if len(name) <= longest and not any(char.isspace() for char in name):
        return repr(name)
    return f"(a value of {len(name):,} characters with spaces or line breaks: not a profile name)"


class UnknownPayer(FacetCoderError):
    code = "UNKNOWN_PAYER"
    exit_code = 7

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(
            f"Unknown payer profile {quoted_payer(name)}. Known profiles: {', '.join(sorted(known))}; "
            "or give the path of a profile file (.yaml/.json)."
        )
        self.name = name
        self.known = known


class InvalidProfile(FacetCoderError):
    code = "INVALID_PROFILE"
    exit_code = 8
