"""nginx's site for the app (deploy/nginx-site.conf.in) rendered for N app processes:

    python -m deploy.nginx_site --ports 8501 8502 --server-name sq.dortmund.de \\
        --certificate /etc/ssl/certs/sq.pem --key /etc/ssl/private/sq.key \\
        > /etc/nginx/sites-available/sichere-quartiere

Without a certificate the site answers plain HTTP on --listen (behind the city's own
TLS-terminating proxy, and for the tests and the lab benchmark).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "nginx-site.conf.in"

# Mozilla's "intermediate" TLS settings (ssl-config.mozilla.org, version 5.7): TLS 1.2
# and 1.3 only, forward-secret AEAD ciphers, no session tickets (they undo forward
# secrecy unless their keys rotate).
_TLS = """\
    ssl_certificate {certificate};
    ssl_certificate_key {key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:\
ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:\
ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384;
    ssl_prefer_server_ciphers off;
    ssl_session_timeout 1d;
    ssl_session_cache shared:SichereQuartiere:10m;
    ssl_session_tickets off;
"""
# Two years, as the HSTS preload list asks; only ever sent over TLS.
_HSTS = '        add_header Strict-Transport-Security "max-age=63072000" always;'
_REDIRECT = """\
server {{
    listen {http_listen};
    server_name {server_name};
    server_tokens off;
    return 301 https://$host{port}$request_uri;
}}
"""


@dataclass(frozen=True, slots=True)
class Site:
    """Where nginx listens and which app processes (loopback ports) it serves."""

    ports: tuple[int, ...]
    listen: str = "443"  # "port" or "address:port"
    server_name: str = "_"
    certificate: Path | None = None  # with `key`: TLS on `listen`
    key: Path | None = None
    http_listen: str | None = "80"  # with TLS: plain HTTP here is sent to https
    app_host: str = "127.0.0.1"

    @property
    def tls(self) -> bool:
        return self.certificate is not None and self.key is not None


def route_names(count: int) -> list[str]:
    """The sq_route cookie's values and the upstreams' names: sq1 … sqN (not the ports:
    nothing of the inside shows; prefixed, as nginx's upstream names are global)."""
    return [f"sq{i}" for i in range(1, count + 1)]


def _split(routes: list[str]) -> str:
    share = int(10_000 / len(routes)) / 100  # percent, two decimals, rounded down
    lines = [f"    {share:.2f}% {name};" for name in routes[:-1]]
    return "\n".join([*lines, f"    * {routes[-1]};"])


def _upstreams(site: Site, routes: list[str]) -> str:
    blocks = []
    for name, port in zip(routes, site.ports, strict=True):
        others = [p for p in site.ports if p != port]
        servers = [f"    server {site.app_host}:{port};"]
        servers += [f"    server {site.app_host}:{other} backup;" for other in others]
        blocks.append(f"upstream {name} {{\n" + "\n".join(servers) + "\n}")
    return "\n".join(blocks)


def _port_suffix(listen: str) -> str:
    port = listen.rsplit(":", 1)[-1].split()[0]
    return "" if port == "443" else f":{port}"


def render(site: Site) -> str:
    """The site's configuration text (http context: include it as Debian does)."""
    if not site.ports:
        raise ValueError("at least one app process")
    routes = route_names(len(site.ports))
    redirect = ""
    if site.tls and site.http_listen:
        redirect = _REDIRECT.format(
            http_listen=site.http_listen,
            server_name=site.server_name,
            port=_port_suffix(site.listen),
        )
    values = {
        "SPLIT": _split(routes),
        "KNOWN_ROUTES": "\n".join(f"    {name} {name};" for name in routes),
        "UPSTREAMS": _upstreams(site, routes),
        "REDIRECT_SERVER": redirect,
        "LISTEN": f"{site.listen} ssl http2" if site.tls else site.listen,
        "SERVER_NAME": site.server_name,
        "TLS": _TLS.format(certificate=site.certificate, key=site.key) if site.tls else "",
        "COOKIE_SECURE": "; Secure" if site.tls else "",
        "HSTS": _HSTS if site.tls else "",
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.nginx_site", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--ports", type=int, nargs="+", required=True, help="the app processes")
    parser.add_argument("--server-name", default="_", help="the site's host name")
    parser.add_argument("--listen", default=None, help="default 443 with TLS, else 80")
    parser.add_argument("--certificate", type=Path, default=None, help="PEM, full chain")
    parser.add_argument("--key", type=Path, default=None, help="the certificate's key")
    parser.add_argument("--http-listen", default="80", help="sent on to https (with TLS)")
    args = parser.parse_args(argv)
    if (args.certificate is None) != (args.key is None):
        parser.error("--certificate and --key go together")
    tls = args.certificate is not None
    site = Site(
        ports=tuple(args.ports),
        listen=args.listen or ("443" if tls else "80"),
        server_name=args.server_name,
        certificate=args.certificate,
        key=args.key,
        http_listen=args.http_listen,
    )
    sys.stdout.write(render(site))
    return 0


if __name__ == "__main__":
    sys.exit(main())
