"""The FastAPI app: ``create_app(settings)`` builds one per worker, warmed at start-up.

Every error leaves as ``{"error": {"type", "message"}}`` with the status of its typed error;
no response carries a stack trace and no log line carries note text (see ``guards``).
"""

from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRouter
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import FacetCoderError
from ..models import SCHEMA_VERSION, CodingResult
from ..note_input import check_note
from .guards import AccessLogAndShield, BodyLimit
from .pipeline import AuditFunction, CodeFunction, Pipeline, builtin_payers, check_payer_name
from .schemas import AuditRequest, CodeRequest, ErrorBody, Health
from .settings import ServiceSettings

STATIC = resources.files("extractor.service") / "static"
_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in [
        (400, "Malformed JSON"),
        (401, "Missing or wrong API key"),
        (413, "Note over the size limit"),
        (422, "Empty note, unknown payer, unreadable input or invalid fields"),
    ]
}


class Unauthorized(FacetCoderError):
    code = "UNAUTHORIZED"
    http_status = 401

    def __init__(self) -> None:
        super().__init__(
            "A valid API key is required: send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'."
        )


def _error_response(status: int, error_type: str, message: str, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": {"type": error_type, "message": message, **extra}}, status, headers=headers)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors without ``input`` and ``ctx``: both can echo the note back."""
    return [
        {"loc": list(error.get("loc", ())), "msg": error.get("msg", ""), "type": error.get("type", "")}
        for error in exc.errors()
    ]


def _describe_fields(fields: list[dict[str, Any]]) -> str:
    parts = []
    for field in fields:
        where = ".".join(str(part) for part in field["loc"] if part != "body") or "body"
        parts.append(f"{where}: {field['msg']}")
    return "Invalid request: " + "; ".join(parts) + "."


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(FacetCoderError)
    async def typed_error(_: Request, exc: FacetCoderError) -> JSONResponse:
        return _error_response(exc.http_status, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _field_errors(exc)
        if any(field["type"] == "json_invalid" for field in fields):
            return _error_response(400, "MALFORMED_JSON", "The request body is not valid JSON.")
        return _error_response(422, "INVALID_REQUEST", _describe_fields(fields), fields=fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        error_type = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}.get(exc.status_code, "HTTP_ERROR")
        return _error_response(exc.status_code, error_type, str(exc.detail))


def _static_page(name: str) -> Response:
    return Response((STATIC / name).read_bytes(), media_type="text/html; charset=utf-8")


def create_app(
    settings: ServiceSettings | None = None,
    *,
    code: CodeFunction | None = None,
    audit: AuditFunction | None = None,
) -> FastAPI:
    """Build the ASGI app. ``code``/``audit`` default to ``code_note``/``audit_claim``."""
    settings = settings or ServiceSettings()
    settings.check_binding()
    pipeline = Pipeline(code, audit)
    payers = builtin_payers()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.warm_up:
            pipeline.warm_up()
        yield

    app = FastAPI(
        title="facet-coder",
        version=SCHEMA_VERSION,
        summary="Codes spinal facet procedure notes to CPT claim lines with evidence and warnings.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pipeline = pipeline
    _install_error_handlers(app)

    def require_api_key(request: Request) -> None:
        if not settings.api_key:
            return
        given = request.headers.get("x-api-key", "")
        authorization = request.headers.get("authorization", "")
        if not given and authorization.lower().startswith("bearer "):
            given = authorization[7:].strip()
        if not secrets.compare_digest(given.encode(), settings.api_key.encode()):
            raise Unauthorized()

    api = APIRouter(prefix="/v1", dependencies=[Depends(require_api_key)], responses=_ERROR_RESPONSES)

    @api.post(
        "/code",
        summary="Code a note",
        responses={
            200: {"model": CodingResult, "description": "The CodingResult (json) or a FHIR R4B Bundle (fhir)"}
        },
    )
    def code_endpoint(body: CodeRequest) -> Response:
        """Code one note: the same JSON as code_note returns (or, with format fhir, a FHIR R4B Bundle)."""
        check_note(body.text, settings.max_chars)
        payer = check_payer_name(body.payer, payers)
        result = pipeline.code(body.text, payer, max_chars=settings.max_chars)
        if body.format == "fhir":
            from ..render.fhir_output import render_fhir

            return Response(render_fhir(result), media_type="application/fhir+json")
        return Response(result.model_dump_json(by_alias=True), media_type="application/json")

    audit_model = _audit_model()
    audit_responses: dict[int | str, dict[str, Any]] | None = (
        {200: {"model": audit_model, "description": "The AuditResult"}} if audit_model else None
    )

    @api.post("/audit", summary="Audit a claim", responses=audit_responses)
    def audit_endpoint(body: AuditRequest) -> Response:
        """Check a claim ("64493-50-KX, 64494-50-KX", or a list of lines) against the note."""
        check_note(body.text, settings.max_chars)
        payer = check_payer_name(body.payer, payers)
        claim = body.claim if isinstance(body.claim, str) else [line.model_dump() for line in body.claim]
        result = pipeline.audit(body.text, claim, payer, max_chars=settings.max_chars)
        return Response(result.model_dump_json(by_alias=True), media_type="application/json")

    @api.get("/schema", summary="JSON Schema of the results")
    def schema_endpoint(model: Literal["coding", "audit"] = Query("coding")) -> JSONResponse:
        """The JSON Schema of the CodingResult (or, with model=audit, of the AuditResult)."""
        schema_model = CodingResult if model == "coding" else audit_model or _audit_model()
        if schema_model is None:
            raise StarletteHTTPException(404, "The audit schema is not available in this build.")
        return JSONResponse(schema_model.model_json_schema(by_alias=True))

    app.include_router(api)

    @app.get("/healthz", summary="Health and settings", response_model=Health)
    def healthz() -> Health:
        return Health(
            status="ok",
            schema_version=SCHEMA_VERSION,
            warm=pipeline.warm_seconds is not None,
            auth_required=bool(settings.api_key),
            max_chars=settings.max_chars,
            payers=payers,
        )

    @app.get("/", include_in_schema=False)
    def coder_page() -> Response:
        return _static_page("index.html")

    @app.get("/docs", include_in_schema=False)
    def docs_page() -> Response:
        return _static_page("docs.html")

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    # add_middleware wraps outward: BodyLimit runs inside the shield, so a 413 is logged too.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, max_chars=settings.max_chars)
    app.add_middleware(AccessLogAndShield)
    return app


def _audit_model() -> Any:
    try:
        from ..audit import AuditResult
    except ImportError:
        return None
    return AuditResult


def create_app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` (one call per worker): settings from ``FACETCODE_*``."""
    return create_app(ServiceSettings.from_env())
