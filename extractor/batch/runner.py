"""The batch loop: stream records in chunks to a process pool, write each result as it arrives.

Memory stays flat: records are read lazily and at most ``workers * in_flight_per_worker``
chunks are in flight. Only the ids seen are kept (to resume and to catch duplicate ids).

A worker that dies (segfault, OOM kill, ``os._exit``) breaks a ``ProcessPoolExecutor``: every
record in flight is lost with it. The runner rebuilds the pool and retries those records one
at a time, alone in the pool, so the one that kills its worker again is known for sure and
gets a ``WORKER_DIED`` error line; the others are coded normally. No record is lost.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import DEFAULT_MAX_CHARS
from .errors import BatchAborted, UnsupportedInput
from .output import ExistingOutput, ResultWriter, prepare_output
from .progress import Progress
from .sources import NoteRecord, NoteSource, open_source
from .summary import BatchTally, RecordOutcome, RunStats, summary_dict
from .worker import (
    INTERNAL_ERROR,
    WORKER_DIED,
    Coder,
    WorkerInitError,
    code_chunk,
    error_outcome,
    init_worker,
)

DUPLICATE_ID = "DUPLICATE_ID"


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
    in_flight_per_worker: int = 2
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
    max_failed_pools: int = 3  # consecutive pools whose workers all die before being ready
    # new workers after this many records, so slow growth in a worker (spaCy's string store keeps
    # every new token) stays bounded however large the archive; None: never
    recycle_after: int | None = 20_000


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
        self.max_in_flight = self.workers * max(1, options.in_flight_per_worker)
        self.source: NoteSource = open_source(
            input_path, id_field=options.id_field, text_field=options.text_field, max_chars=options.max_chars
        )
        self.tally = BatchTally()
        self.stats = RunStats()
        self.seen: set[str] = set()
        self.context = multiprocessing.get_context(options.start_method)
        self.pool: ProcessPoolExecutor | None = None
        self.ready: Any = None
        self.pool_records = 0
        self.failed_pools = 0

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
        pending: dict[Future[list[RecordOutcome]], tuple[list[NoteRecord], bool]] = {}
        suspects: deque[NoteRecord] = deque()
        exhausted = False
        while True:
            if suspects:
                if not pending:
                    self._submit(pending, [suspects.popleft()], isolated=True)
            else:
                while not exhausted and len(pending) < self.max_in_flight and not self._recycle_due():
                    chunk = self._next_chunk(records)
                    if chunk is None:
                        exhausted = True
                    elif chunk:
                        self._submit(pending, chunk, isolated=False)
            if not pending:
                if suspects:
                    continue
                if exhausted:
                    return
                self._stop_pool()  # recycle: the next chunk starts fresh workers
                self.stats.recycled_pools += 1
                continue
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken = False
            for future in finished:
                chunk, isolated = pending.pop(future)
                broken |= self._collect(future, chunk, isolated, suspects)
            if broken:
                self._stop_pool()  # waits: every future left is now finished, failed or cancelled
                for future, (chunk, isolated) in pending.items():
                    self._collect(future, chunk, isolated, suspects)
                pending.clear()
                self._after_pool_death()

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

    def _submit(self, pending: dict, chunk: list[NoteRecord], *, isolated: bool) -> None:
        pool = self._pool()
        self.pool_records += len(chunk)
        try:
            future = pool.submit(code_chunk, chunk)
        except BrokenProcessPool:
            future = Future()
            future.set_exception(BrokenProcessPool("the pool broke before the chunk was sent"))
        pending[future] = (chunk, isolated)

    def _collect(self, future: Future, chunk: list[NoteRecord], isolated: bool, suspects: deque) -> bool:
        """Write a finished chunk's lines, or queue its records again if its worker died (True)."""
        if future.cancelled():
            error: BaseException | None = BrokenProcessPool("cancelled when the pool broke")
        else:
            error = future.exception()
        if error is None:
            self._write(future.result())
            return False
        if isinstance(error, WorkerInitError):
            raise BatchAborted(f"the workers could not build the coding pipeline: {error}") from error
        if error is not None and not isinstance(error, BrokenProcessPool):
            self._write(
                [
                    error_outcome(
                        record.id, INTERNAL_ERROR, f"{type(error).__name__}: {error}", record.input_warnings
                    )
                    for record in chunk
                ]
            )
            return False
        if isolated and self._pool_had_ready_worker():
            self._write(
                [
                    error_outcome(
                        chunk[0].id,
                        WORKER_DIED,
                        "The worker process died twice while coding this record (crash or out of memory).",
                        chunk[0].input_warnings,
                    )
                ]
            )
        else:
            suspects.extend(chunk)
            if not isolated:
                self.stats.retried_records += len(chunk)
        return True

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

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            self.pool_records = 0
            self.ready = self.context.Value("i", 0)
            self.pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=self.context,
                initializer=init_worker,
                initargs=(
                    self.options.coder,
                    self.options.payer,
                    self.options.max_chars,
                    os.getpid(),
                    self.ready,
                ),
            )
        return self.pool

    def _recycle_due(self) -> bool:
        limit = self.options.recycle_after
        return self.pool is not None and limit is not None and self.pool_records >= limit

    def _pool_had_ready_worker(self) -> bool:
        return self.ready is not None and self.ready.value > 0

    def _after_pool_death(self) -> None:
        self.stats.worker_deaths += 1
        if self._pool_had_ready_worker():
            self.failed_pools = 0
        else:
            self.failed_pools += 1
        self.progress.note("a worker process died; the pool is rebuilt and the records it held are retried")
        if self.failed_pools >= self.options.max_failed_pools:
            raise BatchAborted(
                f"worker processes died {self.failed_pools} times in a row before they were ready "
                "(pipeline build crashing or out of memory?); OUT keeps what was done: rerun with --resume"
            )

    def _stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


def _check_payer(payer: str) -> None:
    """Fail before starting any worker if the payer profile is unknown."""
    try:
        from ..coding import load_profile
    except ImportError:  # the coding engine is not there: code_note will say so per record
        return
    load_profile(payer)
