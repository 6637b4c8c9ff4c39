"""API keys for the routes that change the store (and, optionally, for reads).

``NLPS_API_KEYS`` holds keys separated by commas, each either the key itself or ``sha256:<hex>`` of it
(so that a deployment need not keep keys in clear). The process keeps only the sha256 digests and
compares the digest of a presented key with each in constant time (:func:`hmac.compare_digest`).
A request presents its key as ``Authorization: Bearer <key>``; the web form sends it as the field
``api_key``. With no keys set, every route is open (a loopback development server); ``nlp-service
serve`` warns when it listens beyond loopback without keys.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

WWW_AUTHENTICATE = {"WWW-Authenticate": 'Bearer realm="nlp_service"'}


class Unauthorized(Exception):
    """No key, or a key that is not one of the configured ones."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def digests(spec: str) -> tuple[bytes, ...]:
    """The sha256 digests of the keys in ``NLPS_API_KEYS`` (plain keys or ``sha256:<hex>``)."""
    out = []
    for item in (x.strip() for x in spec.split(",")):
        if not item:
            continue
        if item.lower().startswith("sha256:"):
            out.append(bytes.fromhex(item.split(":", 1)[1]))
        else:
            out.append(hashlib.sha256(item.encode("utf-8")).digest())
    return tuple(out)


def key_matches(presented: str | None, allowed: tuple[bytes, ...]) -> bool:
    """Whether ``presented`` is one of the keys (each digest compared, in constant time, whatever matches)."""
    if not presented:
        return False
    digest = hashlib.sha256(presented.encode("utf-8")).digest()
    found = False
    for d in allowed:
        found |= hmac.compare_digest(digest, d)
    return found


def bearer(request: Request) -> str | None:
    """The key of an ``Authorization: Bearer <key>`` header, or None."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def check(request: Request, presented: str | None = None) -> None:
    """Raise :class:`Unauthorized` unless keys are off or the request carries one of them."""
    allowed: tuple[bytes, ...] = request.app.state.api_key_digests
    if not allowed:
        return
    key = presented if presented is not None else bearer(request)
    if key is None:
        raise Unauthorized("This operation changes the store and needs an API key: send Authorization: Bearer <key>.")
    if not key_matches(key, allowed):
        raise Unauthorized("The API key is not valid.")


async def require_key(request: Request) -> None:
    """FastAPI dependency of the routes that write (and, with ``NLPS_API_KEYS_FOR_READS``, of the reads)."""
    check(request)


async def require_key_for_reads(request: Request) -> None:
    """FastAPI dependency of the read routes: a key only when ``NLPS_API_KEYS_FOR_READS`` is set."""
    if request.app.state.settings.api_keys_for_reads:
        check(request)
