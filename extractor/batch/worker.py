"""What runs inside each pool worker: build the pipeline once, then code chunks of records.

The coder is ``extractor.code_note`` unless the caller injects another callable
``coder(text, payer=...) -> CodingResult`` (a module-level function, so it pickles by name).
Every record becomes exactly one ``RecordOutcome``: a result line or an error line, never an
exception, so one bad note cannot take a chunk down with it.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from ..errors import DEFAULT_MAX_CHARS, FacetCoderError
from ..note_input import check_note
from .sources import NoteRecord, read_note_file
from .summary import RecordOutcome

Coder = Callable[..., Any]

INTERNAL_ERROR = "INTERNAL_ERROR"
WORKER_DIED = "WORKER_DIED"
WARMUP_NOTE = (
    "PROCEDURE: Bilateral L4-L5 and L5-S1 facet joint injections under fluoroscopic guidance.\n"
    "Needle placement was confirmed with contrast. 0.5 mL of 0.5% bupivacaine was injected at each level.\n"
)


class _WorkerState:
    coder: Coder | None = None
    payer: str = "medicare"
    max_chars: int = DEFAULT_MAX_CHARS
    init_error: str | None = None


_STATE = _WorkerState()


def default_coder() -> Coder:
    from ..api import code_note

    return code_note


def serve_chunks(conn: Connection, coder: Coder | None, payer: str, max_chars: int, parent_pid: int) -> None:
    """A worker process's life: build the pipeline, say so, then code each chunk the parent sends.

    Messages back are ``("ready", None)``, ``("init_error", message)``, ``("coded", outcomes)`` or
    ``("failed", message)``; ``None`` from the parent (or its end closing) ends the worker.
    """
    init_worker(coder, payer, max_chars, parent_pid)
    if _STATE.init_error is not None:
        conn.send(("init_error", _STATE.init_error))
        return
    conn.send(("ready", None))
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            return
        try:
            conn.send(("coded", code_chunk(chunk)))
        except Exception as error:  # noqa: BLE001 - e.g. an outcome that does not pickle
            conn.send(("failed", f"{type(error).__name__}: {error}"))


def init_worker(coder: Coder | None, payer: str, max_chars: int, parent_pid: int) -> None:
    """Build the pipeline once for this process, before any record arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    threading.Thread(target=_exit_when_orphaned, args=(parent_pid,), daemon=True).start()
    _STATE.payer = payer
    _STATE.max_chars = max_chars
    try:
        if coder is None:
            from .. import load_pipeline

            load_pipeline()
            coder = default_coder()
        _STATE.coder = coder
    except Exception as error:  # noqa: BLE001 - reported to the parent, which stops the run
        _STATE.init_error = f"{type(error).__name__}: {error}"
        return
    try:
        coder(WARMUP_NOTE, payer=payer)
    except Exception:  # noqa: BLE001 - a note-level failure here shows again on real records
        pass


def _exit_when_orphaned(parent_pid: int) -> None:
    """A SIGKILLed parent cannot stop its workers: each notices and exits by itself."""
    while True:
        time.sleep(0.5)
        if os.getppid() != parent_pid:
            os._exit(1)


def code_chunk(records: Sequence[NoteRecord]) -> list[RecordOutcome]:
    coder = _STATE.coder
    if coder is None:
        raise RuntimeError(_STATE.init_error or "the worker was not initialised")
    return [code_record(record, coder, _STATE.payer, _STATE.max_chars) for record in records]


def code_record(
    record: NoteRecord, coder: Coder, payer: str, max_chars: int = DEFAULT_MAX_CHARS
) -> RecordOutcome:
    input_warnings = record.input_warnings
    try:
        if record.error is not None:
            return error_outcome(record.id, *record.error, input_warnings)
        if record.path is not None:
            text, input_warnings = read_note_file(record.path, max_chars)
        else:
            text = record.text or ""
        check_note(text, max_chars)
        return result_outcome(record.id, coder(text, payer=payer), input_warnings)
    except FacetCoderError as error:
        return error_outcome(record.id, error.code, str(error), input_warnings)
    except OSError as error:
        return error_outcome(
            record.id, "IO_ERROR", f"{type(error).__name__}: {error.strerror or error}", input_warnings
        )
    except Exception as error:  # noqa: BLE001 - any failure becomes this record's error line
        return error_outcome(record.id, INTERNAL_ERROR, f"{type(error).__name__}: {error}", input_warnings)


def result_outcome(note_id: str, result: Any, input_warnings: tuple[str, ...] = ()) -> RecordOutcome:
    body = result.model_dump_json(by_alias=True)
    line = '{"id": ' + json.dumps(note_id) + ', "result": ' + body
    if input_warnings:
        line += ', "input_warnings": ' + json.dumps(list(input_warnings))
    return RecordOutcome(
        id=note_id,
        line=(line + "}").encode("utf-8"),
        codes=tuple(claim_line.code for claim_line in result.lines),
        warning_ids=tuple(warning.id for warning in result.warnings),
        input_warnings=input_warnings,
    )


def error_outcome(
    note_id: str, error_type: str, message: str, input_warnings: tuple[str, ...] = ()
) -> RecordOutcome:
    obj: dict[str, Any] = {"id": note_id, "error": {"type": error_type, "message": message}}
    if input_warnings:
        obj["input_warnings"] = list(input_warnings)
    return RecordOutcome(
        id=note_id,
        line=json.dumps(obj).encode("utf-8"),
        error_type=error_type,
        input_warnings=input_warnings,
    )
