"""The participation cookie: one random number per browser, set on page loads only, and a
hand-over to the next person at most once a minute."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from services.participant_cookie import (
    HANDOVER_EVERY_S,
    HANDOVER_NAME,
    HANDOVER_PATH,
    NAME,
    ParticipantCookie,
    new_token,
    token_in,
)


def in_own_loop(call: Any) -> None:
    """Run a coroutine in a thread of its own: a browser test before may have left an
    event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, call).result()


async def _page(scope: Any, receive: Any, send: Any) -> None:
    kind = b"image/png" if scope["path"].startswith("/tiles/") else b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", kind)]})
    await send({"type": "http.response.body", "body": b"ok"})


def request(
    middleware: ParticipantCookie, path: str, cookie: str = "", query: bytes = b""
) -> dict[str, Any]:
    """The response's status and headers for one GET through the middleware."""
    scope = {
        "type": "http",
        "path": path,
        "query_string": query,
        "scheme": "http",
        "headers": [(b"cookie", cookie.encode())] if cookie else [],
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        sent.append(message)

    in_own_loop(middleware(scope, receive, send))
    start = sent[0]
    return {"status": start["status"], "headers": start.get("headers", [])}


def cookies_set(response: dict[str, Any]) -> list[str]:
    return [value.decode() for key, value in response["headers"] if key == b"set-cookie"]


def test_a_page_load_without_a_number_gets_one_that_scripts_cannot_read() -> None:
    (cookie,) = cookies_set(request(ParticipantCookie(_page), "/karte"))
    value = cookie.split(";")[0].removeprefix(f"{NAME}=")
    assert token_in(f"{NAME}={value}") == value
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=43200" in cookie


def test_a_browser_keeps_its_number_and_tiles_never_set_one() -> None:
    middleware = ParticipantCookie(_page)
    mine = new_token()
    assert cookies_set(request(middleware, "/karte", cookie=f"other=1; {NAME}={mine}")) == []
    assert cookies_set(request(middleware, "/tiles/15/1/1.png")) == []


def test_a_forged_or_broken_number_is_not_taken() -> None:
    assert token_in(f"{NAME}=abc") is None
    assert token_in(f'{NAME}="<script>"') is None
    assert token_in("this is ; not = a \x00 cookie") is None
    middleware = ParticipantCookie(_page)
    assert len(cookies_set(request(middleware, "/karte", cookie=f"{NAME}=1234"))) == 1


def test_handing_over_gives_a_new_number_and_marks_the_browser_for_a_minute() -> None:
    middleware = ParticipantCookie(_page)
    mine = f"{NAME}={new_token()}"
    first = request(middleware, HANDOVER_PATH, cookie=mine, query=b"code=K7M3QX")
    assert first["status"] == 303
    assert dict(first["headers"])[b"location"] == b"/?code=K7M3QX"
    number, mark = cookies_set(first)
    assert number.startswith(f"{NAME}=") and number.split(";")[0] != mine
    assert mark.startswith(f"{HANDOVER_NAME}=1;") and f"Max-Age={HANDOVER_EVERY_S}" in mark
    # The new number, handed on again while the mark lasts: refused, and said so.
    again_cookies = f"{number.split(';')[0]}; {mark.split(';')[0]}"
    again = request(middleware, HANDOVER_PATH, cookie=again_cookies, query=b"code=K7M3QX")
    assert cookies_set(again) == []
    assert dict(again["headers"])[b"location"] == b"/?code=K7M3QX&weitergegeben=zu-frueh"
    # Once the browser dropped the mark (after a minute), it may hand on again.
    assert len(cookies_set(request(middleware, HANDOVER_PATH, cookie=number.split(";")[0]))) == 2


def test_a_hand_over_leads_only_to_the_apps_own_map() -> None:
    middleware = ParticipantCookie(_page)
    for query in (b"code=//evil.example", b"code=https://evil.example", b"code=%0d%0aX: 1"):
        response = request(middleware, HANDOVER_PATH, query=query)
        assert dict(response["headers"])[b"location"] == b"/"
