#!/usr/bin/env bash
# Goalpost, embedded: the first command of the README.
#
# On a fresh clone this makes .venv, installs the app, migrates a SQLite file, loads the demo
# people and sheets (printing their logins) and serves on http://localhost:${PORT:-8000}/.
# It needs no environment variables: SQLite, Celery tasks run at once in-process, e-mail is
# printed to this console. Set DATABASE_URL, CELERY_BROKER_URL, ... to use real services
# (docs/operations.md).
#
# The demo's passwords are published, so it listens on 127.0.0.1 only; HOST=0.0.0.0 opens it
# to the network. PORT changes the port, and the links in the demo's e-mails follow it.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/venv.sh

echo "==> installing Goalpost into .venv"
python -m pip install --quiet --disable-pip-version-check -e .
source scripts/pdf-libs.sh

echo "==> migrating the database"
python manage.py migrate --noinput

echo "==> loading the demo data"
python manage.py demo

host="${HOST:-127.0.0.1}"
port="${PORT:-8000}"
export PORT="$port"  # the e-mails' links (settings.SITE_ROOT) use the same port
case "$host" in
    127.*|localhost|::1) ;;
    *) echo "==> WARNING: HOST=$host serves the demo, whose passwords are published, to" \
            "the network" >&2 ;;
esac
echo "==> serving on http://localhost:$port/ (listening on $host only; Ctrl-C stops)"
if [[ "$host" == *:* ]]; then host="[$host]"; fi
exec python manage.py runserver "$host:$port"
