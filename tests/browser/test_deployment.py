"""The deployment recipe of the README, end to end on this machine: the release tool
upgrades a running installation (backup, one migration, the new release started by its
systemd units), nginx from Debian serves it over TLS in front of two app processes on
PostGIS, a participant on a phone and a moderator each on their own process work through
it in Chromium, and a rollback goes back to the release and the database before."""

from __future__ import annotations

import json
import os
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from datapack.loading import load_districts
from devtools.balancer import NGINX, Balancer
from devtools.installation import Installation
from devtools.pg_cluster import PgCluster, free_port
from rules.roles import Actor, Role
from store import open_store
from store.db import open_database
from store.migrate import head, upgrade
from tests.browser.mapdriver import (
    STAFF_PASSWORD,
    fill_and_save,
    log_in,
    map_frame,
    tap,
    wait_for_pins,
    wait_for_popup_texts,
)
from tests.browser.test_shared_map import join
from tests.factories import hire_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not NGINX.exists(), reason="nginx is installed by scripts/test.sh"),
]

OLD, NEW = "2026-11-01", "2026-12-03"
TEXT = "Unterführung am Bahnhof ohne Licht"
# Loopback only, with the test's self-signed certificate.
_INSECURE = ssl._create_unverified_context()


def _old_database(pg_cluster: PgCluster) -> str:
    """The database as the release before left it: schema revision 0009, one note."""
    url = pg_cluster.create_database("deployed")
    db = open_database(url)
    upgrade(db, "0009")
    db.close()
    place = load_districts().geometry("320").representative_point()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO pins (token, quarter_id, lon, lat, category, time_band, created_at)"
            " VALUES ('before-the-upgrade', '320', %s, %s, 'dark', 'night',"
            " '2026-11-20T18:00:00.000+00:00')",
            (place.x, place.y),
        )
    return url


