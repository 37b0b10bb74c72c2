"""scripts/pdf-libs.sh as start.sh and test.sh source it, on a host where apt cannot install
(held lock, no network) or is absent: the start goes on and says what is missing; apt is
retried, waiting for the lock each time."""

import shutil
import subprocess
import sys

import pytest

from tests.deploy import processes as proc

pytestmark = pytest.mark.deploy

INSTALLED = "libpango-1.0-0 libpangoft2-1.0-0"


def _host(tmp_path, *, apt: bool, installed: str = INSTALLED) -> dict:
    """A PATH whose dpkg-query knows only `installed` and whose apt-get always fails (as when
    another install holds the lock for longer than it waits), logging its arguments."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    env = proc.production_environment(tmp_path, APT_RETRY_DELAY="0")
    if not apt:  # a host without apt or dpkg: only the few tools the script needs besides them
        for tool in ("grep", "id", "sleep"):
            (stubs / tool).symlink_to(shutil.which(tool))
        (stubs / "python").write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
        (stubs / "python").chmod(0o755)
        env["PATH"] = str(stubs)
        return env
    (stubs / "dpkg-query").write_text(
        '#!/bin/sh\nfor arg; do package="$arg"; done\nfor lib in ' + installed + "; do\n"
        '  [ "$package" = "$lib" ] && { printf "install ok installed"; exit 0; }\ndone\nexit 1\n')
    if apt:
        (stubs / "apt-get").write_text(
            f'#!/bin/sh\necho "$@" >> {tmp_path}/apt.log\n'
            'echo "E: Could not get lock /var/lib/dpkg/lock-frontend" >&2\nexit 100\n')
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    env["PATH"] = f"{stubs}:{env['PATH']}"
    return env


def _source(env, required="0") -> subprocess.CompletedProcess:
    return subprocess.run(
        ["/bin/bash", "-c", f"set -euo pipefail; PDF_LIBS_REQUIRED={required} "
         "source scripts/pdf-libs.sh; echo 'the start goes on'"],
        cwd=proc.ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_an_optional_library_apt_cannot_install_does_not_stop_the_start(tmp_path):
    result = _source(_host(tmp_path, apt=True))
    assert result.returncode == 0 and "the start goes on" in result.stdout, result.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls == ["-o DPkg::Lock::Timeout=300 -q update -qq"] * 3  # waits for the lock, 3 tries
    assert "apt-get could not install libharfbuzz-subset0" in result.stderr
    assert ("without libharfbuzz-subset0 the PDFs still render, but embedding their fonts takes "
            "a slower pure-Python path") in result.stderr


def test_a_host_without_apt_starts_without_asking_for_it(tmp_path):
    result = _source(_host(tmp_path, apt=False))
    assert result.returncode == 0 and "the start goes on" in result.stdout, result.stderr
    assert "apt-get" not in result.stderr


def test_the_tests_still_require_pango_itself(tmp_path):
    # WeasyPrint imports here (Pango is installed), so even test.sh's strict mode goes on.
    result = _source(_host(tmp_path, apt=False), required="1")
    assert result.returncode == 0, result.stderr
