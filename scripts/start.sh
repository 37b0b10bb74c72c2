#!/usr/bin/env bash
# Goalpost, embedded: the first command of the README.
#
# On a fresh clone this makes .venv, installs the app, migrates a SQLite file, loads the demo
# people and sheets (printing their logins) and serves on http://localhost:${PORT:-8000}/.
# It needs no environment variables: SQLite, Celery tasks run at once in-process, e-mail is
# printed to this console. Set DATABASE_URL, CELERY_BROKER_URL, ... to use real services
# (docs/operations.md).
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

echo "==> serving on http://localhost:${PORT:-8000}/ (Ctrl-C stops)"
exec python manage.py runserver "0.0.0.0:${PORT:-8000}"
