"""/foto/<id>.jpg: what any browser receives of a note's photo. Only released photos,
as clean JPEGs; a waiting, hidden or unknown one is a plain 404."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from rules.errors import StoreUnavailableError
from rules.roles import Actor, Role
from services.note_photos import Upload, prepare_uploads
from store import Store
from tests.asgi import Answer, get
from tests.conftest import StoreFactory
from tests.factories import make_draft
from tests.photo_samples import METADATA_MARKERS, phone_jpeg
from tests.services.test_participant_cookie import in_own_loop
from ui import web_app
from ui.note_photos import photo_address

MODERATOR = Actor(name="mona", role=Role.MODERATOR)


def fetch(path: str) -> tuple[int, dict[str, str], bytes]:
    """GET `path` from an app holding the photo route: status, headers, body."""
    app = Starlette(routes=[web_app.PHOTO_ROUTE])
    answers: list[Answer] = []

    async def one() -> None:
        answers.append(await get(app, path))

    in_own_loop(one())
    status, headers, body, _answered = answers[0]
    return status, headers, body


@pytest.fixture
def store(stores: StoreFactory, monkeypatch: pytest.MonkeyPatch) -> Store:
    opened = stores.open()
    monkeypatch.setattr(web_app.resources, "opened_store", lambda: opened)
    return opened


def _uploaded_phone_photo(store: Store) -> int:
    pin_id = store.add_pin(make_draft("t1", participant="tab-a")).id
    prepared = prepare_uploads([Upload("IMG_0001.JPG", phone_jpeg())])
    (photo_id,) = store.add_photos(pin_id, prepared.photos, participant="tab-a")
    return photo_id


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_a_photo_is_404_until_released_then_a_clean_jpeg(store: Store) -> None:
    photo_id = _uploaded_phone_photo(store)
    status, headers, body = fetch(photo_address(photo_id))
    assert (status, body) == (404, b"")
    assert headers["cache-control"] == "no-store"

    store.release_photo(photo_id, actor=MODERATOR)
    status, headers, body = fetch(photo_address(photo_id))
    assert status == 200
    assert headers["content-type"] == "image/jpeg"
    assert headers["cache-control"] == "public, max-age=300"
    assert headers["x-content-type-options"] == "nosniff"
    assert body.startswith(b"\xff\xd8\xff")
    for marker in METADATA_MARKERS:
        assert marker not in body, marker

    store.hide_photo(photo_id, actor=MODERATOR, reason="Kennzeichen lesbar")
    assert fetch(photo_address(photo_id))[0] == 404


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("path", ["/foto/999.jpg", "/foto/abc.jpg", "/foto/1.png", "/foto/-1.jpg"])
def test_unknown_photos_and_other_names_are_not_found(store: Store, path: str) -> None:
    _uploaded_phone_photo(store)
    assert fetch(path)[0] == 404


def test_a_store_that_cannot_be_reached_says_so_for_a_while(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def gone() -> Store:
        raise StoreUnavailableError("The database cannot be reached.")

    monkeypatch.setattr(web_app.resources, "opened_store", gone)
    status, headers, _body = fetch("/foto/1.jpg")
    assert status == 503 and headers["retry-after"] == "30"
