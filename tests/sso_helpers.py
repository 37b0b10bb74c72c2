"""A real OpenID Connect provider for the SSO tests: panva's oidc-provider (Node, OpenID
Certified; tests/sso/provider/) started as its own process on a free loopback port, and the
settings that point Goalpost at it."""

import json
import os
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PROVIDER_DIR = Path(__file__).resolve().parent / "sso" / "provider"
CLIENT_ID, CLIENT_SECRET = "goalpost", "test-secret-0123456789abcdef"
START_WAIT_S = 30  # a start-up budget on a busy machine, never asserted as a speed


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_provider(app_url: str, accounts: dict[str, dict]):
    """Starts the provider for an app at `app_url` (its callback and post-logout URLs are
    registered); yields the issuer URL. Fails loudly when node or the package is missing."""
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("tests/sso/provider/node_modules is missing: run "
                           "`npm install --prefix tests/sso/provider` (scripts/test.sh does).")
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "CLIENT_ID": CLIENT_ID,
           "CLIENT_SECRET": CLIENT_SECRET, "REDIRECT_URI": f"{app_url}/oidc/callback/",
           "POST_LOGOUT_REDIRECT_URI": f"{app_url}/accounts/login/",
           "ACCOUNTS": json.dumps(accounts)}
    process = subprocess.Popen(["node", "provider.mjs"], cwd=PROVIDER_DIR, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_WAIT_S
        while True:
            try:
                with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration",
                                            timeout=2) as response:
                    json.load(response)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.poll() is not None else ""
                    raise RuntimeError(f"The OIDC provider did not start: {output}") from None
                time.sleep(0.2)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def point_at(settings, issuer: str) -> None:
    """Goalpost's settings for the provider at `issuer` (as an operator would set them)."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{issuer}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{issuer}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/jwks"
    settings.OIDC_OP_END_SESSION_ENDPOINT = f"{issuer}/session/end"
    settings.AUTHENTICATION_BACKENDS = ["goalsapp.sso.backends.LocalPasswordBackend",
                                        "goalsapp.sso.backends.EmployeeOIDCBackend"]
