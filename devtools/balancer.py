"""nginx from Debian in front of the app processes, with the site an operator installs
(deploy/nginx_site.py), for the tests and the lab benchmark. With a certificate it
serves TLS as in production (`tls_files` makes a self-signed one)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from deploy.nginx_site import Site, render
from devtools.pg_cluster import free_port
from devtools.processes import answers, stop

NGINX = Path("/usr/sbin/nginx")
OPENSSL = Path("/usr/bin/openssl")

# What Debian's /etc/nginx/nginx.conf holds around the sites, for a private prefix.
_MAIN = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
{user}
events {{
    worker_connections 1024;
}}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/site.conf;
}}
"""


def main_config(prefix: Path) -> str:
    # As root nginx would hand its workers to "nobody", who may not write to `prefix`.
    user = "user root;" if os.geteuid() == 0 else ""
    return _MAIN.format(prefix=prefix, user=user)


def tls_files(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for `host` and its key, made by openssl."""
    certificate, key = folder / "site.pem", folder / "site.key"
    subject = ["-subj", f"/CN={host}", "-addext", f"subjectAltName=IP:{host}"]
    files = ["-keyout", str(key), "-out", str(certificate)]
    subprocess.run(
        [
            str(OPENSSL),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            *subject,
            *files,
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


@dataclass
class Balancer:
    """nginx on a free loopback port in front of the app processes on `app_ports`;
    TLS when `tls` (a self-signed certificate), plain HTTP otherwise."""

    app_ports: tuple[int, ...]
    tls: bool = False
    port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)  # with TLS: sends plain HTTP on
    process: subprocess.Popen[bytes] | None = None
    prefix: Path | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"{'wss' if self.tls else 'ws'}://127.0.0.1:{self.port}/_stcore/stream"

    def site(self, prefix: Path) -> Site:
        listen = f"127.0.0.1:{self.port}"
        if not self.tls:
            return Site(ports=self.app_ports, listen=listen)
        certificate, key = tls_files(prefix)
        return Site(
            ports=self.app_ports,
            listen=listen,
            server_name="127.0.0.1",
            certificate=certificate,
            key=key,
            http_listen=f"127.0.0.1:{self.http_port}",
        )

    def start(self) -> Balancer:
        self.prefix = Path(tempfile.mkdtemp(prefix="sq-nginx-"))
        (self.prefix / "site.conf").write_text(render(self.site(self.prefix)))
        conf = self.prefix / "nginx.conf"
        conf.write_text(main_config(self.prefix))
        self.process = subprocess.Popen(
            [str(NGINX), "-p", str(self.prefix), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if answers(f"{self.url}/_stcore/health", self.process, 30):
            return self
        stderr = self.process.stderr
        exited = self.process.poll() is not None
        errors = stderr.read().decode() if exited and stderr is not None else ""
        self.stop()
        raise RuntimeError(f"nginx did not answer on {self.url}: {errors.strip()}")

    def stop(self) -> None:
        stop(self.process, timeout=10)
        self.process = None
        if self.prefix is not None:
            shutil.rmtree(self.prefix, ignore_errors=True)
            self.prefix = None
