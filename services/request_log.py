"""One log line and the metrics per HTTP request (placeholder: filled in by issue 16)."""

from __future__ import annotations

from services.participant_cookie import ASGIApp, Receive, Scope, Send


class RequestLog:
    """ASGI middleware logging each request's page, status and duration."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
