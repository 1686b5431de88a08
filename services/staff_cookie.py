"""The staff login's cookie: a reload or a new tab keeps a staff member logged in.

A Streamlit script run cannot set a cookie (it answers over the WebSocket), so after a
login the page hands the login's token to the browser once (a hidden marker that
static/page.js posts here), and this route sets it as an HttpOnly cookie, which no
script of the page can read afterwards. The store decides whether a token still opens
anything (store/staff_logins.py): the cookie itself grants nothing.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

NAME: Final = "sq_anmeldung"
KEEP_PATH: Final = "/anmelden/behalten"
# The browser forgets it after a working day; the store ends idle logins much sooner.
MAX_AGE_S: Final = 12 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


def valid_token(value: object) -> str | None:
    """The login token if `value` is one the store could have made."""
    return value if isinstance(value, str) and _TOKEN.fullmatch(value) else None


def same_origin(request: Request) -> bool:
    """Whether the request comes from a page of this app (not a form on another site
    setting its own login into a staff member's browser)."""
    origin = request.headers.get("origin")
    host = request.headers.get("host")
    return bool(origin and host) and urlsplit(origin).netloc == host


async def keep_login(request: Request) -> Response:
    """POST KEEP_PATH with the token as the body: set it as the login cookie."""
    token = valid_token((await request.body()).decode("ascii", errors="replace"))
    if token is None or not same_origin(request):
        return Response(status_code=400)
    response = Response(status_code=204)
    response.set_cookie(
        NAME,
        token,
        max_age=MAX_AGE_S,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response
