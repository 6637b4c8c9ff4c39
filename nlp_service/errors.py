"""The catalogue of errors a caller can meet, with codes and advice.

Every error the library raises on bad input is an :class:`InputError` with a
stable ``code``; the API turns it into ``application/problem+json``
(RFC 9457) with ``status`` from this catalogue, the CLI into a message and
exit status 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class ErrorKind:
    """One entry of the catalogue."""

    code: str
    status: int
    title: str
    advice: str


class ErrorCode(Enum):
    """Known input errors, each with HTTP status and what to do about it."""

    EMPTY_TEXT = ErrorKind(
        "empty_text", 422, "Empty text", "Send the article's text; it was empty or whitespace only."
    )
    NOT_UTF8 = ErrorKind(
        "not_utf8", 400, "Text is not UTF-8",
        "Encode the text as UTF-8 (convert GBK/GB18030 files first, e.g. `iconv -f gb18030 -t utf-8`).",
    )
    TOO_LARGE = ErrorKind(
        "too_large", 413, "Text too large",
        "Split the input into articles under the size limit, or raise NLPS_MAX_INPUT_BYTES.",
    )
    NO_CHINESE = ErrorKind(
        "no_chinese", 422, "No Chinese text",
        "This service analyses Chinese text; the input contains no Chinese characters.",
    )
    INVALID_JSON = ErrorKind(
        "invalid_json", 400, "Malformed JSON", "Send a JSON object such as {\"text\": \"...\"}."
    )
    INVALID_REQUEST = ErrorKind(
        "invalid_request", 422, "Invalid request",
        "Send {\"text\": str, \"id\"?: str, \"title\"?: str, \"published\"?: \"YYYY-MM-DD\"}.",
    )
    INVALID_PARAMETER = ErrorKind(
        "invalid_parameter", 422, "Invalid parameter",
        "Check the query parameters against the API reference (docs/api.md).",
    )
    UNSUPPORTED_MEDIA_TYPE = ErrorKind(
        "unsupported_media_type", 415, "Unsupported media type",
        "Send Content-Type application/json or text/plain; charset=utf-8.",
    )

    @property
    def kind(self) -> ErrorKind:
        """The catalogue entry."""
        return self.value


class InputError(ValueError):
    """Raised for input the service cannot analyse; carries a catalogue code."""

    def __init__(self, code: ErrorCode, detail: str | None = None) -> None:
        self.code = code
        self.detail = detail or code.kind.advice
        super().__init__(f"{code.kind.code}: {self.detail}")
