"""Errors as ``application/problem+json`` (RFC 9457), with the fields and rules at fault:
``{"type", "title", "status", "detail", "errors": [{"field", "rule", "message"}]}``."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    415: "Unsupported media type",
    422: "Refused",
    424: "Not applied",
    429: "Too many requests",
}


class Problem(Exception):
    """An answer other than success, raised anywhere in an operation."""

    def __init__(self, status: int, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []

    def as_dict(self) -> dict:
        return {
            "type": "about:blank",
            "title": TITLES.get(self.status, "Error"),
            "status": self.status,
            "detail": self.detail,
            "errors": self.errors,
        }


def problem_response(problem: Problem, headers: dict | None = None) -> Response:
    return Response(
        problem.as_dict(), status=problem.status, headers=headers, content_type=PROBLEM_JSON
    )


def refused(errors: list[dict], detail: str | None = None) -> Problem:
    messages = " ".join(e["message"] for e in errors)
    return Problem(422, detail or messages or "The request was refused.", errors)


def from_django(error: DjangoValidationError, fields: dict[str, str] | None = None) -> Problem:
    """A service's ValidationError (a date rule, a field, a closed record) as a 422 problem; the
    rule is the date rule's code (``children.date_rules``) where there is one. ``fields`` maps
    the model's field names to the API's (``date_of_birth`` -> ``dob``)."""
    fields = fields or {}
    errors = []
    if hasattr(error, "error_dict"):
        for name, items in error.error_dict.items():
            field = None if name == NON_FIELD_ERRORS else fields.get(name, name)
            for item in items:
                errors.append(_item(field, item))
    else:
        errors = [_item(None, item) for item in error.error_list]
    return refused(errors)


def _item(field: str | None, error: DjangoValidationError) -> dict:
    message = error.message % error.params if error.params else error.message
    return {"field": field, "rule": error.code or "invalid", "message": str(message)}


def from_drf_detail(detail, prefix: str = "") -> list[dict]:
    """A serializer's errors, flattened: one item per message, the field as a dotted path."""
    errors: list[dict] = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            field = prefix if name == "non_field_errors" else f"{prefix}{name}"
            errors += from_drf_detail(value, f"{field}." if field else "")
    elif isinstance(detail, list):
        for number, value in enumerate(detail):
            if isinstance(value, dict | list):
                errors += from_drf_detail(value, f"{prefix}{number}.")
            else:
                errors += from_drf_detail(value, prefix)
    else:
        errors.append(
            {
                "field": prefix.rstrip(".") or None,
                "rule": getattr(detail, "code", None) or "invalid",
                "message": str(detail),
            }
        )
    return errors


def exception_handler(exc, context):
    """DRF's exception handler, answering every error as a problem."""
    if isinstance(exc, Problem):
        return problem_response(exc)
    if isinstance(exc, DjangoValidationError):
        return problem_response(from_django(exc))
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(refused(from_drf_detail(exc.detail), "The body is not valid."))
    if isinstance(exc, exceptions.ParseError):
        return problem_response(Problem(422, f"The body is not valid JSON: {exc.detail}"))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    problem = Problem(response.status_code, str(detail))
    headers = {
        name: response[name]
        for name in ("WWW-Authenticate", "Retry-After", "Allow")
        if name in response
    }
    return problem_response(problem, headers)
