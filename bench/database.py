"""The bench scripts' own PostgreSQL databases: where each one lives, and making it anew."""

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg

SERVER = "postgres://postgres@127.0.0.1:5432"


def bench_database_url(name: str) -> str:
    """BENCH_DATABASE_URL if set, else the database `name` on the local server."""
    return os.environ.get("BENCH_DATABASE_URL") or f"{SERVER}/{name}"


def on_server_of(url: str, name: str) -> str:
    """The database `name` on the same server (and with the same user) as `url`."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}", query=""))


def _name_and_admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"The benchmarks need a PostgreSQL database URL, not {url!r}.")
    name = parts.path.lstrip("/")
    # A bench drops its database: only one named as a bench's, never a working or test one.
    if "bench" not in name or name.startswith("test_"):
        raise SystemExit(f"Refusing to drop {name!r}: a bench database has 'bench' in its name.")
    return name, urlunsplit(parts._replace(path="/postgres", query=""))


def drop_database(url: str) -> None:
    """Drops the database of `url` if it exists, closing Django's connections to it first
    (WITH (FORCE) ends any other session left on it, e.g. a bench run stopped half-way)."""
    from django.conf import settings

    if settings.configured:  # Django holds connections to it only once set up
        from django.db import connections

        connections.close_all()
    name, admin_url = _name_and_admin_url(url)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def recreate_database(url: str) -> None:
    """Drops the database of `url` and creates it empty (migrations are the caller's)."""
    drop_database(url)
    name, admin_url = _name_and_admin_url(url)
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
