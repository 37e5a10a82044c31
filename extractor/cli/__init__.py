"""``facetcode``: one sub-command per module, each with ``register(subparsers)``.

Sub-command modules are imported only to build the parser; their heavy imports happen when the
command runs. Typed errors become a one-line message on stderr and their own exit status; any
other exception (a bug) becomes a one-line ``INTERNAL_ERROR`` with its type and frames but not
its message, which may quote the note, and exit status 70.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from pathlib import Path

from ..errors import FacetCoderError

SUBCOMMANDS = ["code", "audit", "batch", "eval", "serve", "schema"]
INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE; not 1, which ``audit`` uses for "the claim has errors"


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
    except Exception as error:  # noqa: BLE001 - a bug: report it without its message (note text)
        print(f"facetcode: INTERNAL_ERROR: {describe_bug(error)}", file=sys.stderr)
        return INTERNAL_ERROR_EXIT
    return int(status or 0)


def describe_bug(error: BaseException) -> str:
    """The exception type and where it was raised, innermost frame first; never its message."""
    frames = traceback.extract_tb(error.__traceback__)[::-1][:6]
    where = " <- ".join(f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" for frame in frames)
    return f"{type(error).__module__}.{type(error).__qualname__} at {where or 'unknown'}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
