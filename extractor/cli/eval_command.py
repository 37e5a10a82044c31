"""``facetcode eval DIR``: per-field precision/recall/F1 and claim exact match against gold."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import FacetCoderError


class CorpusNotFound(FacetCoderError):
    code = "CORPUS_NOT_FOUND"
    exit_code = 9


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="score the extractor and coder against a gold corpus folder")
    parser.add_argument(
        "folder", help="folder of <id>.txt notes with <id>.gold.json annotations (searched recursively)"
    )
    parser.add_argument("--payer", default="medicare")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--no-misses", action="store_true", help="print only the scores")
    parser.add_argument(
        "--check-gold",
        action="store_true",
        help="only check that each gold file's facts code to its own lines and warnings (exit 1 if not)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..api import code_note
    from ..evaluation import evaluate, format_report

    folder = Path(args.folder)
    if not folder.is_dir():
        raise CorpusNotFound(f"No such folder: {args.folder}")
    if args.check_gold:
        return _check_gold(folder, args)
    report = evaluate(folder, lambda text, payer: code_note(text, payer=payer), payer=args.payer)
    if report.notes == 0 and not report.errors:
        raise CorpusNotFound(f"No <id>.txt + <id>.gold.json pairs under {args.folder}")
    if args.format == "json":
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(format_report(report, show_misses=not args.no_misses))
    return 0


def _check_gold(folder: Path, args: argparse.Namespace) -> int:
    from ..evaluation import load_gold
    from ..gold_check import check_gold, format_conflicts

    pairs = load_gold(folder)
    if not pairs:
        raise CorpusNotFound(f"No <id>.txt + <id>.gold.json pairs under {args.folder}")
    conflicts = check_gold(pairs, payer=args.payer)
    print(format_conflicts(conflicts, len(pairs)))
    return 1 if conflicts else 0
