"""The security headers on every HTTP response of the app server (issue 16): what a city's
security officer checks before go-live.

The policy is data: `headers_for(path)` gives the headers for a path, so a test can read
every directive without a server. `SecurityHeaders` adds them to each response (pages,
Streamlit's own files and endpoints, component frames, tiles, photos, errors), leaving any
header the app below already set as it is.

What the Content-Security-Policy relaxes, and why. Measured in Chromium 156 with the
policy enforced, walking every page and the map's main steps
(tests/browser/test_security_headers.py); each line names what was refused without it.

- `style-src 'unsafe-inline'`, everywhere: Streamlit writes `<style>` elements at run
  time (emotion, styled-components, React's own and DOMPurify's for `st.html`), and
  `st.html`/`st.markdown` carry the app's `<style>` blocks and `style="…"` attributes;
  in the map's frame streamlit-folium writes the map's `<style>`. None of them can
  take a nonce. Styles run no code, and with `default-src 'self'` no stylesheet or
  font can come from another host.
- The page's one inline script (Streamlit's `window.prerenderReady = false`) is allowed
  by its hash, worked out from the installed Streamlit's index.html, not by
  `'unsafe-inline'`: the app's page runs no script but its own files.
- `'wasm-unsafe-eval'` on the page: Streamlit's protobuf (long.js) compiles a tiny
  WebAssembly module for 64-bit arithmetic. It lets WebAssembly be compiled, not
  JavaScript text be run (`'unsafe-eval'` stays off on the page).
- `script-src 'unsafe-inline' 'unsafe-eval'` in the map's frame only (`/component/`):
  streamlit-folium receives each map as JavaScript text by message after the frame has
  loaded and runs it as a new inline `<script>` element (no hash or nonce can be known
  when the frame's headers leave: without it no map is drawn), and adds the changing
  layers (the pins) with `eval` (without it the map has no pins). What it runs is the
  script the app's server built: participants' texts travel in it as JSON data and
  popups are filled with `textContent` (layers/pins.py).
- `img-src data:`: the presentation's QR code, the comparison's SVG charts and a 1-pixel
  GIF of the map come as data: URLs. `font-src data:`: Streamlit's own stylesheet holds
  one KaTeX font as a data: URL.
- `connect-src 'self'`: the WebSocket to /_stcore/stream is the same host and port, which
  `'self'` covers for ws: and wss: in CSP Level 3 (no violation in Chromium).
- No `blob:`, no worker or script from anywhere else, no plugin (`object-src 'none'`).

The Permissions-Policy allows the camera only on the shared map's documents ("/" and
"/karte"), where a participant adds photos to a note (st.file_uploader, ui/pin_entry.py);
everything else is off. Streamlit moves between its pages without loading a new document,
so a tab keeps the Permissions-Policy of the address it was opened at. The photo input
is a file chooser (`<input type="file">`; a phone offers its camera app there); the
camera feature governs a page's own camera access (getUserMedia, st.camera_input),
which the map may use and no other page. Nothing in the app uses geolocation, the
Fullscreen API, microphone, payment or device access (Leaflet locates only when asked
to; Streamlit's "fullscreen" of an element is CSS).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Final

from services.participant_cookie import ASGIApp, Message, Receive, Scope, Send

SELF: Final = "'self'"
# Component frames: streamlit-folium's map (the only component the app uses).
COMPONENT_PREFIX: Final = "/component/"
# The shared map's documents: the note form with its photos is there.
CAMERA_PATHS: Final = frozenset({"/", "/karte"})
# Features no page of the app uses: all off. Only names Chromium knows (an unknown one
# is reported in the console of every page).
FEATURES_OFF: Final = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def script_hashes(html: bytes) -> tuple[str, ...]:
    """The CSP hash sources of the inline scripts (without `src`) in `html`.

    >>> script_hashes(b"<script>a=1</script><script src='x.js'></script>")
    ("'sha256-wi/qXXQo5c9H72NUyXySI8ldbc3D4NIwD/eQVrH/PYU='",)
    >>> script_hashes(b"")
    ()
    """
    found = []
    for body in _INLINE_SCRIPT.findall(html):
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        found.append(f"'sha256-{digest}'")
    return tuple(dict.fromkeys(found))


@cache
def streamlit_page_hashes() -> tuple[str, ...]:
    """The hashes of the inline scripts of the installed Streamlit's page (found without
    importing Streamlit; none if it is not installed)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or spec.origin is None:
        return ()
    index = Path(spec.origin).parent / "static" / "index.html"
    return script_hashes(index.read_bytes()) if index.is_file() else ()


def csp_directives(path: str) -> dict[str, tuple[str, ...]]:
    """The Content-Security-Policy for a response to `path`, directive by directive."""
    frame = path.startswith(COMPONENT_PREFIX)
    # See the module's doc for each relaxation.
    scripts = (
        (SELF, "'unsafe-inline'", "'unsafe-eval'")
        if frame
        else (SELF, "'wasm-unsafe-eval'", *streamlit_page_hashes())
    )
    return {
        "default-src": (SELF,),
        "script-src": scripts,
        "style-src": (SELF, "'unsafe-inline'"),
        "img-src": (SELF, "data:"),
        "font-src": (SELF, "data:"),
        "connect-src": (SELF,),
        "frame-src": (SELF,),
        "worker-src": (SELF,),
        "object-src": ("'none'",),
        "base-uri": (SELF,),
        "form-action": (SELF,),
        "frame-ancestors": (SELF,),
    }


def content_security_policy(path: str) -> str:
    """The Content-Security-Policy header's value for a response to `path`."""
    return "; ".join(
        f"{name} {' '.join(sources)}" for name, sources in csp_directives(path).items()
    )


def permissions_policy(path: str) -> str:
    """The Permissions-Policy header's value: the camera on the shared map's documents
    only, every other feature off."""
    camera = "camera=(self)" if path in CAMERA_PATHS else "camera=()"
    return ", ".join([camera, *(f"{feature}=()" for feature in FEATURES_OFF)])


def headers_for(path: str) -> dict[str, str]:
    """Every security header for a response to `path` (names in lower case)."""
    return {
        "content-security-policy": content_security_policy(path),
        # For browsers that know no frame-ancestors.
        "x-frame-options": "SAMEORIGIN",
        "referrer-policy": "no-referrer",
        "permissions-policy": permissions_policy(path),
        "x-content-type-options": "nosniff",
        # No window of another origin keeps a handle on the app's (the app opens none).
        "cross-origin-opener-policy": "same-origin",
    }


def added(
    present: Iterable[tuple[bytes, bytes]], wanted: Mapping[str, str]
) -> list[tuple[bytes, bytes]]:
    """`present` with every header of `wanted` it does not hold yet (by name, in any case)."""
    headers = list(present)
    names = {name.lower() for name, _ in headers}
    for name, value in wanted.items():
        key = name.encode("latin-1")
        if key not in names:
            headers.append((key, value.encode("latin-1")))
    return headers


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = headers_for(scope.get("path", ""))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": added(message.get("headers", []), wanted)}
            await send(message)

        await self.app(scope, receive, send_with_headers)
