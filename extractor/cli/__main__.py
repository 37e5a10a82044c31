"""Allows `python -m extractor.cli`."""

import sys

from . import main

sys.exit(main())
