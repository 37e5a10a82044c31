"""``facetcode batch INPUT -o OUT.jsonl``: code a whole archive on every core, resumably."""

from __future__ import annotations

import argparse
import importlib
import signal
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="code a folder of .txt notes, a JSONL or a CSV file into a JSONL file",
        description="Code every note of INPUT into OUT (one JSON line per record, written as results "
        "arrive). INPUT is a folder of .txt notes (recursive; id = relative path without .txt), "
        'a .jsonl file ({"id", "text"} per line) or a .csv file with id and text columns.',
    )
    parser.add_argument("input", metavar="INPUT", help="folder of .txt notes, .jsonl file or .csv file")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.jsonl", help="output JSONL file")
    parser.add_argument(
        "--workers", type=_positive, default=None, help="worker processes (default: all cores)"
    )
    parser.add_argument("--payer", default="medicare", help="profile name or profile file (default medicare)")
    parser.add_argument(
        "--resume", action="store_true", help="skip ids already in OUT (repairs a torn last line)"
    )
    parser.add_argument("--overwrite", action="store_true", help="empty OUT first if it holds results")
    parser.add_argument("--summary", metavar="SUMMARY.json", help="write the end-of-run counts as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress and no end-of-run report")
    parser.add_argument("--id-field", default="id", help="JSONL field / CSV column of the id (default id)")
    parser.add_argument(
        "--text-field", default="text", help="JSONL field / CSV column of the note (default text)"
    )
    parser.add_argument("--chunk-size", type=_positive, default=8, help="records sent to a worker at once")
    parser.add_argument(
        "--recycle-after",
        type=int,
        default=20_000,
        metavar="N",
        help="start fresh workers after N records, keeping memory bounded (0: never; default 20000)",
    )
    parser.add_argument(
        "--record-timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="stop a worker still coding after SECONDS per record and retry its records one by one; "
        "a record that runs over again gets a TIMEOUT line (0: no limit; default 60)",
    )
    parser.add_argument("--coder", default=None, help=argparse.SUPPRESS)  # module:function, for tests
    parser.set_defaults(run=run)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _load_coder(reference: str | None):
    if not reference:
        return None
    module_name, _, function_name = reference.partition(":")
    return getattr(importlib.import_module(module_name), function_name)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def run(args: argparse.Namespace) -> int:
    from ..batch import BatchOptions, render_summary, run_batch, write_summary

    options = BatchOptions(
        payer=args.payer,
        workers=args.workers,
        chunk_size=args.chunk_size,
        recycle_after=args.recycle_after or None,
        record_timeout=args.record_timeout or None,
        resume=args.resume,
        overwrite=args.overwrite,
        id_field=args.id_field,
        text_field=args.text_field,
        coder=_load_coder(args.coder),
        quiet=args.quiet,
    )
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        summary = run_batch(args.input, args.output, options)
    except KeyboardInterrupt:
        print(
            f"facetcode batch: interrupted; {args.output} keeps the records done so far: rerun with --resume",
            file=sys.stderr,
        )
        return 130
    if args.summary:
        write_summary(args.summary, summary)
    if not args.quiet:
        print(render_summary(summary))
    return 0
