"""What production (DEBUG off) refuses to start with, and what one public address implies.

Pure functions of the environment, without Django, so that settings.py, gunicorn.conf.py and the
tests read the same rules. Each problem is one sentence that names the variable to fix.
"""

from urllib.parse import urlsplit

from cryptography.fernet import Fernet

DEVELOPMENT_SECRET_KEY = "goalpost-development-only-secret-key-change-me"
DEVELOPMENT_ALLOWED_HOSTS = "localhost,127.0.0.1,[::1]"
# Values that have been shipped in this repository or its docs, or that people type as a
# placeholder: each is public, so a site signed with it can be forged.
KNOWN_PLACEHOLDER_SECRET_KEYS = {
    DEVELOPMENT_SECRET_KEY,
    "insecure-placeholder-set-SECRET_KEY-in-.env",
    "collectstatic-only",
    "change-me",
    "changeme",
    "secret",
    "<a long random string>",
}
SECRET_KEY_MIN_LENGTH = 50
MAKE_SECRET_KEY = ('python -c "import secrets; print(secrets.token_urlsafe(50))"')
MAKE_FERNET_KEY = ('python -c "from cryptography.fernet import Fernet; '
                   'print(Fernet.generate_key().decode())"')


def split_list(value: str | None) -> list[str]:
    """A comma-separated variable as a list, blanks and surrounding spaces dropped."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def is_fernet_key(key: str) -> bool:
    """A Fernet key is 32 bytes in URL-safe base64 (44 characters)."""
    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return False
    return True


def secret_key_problem(value: str | None) -> str | None:
    if value is None:
        return f"SECRET_KEY is not set; set it to a long random value, e.g. from {MAKE_SECRET_KEY}."
    if not value.strip():
        return f"SECRET_KEY is empty; set it to a long random value, e.g. from {MAKE_SECRET_KEY}."
    if value in KNOWN_PLACEHOLDER_SECRET_KEYS or value.startswith("django-insecure"):
        return ("SECRET_KEY is a published placeholder, so anyone could forge sessions; set it to "
                f"a long random value, e.g. from {MAKE_SECRET_KEY}.")
    if len(value) < SECRET_KEY_MIN_LENGTH or len(set(value)) < 5:
        return (f"SECRET_KEY is too short ({len(value)} characters; at least "
                f"{SECRET_KEY_MIN_LENGTH} varied ones are needed); make one with "
                f"{MAKE_SECRET_KEY}.")
    return None


def ssn_keys_problem(value: str | None) -> str | None:
    keys = split_list(value)
    if not keys:
        return ("SSN_ENCRYPTION_KEYS is not set, so no SSN could be stored; set it to a Fernet key "
                f"of its own (not SECRET_KEY), e.g. from {MAKE_FERNET_KEY}.")
    bad = [str(number) for number, key in enumerate(keys, 1) if not is_fernet_key(key)]
    if bad:
        which = ("the key" if len(keys) == 1 else
                 f"key{'s' if len(bad) > 1 else ''} {', '.join(bad)} of {len(keys)}")
        return (f"SSN_ENCRYPTION_KEYS holds something that is not a Fernet key ({which}: a Fernet "
                f"key is 44 characters of URL-safe base64); make one with {MAKE_FERNET_KEY}.")
    return None


def allowed_hosts_problem(value: str | None, public_url: str | None) -> str | None:
    if public_url:  # the public address names the host
        return None
    if value is None or not split_list(value):
        return ("ALLOWED_HOSTS is not set; set it to the host name people use, e.g. "
                "goals.example.com (or set PUBLIC_URL=https://goals.example.com).")
    if ",".join(split_list(value)) == DEVELOPMENT_ALLOWED_HOSTS:
        return ("ALLOWED_HOSTS is the development default (localhost only); set it to the host "
                "name people use, e.g. goals.example.com (or set PUBLIC_URL).")
    return None


def public_url_problem(value: str | None) -> str | None:
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (f"PUBLIC_URL must be the address people open, with its scheme, e.g. "
                f"https://goals.example.com (it is {value!r}).")
    if parts.path.strip("/") or parts.query or parts.fragment:
        return (f"PUBLIC_URL must be the site's root address without a path, e.g. "
                f"https://goals.example.com (it is {value!r}).")
    return None


def production_problems(environ) -> list[str]:
    """Every reason production must not start with this environment, one sentence each."""
    public_url = public_url_from(environ)
    problems = [
        public_url_problem(public_url),
        secret_key_problem(environ.get("SECRET_KEY")),
        ssn_keys_problem(environ.get("SSN_ENCRYPTION_KEYS")),
        allowed_hosts_problem(environ.get("ALLOWED_HOSTS"), public_url),
    ]
    return [problem for problem in problems if problem]


def public_url_from(environ) -> str | None:
    """PUBLIC_URL, or SITE_ROOT, its older name (still read so existing .env files work)."""
    return (environ.get("PUBLIC_URL") or environ.get("SITE_ROOT") or "").strip() or None


def refusal(problems: list[str]) -> str:
    """The message production stops with: a line saying why, then one line per problem."""
    return "\n".join(["Goalpost will not start with DEBUG off until these are fixed "
                      "(see .env.example):", *(f"  - {p}" for p in problems)])


def is_debug(environ) -> bool:
    return environ.get("DEBUG", "True").strip().lower() in ("1", "true", "yes", "on")


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL: what a browser sends as Origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
