"""``facetcode code FILE|-``: code one note and print the result."""

from __future__ import annotations

import argparse
import importlib

from .note_source import read_note

# format name -> (module, function) rendering a CodingResult as a string
RENDERERS = {
    "json": ("extractor.render.json_output", "render_json"),
    "text": ("extractor.render.text_output", "render_text"),
    "fhir": ("extractor.render.fhir_output", "render_fhir"),
    "x12": ("extractor.render.x12_output", "render_x12"),
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("code", help="code one note (a file, or - for stdin)")
    parser.add_argument("note", help="path of a .txt note, or - to read stdin")
    parser.add_argument("--payer", default="medicare", help="profile name or profile file (default medicare)")
    parser.add_argument("--format", choices=sorted(RENDERERS), default="json")
    parser.set_defaults(run=run)


def render(result, fmt: str) -> str:
    module_name, function_name = RENDERERS[fmt]
    return getattr(importlib.import_module(module_name), function_name)(result)


def run(args: argparse.Namespace) -> int:
    from ..api import code_note

    result = code_note(read_note(args.note), payer=args.payer)
    print(render(result, args.format))
    return 0