def _tokens(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {row[0] for row in conn.execute("SELECT token FROM pins")}


def _get(url: str, cookie: str = "") -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10, context=_INSECURE) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def _handshake(port: int, *, version: ssl.TLSVersion, ciphers: str = "") -> tuple[str, str]:
    """TLS with at most `version` (and only `ciphers`); the protocol and cipher agreed."""
    context = ssl._create_unverified_context()
    context.maximum_version = version
    if ciphers:
        context.set_ciphers(ciphers)
    with (
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw) as tls,
    ):
        agreed = tls.cipher()
        assert agreed is not None
        return str(tls.version()), agreed[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


@pytest.fixture
def installed(tmp_path: Path, pg_cluster: PgCluster) -> Iterator[Installation]:
    url = _old_database(pg_cluster)
    installation = Installation(tmp_path, url, (free_port(), free_port()))
    installation.prepare([OLD, NEW])
    (installation.home / "current").symlink_to(installation.release_dir(OLD))
    try:
        yield installation
    finally:
        installation.stop()


def _participant_saves_a_note(page: Any, balancer: Balancer, code: str) -> None:
    page.context.add_cookies([{"name": "sq_route", "value": "sq1", "url": balancer.url}])
    frame = wait_for_pins(join(page, balancer.url, code), 0)  # the lab's map shows its own
    place = load_districts().geometry("320").buffer(-0.003).representative_point()
    tap(frame, place.x + 0.002, place.y)
    fill_and_save(page, category="zu dunkel", time_band="nachts", text=TEXT)
    page.get_by_text("Danke! Ihr Hinweis ist auf der Karte.").wait_for()


def _moderator_releases_it(page: Any, balancer: Balancer) -> None:
    page.context.add_cookies([{"name": "sq_route", "value": "sq2", "url": balancer.url}])
    log_in(page, balancer.url, "mona")
    page.get_by_role("link", name="Moderation").click()
    page.get_by_text(TEXT).first.wait_for()
    page.get_by_role("button", name="Freigeben", exact=True).click()
    page.get_by_text("Texte, die auf Freigabe warten (0)").wait_for()


def test_upgrade_serve_through_nginx_and_roll_back(installed: Installation, new_page: Any) -> None:
    url = installed.db_url

    # The upgrade: one backup, one migration, the new release started and healthy.
    done = installed.release(
        "upgrade", str(installed.release_dir(NEW)), "--backups", str(installed.backups)
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert f"is at revision {head()}" in done.stdout
    (backup,) = installed.backups.glob("*.dump")
    record = json.loads((installed.home / "last-upgrade.json").read_text())
    assert record["revision_before"] == "0009"
    assert record["backup"] == str(backup)
    assert os.readlink(installed.home / "current") == str(installed.release_dir(NEW))
    for port in installed.ports:
        assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200

    balancer = Balancer(installed.ports, tls=True).start()
    try:
        # TLS, HSTS, the sticky cookie; plain HTTP sent to https; no metrics from outside.
        status, headers = _get(f"{balancer.url}/")
        assert status == 200
        assert headers["strict-transport-security"] == "max-age=63072000"
        assert "Secure" in headers["set-cookie"] and "sq_route=" in headers["set-cookie"]
        assert headers["server"] == "nginx"  # no version
        # The app's own security headers pass through nginx.
        assert "frame-ancestors 'self'" in headers["content-security-policy"]
        assert headers["referrer-policy"] == "no-referrer"
        assert _get(f"{balancer.url}/metrics")[0] == 404
        assert _get(f"{balancer.url}/_stcore/metrics")[0] == 404
        # TLS 1.3, and 1.2 with forward-secret AEAD ciphers only: no CBC (nginx's default
        # "HIGH:!aNULL:!MD5" would agree to this one).
        assert _handshake(balancer.port, version=ssl.TLSVersion.TLSv1_3)[0] == "TLSv1.3"
        protocol, cipher = _handshake(balancer.port, version=ssl.TLSVersion.TLSv1_2)
        assert protocol == "TLSv1.2" and cipher.startswith("ECDHE-") and "GCM" in cipher
        with pytest.raises(ssl.SSLError):
            _handshake(
                balancer.port, version=ssl.TLSVersion.TLSv1_2, ciphers="ECDHE-RSA-AES128-SHA"
            )
        plain = urllib.request.build_opener(_NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            plain.open(f"http://127.0.0.1:{balancer.http_port}/plan?quartier=320", timeout=10)
        assert redirect.value.code == 301
        assert redirect.value.headers["Location"] == f"{balancer.url}/plan?quartier=320"
        # A body above the upload limit is refused by nginx before any process reads it.
        too_big = urllib.request.Request(
            f"{balancer.url}/_stcore/upload_file/x/y", data=b"0" * (51 << 20), method="PUT"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(too_big, timeout=30, context=_INSECURE)
        assert refused.value.code == 413

        store = open_store(url)
        facilitator, admin = Actor("fa", Role.FACILITATOR), Actor("ada", Role.ADMIN)
        hire_staff(store, (facilitator, admin))
        store.create_user("mona", STAFF_PASSWORD, Role.MODERATOR, actor=admin)
        code = store.open_session(
            quarter_id="320",
            title="Quartierslabor Brackel",
            held_on=date(2026, 12, 3),
            place="Bürgerhaus",
            format="lab_table",
            actor=facilitator,
        ).join_code
        store.close()

        participant = new_page(390, 844, ignore_https_errors=True)
        _participant_saves_a_note(participant, balancer, code)
        moderator = new_page(ignore_https_errors=True)
        _moderator_releases_it(moderator, balancer)
        # Released on the other process, shown to the participant on hers.
        wait_for_popup_texts(participant, [TEXT])
        frame = wait_for_pins(map_frame(participant), 1)
        assert frame is not None
        assert len(_tokens(url)) == 2

        # The rollback: the old release again, on the database as the backup holds it;
        # the upgraded one is kept aside with the note written since.
        participant.context.close()
        moderator.context.close()
        done = installed.release("rollback")
        assert done.returncode == 0, done.stderr + done.stdout
        assert os.readlink(installed.home / "current") == str(installed.release_dir(OLD))
        assert _tokens(url) == {"before-the-upgrade"}
        lines = done.stdout.splitlines()
        (aside_line,) = [line for line in lines if line.startswith("moved aside")]
        aside = url.rsplit("/", 1)[0] + "/" + aside_line.rsplit(" ", 1)[1]
        assert len(_tokens(aside)) == 2
        assert _get(f"{balancer.url}/healthz")[0] == 200
    finally:
        balancer.stop()
