"""The route that turns a fresh staff login into an HttpOnly cookie."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from services.staff_cookie import KEEP_PATH, NAME, keep_login
from tests.services.test_participant_cookie import in_own_loop


def post(body: bytes, origin: str | None = "http://127.0.0.1:8501") -> Response:
    headers = [(b"host", b"127.0.0.1:8501")]
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    scope = {
        "type": "http",
        "method": "POST",
        "path": KEEP_PATH,
        "scheme": "http",
        "headers": headers,
        "query_string": b"",
    }
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    answered: list[Response] = []

    async def call() -> None:
        answered.append(await keep_login(Request(scope, receive)))

    in_own_loop(call())
    return answered[0]


def test_a_token_from_the_apps_own_page_becomes_a_cookie_no_script_can_read() -> None:
    token = secrets.token_urlsafe(32)
    response = post(token.encode())
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{NAME}={token};")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie


def test_another_site_or_a_malformed_token_sets_nothing() -> None:
    token = secrets.token_urlsafe(32).encode()
    for response in (
        post(token, origin="https://elsewhere.example"),
        post(token, origin=None),
        post(b"not a token; Path=/"),
    ):
        assert response.status_code == 400
        assert "set-cookie" not in response.headers
