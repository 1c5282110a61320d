"""OpenAPI helpers: the error codes an endpoint can answer with, documented on the endpoint itself."""

from collections.abc import Iterable

from drf_spectacular.utils import OpenApiExample, OpenApiResponse

ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every refusal: a stable code, a message for people, and details some codes carry.",
    "properties": {
        "code": {"type": "string", "description": "Stable error code (listed in the response's description)."},
        "detail": {"type": "string", "description": "A message a person understands (Chinese by default)."},
        "fields": {"type": "object", "description": "Per-field problems, with code `invalid`."},
        "problems": {"type": "array", "items": {}, "description": "The list of problems, where a code carries one."},
    },
    "required": ["code", "detail"],
}


STATUS_TEXT = {400: "Refused", 403: "Not permitted", 404: "Not found", 409: "Conflict", 429: "Too many requests"}


def error_responses(*codes: str, status: int = 400) -> dict[int, OpenApiResponse]:
    """`{status: OpenApiResponse}` naming `codes`, for `extend_schema(responses={200: ..., **error_responses(...)})`."""
    names = sorted({str(code) for code in codes})
    description = f"{STATUS_TEXT.get(status, 'Error')}: `code` is one of " + ", ".join(f"`{n}`" for n in names)
    examples = [OpenApiExample(name, value={"code": name, "detail": "…"}, response_only=True, status_codes=[status])
                for name in names]
    return {status: OpenApiResponse(response=ERROR_SCHEMA, description=description, examples=examples)}


def merge_error_responses(*groups: Iterable[tuple[int, str]]) -> dict[int, OpenApiResponse]:
    """Several statuses at once: `merge_error_responses([(400, A), (409, B), (400, C)])`."""
    by_status: dict[int, list[str]] = {}
    for group in groups:
        for status, code in group:
            by_status.setdefault(status, []).append(code)
    merged: dict[int, OpenApiResponse] = {}
    for status, codes in by_status.items():
        merged.update(error_responses(*codes, status=status))
    return merged
