"""``facetcode schema``: print the JSON Schema of CodingResult (the public contract)."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schema", help="print the JSON Schema of the result")
    parser.add_argument("--model", choices=["coding", "audit"], default="coding")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.model == "audit":
        from ..audit import AuditResult as model
    else:
        from ..models import CodingResult as model
    print(json.dumps(model.model_json_schema(by_alias=True), indent=2))
    return 0
