"""The operators' endpoints: health (with the database) and Prometheus metrics
(placeholder: filled in by issue 16)."""

from __future__ import annotations

import streamlit as st  # noqa: F401  (every ui/ module is of the app's screens' floor)
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route


async def _health(request: Request) -> Response:
    return PlainTextResponse("ok")


async def _metrics(request: Request) -> Response:
    return PlainTextResponse("")


HEALTH_ROUTE = Route("/healthz", _health)
METRICS_ROUTE = Route("/metrics", _metrics)
