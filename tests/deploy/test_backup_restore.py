"""The backup and restore procedure of docs/operations.md, command for command: pg_dump, then the
archive folder; restored into a new database and folder, `migrate --check` and `verify_archive`
pass; a changed or missing PDF makes verify_archive exit 1 and say which."""

import subprocess
import uuid

import pytest

from tests.archive import archive_helpers
from tests.deploy import processes as proc

pytestmark = [pytest.mark.deploy,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

signed_sheet = archive_helpers.signed_sheet


def sh(command: str, env: dict) -> subprocess.CompletedProcess:
    """A line of the documented procedure, run by the shell as an operator would."""
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=proc.ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture
def restore_database_url():
    """An empty database beside the test database, dropped afterwards."""
    source = proc.test_database_url()
    name = f"{source.rsplit('/', 1)[1]}_restored_{uuid.uuid4().hex[:8]}"
    server = source.rsplit("/", 1)[0]
    env = {"PATH": proc.os.environ["PATH"]}
    sh(f"createdb --maintenance-db={server}/postgres {name}", env)
    yield f"{server}/{name}"
    sh(f"dropdb --if-exists --maintenance-db={server}/postgres {name}", env)


def test_a_backup_restores_into_a_new_database_and_folder_and_verifies(
        signed_sheet, settings, tmp_path, restore_database_url):
    archive = archive_helpers.archive_of(signed_sheet)
    backups = tmp_path / "backups"
    backups.mkdir()
    env = proc.production_environment(tmp_path / "old", MEDIA_ROOT=str(settings.MEDIA_ROOT))
    env["BACKUP_DIR"] = str(backups)

    # Backup: the database first, then the files (a PDF is stored before its record, so every
    # record in the dump has its file in the copy taken after it).
    sh('pg_dump --format=custom --no-owner --file="$BACKUP_DIR/goalpost.dump" "$DATABASE_URL"',
       env)
    sh('tar -C "$MEDIA_ROOT" -czf "$BACKUP_DIR/goalpost-media.tar.gz" archive', env)

    # Restore on a new machine: an empty database and an empty media folder.
    new_media = tmp_path / "new-media"
    new_media.mkdir()
    restored = proc.production_environment(tmp_path / "new", DATABASE_URL=restore_database_url,
                                           MEDIA_ROOT=str(new_media))
    restored["BACKUP_DIR"] = str(backups)
    sh('pg_restore --no-owner --dbname="$DATABASE_URL" "$BACKUP_DIR/goalpost.dump"', restored)
    sh('tar -C "$MEDIA_ROOT" -xzf "$BACKUP_DIR/goalpost-media.tar.gz"', restored)
    sh("python manage.py migrate --check", restored)
    verified = sh("python manage.py verify_archive", restored)
    assert verified.stdout.strip() == "Checked 1 archived PDF: 1 intact, 0 mismatched, 0 missing."

    # A file changed since the backup was taken: exit 1, and which file.
    restored_pdf = new_media / archive.file.name
    restored_pdf.write_bytes(restored_pdf.read_bytes() + b"\n% appended")
    changed = proc.manage("verify_archive", env=restored)
    assert changed.returncode == 1
    assert f"MISMATCH: sheet {signed_sheet.pk}, {archive.file.name}: its SHA-256 is" in (
        changed.stderr)
    assert "0 intact, 1 mismatched, 0 missing." in changed.stderr

    restored_pdf.unlink()
    missing = proc.manage("verify_archive", env=restored)
    assert missing.returncode == 1
    assert (f"MISSING: sheet {signed_sheet.pk}, {archive.file.name}: the file is not in storage"
            in missing.stderr)


def test_verify_archive_against_an_empty_database_says_what_to_do(tmp_path,
                                                                    restore_database_url):
    env = proc.production_environment(tmp_path, DATABASE_URL=restore_database_url)
    result = proc.manage("verify_archive", env=env)
    assert result.returncode == 2
    assert "Could not read the archive records from the database" in result.stderr
    assert "has `manage.py migrate` run?" in result.stderr
    assert "Traceback" not in result.stderr
