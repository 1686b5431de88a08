"""Alembic migrations for both backends; run by store.migrate, never by hand."""
