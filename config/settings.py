"""Goalpost settings: one file, every deployment difference read from the environment.

With nothing set, the app runs on a SQLite file, Celery runs tasks eagerly and e-mail goes to
the console, so a newcomer needs nothing else.
"""

import logging
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config import deploy, logs

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.getenv(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (it is {value!r}).") from None


# --- Deployment (issue 11): production fails closed -------------------------------------------
# With DEBUG off the app refuses to start, naming the variable, rather than answering 500 later
# (config/deploy.py holds the rules, shared with gunicorn.conf.py and the tests).
DEBUG = envbool("DEBUG", "True")
if not DEBUG and (_problems := deploy.production_problems(os.environ)):
    raise ImproperlyConfigured(deploy.refusal(_problems))
SECRET_KEY = os.getenv("SECRET_KEY") or deploy.DEVELOPMENT_SECRET_KEY

# --- Deployment (issue 11): one public address drives hosts, origins and HTTPS -----------------
# PUBLIC_URL (SITE_ROOT is its older name) is the address people open. Its host becomes
# ALLOWED_HOSTS and its origin CSRF_TRUSTED_ORIGINS; https:// turns on the proxy header, the SSL
# redirect and HSTS. Each one can still be set on its own.
PUBLIC_URL = deploy.public_url_from(os.environ)
_https = bool(PUBLIC_URL and PUBLIC_URL.startswith("https://"))
# Links in e-mails; without a public address, the local server on PORT (what start.sh serves).
SITE_ROOT = (PUBLIC_URL or f"http://localhost:{os.getenv('PORT') or '8000'}").rstrip("/")
ALLOWED_HOSTS = deploy.split_list(os.getenv("ALLOWED_HOSTS")) or (
    [urlsplit(PUBLIC_URL).hostname] if PUBLIC_URL
    else deploy.split_list(deploy.DEVELOPMENT_ALLOWED_HOSTS))
CSRF_TRUSTED_ORIGINS = deploy.split_list(os.getenv("CSRF_TRUSTED_ORIGINS")) or (
    [deploy.origin_of(PUBLIC_URL)] if PUBLIC_URL else [])
# The TLS proxy in front tells gunicorn the original scheme in X-Forwarded-Proto; trust it only
# behind such a proxy (it must overwrite the header a client sends).
if envbool("SECURE_PROXY_SSL_HEADER", str(_https)):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(_https))
# Health probes come over plain HTTP from inside the container network (config/health.py
# answers them before this redirect anyway).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000" if _https else "0")
# includeSubDomains covers only hosts below the site's own name; preload has no effect until
# the domain is submitted to the browsers' list, which only an apex domain can be.
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", str(_https))
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", str(_https))

INSTALLED_APPS = [
    "config.apps.GoalpostAdminConfig",  # the admin site, entered by the access policy
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API docs page's Swagger UI as static files, no CDN
    "goalsapp",
    # Built on goalsapp, which never imports them: single sign-on, the HRIS people sync and
    # the AR ledger with the collector KPIs computed from it.
    "goalsapp.sso",
    "goalsapp.people_sync",
    "goalsapp.ar",
    "mozilla_django_oidc",
    "reviews",
    # Built on the workflow core, which never imports them (docs/architecture.md).
    "reviews.archive",
    "reviews.notifications",
    "reviews.demo",
    "reviews.api",
]

