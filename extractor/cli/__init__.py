"""``facetcode``: one sub-command per module, each with ``register(subparsers)``.

Sub-command modules are imported only to build the parser; their heavy imports happen when the
command runs. Typed errors become a one-line message on stderr and their own exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import FacetCoderError

SUBCOMMANDS = ["code", "audit", "batch", "eval", "serve", "schema"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facetcode",
        description="Code spinal facet procedure notes to CPT claim lines with evidence and warnings.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"{__name__}.{name}_command")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.run(args)
    except FacetCoderError as error:
        print(f"facetcode: {error.code}: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return 0
    return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
