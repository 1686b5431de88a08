"""The app's page in German from its first byte: `<html lang="de">` (Streamlit's page says
"en") and static/page.js, which gives Streamlit's and Leaflet's own controls German words
and names (they have none), follows the language the visitor switches to and repairs the
menu's structure for screen readers."""

from __future__ import annotations

from typing import Final

from services.participant_cookie import ASGIApp, Message, Receive, Scope, Send

SCRIPT: Final = (
    b'<link rel="stylesheet" href="/app/static/page.css">'
    b'<script src="/app/static/page.js"></script>'
)
# Paths whose HTML is not the app's page (component frames) or is no HTML at all.
_NOT_THE_PAGE: Final = ("/_stcore/", "/component/", "/app/static/", "/media/", "/tiles/")


def germanised(html: bytes) -> bytes:
    """The app's page with lang="de" and the translating script in its head."""
    html = html.replace(b'<html lang="en"', b'<html lang="de"', 1)
    return html.replace(b"</head>", SCRIPT + b"</head>", 1)


class GermanPage:
    """ASGI middleware rewriting the app's HTML page (see the module's doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_NOT_THE_PAGE):
            await self.app(scope, receive, send)
            return
        # Uncompressed, so the page can be read and changed (it is a few kilobytes).
        headers = [(k, v) for k, v in scope.get("headers", []) if k != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        start: Message | None = None
        body = bytearray()

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = dict(message.get("headers", [])).get(b"content-type", b"")
                if not kind.startswith(b"text/html"):
                    await send(message)
                    return
                start = message
                return
            if start is None:  # not the page: passed through as it comes
                await send(message)
                return
            body.extend(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = germanised(bytes(body))
            fixed = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            fixed.append((b"content-length", str(len(page)).encode()))
            await send({**start, "headers": fixed})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, buffered)
