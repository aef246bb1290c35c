"""The optional API key: when the settings hold one, /v1 routes need it in `X-API-Key`, compared in
constant time so that response timing says nothing about how much of a guess was right."""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyHeader

_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Needed when the server sets an API key.")


def require_api_key(request: Request, given: str | None = Security(_header)) -> None:
    """Dependency of the /v1 routes: 401 unless the key matches (or none is configured)."""
    expected = request.app.state.settings.api_key
    if expected is None:
        return
    if given is None or not hmac.compare_digest(given.encode("utf-8"), expected.get_secret_value().encode("utf-8")):
        raise HTTPException(status_code=401, detail="missing or wrong API key (send it in the X-API-Key header)",
                            headers={"WWW-Authenticate": "APIKey"})
