"""A tile service on loopback for tests: every tile a plain square of one colour with a
dark "street" across it, so a screenshot shows whether tiles arrived."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image, ImageDraw

TILE_COLOUR = (255, 0, 200)  # a colour no map has: magenta
STREET_COLOUR = (20, 20, 20)


def tile_png() -> bytes:
    image = Image.new("RGB", (256, 256), TILE_COLOUR)
    ImageDraw.Draw(image).rectangle((0, 120, 255, 135), fill=STREET_COLOUR)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclass
class FakeTileService:
    """Answers /{z}/{x}/{y}.png with a tile; remembers what it was asked and by whom."""

    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, User-Agent)
    _server: ThreadingHTTPServer | None = None

    @property
    def url_template(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"

    def start(self) -> FakeTileService:
        body = tile_png()
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                seen.append((self.path, self.headers.get("User-Agent", "")))
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Gone, like the internet in a community hall."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
