"""One random participation number per browser, in a first-party cookie, so the rules of
taking part (six notes a minute, "Me too" and "Report" once per note) hold across the tabs
and reloads of one device.

The number is drawn at random by the server (no IP address, nothing read from the
device), lives HttpOnly for one lab day and is sent to this app only. It is strictly
necessary for a service the participant asks for (section 25(2) no. 2 TDDDG: no consent
needed); the privacy notice says so. A shared lab tablet is handed to the next person
with a new number (`HANDOVER_PATH`), at most once a minute per browser (a second cookie
that expires after a minute says when), so the hand-over is no quick way around the
limits. Deleting the cookies is, as in every cookie-based rule; keeping that out would
take device identifiers or IP addresses, which this app does not store.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any, Final
from urllib.parse import parse_qs

NAME: Final = "sq_teilnahme"
MAX_AGE_S: Final = 12 * 3600  # one lab day
HANDOVER_PATH: Final = "/teilnahme/weitergeben"
HANDOVER_EVERY_S: Final = 60
HANDOVER_NAME: Final = "sq_weitergegeben"
# Added to the map's address when a hand-over came too soon (the page explains it).
HANDED_OVER_PARAM: Final = "weitergegeben"
HANDED_OVER_TOO_SOON: Final = "zu-frueh"
_TOKEN = re.compile(r"[0-9a-f]{32}")
_LAB_CODE = re.compile(r"[A-Za-z0-9-]{1,32}")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def new_token() -> str:
    return secrets.token_hex(16)


def valid_token(value: object) -> str | None:
    """The participation number if `value` is one this app could have set."""
    return value if isinstance(value, str) and _TOKEN.fullmatch(value) else None


def _parsed(cookie_header: str) -> SimpleCookie:
    cookie: SimpleCookie = SimpleCookie()
    try:
        cookie.load(cookie_header)
    except Exception:  # a malformed header (some other cookie's fault): none of ours
        return SimpleCookie()
    return cookie


def token_in(cookie_header: str) -> str | None:
    morsel = _parsed(cookie_header).get(NAME)
    return valid_token(morsel.value if morsel else None)


def handed_over_lately(cookie_header: str) -> bool:
    """Whether this browser got a new number by a hand-over within the last minute."""
    return HANDOVER_NAME in _parsed(cookie_header)


def _handed_over_cookie(secure: bool) -> bytes:
    # Gone by itself after a minute: the browser, not the server, keeps the time.
    flags = f"{HANDOVER_NAME}=1; Path={HANDOVER_PATH}; Max-Age={HANDOVER_EVERY_S}; HttpOnly"
    return (flags + "; SameSite=Lax" + ("; Secure" if secure else "")).encode("latin-1")


def set_cookie(token: str, secure: bool) -> bytes:
    flags = f"{NAME}={token}; Path=/; Max-Age={MAX_AGE_S}; HttpOnly; SameSite=Lax"
    return (flags + ("; Secure" if secure else "")).encode("latin-1")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _secure(scope: Scope) -> bool:
    return scope.get("scheme") == "https" or _header(scope, b"x-forwarded-proto") == "https"


class ParticipantCookie:
    """ASGI middleware: gives every page load without a participation number one, and
    answers HANDOVER_PATH with a new number and a way back to the lab's map."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _header(scope, b"cookie")
        token = token_in(cookies)
        if scope["path"] == HANDOVER_PATH:
            await self._hand_over(scope, cookies, send)
            return
        if token is not None:
            await self.app(scope, receive, send)
            return
        fresh = set_cookie(new_token(), _secure(scope))

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                kind = dict(headers).get(b"content-type", b"")
                if kind.startswith(b"text/html"):
                    message["headers"] = [*headers, (b"set-cookie", fresh)]
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    async def _hand_over(self, scope: Scope, cookies: str, send: Send) -> None:
        code = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("code", [""])[0]
        # The shared map is the app's main page, at "/" (its own path would be "not found").
        target = f"/?code={code}" if _LAB_CODE.fullmatch(code) else "/"
        headers = [(b"location", target.encode("latin-1")), (b"cache-control", b"no-store")]
        if not handed_over_lately(cookies):
            secure = _secure(scope)
            headers.append((b"set-cookie", set_cookie(new_token(), secure)))
            headers.append((b"set-cookie", _handed_over_cookie(secure)))
        else:
            target += (
                "&" if "?" in target else "?"
            ) + f"{HANDED_OVER_PARAM}={HANDED_OVER_TOO_SOON}"
            headers[0] = (b"location", target.encode("latin-1"))
        await send({"type": "http.response.start", "status": 303, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
