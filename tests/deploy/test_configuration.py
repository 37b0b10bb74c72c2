"""Production refuses to start on a setting that would fail later, saying which; with the
documented production environment `check --deploy` is silent; .env.example, docker-compose.yml
and the Dockerfile agree with what the settings read."""

import re
import sys

import pytest
import yaml
from cryptography.fernet import Fernet

from config import deploy
from tests.deploy import processes as proc

pytestmark = pytest.mark.deploy

GOOD_KEY = "x7" * 20 + "abcdefghijklmnop"  # 56 varied characters
FERNET = Fernet.generate_key().decode()
ENV = {"SECRET_KEY": GOOD_KEY, "SSN_ENCRYPTION_KEYS": FERNET,
       "PUBLIC_URL": "https://goals.example.com"}


def problems(**changes):
    return deploy.production_problems({k: v for k, v in {**ENV, **changes}.items()
                                       if v is not None})


def test_it_accepts_the_documented_production_environment():
    assert problems() == []
    assert problems(PUBLIC_URL=None, ALLOWED_HOSTS="goals.example.com") == []
    assert problems(SSN_ENCRYPTION_KEYS=f"{Fernet.generate_key().decode()}, {FERNET}") == []


@pytest.mark.parametrize(("changes", "sentence"), [
    ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
    ({"SECRET_KEY": ""}, "SECRET_KEY is empty"),
    ({"SECRET_KEY": "   "}, "SECRET_KEY is empty"),
    ({"SECRET_KEY": "a" * 60}, "SECRET_KEY is too short"),
    ({"SECRET_KEY": "too-short-but-varied"}, "SECRET_KEY is too short (20 characters"),
    ({"SECRET_KEY": "insecure-placeholder-set-SECRET_KEY-in-.env"}, "published placeholder"),
    ({"SECRET_KEY": deploy.DEVELOPMENT_SECRET_KEY}, "published placeholder"),
    ({"SECRET_KEY": "django-insecure-" + "k" * 30 + "abcdefgh"}, "published placeholder"),
    ({"SSN_ENCRYPTION_KEYS": None}, "SSN_ENCRYPTION_KEYS is not set"),
    ({"SSN_ENCRYPTION_KEYS": " , "}, "SSN_ENCRYPTION_KEYS is not set"),
    ({"SSN_ENCRYPTION_KEYS": "not-a-key"}, "not a Fernet key (the key"),
    ({"SSN_ENCRYPTION_KEYS": f"{FERNET},short"}, "not a Fernet key (key 2 of 2"),
    ({"SSN_ENCRYPTION_KEYS": GOOD_KEY}, "not a Fernet key"),
    ({"PUBLIC_URL": None}, "ALLOWED_HOSTS is not set"),
    ({"PUBLIC_URL": None, "ALLOWED_HOSTS": "localhost,127.0.0.1,[::1]"},
     "ALLOWED_HOSTS is the development default"),
    ({"PUBLIC_URL": "goals.example.com"}, "PUBLIC_URL must be the address people open"),
    ({"PUBLIC_URL": "https://goals.example.com/app/"}, "without a path"),
])
def test_it_names_the_setting_that_would_fail(changes, sentence):
    [problem] = problems(**changes)
    assert sentence in problem
    assert problem.endswith(".") and "\n" not in problem


def test_manage_py_refuses_to_start_in_production_and_says_why_without_a_traceback(tmp_path):
    env = proc.production_environment(tmp_path, SECRET_KEY="", SSN_ENCRYPTION_KEYS="abc",
                                      PUBLIC_URL=None, ALLOWED_HOSTS=None)
    result = proc.manage("check", env=env)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Goalpost will not start with DEBUG off until these are fixed (see .env.example):",
        f"  - {deploy.secret_key_problem('')}",
        f"  - {deploy.ssn_keys_problem('abc')}",
        f"  - {deploy.allowed_hosts_problem(None, None)}",
    ]


