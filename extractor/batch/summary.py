"""Counts over a batch's output: claim lines per code, warnings per id, errors per type.

The runner feeds it one ``RecordOutcome`` per record coded in this run; a resumed run first
feeds it the lines already in OUT, so the summary always describes the whole output file.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class RecordOutcome(NamedTuple):
    """What a worker sends back for one record: the output line and what to count from it."""

    id: str
    line: bytes
    codes: tuple[str, ...] = ()
    warning_ids: tuple[str, ...] = ()
    error_type: str | None = None
    input_warnings: tuple[str, ...] = ()


@dataclass
class BatchTally:
    coded: int = 0
    errors: int = 0
    lines_per_code: Counter[str] = field(default_factory=Counter)
    warnings_per_id: Counter[str] = field(default_factory=Counter)
    errors_per_type: Counter[str] = field(default_factory=Counter)
    input_warnings: Counter[str] = field(default_factory=Counter)

    @property
    def records(self) -> int:
        return self.coded + self.errors

    def add(self, outcome: RecordOutcome) -> None:
        self.input_warnings.update(outcome.input_warnings)
        if outcome.error_type is not None:
            self.errors += 1
            self.errors_per_type[outcome.error_type] += 1
            return
        self.coded += 1
        self.lines_per_code.update(outcome.codes)
        self.warnings_per_id.update(outcome.warning_ids)

    def add_output_line(self, obj: dict[str, Any]) -> None:
        """Count a line already in OUT (a resumed run)."""
        self.add(outcome_from_line(obj))


def outcome_from_line(obj: dict[str, Any]) -> RecordOutcome:
    inputs = tuple(obj.get("input_warnings") or ())
    if "error" in obj:
        error = obj.get("error") or {}
        return RecordOutcome(
            str(obj.get("id")), b"", error_type=str(error.get("type")), input_warnings=inputs
        )
    result = obj.get("result") or {}
    return RecordOutcome(
        str(obj.get("id")),
        b"",
        codes=tuple(str(line.get("code")) for line in result.get("lines") or ()),
        warning_ids=tuple(str(warning.get("id")) for warning in result.get("warnings") or ()),
        input_warnings=inputs,
    )


@dataclass
class RunStats:
    """This run only (the tally covers the whole output file)."""

    coded: int = 0
    errors: int = 0
    skipped_done: int = 0
    repaired_torn_line: bool = False
    worker_deaths: int = 0
    timed_out_chunks: int = 0
    retried_records: int = 0
    recycled_pools: int = 0
    seconds: float = 0.0

    @property
    def processed(self) -> int:
        return self.coded + self.errors


def summary_dict(
    tally: BatchTally, stats: RunStats, *, input_description: str, output: str, payer: str, workers: int
) -> dict[str, Any]:
    rate = stats.processed / stats.seconds if stats.seconds > 0 else 0.0
    return {
        "input": input_description,
        "output": output,
        "payer": payer,
        "workers": workers,
        "records": tally.records,
        "coded": tally.coded,
        "errors": tally.errors,
        "lines_per_code": dict(sorted(tally.lines_per_code.items())),
        "warnings_per_id": dict(sorted(tally.warnings_per_id.items())),
        "errors_per_type": dict(sorted(tally.errors_per_type.items())),
        "input_warnings": dict(sorted(tally.input_warnings.items())),
        "this_run": {
            "processed": stats.processed,
            "coded": stats.coded,
            "errors": stats.errors,
            "skipped_already_done": stats.skipped_done,
            "repaired_torn_line": stats.repaired_torn_line,
            "worker_deaths": stats.worker_deaths,
            "timed_out_chunks": stats.timed_out_chunks,
            "retried_records": stats.retried_records,
            "recycled_pools": stats.recycled_pools,
            "seconds": round(stats.seconds, 3),
            "notes_per_second": round(rate, 2),
        },
    }


def render_summary(summary: dict[str, Any]) -> str:
    """The end-of-run report for a terminal: counts only, never note text."""
    run = summary["this_run"]
    out = [
        f"facetcode batch: {run['processed']} records this run in {run['seconds']:.1f}s "
        f"({run['notes_per_second']:.1f} notes/s), {run['skipped_already_done']} already done; "
        f"output holds {summary['records']} ({summary['coded']} coded, {summary['errors']} errors)",
    ]
    if run["worker_deaths"] or run["timed_out_chunks"]:
        out.append(
            f"worker processes died: {run['worker_deaths']}, stopped past the record timeout: "
            f"{run['timed_out_chunks']} (records retried: {run['retried_records']})"
        )
    for title, key in (
        ("claim lines per code", "lines_per_code"),
        ("warnings per id", "warnings_per_id"),
        ("errors per type", "errors_per_type"),
        ("input warnings", "input_warnings"),
    ):
        counts = summary[key]
        if counts:
            out.append(f"{title}:")
            width = max(len(name) for name in counts)
            out.extend(f"  {name:<{width}}  {count}" for name, count in counts.items())
    return "\n".join(out)


def write_summary(path: str, summary: dict[str, Any]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
        handle.write("\n")