MIDDLEWARE = [
    # Deployment (issue 11): a request id on every request and its log lines, then the health
    # probes, answered before host checks and HTTPS redirects (config/health.py).
    "config.logs.RequestIdMiddleware",
    "config.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # ETag / If-None-Match on the API's reads only (reviews/api/middleware.py).
    "reviews.api.middleware.ApiConditionalGetMiddleware",
    # Browser-side defences: the Content-Security-Policy, no-store on authenticated pages, and
    # login throttling (axes last, as its documentation asks).
    "config.security.ContentSecurityPolicyMiddleware",  # django-csp's, SSO-aware
    "config.security.NoStoreWhenSignedInMiddleware",
    "config.security.IdleSessionMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goalsapp.context_processors.access",
                "reviews.notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# No DATABASE_URL: a SQLite file beside manage.py. postgres://… uses psycopg 3.
# In production each worker keeps its connection between requests (opening one costs more than
# most pages take to render); the health check replaces one the server has closed. With DEBUG on
# (development, the embedded default) a connection lives for one request, as Django's default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=envint("CONN_MAX_AGE", "0" if DEBUG else "60"),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT compiles a query whose estimated cost is high, which a recursive query (a
# supervisor's line) always seems: 20 ms of compiling for a query that runs in 3
# (bench/pages.py). Goalpost's queries are short; JIT pays only for long analytical ones.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
# The queries every page runs first are prepared in the database session (planned once per
# connection: goalsapp/compiled_queries.py). Off behind a pooler that cannot keep prepared
# statements (PgBouncer in transaction mode before 1.21, or without max_prepared_statements).
DATABASE_PREPARED_STATEMENTS = envbool("DATABASE_PREPARED_STATEMENTS", "1")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# The REST API (reviews/api/, docs/api.md): tokens or the browser session, problem details.
API_RATE_LIMIT = os.getenv("API_RATE_LIMIT", "1200/min")  # per token (session: per user)
# A write's Idempotency-Key is remembered this long (a retry within it is answered from the
# record); beat purges older records hourly (reviews/api/tasks.py).
API_IDEMPOTENCY_HOURS = envint("API_IDEMPOTENCY_HOURS", "48")
# The cache holds the API's rate-limit counts, so every web process must share one: Redis at
# CACHE_URL (a database of its own). Without it each process counts alone in its own memory,
# which is right only for the embedded default's single process.
CACHE_URL = os.getenv("CACHE_URL", "")
CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
    "KEY_PREFIX": "goalpost",
    # A Redis that is down must not hold up a request: the rate limit then lets it through.
    "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
} if CACHE_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "reviews.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["reviews.api.permissions.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["reviews.api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "reviews.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "reviews.api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Goalpost API",
    "DESCRIPTION": "People, periods, goal sheets, progress and dashboards, read through the same "
                   "access policy as the pages. Errors are RFC 9457 problem details.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Single sign-on (goalsapp/sso/, docs/operations.md): OpenID Connect when OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = os.getenv("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.getenv("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.getenv("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_OP_AUTHORIZATION_ENDPOINT = os.getenv("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.getenv("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.getenv("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.getenv("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_OP_END_SESSION_ENDPOINT = os.getenv("OIDC_OP_END_SESSION_ENDPOINT", "")
OIDC_OP_LOGOUT_URL_METHOD = "goalsapp.sso.views.provider_logout_url"
OIDC_STORE_ID_TOKEN = True  # the hint for the provider's end-session endpoint
OIDC_CREATE_USER = False  # people come from the HRIS, never from a first sign-in
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
SSO_PROVIDER_NAME = os.getenv("SSO_PROVIDER_NAME", "your company account")
SSO_ONLY = envbool("SSO_ONLY", "False")  # passwords refused, except the break-glass admin's
SSO_BREAK_GLASS_USERNAME = os.getenv("SSO_BREAK_GLASS_USERNAME", "")
SSO_BACKENDS = [
    "goalsapp.sso.backends.LocalPasswordBackend",
    *(["goalsapp.sso.backends.EmployeeOIDCBackend"] if OIDC_RP_CLIENT_ID else []),
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inbox"
LOGOUT_REDIRECT_URL = "login"

# --- Browser-side defences (issue 12) ---------------------------------------------------------
# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is locked out for AXES_COOLOFF_MINUTES; an admin unlocks early by deleting the
# attempt in the admin ("Axes → Access attempts").
# Axes first, so a locked-out pair is refused before any password or SSO check; then the local
# password backend ("SSO only" narrows it to the break-glass admin) and the provider's.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", *SSO_BACKENDS]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "config.security.client_ip"
# No version banner on every process start (it broke one-object-a-line JSON logs); failures and
# lockouts are still logged, naming only the username and address.
AXES_VERBOSE = False
# Idle sessions end: requests renew the session (config.security.IdleSessionMiddleware), so
# only inactivity expires it.
SESSION_COOKIE_AGE = 60 * envint("SESSION_IDLE_MINUTES", "30")
# E-signature practice (reviews/esign.py): signing asks for the password again (or a fresh
# single sign-on) when the session's last sign-in is older than this.
SIGNING_REAUTH_MINUTES = envint("SIGNING_REAUTH_MINUTES", "5")
# Content-Security-Policy (django-csp 4): nothing inline, nothing from another origin. Bootstrap's
# icons are data: URIs. Violations are reported to /csp-report/ and logged.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": "/csp-report/",
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.getenv("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))

# --- Deployment (issue 11): where files go ------------------------------------------------------
# Static files: collected into STATIC_ROOT (the image does it at build time), hashed and
# compressed when STATIC_MANIFEST is on, served by whitenoise.
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
# The DejaVu fonts in static/fonts/ are read from disk by the PDF renderer and never sent to a
# browser: compressing them (brotli, 2 MB) was most of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf",
    "flv", "woff", "woff2", "ttf", "pdf")
# Archive PDFs and export ZIPs go through Django's storage API: a folder (MEDIA_ROOT, shared by
# web and worker) or, with FILE_STORAGE=s3, any S3-compatible object store (django-storages), so
# several web and worker machines share one archive.
FILE_STORAGE = os.getenv("FILE_STORAGE", "filesystem").strip().lower()
if FILE_STORAGE == "filesystem":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif FILE_STORAGE == "s3":
    if not os.getenv("S3_BUCKET"):
        raise ImproperlyConfigured("FILE_STORAGE=s3 needs S3_BUCKET, the bucket that holds the "
                                   "archive PDFs and exports.")
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.getenv("S3_BUCKET"),
            "endpoint_url": os.getenv("S3_ENDPOINT_URL") or None,  # empty: AWS itself
            "region_name": os.getenv("S3_REGION") or None,
            "access_key": os.getenv("S3_ACCESS_KEY_ID") or None,  # empty: boto3's own chain
            "secret_key": os.getenv("S3_SECRET_ACCESS_KEY") or None,
            "location": os.getenv("S3_PREFIX", ""),
            "addressing_style": os.getenv("S3_ADDRESSING_STYLE") or None,
            # Never overwrite: two runs saving the same name keep both, and the archive's claim
            # deletes the loser's copy, never the winner's.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    raise ImproperlyConfigured(f"FILE_STORAGE must be filesystem or s3 (it is {FILE_STORAGE!r}).")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("STATIC_MANIFEST", "False")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Archive PDFs (reviews/archive): exports of at most this many files stream straight to the
# browser; larger ones run as a background job. Uploads to the verification page are capped.
ARCHIVE_EXPORT_STREAM_LIMIT = envint("ARCHIVE_EXPORT_STREAM_LIMIT", "50")
ARCHIVE_VERIFY_MAX_BYTES = envint("ARCHIVE_VERIFY_MAX_BYTES", str(20 * 1024 * 1024))
# The largest AR export the "AR data" page accepts (docs/ar.md); larger loads use the API.
AR_UPLOAD_MAX_BYTES = envint("AR_UPLOAD_MAX_BYTES", str(100 * 1024 * 1024))
# A "rendering" claim older than this is a worker that died mid-render: another run may take it.
# Longer than any real render (seconds), shorter than the broker's redelivery below.
ARCHIVE_STALE_CLAIM_SECONDS = envint("ARCHIVE_STALE_CLAIM_SECONDS", "600")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# SSNs are encrypted with keys of their own, never SECRET_KEY: comma-separated Fernet keys, the
# first encrypts, all decrypt (so a key can be rotated). Unset in DEBUG: a development key is
# derived; unset in production: storing an SSN fails loudly.
SSN_ENCRYPTION_KEYS = deploy.split_list(os.getenv("SSN_ENCRYPTION_KEYS"))

# E-mail: console unless an SMTP host is given.
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = os.getenv("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))  # file backend
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "10")
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "Goalpost <goalpost@localhost>")

# Celery: no broker means every task runs in-process at once (the embedded default).
CELERY_TASK_ALWAYS_EAGER = not os.getenv("CELERY_BROKER_URL")
# Eager Celery still builds a producer for every task: without a broker named it would build one
# for AMQP on localhost and warn "No hostname was supplied" each time. In memory, it names none.
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL") or "memory://localhost"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.getenv("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ACKS_LATE = True
# A broker that is down must not hold up a user's page: short timeouts, one quick retry, then
# the caller logs it (reviews.notifications.queueing) and the next reminder sweep catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task a killed worker held unacknowledged (acks_late) goes back to the queue once it has been
# out this long: longer than the longest task (a big export job), as Redis cannot tell a slow
# worker from a dead one. Unacknowledged tasks are looked for every CELERY_RESTORE_INTERVAL s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1, "socket_timeout": 2,
    "visibility_timeout": envint("CELERY_VISIBILITY_TIMEOUT", "3600"),
    "unacked_restore_interval": envint("CELERY_RESTORE_INTERVAL", "10"),
    "unacked_restore_throttle": 1,
}
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0,
                                    "interval_step": 0.2, "interval_max": 0.2}
CELERY_TIMEZONE = TIME_ZONE
# Deployment (issue 11): beat keeps its schedule state here (compose: a path in /tmp) and wakes
# at least every minute, so the file's age tells a health check that beat is alive
# (scripts/healthcheck.py beat).
CELERY_BEAT_SCHEDULE_FILENAME = os.getenv("CELERY_BEAT_SCHEDULE_FILENAME", "celerybeat-schedule")
CELERY_BEAT_MAX_LOOP_INTERVAL = 60

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "True")
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", "True")

# --- Deployment (issue 11): logs ---------------------------------------------------------------
# Every line once, to standard error: Django's own handlers are replaced, Celery keeps these
# (config/celery.py) and gunicorn uses the same formats (gunicorn.conf.py). LOG_FORMAT=json writes
# one JSON object a line for log collectors. A refused request (403, 400) is one line; every line
# written while a request runs carries its request id (config/logs.py).
LOG_FORMAT = os.getenv("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json (it is {LOG_FORMAT!r}).")
LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL "
                               f"(it is {LOG_LEVEL!r}).")
LOGGING = logs.logging_config(LOG_FORMAT, LOG_LEVEL)
# Python warnings (a library's UserWarning) go through the same handler, as log lines.
logging.captureWarnings(True)
