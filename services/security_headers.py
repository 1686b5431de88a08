"""The security headers on every response (placeholder: filled in by issue 16's headers work)."""

from __future__ import annotations

from services.participant_cookie import ASGIApp, Receive, Scope, Send


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)