def test_gunicorn_refuses_before_forking_a_worker(tmp_path):
    env = proc.production_environment(tmp_path, SECRET_KEY="changeme", PORT=str(proc.free_port()))
    result = proc.run(proc.venv_command(["gunicorn", "config.wsgi"]), env, timeout=60)
    assert result.returncode == 1
    assert "SECRET_KEY is a published placeholder" in result.stderr
    assert "Traceback" not in result.stderr and "Booting worker" not in result.stderr


def test_the_celery_worker_refuses_too(tmp_path):
    env = proc.production_environment(tmp_path, SSN_ENCRYPTION_KEYS=None)
    result = proc.run(proc.venv_command(["celery", "-A", "config", "worker", "-l", "info"]),
                      env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Goalpost will not start with DEBUG off until these are fixed (see .env.example):",
        f"  - {deploy.ssn_keys_problem(None)}"]


def test_check_deploy_prints_no_warning_with_the_documented_production_environment(tmp_path):
    env = proc.production_environment(tmp_path)
    result = proc.manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNINGS" not in result.stderr


def test_public_url_sets_hosts_origins_proxy_header_redirect_and_hsts(tmp_path):
    env = proc.production_environment(tmp_path, PUBLIC_URL="https://goals.example.com:8443")
    code = ("from django.conf import settings as s; print(s.ALLOWED_HOSTS, "
            "s.CSRF_TRUSTED_ORIGINS, s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, "
            "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
            "s.SITE_ROOT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)")
    result = proc.run([sys.executable, "-c", "import django; django.setup(); " + code], env)
    assert result.stdout.split(" ", 1)[0] == "['goals.example.com']"
    assert result.stdout.strip() == (
        "['goals.example.com'] ['https://goals.example.com:8443'] "
        "('HTTP_X_FORWARDED_PROTO', 'https') True 31536000 True True "
        "https://goals.example.com:8443 True True"), result.stderr
    # Each can still be set on its own.
    env.update(ALLOWED_HOSTS="a.example,b.example", SECURE_SSL_REDIRECT="0",
               SECURE_HSTS_SECONDS="600", SECURE_HSTS_PRELOAD="0")
    result = proc.run([sys.executable, "-c", "import django; django.setup(); " + code], env)
    assert result.stdout.startswith("['a.example', 'b.example'] ['https://goals.example.com:8443'] "
                                    "('HTTP_X_FORWARDED_PROTO', 'https') False 600 True False")


