"""``facetcode audit NOTE --claim "..." | --claim-file FILE``: check a claim against the note.

Exit status 0 when no finding has severity error, 1 otherwise, so a script can gate a claim on
it; bad input gives the typed errors' own statuses.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..errors import InvalidClaim
from .note_source import InputNotFound, read_note

FORMATS = ("json", "text")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="check a claim someone else coded against the note",
        description="Check a claim against what the note supports. Exit 0: no error finding; 1: errors.",
    )
    parser.add_argument("note", help="path of a .txt note, or - to read stdin")
    claim = parser.add_mutually_exclusive_group(required=True)
    claim.add_argument("--claim", help='claim lines, e.g. "64493-50-KX, 64494-50-KX x1"')
    claim.add_argument(
        "--claim-file",
        help='a .json file (a list of {code, modifiers, units}, or {"lines": [...]}) or a text file of lines',
    )
    parser.add_argument("--payer", default="medicare", help="profile name or profile file (default medicare)")
    parser.add_argument("--format", choices=FORMATS, default="json")
    parser.set_defaults(run=run)


def read_claim_file(source: str) -> Any:
    """A claim from a file: JSON (list of lines, or an object with ``lines``) or plain claim text."""
    path = Path(source)
    if not path.is_file():
        raise InputNotFound(f"No such claim file: {source}")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() != ".json":
        return text
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidClaim(f"The claim file is not valid JSON (line {error.lineno}: {error.msg}).") from None
    if isinstance(data, dict):
        if "lines" not in data:
            raise InvalidClaim('A JSON claim file holds a list of lines or an object with "lines".')
        data = data["lines"]
    return data


def run(args: argparse.Namespace) -> int:
    from ..audit import audit_claim

    claim = args.claim if args.claim is not None else read_claim_file(args.claim_file)
    audit = audit_claim(read_note(args.note), claim, payer=args.payer)
    if args.format == "text":
        from ..audit.text_output import render_text

        print(render_text(audit), end="")
    else:
        print(audit.model_dump_json(indent=2, by_alias=True))
    return 1 if audit.has_errors else 0
