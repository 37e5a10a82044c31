"""Request bodies of the HTTP API (the responses are ``CodingResult`` and ``AuditResult``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CodeRequest(_Request):
    text: str = Field(description="The procedure note, as plain text.")
    payer: str = Field(default="medicare", description="Built-in payer profile: medicare, commercial, rt_lt.")
    format: Literal["json", "fhir"] = Field(
        default="json", description="json: the CodingResult; fhir: a FHIR R4B Bundle."
    )


class ClaimLineIn(_Request):
    code: str = Field(max_length=16)
    modifiers: list[str] = Field(default_factory=list, max_length=8)
    units: int = Field(default=1, ge=1)


ClaimText = Annotated[str, Field(max_length=10_000)]
ClaimLines = Annotated[list[ClaimLineIn], Field(max_length=100)]


class AuditRequest(_Request):
    text: str = Field(description="The procedure note, as plain text.")
    claim: ClaimText | ClaimLines = Field(
        description='The claim: "64493-50-KX, 64494-50-KX x1", or a list of {code, modifiers, units}.'
    )
    payer: str = Field(default="medicare", description="Built-in payer profile: medicare, commercial, rt_lt.")


class ErrorDetail(BaseModel):
    type: str = Field(description="Machine-readable id, e.g. NOTE_TOO_LARGE, EMPTY_NOTE, UNKNOWN_PAYER.")
    message: str = Field(description="What is wrong, for a person.")
    fields: list[dict] | None = Field(default=None, description="For INVALID_REQUEST: the fields at fault.")


class ErrorBody(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok"]
    schema_version: str
    warm: bool
    auth_required: bool
    max_chars: int
    payers: list[str]
