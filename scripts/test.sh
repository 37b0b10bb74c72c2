#!/usr/bin/env bash
# Goalpost's checks: the second command of the README, and what CI runs (.ci/run).
#
#   scripts/test.sh                 lint, migrations check, the whole pytest suite
#   scripts/test.sh -m "not browser"   extra arguments go to pytest as they are
#
# Tests run against a real PostgreSQL (DATABASE_URL, default the local server) and drive the
# Debian Chromium through Playwright; this script makes sure both are there and fails loudly
# when they are not: it never skips. The exit code is pytest's own (5 means no test collected).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() { echo "test.sh: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Python environment -------------------------------------------------------------------
source scripts/venv.sh

echo "==> installing Goalpost with its test extras into .venv"
python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# --- The OpenID Connect provider the SSO tests start (panva's oidc-provider, from npm) --------
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "==> installing Debian's nodejs and npm"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq nodejs npm
fi
if [ ! -d tests/sso/provider/node_modules/oidc-provider ]; then
    echo "==> installing the test OIDC provider into tests/sso/provider/node_modules"
    npm install --prefix tests/sso/provider --no-audit --no-fund --loglevel=error
fi

# --- Chromium for the browser tests: Debian's build, never a browser download --------------
if [ ! -x /usr/bin/chromium ]; then
    echo "==> installing Debian's chromium"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq chromium
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium is still missing after apt-get install"

# --- Pango for WeasyPrint (the archive PDFs), from Debian like Chromium ------------------
PDF_LIBS_REQUIRED=1 source scripts/pdf-libs.sh

# --- axe-core for the accessibility checks, from the npm registry as a file ---------------
if ! command -v npm >/dev/null; then
    echo "==> installing Debian's npm"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq npm
fi
bash scripts/axe.sh

# --- PostgreSQL ---------------------------------------------------------------------------
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "==> starting PostgreSQL"
    [ -d /etc/postgresql ] || die "PostgreSQL is not installed (no /etc/postgresql)"
    pg_version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start || true
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && break
        sleep 1
    done
fi
pg_isready -h 127.0.0.1 -p 5432 || die "PostgreSQL is not reachable on 127.0.0.1:5432"

# --- Redis --------------------------------------------------------------------------------
if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null || true)" != "PONG" ]; then
    echo "==> starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
    for _ in $(seq 1 30); do
        [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null || true)" = "PONG" ] && break
        sleep 1
    done
fi
[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null || true)" = "PONG" ] \
    || die "Redis is not reachable on 127.0.0.1:6379"

# --- Environment for the tests ------------------------------------------------------------
# The database: pytest-django creates test_<name> itself (the user is a superuser); the named
# database is made too when it is the default one, so Django's own checks can connect to it.
default_database_url="postgres://postgres@127.0.0.1:5432/goalpost"
if [ -z "${DATABASE_URL:-}" ]; then
    export DATABASE_URL="$default_database_url"
    if ! psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc \
            "SELECT 1 FROM pg_database WHERE datname = 'goalpost'" | grep -q 1; then
        echo "==> creating the database goalpost"
        createdb -h 127.0.0.1 -p 5432 -U postgres goalpost
    fi
fi
# Redis for the tests that need a real broker: a database number of the tests' own (never 0,
# which other software on the host uses), emptied by those tests before and after them.
# CELERY_BROKER_URL stays unset so that every other test runs its tasks eagerly.
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"
redis_db="${REDIS_URL##*/}"
redis_db="${redis_db%%\?*}"
[[ "$redis_db" =~ ^[0-9]+$ ]] \
    || die "REDIS_URL=$REDIS_URL names no database number; add one, e.g. redis://127.0.0.1:6379/15"
[ "$redis_db" != 0 ] \
    || die "REDIS_URL=$REDIS_URL is Redis database 0; the tests flush theirs, pick another number"

echo "==> DATABASE_URL=${DATABASE_URL%%\?*}  REDIS_URL=$REDIS_URL"

# --- The checks ---------------------------------------------------------------------------
echo "==> ruff check ."
ruff check .

echo "==> makemigrations --check"
python manage.py makemigrations --check --dry-run

echo "==> pytest $*"
exec pytest "$@"