def test_production_keeps_database_connections_and_development_does_not(tmp_path):
    code = ("import django; django.setup(); from django.db import connection as c; "
            "print(c.settings_dict['CONN_MAX_AGE'], c.settings_dict['CONN_HEALTH_CHECKS'])")
    production = proc.production_environment(tmp_path)
    assert proc.run([sys.executable, "-c", code], production).stdout.strip() == "60 True"
    development = {"PATH": proc.os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert proc.run([sys.executable, "-c", code], development).stdout.strip() == "0 True"
    production["CONN_MAX_AGE"] = "0"  # an operator can still open one per request
    assert proc.run([sys.executable, "-c", code], production).stdout.strip() == "0 True"


@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit():
    # Short queries only: JIT compiling cost 20 ms on a 3 ms list (docs/benchmarks.md).
    from django.db import connection

    assert connection.vendor == "postgresql", "scripts/test.sh runs the suite on PostgreSQL"
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_email_links_follow_port_when_no_public_url_is_set(tmp_path):
    env = {"PATH": proc.os.environ["PATH"], "PORT": "8123",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = proc.run([sys.executable, "-c",
                       "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
                       " django.setup(); from django.conf import settings; "
                       "print(settings.SITE_ROOT, settings.DEBUG)"], env)
    assert result.stdout.strip() == "http://localhost:8123 True", result.stderr


@pytest.mark.parametrize(("name", "value", "sentence"), [
    ("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json (it is 'xml')."),
    ("LOG_LEVEL", "loud", "LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL"),
    ("FILE_STORAGE", "ftp", "FILE_STORAGE must be filesystem or s3 (it is 'ftp')."),
    ("FILE_STORAGE", "s3", "FILE_STORAGE=s3 needs S3_BUCKET"),
    ("CONN_MAX_AGE", "a minute", "CONN_MAX_AGE must be a whole number (it is 'a minute')."),
])
def test_a_malformed_optional_setting_is_named_too(tmp_path, name, value, sentence):
    env = proc.production_environment(tmp_path, **{name: value})
    result = proc.manage("check", env=env)
    assert result.returncode == 1 and sentence in result.stderr
    assert "Traceback" not in result.stderr


# The files an operator edits ------------------------------------------------------------------

def _settings_variables() -> set[str]:
    sources = "\n".join((proc.ROOT / name).read_text() for name in (
        "config/settings.py", "config/deploy.py", "gunicorn.conf.py", "scripts/healthcheck.py"))
    return set(re.findall(r'(?:getenv|envbool|envint|_int|environ\.get)\(\s*"([A-Z0-9_]+)"',
                          sources))


def _documented_variables() -> set[str]:
    text = (proc.ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_env_example_documents_every_variable_the_settings_read():
    read = _settings_variables() | {"DATABASE_URL"}  # dj-database-url reads that one
    assert len(read) > 40
    assert read - _documented_variables() == set()


def test_env_example_leaves_the_secrets_empty_so_nothing_starts_on_a_placeholder():
    text = (proc.ROOT / ".env.example").read_text()
    for name in ("SECRET_KEY", "SSN_ENCRYPTION_KEYS", "POSTGRES_PASSWORD"):
        assert re.search(rf"^{name}=$", text, flags=re.MULTILINE), name


COMPOSE = yaml.safe_load((proc.ROOT / "docker-compose.yml").read_text())


def test_compose_refuses_to_start_without_its_secrets():
    app = COMPOSE["x-app"]["environment"]
    for name in ("SECRET_KEY", "SSN_ENCRYPTION_KEYS", "PUBLIC_URL"):
        assert re.fullmatch(rf"\$\{{{name}:\?Set {name} in \.env[^}}]+\}}", app[name]), app[name]
    assert ":?Set POSTGRES_PASSWORD in .env" in app["DATABASE_URL"]
    assert ":?Set POSTGRES_PASSWORD" in COMPOSE["services"]["db"]["environment"][
        "POSTGRES_PASSWORD"]
    assert app["DEBUG"] == "0"
    compose_text = (proc.ROOT / "docker-compose.yml").read_text()
    assert "insecure-placeholder" not in compose_text and ":-goalpost}" not in compose_text


def test_compose_runs_the_readmes_commands_with_health_checks():
    services = COMPOSE["services"]
    readme = (proc.ROOT / "README.md").read_text()
    for service in ("web", "worker", "beat"):
        command = " ".join(services[service]["command"])
        assert command in readme, f"the README does not show `{command}`"
        assert services[service]["healthcheck"]["test"], service
        assert services[service]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"}
    assert services["web"]["healthcheck"]["test"] == [
        "CMD", "python", "scripts/healthcheck.py", "web"]
    assert "inspect ping" in services["worker"]["healthcheck"]["test"][1]
    assert services["beat"]["healthcheck"]["test"][-1] == "beat"
    assert services["web"]["ports"] == ["${BIND_ADDRESS:-127.0.0.1}:${WEB_PORT:-8000}:8000"]


def test_the_image_collects_static_files_with_the_manifest_and_has_a_health_check():
    dockerfile = (proc.ROOT / "Dockerfile").read_text()
    assert "STATIC_MANIFEST=1" in dockerfile
    assert "python manage.py collectstatic --noinput" in dockerfile
    assert 'CMD ["python", "scripts/healthcheck.py", "web"]' in dockerfile
    assert dockerfile.rstrip().endswith('CMD ["gunicorn", "config.wsgi"]')
    assert "SECRET_KEY=" not in dockerfile


def test_env_example_can_be_read_by_a_shell_as_the_readme_does(tmp_path):
    # `set -a; . ./.env; set +a` before the by-hand commands: every line must be valid shell.
    result = proc.run(["/bin/bash", "-euc", "set -a; . ./.env.example; set +a; "
                       'echo "$DEBUG $PUBLIC_URL [$SECRET_KEY]"'], {"PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "0 http://localhost:8000 []", result.stderr
