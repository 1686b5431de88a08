"""Residents who follow their note by e-mail (schema 0010): the address apart from the
note, confirmed by a link, and every mail sent remembered."""

from __future__ import annotations

from store.base import StoreBase


class FollowStore(StoreBase):
    pass
