"""A photo with a note, in Chromium: a resident taps the map and adds a phone photo with
GPS in it; nobody sees it until a moderator (second browser) releases it; then the
note's popup shows it, and what the browser receives carries no metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from datapack.loading import load_districts
from rules.roles import Actor, Role
from tests.browser.conftest import ARTIFACTS, AppServer
from tests.browser.mapdriver import (
    PIN_JS,
    TIMEOUT_MS,
    log_in,
    map_frame,
    settle,
    tap,
    wait_for_pins,
)
from tests.browser.test_moderation import seed
from tests.photo_samples import METADATA_MARKERS, phone_jpeg

pytestmark = pytest.mark.browser

# The images in the first pin's popup, once each has loaded (or failed to).
POPUP_IMAGES_JS = f"""async () => {{
    const pin = ({PIN_JS})()[0];
    map_div.openPopup(pin.getPopup().setLatLng(pin.getLatLng()));
    const images = Array.from(pin.getPopup().getElement().querySelectorAll("img"));
    await Promise.all(images.map(i => i.decode().catch(() => null)));
    const found = images.map(i => ({{src: i.getAttribute("src"), alt: i.alt,
                                     loaded: i.naturalWidth}}));
    map_div.closePopup();
    return found;
}}"""


def test_a_photo_shows_in_the_popup_only_after_release_and_without_gps(
    app_server_factory: Any, new_page: Any, tmp_path: Path
) -> None:
    store, code = seed(app_server_factory.db_path)
    server: AppServer = app_server_factory.start()
    brackel = load_districts().geometry("320").representative_point()
    photo = tmp_path / "IMG_0815.JPG"
    photo.write_bytes(phone_jpeg(800, 600))

    resident = new_page(390, 844)
    resident.goto(f"{server.url}/?code={code}")
    frame = map_frame(resident)
    tap(frame, brackel.x, brackel.y)
    resident.get_by_text("Was macht den Ort unsicher?").wait_for(timeout=TIMEOUT_MS)
    resident.get_by_text("zu dunkel", exact=True).click()
    resident.get_by_text("abends", exact=True).click()
    resident.locator('input[type="file"]').set_input_files(str(photo))
    resident.get_by_text("IMG_0815.JPG").wait_for(timeout=TIMEOUT_MS)
    # With a file chosen, the uploader shows its own buttons ("Add files", "Remove …"):
    # named in German too (static/page.js), the icons hidden from screen readers.
    settle(resident)
    names = resident.locator('[data-testid="stFileUploader"] [aria-label]').evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert "Weitere Dateien wählen" in names, names
    assert not any("icon" in n or "Add" in n or "Remove" in n for n in names), names
    resident.get_by_role("button", name="Hinweis speichern").click()
    resident.get_by_text("Seine Fotos (und sein Text) werden gezeigt", exact=False).wait_for(
        timeout=TIMEOUT_MS
    )
    (photo_id,) = [p.id for p in store.pending_photos(actor=Actor("mona", Role.MODERATOR))]
    address = f"{server.url}/foto/{photo_id}.jpg"
    assert resident.request.get(address).status == 404
    frame = wait_for_pins(map_frame(resident), 1)
    assert frame.evaluate(POPUP_IMAGES_JS) == []

    moderator = new_page(1440, 900)
    log_in(moderator, server.url, "mona")
    moderator.get_by_role("link", name="Moderation").click()
    moderator.get_by_text("Fotos, die auf Freigabe warten (1)").wait_for(timeout=TIMEOUT_MS)
    settle(moderator)
    # Shown to the moderator from the store, not from the public address.
    shown = moderator.get_by_role("img", name=f"Foto {photo_id}, wartet auf Freigabe")
    assert "/foto/" not in (shown.get_attribute("src") or "")
    moderator.screenshot(path=str(ARTIFACTS / "moderation-photo.png"), full_page=True)
    moderator.get_by_role("button", name="Foto freigeben").click()
    moderator.get_by_text("Fotos, die auf Freigabe warten (0)").wait_for(timeout=TIMEOUT_MS)

    answer = resident.request.get(address)
    assert answer.status == 200 and answer.headers["content-type"] == "image/jpeg"
    body = answer.body()
    assert body.startswith(b"\xff\xd8\xff")
    for marker in METADATA_MARKERS:
        assert marker not in body, marker

    # The resident's map refreshes by itself; the popup shows the photo, loaded.
    images: list[dict[str, Any]] = []
    for _ in range(60):
        frame = map_frame(resident)
        images = frame.evaluate(POPUP_IMAGES_JS)
        if images:
            break
        resident.wait_for_timeout(500)
    assert images == [
        {"src": f"/foto/{photo_id}.jpg", "alt": "Foto zu diesem Hinweis", "loaded": 600}
    ]
