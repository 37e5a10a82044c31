"""Logging for ``facetcode serve``: uvicorn's own access log is off (it prints the query
string); ``facetcode.access`` logs method, path, status and time, nothing from the body."""

from __future__ import annotations

from typing import Any


def log_config(level: str = "info") -> dict[str, Any]:
    level = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        },
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "facetcode": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }
