"""The security headers as data, per path, and the middleware that adds them."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from services.security_headers import (
    FEATURES_OFF,
    SecurityHeaders,
    added,
    content_security_policy,
    csp_directives,
    headers_for,
    permissions_policy,
    script_hashes,
    streamlit_page_hashes,
)

PAGES = ("/", "/karte", "/moderation", "/verwaltung", "/datenschutz", "/massnahme")
OTHER = (
    "/_stcore/health",
    "/_stcore/stream",
    "/static/js/index.js",
    "/app/static/page.js",
    "/tiles/14/8581/5449.png",
    "/foto/3.jpg",
    "/media/abc.png",
    "/healthz",
    "/metrics",
    "/gibt-es-nicht",
)
FRAME = "/component/streamlit_folium.st_folium/index.html"
EVERY_PATH = (*PAGES, *OTHER, FRAME)
NAMES = (
    "content-security-policy",
    "x-frame-options",
    "referrer-policy",
    "permissions-policy",
    "x-content-type-options",
    "cross-origin-opener-policy",
)


@pytest.mark.parametrize("path", EVERY_PATH)
def test_every_path_gets_every_header(path: str) -> None:
    headers = headers_for(path)
    assert tuple(headers) == NAMES
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cross-origin-opener-policy"] == "same-origin"


@pytest.mark.parametrize("path", EVERY_PATH)
def test_the_policy_names_no_other_host_and_locks_framing_plugins_and_forms(path: str) -> None:
    directives = csp_directives(path)
    assert directives["default-src"] == ("'self'",)
    assert directives["frame-ancestors"] == ("'self'",)
    assert directives["object-src"] == ("'none'",)
    assert directives["base-uri"] == ("'self'",)
    assert directives["form-action"] == ("'self'",)
    assert directives["connect-src"] == ("'self'",)
    sources = {source for values in directives.values() for source in values}
    # Keywords, hashes and data: only: no host, no scheme that reaches one, no wildcard.
    allowed = re.compile(r"'[a-z-]+'|'sha256-[A-Za-z0-9+/]+={0,2}'|data:")
    assert {source for source in sources if not allowed.fullmatch(source)} == set()
    value = content_security_policy(path)
    assert not re.search(r"https?:|wss?:|\*|blob:", value)
    assert value.count(";") == len(directives) - 1


@pytest.mark.parametrize("path", [*PAGES, *OTHER])
def test_the_pages_run_only_their_own_files_and_streamlits_one_inline_script(path: str) -> None:
    scripts = csp_directives(path)["script-src"]
    assert scripts == ("'self'", "'wasm-unsafe-eval'", *streamlit_page_hashes())
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts


def test_only_the_maps_frame_may_run_inline_scripts_and_eval() -> None:
    assert csp_directives(FRAME)["script-src"] == ("'self'", "'unsafe-inline'", "'unsafe-eval'")
    assert csp_directives(FRAME)["frame-ancestors"] == ("'self'",)


def test_the_hash_is_that_of_the_inline_script_of_streamlits_page() -> None:
    import streamlit

    page = (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes()
    inline = re.findall(rb"<script>(.*?)</script>", page, re.DOTALL)
    assert len(inline) == 1 and b"prerenderReady" in inline[0]
    assert streamlit_page_hashes() == script_hashes(page)
    assert len(streamlit_page_hashes()) == 1


def test_script_hashes_skip_scripts_with_a_source_and_repeat_none() -> None:
    # sha256 of "a=1", base64: worked out with `printf a=1 | openssl sha256 -binary | base64`
    one = "'sha256-wi/qXXQo5c9H72NUyXySI8ldbc3D4NIwD/eQVrH/PYU='"
    assert script_hashes(b"<script>a=1</script><script src='x.js'></script>") == (one,)
    assert script_hashes(b"<script>a=1</script><p></p><script>a=1</script>") == (one,)
    assert script_hashes(b"") == ()


@pytest.mark.parametrize(("path", "camera"), [("/", "(self)"), ("/karte", "(self)")])
def test_the_camera_is_allowed_on_the_shared_maps_documents(path: str, camera: str) -> None:
    assert permissions_policy(path).startswith(f"camera={camera}, ")


@pytest.mark.parametrize("path", [p for p in EVERY_PATH if p not in ("/", "/karte")])
def test_the_camera_is_off_everywhere_else(path: str) -> None:
    assert permissions_policy(path).startswith("camera=(), ")


@pytest.mark.parametrize("path", ["/", "/moderation"])
def test_every_other_feature_is_off(path: str) -> None:
    entries = dict(entry.split("=") for entry in permissions_policy(path).split(", "))
    assert {name for name, value in entries.items() if value != "()"} <= {"camera"}
    for feature in ("geolocation", "microphone", "payment", "usb", "fullscreen"):
        assert entries[feature] == "()"
    assert len(entries) == len(FEATURES_OFF) + 1


def test_headers_already_set_are_kept_and_not_doubled() -> None:
    present = [(b"X-Content-Type-Options", b"nosniff"), (b"content-type", b"image/png")]
    headers = added(present, headers_for("/tiles/1/2/3.png"))
    names = [name.lower() for name, _ in headers]
    assert sorted(set(names)) == sorted(names)
    assert headers[:2] == present
    assert {name.decode() for name in names} == {*NAMES, "content-type"}


def _through(scope: dict[str, Any], start_headers: list[tuple[bytes, bytes]]) -> list[Any]:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 404, "headers": start_headers})
        await send({"type": "http.response.body", "body": b"nicht da"})

    sent: list[Any] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request"}

    # In a thread of its own: a browser test before may have left a loop running here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, SecurityHeaders(app)(scope, receive, send)).result()
    return sent


def test_the_middleware_adds_the_paths_headers_to_an_error_and_leaves_the_body() -> None:
    sent = _through({"type": "http", "path": "/moderation"}, [(b"content-type", b"text/plain")])
    headers = {name.decode(): value.decode() for name, value in sent[0]["headers"]}
    assert sent[0]["status"] == 404
    assert {key: headers[key] for key in NAMES} == headers_for("/moderation")
    assert sent[1] == {"type": "http.response.body", "body": b"nicht da"}


def test_the_middleware_leaves_websockets_alone() -> None:
    sent = _through({"type": "websocket", "path": "/_stcore/stream"}, [])
    assert sent[0]["headers"] == []
