"""Spark backend: code a DataFrame of notes on a cluster with ``mapInPandas``.

``code_notes(df)`` returns one row per input row: ``id``, ``lines`` (code, modifiers, units),
``warnings`` (id, severity, message), ``result_json`` (the whole CodingResult, the same JSON as
the CLI and the batch output) and ``error`` (``"TYPE: message"``, null when coded; when it is
set, ``lines``, ``warnings`` and ``result_json`` are null).

The function shipped to the executors is a ``functools.partial`` of a function of this module,
so it pickles by name: the pipeline is never pickled from the driver. Each Python worker builds
it once, lazily, on its first batch, and keeps it in a module-level cache (Spark reuses Python
workers across tasks). pyspark is imported here only, and only inside ``code_notes``.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .errors import EmptyNote, FacetCoderError, UnreadableInput

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pyspark.sql import DataFrame

# coder reference -> callable, per Python worker process (never filled on the driver by code_notes)
_CODERS: dict[str | None, Callable[..., Any]] = {}


def code_notes(
    df: DataFrame,
    text_col: str = "text",
    id_col: str = "id",
    payer: str = "medicare",
    *,
    coder: str | None = None,
) -> DataFrame:
    """Code every note of ``df[text_col]``; ``id`` keeps the type of ``df[id_col]``.

    ``coder`` is an optional ``"module:function"`` to use instead of ``extractor.code_note``
    (it must be importable on the executors); a row whose note cannot be coded gets ``error``.
    """
    from pyspark.sql import functions as F

    if coder is None:  # an unknown payer fails here, not once per row on the executors
        from .coding import load_profile

        load_profile(payer)
    notes = df.select(F.col(id_col).alias("id"), F.col(text_col).alias("text"))
    schema = result_schema(df.schema[id_col].dataType)
    return notes.mapInPandas(functools.partial(code_batches, payer=payer, coder=coder), schema)


def result_schema(id_type: Any) -> Any:
    """The StructType of ``code_notes``' result, with ``id`` of the input id column's type."""
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    def strings(*names: str) -> list[StructField]:
        return [StructField(name, StringType(), True) for name in names]

    claim_line = StructType(
        [
            *strings("code"),
            StructField("modifiers", ArrayType(StringType()), True),
            StructField("units", IntegerType()),
        ]
    )
    warning = StructType(strings("id", "severity", "message"))
    return StructType(
        [
            StructField("id", id_type, True),
            StructField("lines", ArrayType(claim_line), True),
            StructField("warnings", ArrayType(warning), True),
            *strings("result_json", "error"),
        ]
    )


def worker_coder(coder: str | None = None) -> Callable[..., Any]:
    """The coder of this process, built on first use: for the default, the pipeline is loaded once."""
    cached = _CODERS.get(coder)
    if cached is not None:
        return cached
    if coder is None:
        from . import load_pipeline
        from .api import code_note

        load_pipeline()
        function: Callable[..., Any] = code_note
    else:
        module_name, _, function_name = coder.partition(":")
        function = getattr(importlib.import_module(module_name), function_name)
    _CODERS[coder] = function
    return function


def code_batches(
    batches: Iterator[pd.DataFrame], *, payer: str = "medicare", coder: str | None = None
) -> Iterator[pd.DataFrame]:
    """The ``mapInPandas`` function: (id, text) frames in, result frames out."""
    import pandas as pd

    code = worker_coder(coder)
    for frame in batches:
        rows = [code_row(code, text, payer) for text in frame["text"]]
        yield pd.DataFrame(
            {
                "id": frame["id"].to_numpy(),
                "lines": [row[0] for row in rows],
                "warnings": [row[1] for row in rows],
                "result_json": pd.Series([row[2] for row in rows], dtype=object),
                "error": pd.Series([row[3] for row in rows], dtype=object),
            }
        )


def code_row(code: Callable[..., Any], text: object, payer: str) -> tuple[Any, Any, str | None, str | None]:
    """(lines, warnings, result_json, error) for one note; never raises. An error row has null lines."""
    try:
        if isinstance(text, (bytes, bytearray, memoryview)):  # a binary column: decode as the CLI does
            from .batch.sources import decode_with_fallback

            text, _ = decode_with_fallback(bytes(text))
        if not isinstance(text, str):
            if _is_null(text):
                raise EmptyNote("The text column is null.")
            raise UnreadableInput(f"The note must be text, not {type(text).__name__}.")
        result = code(text, payer=payer)
        lines = [
            {"code": line.code, "modifiers": list(line.modifiers), "units": int(line.units)}
            for line in result.lines
        ]
        warnings = [
            {"id": warning.id, "severity": warning.severity, "message": warning.message}
            for warning in result.warnings
        ]
        return lines, warnings, result.model_dump_json(by_alias=True), None
    except FacetCoderError as error:
        return None, None, None, f"{error.code}: {error}"
    except Exception as error:  # noqa: BLE001 - one bad note must not fail the Spark task
        return None, None, None, f"INTERNAL_ERROR: {type(error).__name__}: {error}"


def _is_null(value: object) -> bool:
    """None, NaN or pandas.NA: how pandas hands a null string cell over."""
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
