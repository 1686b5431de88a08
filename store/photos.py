"""Photos of notes (schema 0010): stored in the database, so every app process sees
them; pre-moderated, public only once released."""

from __future__ import annotations

from store.base import StoreBase


class PhotoStore(StoreBase):
    pass
