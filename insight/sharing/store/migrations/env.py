"""Alembic's environment for the store: the database is the app's own (INSIGHT_DATABASE_URL, or
the SQLite file in the state folder), run through insight.sharing.store.migrate."""

from alembic import context

from insight.sharing.store import migrate

migrate.run_env(context)
