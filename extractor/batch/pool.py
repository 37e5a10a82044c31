"""Worker processes for the batch runner, each with its own pipe and one chunk at a time.

Why not ``concurrent.futures.ProcessPoolExecutor``: when one of its workers dies, the whole
executor breaks, every chunk in flight is lost with it, and on Python 3.11 its teardown after a
death races (``OSError: handle is closed`` from ``submit`` about once in forty runs of our
dying-workers test, and one CI run hung for 18 minutes in that test). Here each worker has a
pipe and a process sentinel that the parent waits on together: a death is seen at once, the
parent knows exactly which chunk the dead worker held, and the other workers carry on.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

from .sources import NoteRecord
from .summary import RecordOutcome
from .worker import Coder, serve_chunks

STOP_GRACE_SECONDS = 5.0


@dataclass(eq=False)
class Worker:
    process: BaseProcess
    conn: Connection
    ready: bool = False
    chunk: list[NoteRecord] | None = None
    isolated: bool = False
    deadline: float | None = None  # (time.monotonic) when the chunk it holds is overdue


@dataclass
class Coded:
    """A chunk came back: one outcome per record."""

    chunk: list[NoteRecord]
    outcomes: list[RecordOutcome]


@dataclass
class ChunkFailed:
    """The worker survived but coding the chunk raised outside any one record (e.g. pickling)."""

    chunk: list[NoteRecord]
    message: str


@dataclass
class Died:
    """A worker process ended without being asked to; ``chunk`` is what it held, if anything."""

    chunk: list[NoteRecord] | None
    isolated: bool
    was_ready: bool
    timed_out: bool = False  # the parent stopped it: its chunk ran past the deadline


@dataclass
class InitFailed:
    message: str


@dataclass
class Ready:
    pass


Event = Coded | ChunkFailed | Died | InitFailed | Ready


@dataclass
class WorkerPool:
    context: BaseContext
    size: int
    coder: Coder | None
    payer: str
    max_chars: int
    record_timeout: float | None = None  # seconds a record may take; a chunk gets this per record
    workers: list[Worker] = field(default_factory=list)

    def top_up(self) -> None:
        """Start workers until there are ``size``; they build the pipeline while the parent goes on."""
        while len(self.workers) < self.size:
            parent_end, child_end = self.context.Pipe(duplex=True)
            process = self.context.Process(  # type: ignore[attr-defined]
                target=serve_chunks,
                args=(child_end, self.coder, self.payer, self.max_chars, os.getpid()),
                daemon=True,
            )
            process.start()
            child_end.close()
            self.workers.append(Worker(process, parent_end))

    def idle(self) -> list[Worker]:
        return [worker for worker in self.workers if worker.ready and worker.chunk is None]

    def busy(self) -> bool:
        return any(worker.chunk is not None for worker in self.workers)

    def send(self, worker: Worker, chunk: list[NoteRecord], *, isolated: bool) -> None:
        worker.chunk, worker.isolated = chunk, isolated
        if self.record_timeout:
            worker.deadline = time.monotonic() + self.record_timeout * len(chunk)
        try:
            worker.conn.send(chunk)
        except OSError:  # it died meanwhile: its sentinel reports the death and the chunk
            pass

    def wait(self) -> list[Event]:
        """Block until a worker reports or dies; return what happened."""
        by_handle: dict[Any, Worker] = {}
        for worker in self.workers:
            by_handle[worker.conn] = worker
            by_handle[worker.process.sentinel] = worker
        deadlines = [w.deadline for w in self.workers if w.chunk is not None and w.deadline is not None]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        fired = {id(by_handle[handle]): by_handle[handle] for handle in wait(list(by_handle), timeout)}
        events: list[Event] = []
        for worker in fired.values():
            events.extend(self._read(worker))
        now = time.monotonic()
        for worker in list(self.workers):
            if worker.chunk is not None and worker.deadline is not None and worker.deadline <= now:
                # a note the pipeline cannot finish (or a wedged process): stop it, as if it died
                worker.process.kill()
                events.append(self._bury(worker, timed_out=True))
        return events

    def _read(self, worker: Worker) -> list[Event]:
        events: list[Event] = []
        try:
            while worker.conn.poll():
                events.append(self._message(worker, worker.conn.recv()))
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            events.append(self._bury(worker))
        return events

    def _message(self, worker: Worker, message: tuple[str, Any]) -> Event:
        kind, body = message
        if kind == "ready":
            worker.ready = True
            return Ready()
        if kind == "init_error":
            return InitFailed(body)
        chunk, worker.chunk, worker.deadline = worker.chunk or [], None, None
        if kind == "coded":
            return Coded(chunk, body)
        return ChunkFailed(chunk, body)

    def _bury(self, worker: Worker, *, timed_out: bool = False) -> Died:
        worker.process.join()
        worker.conn.close()
        self.workers.remove(worker)
        return Died(worker.chunk, worker.isolated, worker.ready, timed_out)

    def stop(self) -> None:
        """Ask every worker to finish, then end those that do not within the grace period."""
        for worker in self.workers:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join(STOP_GRACE_SECONDS)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers.clear()
