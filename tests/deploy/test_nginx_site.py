"""nginx's site for N app processes (deploy/nginx_site.py), and nginx from Debian
accepting it inside its own /etc/nginx/nginx.conf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from deploy.nginx_site import Site, main, render, route_names
from devtools.balancer import NGINX, tls_files

DEBIAN_CONF = Path("/etc/nginx/nginx.conf")


def _site(ports: tuple[int, ...], tmp_path: Path | None = None) -> Site:
    if tmp_path is None:
        return Site(ports=ports, listen="8080")
    certificate, key = tls_files(tmp_path)
    return Site(ports=ports, server_name="sq.example", certificate=certificate, key=key)


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_every_process_gets_a_route_and_the_others_as_its_backups(count: int) -> None:
    ports = tuple(8501 + i for i in range(count))
    text = render(_site(ports))
    for name, port in zip(route_names(count), ports, strict=True):
        block = re.search(rf"upstream {name} \{{(.*?)\}}", text, re.S)
        assert block is not None
        servers = re.findall(r"server 127\.0\.0\.1:(\d+)( backup)?;", block.group(1))
        assert servers[0] == (str(port), "")
        assert sorted(int(p) for p, backup in servers[1:] if backup) == sorted(
            p for p in ports if p != port
        )
        assert f"    {name} {name};" in text  # a known cookie keeps its process
    shares = [float(s) for s in re.findall(r"([\d.]+)% sq\d+;", text)]
    assert len(shares) == count - 1 and sum(shares) < 100  # "*" takes the rest
    assert "{{" not in text


def test_without_a_certificate_it_serves_plain_http_and_no_tls_headers() -> None:
    text = render(_site((8501, 8502)))
    assert "listen 8080;" in text
    assert "ssl_" not in text and "Strict-Transport-Security" not in text
    assert "return 301" not in text
    assert 'SameSite=Strict"' in text  # no Secure flag over plain HTTP


def test_with_a_certificate_tls_hsts_redirect_and_secure_cookie(tmp_path: Path) -> None:
    text = render(_site((8501, 8502), tmp_path))
    assert "listen 443 ssl http2;" in text
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in text
    assert "ssl_session_tickets off;" in text
    assert 'Strict-Transport-Security "max-age=63072000" always' in text
    assert "listen 80;" in text and "return 301 https://$host$request_uri;" in text
    assert "SameSite=Strict; Secure" in text
    assert "client_max_body_size 50m;" in text
    assert "server_tokens off;" in text


def test_the_upload_limit_matches_the_apps_own() -> None:
    config = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
    limit = re.search(r"^maxUploadSize = (\d+)", config.read_text(), re.M)
    assert limit is not None
    assert f"client_max_body_size {limit.group(1)}m;" in render(_site((8501,)))


def test_the_command_line_writes_the_site(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--ports", "8501", "8502", "--server-name", "sq.example"]) == 0
    text = capsys.readouterr().out
    assert "server_name sq.example;" in text and "listen 80;" in text
    with pytest.raises(SystemExit):
        main(["--ports", "8501", "--certificate", "/x.pem"])  # no key


@pytest.mark.skipif(not (NGINX.exists() and DEBIAN_CONF.exists()), reason="nginx from Debian")
@pytest.mark.parametrize("tls", [True, False])
def test_debians_nginx_accepts_the_site_in_its_own_configuration(tmp_path: Path, tls: bool) -> None:
    site = tmp_path / "sichere-quartiere"
    site.write_text(render(_site((8501, 8502, 8503), tmp_path if tls else None)))
    # Debian's nginx.conf, with this site as the only one enabled.
    conf = DEBIAN_CONF.read_text().replace("/etc/nginx/sites-enabled/*", str(site))
    conf = conf.replace("pid /run/nginx.pid;", f"pid {tmp_path}/nginx.pid;")
    (tmp_path / "nginx.conf").write_text(conf)
    done = subprocess.run(
        [str(NGINX), "-t", "-c", str(tmp_path / "nginx.conf"), "-g", f"error_log {tmp_path}/e;"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "[warn]" not in done.stderr
