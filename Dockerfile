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

# Static files are collected into the image once, hashed and compressed, and served by whitenoise.
RUN SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home-dir /app goalpost \
 && mkdir -p /app/media \
 && chown goalpost /app/media

USER goalpost
EXPOSE 8000

CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
