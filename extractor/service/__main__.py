"""``python -m extractor.service``: the same as ``facetcode serve`` (same flags)."""

from __future__ import annotations

import argparse
import sys

from ..cli.serve_command import register
from ..errors import FacetCoderError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractor.service")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve", *(sys.argv[1:] if argv is None else argv)])
    try:
        return args.run(args)
    except FacetCoderError as error:
        print(f"facetcode serve: {error.code}: {error}", file=sys.stderr)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())
