"""Where a batch's notes come from: a folder of .txt files, a JSONL file or a CSV file.

Every source is read lazily, one record at a time, so memory stays flat however large the
archive. A record that cannot even be read (a malformed JSON line, a missing field) becomes a
``NoteRecord`` carrying an ``error``: the runner writes its error line and goes on.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from ..cli.note_source import InputNotFound, decode_note_bytes
from ..errors import DEFAULT_MAX_CHARS, EmptyNote, NoteTooLarge, UnreadableInput
from .errors import UnsupportedInput

INVALID_RECORD = "INVALID_RECORD"
DECODED_AS_CP1252 = "DECODED_AS_CP1252"
DECODED_AS_LATIN1 = "DECODED_AS_LATIN1"

_ID_PREFIX = re.compile(rb'"id"\s*:\s*("(?:[^"\\]|\\.){1,512}"|-?\d{1,30})')


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """One input record: inline ``text`` (JSONL, CSV) or a ``path`` the worker reads (folder)."""

    id: str
    text: str | None = None
    path: str | None = None
    input_warnings: tuple[str, ...] = ()
    error: tuple[str, str] | None = None


class NoteSource(Protocol):
    description: str

    def records(self) -> Iterator[NoteRecord]: ...

    def count(self) -> int: ...


def decode_with_fallback(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """``decode_note_bytes`` plus which fallback was used, as an input warning."""
    text, fallback = decode_note_bytes(raw)
    if not fallback:
        return text, ()
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return text, (DECODED_AS_LATIN1,)
    return text, (DECODED_AS_CP1252,)


def read_note_file(path: str, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[str, tuple[str, ...]]:
    """Read one .txt note; a file too big to possibly fit ``max_chars`` is refused unread."""
    size = os.stat(path).st_size
    if size > max_chars * 4:  # UTF-8 needs at most 4 bytes a character
        error = NoteTooLarge(size, max_chars)
        error.args = (
            f"The file has {size:,} bytes, more than a {max_chars:,}-character note can have. "
            "Split it or raise the limit.",
        )
        raise error
    with open(path, "rb") as handle:
        raw = handle.read()
    return decode_with_fallback(raw)


def open_source(
    path: str | os.PathLike[str],
    *,
    id_field: str = "id",
    text_field: str = "text",
    max_chars: int = DEFAULT_MAX_CHARS,
) -> NoteSource:
    """Pick the reader for ``path``: a folder, a ``.jsonl``/``.ndjson`` file or a ``.csv`` file."""
    location = Path(path)
    if location.is_dir():
        return FolderSource(location)
    if not location.exists():
        raise InputNotFound(f"No such file or folder: {location}")
    suffix = location.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return JsonlSource(location, id_field=id_field, text_field=text_field, max_chars=max_chars)
    if suffix == ".csv":
        return CsvSource(location, id_field=id_field, text_field=text_field, max_chars=max_chars)
    raise UnsupportedInput(
        f"Cannot read {location.name!r} as a batch: give a folder of .txt notes, "
        'a .jsonl file ({"id", "text"} per line) or a .csv file with id and text columns.'
    )


class FolderSource:
    """Every ``*.txt`` under a folder, recursively, in a stable order; id = relative path sans ``.txt``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = f"folder {root}"

    def _paths(self) -> Iterator[tuple[str, str]]:
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.lower().endswith(".txt"):
                    continue
                full = os.path.join(dirpath, name)
                if not os.path.isfile(full):
                    continue
                relative = os.path.relpath(full, self.root)[: -len(".txt")]
                yield relative.replace(os.sep, "/"), full

    def records(self) -> Iterator[NoteRecord]:
        for note_id, full in self._paths():
            yield NoteRecord(id=note_id, path=full)

    def count(self) -> int:
        return sum(1 for _ in self._paths())


class JsonlSource:
    """One JSON object a line; blank lines are skipped. A record without an id gets ``#L<line>``."""

    def __init__(self, path: Path, *, id_field: str, text_field: str, max_chars: int) -> None:
        self.path = path
        self.id_field = id_field
        self.text_field = text_field
        # JSON escapes take up to 6 bytes a character (\\uXXXX); beyond that a line cannot be a note
        self.line_limit = max_chars * 6 + 65_536
        self.description = f"JSONL {path}"

    def _lines(self, handle: BinaryIO) -> Iterator[tuple[int, bytes, bool]]:
        """(line number, bytes, too long); a line too long to hold yields only its first 64 KiB."""
        number = 0
        while True:
            raw = handle.readline(self.line_limit)
            if not raw:
                return
            number += 1
            if len(raw) < self.line_limit or raw.endswith(b"\n"):
                yield number, raw, False
                continue
            head = raw[:65_536]
            while raw and not raw.endswith(b"\n"):
                raw = handle.readline(self.line_limit)
            yield number, head, True

    def records(self) -> Iterator[NoteRecord]:
        with open(self.path, "rb") as handle:
            for number, raw, too_long in self._lines(handle):
                if too_long:
                    yield self._oversized(number, raw)
                elif raw.strip():
                    yield self._parse(number, raw)

    def _oversized(self, number: int, head: bytes) -> NoteRecord:
        match = _ID_PREFIX.search(head) if self.id_field == "id" else None
        note_id = f"#L{number}"
        if match:
            try:
                note_id = str(json.loads(match.group(1)))
            except ValueError:
                pass
        return NoteRecord(
            id=note_id,
            error=(NoteTooLarge.code, f"Line {number} is over {self.line_limit:,} bytes: too large a note."),
        )

    def _parse(self, number: int, raw: bytes) -> NoteRecord:
        fallback_id = f"#L{number}"
        try:
            line, warnings = decode_with_fallback(raw)
        except UnreadableInput:  # raw NUL bytes: let the note check report them with the right id
            line, warnings = raw.decode("utf-8", errors="replace"), ()
        try:
            obj = json.loads(line, strict=False)
        except ValueError as error:
            return NoteRecord(
                id=fallback_id, error=(INVALID_RECORD, f"Line {number} is not valid JSON ({error.msg}).")
            )
        if not isinstance(obj, dict):
            return NoteRecord(id=fallback_id, error=(INVALID_RECORD, f"Line {number} is not a JSON object."))
        raw_id = obj.get(self.id_field)
        if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or raw_id == "":
            return NoteRecord(
                id=fallback_id,
                error=(INVALID_RECORD, f"Line {number} has no usable {self.id_field!r} (string or integer)."),
            )
        return _inline_record(str(raw_id), obj.get(self.text_field, _MISSING), self.text_field, warnings)

    def count(self) -> int:
        with open(self.path, "rb") as handle:
            return sum(1 for _, raw, too_long in self._lines(handle) if too_long or raw.strip())


