"""The batch loop: stream records in chunks to a process pool, write each result as it arrives.

Memory stays flat: records are read lazily and at most ``workers * in_flight_per_worker``
chunks are in flight. Only the ids seen are kept (to resume and to catch duplicate ids).

A worker that dies (segfault, OOM kill, ``os._exit``) is replaced, and the records of the chunk
it held are retried one per chunk, so the one that kills its worker again is known for sure and
gets a ``WORKER_DIED`` error line; the others are coded normally. No record is lost, and the
other workers never stop (``pool.py`` says why this is not a ``ProcessPoolExecutor``).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import DEFAULT_MAX_CHARS
from .errors import BatchAborted, UnsupportedInput
from .output import ExistingOutput, ResultWriter, prepare_output
from .pool import ChunkFailed, Coded, Died, Event, InitFailed, WorkerPool
from .progress import Progress
from .sources import NoteRecord, NoteSource, open_source
from .summary import BatchTally, RecordOutcome, RunStats, summary_dict
from .worker import INTERNAL_ERROR, WORKER_DIED, Coder, error_outcome

DUPLICATE_ID = "DUPLICATE_ID"
TIMEOUT = "TIMEOUT"


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass
class BatchOptions:
    payer: str = "medicare"
    workers: int | None = None  # None: every usable core
    chunk_size: int = 8
    resume: bool = False
    overwrite: bool = False
    id_field: str = "id"
    text_field: str = "text"
    max_chars: int = DEFAULT_MAX_CHARS
    coder: Coder | None = None  # None: extractor.code_note, pipeline built once per worker
    quiet: bool = False
    progress_stream: TextIO | None = None
    progress_interval: float = 10.0
    start_method: str = "spawn"
    max_failed_pools: int = 3  # abort after workers * this many deaths in a row before being ready
    # new workers after this many records, so slow growth in a worker (spaCy's string store keeps
    # every new token) stays bounded however large the archive; None: never
    recycle_after: int | None = 20_000
    # a worker still coding a chunk after this many seconds per record is stopped and the
    # chunk's records retried one by one; one that runs over again gets a TIMEOUT line; None: wait
    record_timeout: float | None = 60.0


def run_batch(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    options: BatchOptions | None = None,
) -> dict[str, Any]:
    """Code every record of ``input_path`` into ``output_path`` (JSONL); return the summary dict.

    Workers are started with ``spawn``: a script calling this needs the usual
    ``if __name__ == "__main__":`` guard.
    """
    return _BatchRun(Path(input_path), Path(output_path), options or BatchOptions()).run()


class _BatchRun:
    def __init__(self, input_path: Path, output_path: Path, options: BatchOptions) -> None:
        if output_path.resolve() == input_path.resolve():
            raise UnsupportedInput(f"{output_path} is the input: give another file for the results.")
        self.options = options
        self.output_path = output_path
        self.workers = max(1, options.workers or available_cores())
        self.source: NoteSource = open_source(
            input_path, id_field=options.id_field, text_field=options.text_field, max_chars=options.max_chars
        )
        self.tally = BatchTally()
        self.stats = RunStats()
        self.seen: set[str] = set()
        self.context = multiprocessing.get_context(options.start_method)
        self.pool: WorkerPool | None = None
        self.pool_records = 0
        self.failed_starts = 0

    def run(self) -> dict[str, Any]:
        options = self.options
        if options.coder is None:
            _check_payer(options.payer)
        existing = prepare_output(
            self.output_path, resume=options.resume, overwrite=options.overwrite, tally=self.tally
        )
        self.stats.repaired_torn_line = existing.torn_bytes > 0
        self.done_ids = existing.done_ids
        total = self.source.count()
        self.progress = Progress(
            total,
            min(len(self.done_ids), total),
            quiet=options.quiet,
            stream=options.progress_stream,
            interval=options.progress_interval,
        )
        self._report_existing(existing)
        self.writer = ResultWriter(self.output_path)
        started = time.monotonic()
        try:
            self._loop(self.source.records())
        finally:
            self.stats.seconds = time.monotonic() - started
            self._stop_pool()
            self.writer.close()
            self.progress.close()
        return summary_dict(
            self.tally,
            self.stats,
            input_description=self.source.description,
            output=str(self.output_path),
            payer=options.payer,
            workers=self.workers,
        )

    def _report_existing(self, existing: ExistingOutput) -> None:
        if existing.torn_bytes:
            self.progress.note(
                f"repaired OUT: dropped a torn last line ({existing.torn_bytes} bytes); "
                "its record is coded again"
            )
        if existing.unreadable_lines:
            self.progress.note(
                f"{existing.unreadable_lines} lines of OUT are not valid JSON and were kept as is"
            )
        if self.done_ids:
            self.progress.note(f"resuming: {len(self.done_ids)} ids already in OUT are skipped")

    # -- the loop -------------------------------------------------------------------------------

    def _loop(self, records: Iterator[NoteRecord]) -> None:
        suspects: deque[NoteRecord] = deque()  # records of a chunk whose worker died, retried alone
        exhausted = False
        while True:
            pool = self._pool()
            if self._recycle_due() and not pool.busy() and not suspects and not exhausted:
                self._stop_pool()  # recycle: the next chunk starts fresh workers
                self.stats.recycled_pools += 1
                continue
            if suspects or not exhausted:
                pool.top_up()
            for worker in pool.idle():
                if suspects:
                    pool.send(worker, [suspects.popleft()], isolated=True)
                    continue
                chunk: list[NoteRecord] | None = []
                while chunk == [] and not exhausted and not self._recycle_due():
                    chunk = self._next_chunk(records)
                    exhausted = chunk is None
                if not chunk:
                    break
                self.pool_records += len(chunk)
                pool.send(worker, chunk, isolated=False)
            if not pool.busy() and not suspects and exhausted:
                return
            for event in pool.wait():
                self._handle(event, suspects)

    def _handle(self, event: Event, suspects: deque[NoteRecord]) -> None:
        if isinstance(event, Coded):
            self._write(event.outcomes)
        elif isinstance(event, ChunkFailed):
            self._write(
                [
                    error_outcome(record.id, INTERNAL_ERROR, event.message, record.input_warnings)
                    for record in event.chunk
                ]
            )
        elif isinstance(event, InitFailed):
            raise BatchAborted(f"the workers could not build the coding pipeline: {event.message}")
        elif isinstance(event, Died):
            self._after_death(event, suspects)
        else:  # Ready
            self.failed_starts = 0

    def _next_chunk(self, records: Iterator[NoteRecord]) -> list[NoteRecord] | None:
        """Up to ``chunk_size`` records for a worker; [] when all read were settled here; None at the end."""
        chunk: list[NoteRecord] = []
        settled: list[RecordOutcome] = []
        for record in records:
            if record.id in self.done_ids:
                self.stats.skipped_done += 1
                continue
            if record.id in self.seen:
                settled.append(
                    error_outcome(
                        record.id,
                        DUPLICATE_ID,
                        "Another record of the input has the same id; this one was not coded.",
                        record.input_warnings,
                    )
                )
            elif record.error is not None:
                self.seen.add(record.id)
                settled.append(error_outcome(record.id, *record.error, record.input_warnings))
            else:
                self.seen.add(record.id)
                chunk.append(record)
            if len(chunk) >= self.options.chunk_size or len(settled) >= self.options.chunk_size:
                break
        else:
            if not chunk and not settled:
                return None
        self._write(settled)
        return chunk

    def _write(self, outcomes: list[RecordOutcome]) -> None:
        if not outcomes:
            return
        self.writer.write(outcome.line for outcome in outcomes)
        errors = 0
        for outcome in outcomes:
            self.tally.add(outcome)
            errors += outcome.error_type is not None
        self.stats.errors += errors
        self.stats.coded += len(outcomes) - errors
        self.progress.advance(len(outcomes), errors)

    # -- the pool -------------------------------------------------------------------------------

    def _pool(self) -> WorkerPool:
        if self.pool is None:
            self.pool_records = 0
            self.pool = WorkerPool(
                self.context,
                self.workers,
                self.options.coder,
                self.options.payer,
                self.options.max_chars,
                self.options.record_timeout,
            )
        return self.pool

    def _recycle_due(self) -> bool:
        limit = self.options.recycle_after
        return self.pool is not None and limit is not None and self.pool_records >= limit

    def _after_death(self, death: Died, suspects: deque[NoteRecord]) -> None:
        if death.timed_out:
            self.stats.timed_out_chunks += 1
        else:
            self.stats.worker_deaths += 1
        if death.chunk and death.isolated:
            record = death.chunk[0]
            if death.timed_out:
                error = (
                    TIMEOUT,
                    f"Coding this record ran past {self.options.record_timeout:g} s twice; "
                    "its worker was stopped each time.",
                )
            else:
                error = (
                    WORKER_DIED,
                    "The worker process died twice while coding this record (crash or out of memory).",
                )
            self._write([error_outcome(record.id, *error, record.input_warnings)])
        elif death.chunk:
            suspects.extend(death.chunk)
            self.stats.retried_records += len(death.chunk)
        self.progress.note(
            "a worker ran past the record timeout and was stopped; the records it held are retried"
            if death.timed_out
            else "a worker process died; it is replaced and the records it held are retried"
        )
        if death.was_ready:
            return
        self.failed_starts += 1
        if self.failed_starts >= self.options.max_failed_pools * self.workers:
            raise BatchAborted(
                f"worker processes died {self.failed_starts} times in a row before they were ready "
                "(pipeline build crashing or out of memory?); OUT keeps what was done: rerun with --resume"
            )

    def _stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.stop()
            self.pool = None


def _check_payer(payer: str) -> None:
    """Fail before starting any worker if the payer profile is unknown."""
    try:
        from ..coding import load_profile
    except ImportError:  # the coding engine is not there: code_note will say so per record
        return
    load_profile(payer)
