"""A lab in Chromium: join with a code, pin, see the pin snapped and without its text
until a moderator (second browser, logged in) releases it; markup never runs."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from datapack.loading import load_districts
from geo.crs import lonlat_to_metric, metric_to_lonlat
from rules.pins import PinDraft
from rules.roles import Actor, Role
from store import SqliteStore, open_store
from tests.browser.conftest import ARTIFACTS, AppServer
from tests.browser.mapdriver import (
    MAP_FRAME,
    PIN_JS,
    STAFF_PASSWORD,
    TIMEOUT_MS,
    fill_in,
    log_in,
    map_frame,
    popup_texts,
    settle,
    tap,
    wait_for_pins,
    wait_for_popup_texts,
)

pytestmark = pytest.mark.browser

ADMIN = Actor("ada", Role.ADMIN)


def seed(db: Path) -> tuple[SqliteStore, str]:
    store = SqliteStore(db)
    store.create_user("ada", STAFF_PASSWORD, Role.ADMIN, actor=None)
    store.create_user("mona", STAFF_PASSWORD, Role.MODERATOR, actor=ADMIN)
    session = store.open_session(
        quarter_id="320",
        title="Quartierslabor Brackel",
        held_on=date(2026, 11, 26),
        place="Bürgerhaus",
        format="lab_table",
        actor=ADMIN,
    )
    return store, session.join_code


def pin_places(frame: Any) -> list[tuple[float, float]]:
    coords = frame.evaluate(f"() => ({PIN_JS})().map(l => [l.getLatLng().lng, l.getLatLng().lat])")
    return [(float(lon), float(lat)) for lon, lat in coords]


def test_a_pin_shows_snapped_and_its_text_only_after_release(
    app_server_factory: Any, new_page: Any
) -> None:
    store, code = seed(app_server_factory.db_path)
    server: AppServer = app_server_factory.start()
    brackel = load_districts().geometry("320").representative_point()
    text = "Bitte mehr Licht am Spielplatz"

    resident = new_page()
    resident.goto(f"{server.url}/?code={code}")
    frame = map_frame(resident)
    resident.get_by_text("Sie nehmen teil an: Quartierslabor Brackel").wait_for(timeout=TIMEOUT_MS)
    tap(frame, brackel.x, brackel.y)
    resident.get_by_text("Was macht den Ort unsicher?").wait_for(timeout=TIMEOUT_MS)
    resident.get_by_text("zu dunkel", exact=True).click()
    resident.get_by_text("abends", exact=True).click()
    resident.locator("textarea").fill(text)
    resident.get_by_role("button", name="Hinweis speichern").click()
    resident.get_by_text("Danke! Ihr Hinweis ist auf der Karte.", exact=False).wait_for(
        timeout=TIMEOUT_MS
    )
    frame = map_frame(resident)
    frame = wait_for_pins(frame, 1)
    (stored,) = store.pins_in_quarter("320")
    (shown,) = pin_places(frame)
    # Snapped: not the exact place, but the centre of its 25 m cell.
    assert shown != (round(stored.lon, 6), round(stored.lat, 6))
    x, y = lonlat_to_metric(*shown)
    ex, ey = lonlat_to_metric(stored.lon, stored.lat)
    assert math.hypot(x - ex, y - ey) <= 25 * math.sqrt(2) / 2 + 0.5
    assert popup_texts(frame) == []  # no text before release

    moderator = new_page()
    log_in(moderator, server.url, "mona")
    moderator.get_by_role("link", name="Moderation").click()
    # The text shows twice: as the queue shows it and in its edit field.
    moderator.get_by_text(text).first.wait_for(timeout=TIMEOUT_MS)
    moderator.screenshot(path=str(ARTIFACTS / "moderation-queue.png"), full_page=True)
    moderator.get_by_role("button", name="Freigeben", exact=True).click()
    moderator.get_by_text("Texte, die auf Freigabe warten (0)").wait_for(timeout=TIMEOUT_MS)

    # The resident's map refreshes by itself and now shows the text.
    wait_for_popup_texts(resident, [text])
    # The moderator, as staff, sees the exact place and the text.
    moderator.get_by_role("link", name="Gemeinsame Karte").click()
    moderator.get_by_role("button", name="Brackel", exact=True).click()
    staff_frame = map_frame(moderator)
    staff_frame = wait_for_pins(staff_frame, 1)
    assert pin_places(staff_frame) == [(round(stored.lon, 6), round(stored.lat, 6))]
    assert popup_texts(staff_frame) == [text]


XSS = [
    "<script>window.top.__xss=1</script>",
    "<img src=x onerror=window.top.__xss=2>",
    "<svg onload=window.top.__xss=3>",
    "<iframe src=javascript:window.top.__xss=4></iframe>",
    "<body onload=window.top.__xss=5>",
    '"><script>window.top.__xss=6</script>',
    "'><img src=x onerror=window.top.__xss=7>",
    "javascript:window.top.__xss=8",
    "<a href=javascript:window.top.__xss=9>klick</a>",
    "<details open ontoggle=window.top.__xss=10>",
    "<input autofocus onfocus=window.top.__xss=11>",
    "<video><source onerror=window.top.__xss=12></video>",
    "<math><mtext><script>window.top.__xss=13</script></mtext></math>",
    "${window.top.__xss=14}",
    "`${window.top.__xss=15}`",
    "{{constructor.constructor('window.top.__xss=16')()}}",
    "<object data=javascript:window.top.__xss=17>",
    "<marquee onstart=window.top.__xss=18>x</marquee>",
    "</script><script>window.top.__xss=19</script>",
    "<scr<script>ipt>window.top.__xss=20</script>",
    "[klick](javascript:window.top.__xss=21)",
    "**<img src=x onerror=window.top.__xss=22>**",
    "<style onload=window.top.__xss=23></style>",
    ":material/home: $x$ <b onmouseover=window.top.__xss=24>b</b>",
]
XSS_CHECK = "() => window.top.__xss === undefined"


def test_markup_in_texts_titles_and_reasons_never_runs(
    app_server_factory: Any, new_page: Any
) -> None:
    store = open_store(str(app_server_factory.db_path))
    store.create_user("ada", STAFF_PASSWORD, Role.ADMIN, actor=None)
    sessions = [
        store.open_session(
            quarter_id="320",
            title=payload[:120],
            held_on=date(2026, 11, 26),
            place=payload[:120],
            format="lab_table",
            actor=ADMIN,
        )
        for payload in XSS
    ]
    brackel = load_districts().geometry("320")
    minx, miny, maxx, maxy = brackel.bounds
    drafts = []
    for i, payload in enumerate(XSS):
        lon = minx + (maxx - minx) * (0.3 + 0.4 * (i % 5) / 5)
        lat = miny + (maxy - miny) * (0.3 + 0.4 * (i // 5) / 5)
        drafts.append(
            PinDraft(
                "320",
                lon,
                lat,
                "dark",
                "night",
                text=payload,
                token=f"x{i}",
                session_id=sessions[i].id,
            )
        )
    store.add_pins(drafts)
    pins = store.pins_in_quarter("320")
    for pin in pins[: len(pins) // 2]:  # half released (public), half waiting (moderation)
        store.release_text(pin.id, actor=ADMIN)
    for pin, payload in zip(pins, XSS, strict=True):
        store.flag_pin(pin.id, payload)
    server: AppServer = app_server_factory.start()
    dialogs: list[str] = []

    page = new_page(1400, 1000)

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # A participant of the first lab: in a sparse quarter only the own lab's pin shows.
    page.goto(f"{server.url}/?code={sessions[0].join_code}")
    page.get_by_text("Sie nehmen teil an:").wait_for(timeout=TIMEOUT_MS)
    frame = map_frame(page)
    frame = wait_for_pins(frame, 1)
    assert popup_texts(frame) == [XSS[0]]  # as text, exactly as typed
    page.get_by_text("Alle Hinweise als Liste").click()
    assert_nothing_ran(page, dialogs)

    log_in(page, server.url, "ada")
    page.get_by_role("link", name="Gemeinsame Karte").click()
    page.get_by_role("button", name="Brackel", exact=True).click()
    frame = map_frame(page)
    frame = wait_for_pins(frame, len(XSS))
    assert sorted(popup_texts(frame)) == sorted(XSS)  # staff read every text, as text
    page.get_by_text("Alle Hinweise als Liste").click()
    assert_nothing_ran(page, dialogs)
    for link, marker in (
        ("Quartierslabore", "Code zeigen"),
        ("Moderation", "Angegebener Grund:"),
        ("Planungskarte", "Angezeigte Hinweise"),
    ):
        page.get_by_role("link", name=link).click()
        page.get_by_text(marker).first.wait_for(timeout=TIMEOUT_MS)
        if link == "Quartierslabore":
            page.get_by_text("Code zeigen").first.click()
            page.get_by_text("Code für das Quartierslabor").wait_for(timeout=TIMEOUT_MS)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ARTIFACTS / f"xss-{link.lower()}.png"), full_page=True)
        assert_nothing_ran(page, dialogs)


def assert_nothing_ran(page: Any, dialogs: list[str]) -> None:
    for frame in page.frames:
        assert frame.evaluate(XSS_CHECK), frame.url
    assert dialogs == []


# The small map's marks and lines, with their visible labels, as Leaflet holds them.
NOTE_MAP_JS = """() => {
    const found = {marks: [], lines: 0};
    map_div.eachLayer(l => {
        if (l instanceof L.CircleMarker) {
            const tip = l.getTooltip();
            found.marks.push(tip ? tip.getElement().textContent.trim() : "");
        } else if (l instanceof L.Polyline && !(l instanceof L.Polygon) && !l.feature) {
            found.lines++;
        }
    });
    return found;
}"""


def test_a_moderator_sees_two_notes_on_one_map_and_confirms_a_doubtful_merge(
    app_server_factory: Any, new_page: Any
) -> None:
    store, _code = seed(app_server_factory.db_path)
    x, y = lonlat_to_metric(*load_districts().geometry("320").representative_point().coords[0])
    numbers = []
    for token, north_m, category in (("a", 0.0, "dark"), ("b", 400.0, "litter")):
        lon, lat = metric_to_lonlat(x, y + north_m)
        draft = PinDraft("320", lon, lat, category, "night", text=f"Text {token}", token=token)
        numbers.append(store.add_pin(draft).id)
    keep, other = numbers
    server: AppServer = app_server_factory.start()

    page = new_page()
    log_in(page, server.url, "mona")
    page.get_by_role("link", name="Moderation").click()
    page.get_by_text("Doppelte Hinweise zusammenführen").wait_for(timeout=TIMEOUT_MS)
    page.get_by_text("Texte, die auf Freigabe warten (2)").wait_for(timeout=TIMEOUT_MS)
    settle(page)
    assert page.locator(MAP_FRAME).count() == 0  # no map until asked for
    fill_in(page.get_by_label("Hinweis, der bleibt (Nr.)"), str(keep))
    settle(page)
    fill_in(page.get_by_label("Doppelter Hinweis, der darin aufgeht (Nr.)"), str(other))
    page.get_by_text("Abstand der beiden Hinweise: 400 m").wait_for(timeout=TIMEOUT_MS)
    frame = map_frame(page)
    shown = frame.evaluate(NOTE_MAP_JS)
    assert sorted(shown["marks"]) == sorted([f"Nr. {keep} (bleibt)", f"Nr. {other}"])
    assert shown["lines"] == 1
    page.get_by_text("Die beiden Hinweise liegen 400 m auseinander").wait_for()
    page.get_by_text("Die Hinweise nennen verschiedene Gründe").wait_for()
    page.get_by_text("Gestrichelte Linie").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "moderation-merge-preview.png"))

    page.get_by_role("button", name="Zusammenführen", exact=True).click()
    page.get_by_role("button", name="Trotzdem zusammenführen").wait_for(timeout=TIMEOUT_MS)
    assert store.merged_into(other) is None  # the first click only asks
    page.get_by_role("button", name="Trotzdem zusammenführen").click()
    page.get_by_text(f"Hinweis {other} gehört jetzt zu Hinweis {keep}.").wait_for(
        timeout=TIMEOUT_MS
    )
    assert store.merged_into(other) == keep
    # The whole page ran again, not only the merge part: the merged note left the queue.
    page.get_by_text("Texte, die auf Freigabe warten (1)").wait_for(timeout=TIMEOUT_MS)
