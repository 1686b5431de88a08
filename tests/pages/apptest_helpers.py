"""Drive the app in AppTest the way a participant would."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from rules.labs import LabSession
from rules.roles import Actor, Role
from store import Store, open_store
from tests.conftest import PROJECT_DIR
from tests.factories import hire_staff
from ui.auth import USER_KEY, StaffLogin

APP = str(PROJECT_DIR / "app.py")


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def open_page(page: str, role: Role | None = Role.PLANNER, name: str = "pia") -> AppTest:
    """Run the app on one of its pages ("pages/stadt/planer.py") as a logged-in staff member
    of `role` (None: a participant); fail on any exception."""
    at = AppTest.from_file(APP, default_timeout=120)
    if role is not None:
        ensure_account(name, role)
        at.session_state[USER_KEY] = StaffLogin(
            username=name, role=role, last_seen=datetime.now(UTC)
        )
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def ensure_account(name: str, role: Role) -> None:
    """The staff account a test logs in with exists in the app's database (SQ_DB),
    with that role: every page run checks the login against the store."""
    store = open_store(os.environ["SQ_DB"])
    if store.account(name) is not None:
        return
    if not store.has_users():
        store.create_user("root-admin", TEST_PASSWORD, Role.ADMIN, actor=None)
    store.create_user(name, TEST_PASSWORD, role, actor=Actor("root-admin", Role.ADMIN))


def open_quarter(at: AppTest, quarter_id: str) -> AppTest:
    at.button(key=f"quarter_{quarter_id}").click().run()
    return at


FACILITATOR = Actor(name="fa", role=Role.FACILITATOR)
TEST_PASSWORD = "ein-langes-test-passwort"


def open_lab(store: Store, quarter_id: str = "320", **fields: Any) -> LabSession:
    values: dict[str, Any] = {
        "title": "Quartierslabor Brackel",
        "held_on": date(2026, 11, 26),
        "place": "Bürgerhaus",
        "format": "lab_table",
    }
    values.update(fields)
    hire_staff(store, (FACILITATOR,))
    return store.open_session(quarter_id=quarter_id, actor=FACILITATOR, **values)


def join_lab(at: AppTest, code: str) -> AppTest:
    """Type the lab's code on the first screen and take part."""
    at.text_input(key="join_code").input(code)
    (submit_button,) = [b for b in at.button if b.key and b.key.startswith("FormSubmitter:join-")]
    submit_button.click().run()
    assert not at.exception, at.exception
    return at


def map_key(at: AppTest) -> str:
    """The st_folium widget's user key, taken from its element id."""
    maps = at.get("component_instance")
    assert len(maps) == 1, f"expected one map, found {len(maps)}"
    return str(maps[0].proto.id).rsplit("-", 1)[1]


def click_map(at: AppTest, lon: float, lat: float) -> AppTest:
    """Inject a click on the map, as streamlit-folium reports it."""
    at.session_state[map_key(at)] = {"last_clicked": {"lat": lat, "lng": lon}}
    at.run()
    return at


def _widget_key(at: AppTest, prefix: str) -> str:
    keys = [w.key for w in [*at.radio, *at.text_area] if w.key and w.key.startswith(prefix)]
    assert keys, f"no widget with key prefix {prefix!r}"
    return keys[0]


def fill_form(
    at: AppTest,
    *,
    category: str | None = "dark",
    time_band: str | None = "night",
    severity: int | None = None,
    text: str = "",
) -> AppTest:
    if category is not None:
        at.radio(key=_widget_key(at, "category_")).set_value(category)
    if time_band is not None:
        at.radio(key=_widget_key(at, "time_band_")).set_value(time_band)
    at.radio(key=_widget_key(at, "severity_")).set_value(severity)
    at.text_area(key=_widget_key(at, "text_")).input(text)
    return at


def submit(at: AppTest) -> AppTest:
    buttons = [b for b in at.button if b.key and b.key.startswith("FormSubmitter:pin_form_")]
    assert len(buttons) == 1, "the pin form is not shown"
    buttons[0].click().run()
    return at


def as_shown(source: str) -> str:
    """Markdown source as a person reads it: the escapes that keep typed text inert
    (ui.i18n.md) taken out."""
    return re.sub(r"\\(.)", r"\1", source)


def texts(elements: object) -> list[str]:
    return [str(e.value) for e in elements]  # type: ignore[attr-defined]


def capture_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The files a page offers for download, by file name, as they are offered: AppTest
    shows a download button but not its file, which Streamlit keeps in its media store."""
    files: dict[str, bytes] = {}
    keep = MemoryMediaFileStorage.load_and_get_id

    def remember(
        self: MemoryMediaFileStorage,
        data: bytes | str,
        mimetype: str,
        kind: MediaFileKind,
        filename: str | None = None,
    ) -> str:
        if filename:
            files[filename] = data.encode() if isinstance(data, str) else data
        return keep(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", remember)
    return files
