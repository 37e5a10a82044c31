"""The canonical JSON of a result: the same bytes from CLI, HTTP, batch and Spark."""

from __future__ import annotations

from pydantic import BaseModel


def render_json(result: BaseModel, indent: int | None = 2) -> str:
    return result.model_dump_json(indent=indent, by_alias=True)
