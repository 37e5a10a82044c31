"""Typed errors that stop a whole batch run (a single bad record never does: it gets an error line)."""

from __future__ import annotations

from ..errors import FacetCoderError


class UnsupportedInput(FacetCoderError):
    """The batch INPUT is not a folder, a .jsonl file or a .csv file, or lacks the needed columns."""

    code = "UNSUPPORTED_INPUT"
    exit_code = 11


class OutputExists(FacetCoderError):
    """OUT already holds results and neither ``--resume`` nor ``--overwrite`` was given."""

    code = "OUTPUT_EXISTS"
    exit_code = 12


class BatchAborted(FacetCoderError):
    """The run cannot go on (e.g. every worker dies while building the pipeline)."""

    code = "BATCH_ABORTED"
    exit_code = 13
