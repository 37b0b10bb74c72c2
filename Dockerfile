# Goalpost's web image; the same image runs the Celery worker and beat (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_MANIFEST=1 \
    MEDIA_ROOT=/app/media

WORKDIR /app

# WeasyPrint (the archive PDFs) renders with Pango from the system; HarfBuzz's subsetter keeps
# embedding the shipped fonts fast. The PDF's fonts themselves come from static/fonts/.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*

# The runtime dependencies, read from pyproject.toml (its [project] dependencies, never the test
# extras), in a layer of their own so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; \
print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
    > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY . .

# Static files are collected into the image once, hashed and compressed (the manifest), and
# served by whitenoise. collectstatic needs no secrets, so it runs with the development settings
# (DEBUG=1); the containers themselves run with DEBUG=0 and refuse to start without their secrets.
RUN DEBUG=1 python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home-dir /app goalpost \
 && mkdir -p /app/media \
 && chown goalpost /app/media

USER goalpost
EXPOSE 8000

# Healthy when /readyz answers 200 (database, migrations, broker, storage); compose gives the
# worker and beat checks of their own.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "scripts/healthcheck.py", "web"]

# gunicorn.conf.py (beside manage.py) sets the bind address, workers, threads, timeouts and logs.
CMD ["gunicorn", "config.wsgi"]
