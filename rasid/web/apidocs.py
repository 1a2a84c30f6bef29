"""The API documentation page at /api/docs, rendered on the server from the OpenAPI document.

Swagger UI and ReDoc load their scripts from a CDN; Rasid must work air-gapped, so the same
document (served at /api/openapi.json) is shown as plain HTML in Rasid's own page instead.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from markupsafe import Markup, escape
from starlette.responses import Response

from rasid.web.render import render

router = APIRouter(include_in_schema=False)

METHODS = ("get", "post", "put", "patch", "delete")
_CODE = re.compile(r"`([^`]+)`")


@dataclass
class Param:
    """A parameter of an operation."""

    name: str
    where: str
    type: str
    required: bool
    description: str


@dataclass
class Operation:
    """One method on one path."""

    method: str
    path: str
    summary: str
    paragraphs: list[str]
    params: list[Param]
    responses: list[tuple[str, str, str]]  # status, description, model


@dataclass
class Model:
    """A response model and its fields (name, type, required, description)."""

    name: str
    paragraphs: list[str]
    fields: list[tuple[str, str, bool, str]] = field(default_factory=list)


def inline_code(text: str) -> Markup:
    """Escape ``text`` and show `backticked` spans as code."""
    return Markup(_CODE.sub(r"<code>\1</code>", str(escape(text))))


def paragraphs(text: str | None) -> list[str]:
    """A docstring's paragraphs, each on one line."""
    return [" ".join(p.split()) for p in (text or "").split("\n\n") if p.strip()]


def type_name(schema: dict[str, Any]) -> str:
    """A short, readable name for a JSON schema (``list[EntityOut]``, ``string | null``)."""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_name(s) for s in schema["anyOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list[{type_name(schema.get('items', {}))}]"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"dict[string, {type_name(schema['additionalProperties'])}]"
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def _response_model(response: dict[str, Any]) -> str:
    content = response.get("content", {}).get("application/json", {})
    return type_name(content["schema"]) if "schema" in content else ""


def operation(method: str, path: str, spec: dict[str, Any]) -> Operation:
    """An operation from its OpenAPI description."""
    params = [
        Param(
            p["name"],
            p["in"],
            type_name(p.get("schema", {})),
            bool(p.get("required")),
            p.get("description") or p.get("schema", {}).get("description", ""),
        )
        for p in spec.get("parameters", [])
    ]
    responses = [
        (code, r.get("description", ""), _response_model(r))
        for code, r in spec.get("responses", {}).items()
    ]
    summary = spec.get("summary", "")
    return Operation(
        method.upper(), path, summary, paragraphs(spec.get("description")), params, responses
    )


def model_doc(name: str, schema: dict[str, Any]) -> Model:
    """A response model from its JSON schema."""
    required = set(schema.get("required", []))
    found = Model(name, paragraphs(schema.get("description")))
    for prop, spec in schema.get("properties", {}).items():
        found.fields.append((prop, type_name(spec), prop in required, spec.get("description", "")))
    return found


def document(openapi: dict[str, Any]) -> tuple[list[Operation], list[Model]]:
    """The operations and response models of an OpenAPI document."""
    ops = [
        operation(method, path, item[method])
        for path, item in openapi.get("paths", {}).items()
        for method in METHODS
        if method in item
    ]
    schemas = openapi.get("components", {}).get("schemas", {})
    models = [model_doc(n, s) for n, s in sorted(schemas.items()) if "Validation" not in n]
    return ops, models


@router.get("/api/docs", name="api_docs")
def api_docs(request: Request) -> Response:
    """The API documentation page."""
    spec = request.app.openapi()
    ops, models = document(spec)
    context = {
        "nav": "api",
        "info": spec.get("info", {}),
        "operations": ops,
        "models": models,
        "inline_code": inline_code,
    }
    return render(request, "apidocs.html", context)
