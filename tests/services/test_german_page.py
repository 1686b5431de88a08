"""The app's page leaves the server German: lang="de" and the translating script."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from services.german_page import SCRIPT, GermanPage, germanised

PAGE = b'<!doctype html><html lang="en"><head><title>x</title></head><body></body></html>'


def in_own_loop(call: Any) -> None:
    """Run a coroutine in a thread of its own: a browser test before may have left an
    event loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, call).result()


def test_the_page_says_german_and_loads_the_script_once() -> None:
    page = germanised(PAGE)
    assert b'<html lang="de">' in page and b'lang="en"' not in page
    assert page.count(SCRIPT) == 1 and page.index(SCRIPT) < page.index(b"</head>")


def _through(path: str, kind: bytes, chunks: list[bytes]) -> tuple[dict[bytes, bytes], bytes, Any]:
    seen_headers: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen_headers.append(scope["headers"])
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", kind), (b"content-length", b"1")],
            }
        )
        for number, chunk in enumerate(chunks):
            more = number < len(chunks) - 1
            await send({"type": "http.response.body", "body": chunk, "more_body": more})

    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request"}

    scope = {"type": "http", "path": path, "headers": [(b"accept-encoding", b"gzip")]}
    in_own_loop(GermanPage(app)(scope, receive, send))
    headers = dict(sent[0]["headers"])
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return headers, body, seen_headers[0]


def test_the_page_is_rewritten_whole_with_its_length_and_asked_for_uncompressed() -> None:
    headers, body, asked = _through("/karte", b"text/html", [PAGE[:20], PAGE[20:]])
    assert body == germanised(PAGE)
    assert headers[b"content-length"] == str(len(body)).encode()
    assert (b"accept-encoding", b"gzip") not in asked  # else it could not be read


def test_other_answers_pass_unchanged() -> None:
    _, body, asked = _through("/app/static/x.js", b"text/html", [PAGE])
    assert body == PAGE and (b"accept-encoding", b"gzip") in asked
    _, body, _ = _through("/", b"application/json", [b'{"lang="en"": 1}'])
    assert body == b'{"lang="en"": 1}'
