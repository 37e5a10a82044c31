"""Batch reprocessing of archives: every core, bounded memory, resumable JSONL output.

``run_batch(INPUT, OUT, BatchOptions(...))`` is what ``facetcode batch`` calls. It imports no
spaCy in the parent process: each pool worker builds the pipeline once.
"""

from __future__ import annotations

from .errors import BatchAborted, OutputExists, UnsupportedInput
from .runner import BatchOptions, available_cores, run_batch
from .sources import NoteRecord, open_source
from .summary import render_summary, write_summary

__all__ = [
    "BatchAborted",
    "BatchOptions",
    "NoteRecord",
    "OutputExists",
    "UnsupportedInput",
    "available_cores",
    "open_source",
    "render_summary",
    "run_batch",
    "write_summary",
]