_MISSING = object()


def _inline_record(note_id: str, text: object, text_field: str, warnings: tuple[str, ...]) -> NoteRecord:
    if text is _MISSING:
        return NoteRecord(id=note_id, error=(INVALID_RECORD, f"The record has no {text_field!r} field."))
    if text is None:
        return NoteRecord(id=note_id, error=(EmptyNote.code, f"The {text_field!r} field is null."))
    if not isinstance(text, str):
        return NoteRecord(
            id=note_id,
            error=(INVALID_RECORD, f"The {text_field!r} field is a {type(text).__name__}, not a string."),
        )
    return NoteRecord(id=note_id, text=text, input_warnings=warnings)


class CsvSource:
    """A CSV file with a header row naming the id and text columns (notes may span lines)."""

    def __init__(self, path: Path, *, id_field: str, text_field: str, max_chars: int) -> None:
        self.path = path
        self.id_field = id_field
        self.text_field = text_field
        self.field_limit = max_chars * 2
        self.description = f"CSV {path}"
        with open(path, "rb") as handle:
            header = next(csv.reader(_decoded_lines(handle, _FallbackLog())), None)
        if header is None:
            raise UnsupportedInput(f"{path.name}: the CSV file is empty (no header row).")
        missing = [name for name in (id_field, text_field) if name not in header]
        if missing:
            raise UnsupportedInput(
                f"{path.name}: no column {', '.join(repr(m) for m in missing)} in the header "
                f"(columns: {', '.join(header)}); use --id-field/--text-field."
            )
        self.id_index = header.index(id_field)
        self.text_index = header.index(text_field)

    def _rows(self) -> Iterator[tuple[int, list[str] | None, tuple[str, ...], str]]:
        """(record number, row or None on a CSV error, fallback warnings, error message)."""
        if csv.field_size_limit() < self.field_limit:
            csv.field_size_limit(self.field_limit)
        log = _FallbackLog()
        with open(self.path, "rb") as handle:
            reader = csv.reader(_decoded_lines(handle, log))
            next(reader, None)
            number = 0
            while True:
                number += 1
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    log.take()
                    yield number, None, (), str(error)
                    continue
                yield number, row, log.take(), ""

    def records(self) -> Iterator[NoteRecord]:
        for number, row, warnings, problem in self._rows():
            fallback_id = f"#R{number}"
            if row is None:
                yield NoteRecord(
                    id=fallback_id,
                    error=(INVALID_RECORD, f"CSV record {number} cannot be parsed ({problem})."),
                )
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) <= max(self.id_index, self.text_index):
                yield NoteRecord(
                    id=row[self.id_index] if len(row) > self.id_index and row[self.id_index] else fallback_id,
                    error=(
                        INVALID_RECORD,
                        f"CSV record {number} has {len(row)} fields, fewer than the header.",
                    ),
                )
                continue
            note_id = row[self.id_index].strip()
            if not note_id:
                yield NoteRecord(
                    id=fallback_id, error=(INVALID_RECORD, f"CSV record {number} has an empty id.")
                )
                continue
            yield _inline_record(note_id, row[self.text_index], self.text_field, warnings)

    def count(self) -> int:
        return sum(1 for _, row, _, _ in self._rows() if row is None or any(cell.strip() for cell in row))


class _FallbackLog:
    """Collects the decoding fallbacks of the physical lines one CSV record spans."""

    def __init__(self) -> None:
        self.warnings: set[str] = set()

    def take(self) -> tuple[str, ...]:
        taken, self.warnings = tuple(sorted(self.warnings)), set()
        return taken


def _decoded_lines(handle: BinaryIO, log: _FallbackLog) -> Iterator[str]:
    for raw in handle:
        try:
            line, warnings = decode_with_fallback(raw)
        except UnreadableInput:  # NUL bytes: keep them so the note check reports the record
            line, warnings = raw.decode("utf-8", errors="replace"), ()
        log.warnings.update(warnings)
        yield line
