"""Alembic's environment: migrations run on the connection store.migrate hands over,
inside its transaction (which also holds the lock against concurrent migrators)."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
