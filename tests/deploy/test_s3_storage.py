"""The archive on an S3-compatible object store (FILE_STORAGE=s3, django-storages), against a
local S3 emulator this test starts (moto's server): the signed PDF and an export ZIP land in the
bucket, another machine with no shared folder reads and verifies them, and verify_archive sees a
changed or deleted object."""

import hashlib
import io
import sys
import zipfile

import boto3
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.archive import exports
from reviews.archive.exports import ExportFilters
from reviews.archive.models import ExportJob
from tests.archive import archive_helpers
from tests.deploy import processes as proc

pytestmark = pytest.mark.deploy

signed_sheet = archive_helpers.signed_sheet
BUCKET = "goalpost-archive"
KEYS = {"S3_ACCESS_KEY_ID": "goalpost-test", "S3_SECRET_ACCESS_KEY": "goalpost-test-secret",
        "S3_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server on a free loopback port, for this module's tests."""
    port = proc.free_port()
    log = tmp_path_factory.mktemp("s3") / "moto.log"
    env = {"PATH": proc.os.environ["PATH"], "HOME": str(log.parent)}
    with proc.started([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                      env, log):
        endpoint = f"http://127.0.0.1:{port}"
        proc.wait_for(lambda: _answers(endpoint), "the S3 emulator", log)
        yield endpoint


def _answers(endpoint) -> bool:
    try:
        _client(endpoint).list_buckets()
        return True
    except Exception:
        return False


def _client(endpoint):
    return boto3.client("s3", endpoint_url=endpoint, region_name=KEYS["S3_REGION"],
                        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
                        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"])


@pytest.fixture
def bucket(s3_endpoint, settings):
    """An empty bucket, and Django's default storage pointed at it as settings.py does for
    FILE_STORAGE=s3."""
    s3 = _client(s3_endpoint)
    s3.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": s3_endpoint,
                    "region_name": KEYS["S3_REGION"], "access_key": KEYS["S3_ACCESS_KEY_ID"],
                    "secret_key": KEYS["S3_SECRET_ACCESS_KEY"], "location": "",
                    "addressing_style": None, "file_overwrite": False, "default_acl": None,
                    "querystring_auth": True}}}
    yield s3
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for entry in page.get("Contents", []):
            s3.delete_object(Bucket=BUCKET, Key=entry["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def test_settings_build_the_same_s3_storage_from_the_environment(tmp_path, s3_endpoint):
    env = proc.production_environment(tmp_path, FILE_STORAGE="s3", S3_BUCKET=BUCKET,
                                      S3_ENDPOINT_URL=s3_endpoint, **KEYS)
    result = proc.run([sys.executable, "-c", "import django; django.setup(); "
                       "from django.core.files.storage import storages; s = storages['default']; "
                       "print(type(s).__name__, s.bucket_name, s.endpoint_url, "
                       "s.file_overwrite)"], env)
    assert result.stdout.strip() == f"S3Storage {BUCKET} {s3_endpoint} False", result.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_signed_pdf_and_an_export_are_stored_in_the_bucket_and_shared(
        bucket, signed_sheet, admin, period, tmp_path, s3_endpoint):
    archive = archive_helpers.archive_of(signed_sheet)
    assert archive.status == archive.Status.RENDERED, archive.error
    stored = bucket.get_object(Bucket=BUCKET, Key=archive.file.name)["Body"].read()
    assert stored.startswith(b"%PDF")
    assert hashlib.sha256(stored).hexdigest() == archive.sha256
    assert not (tmp_path / "media").exists()  # nothing went to a local folder

    job = exports.export_job_create(actor=admin, filters=ExportFilters(period_id=period.pk))
    job = exports.export_job_run(job.pk)
    assert job.status == ExportJob.Status.DONE, job.error
    zipped = bucket.get_object(Bucket=BUCKET, Key=job.file.name)["Body"].read()
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive_zip:
        names = archive_zip.namelist()
        assert "manifest.csv" in names
        [pdf_name] = [name for name in names if name.endswith(".pdf")]
        assert archive_zip.read(pdf_name) == stored
        assert "MISMATCH" not in archive_zip.read("manifest.csv").decode()

    # Another machine: no folder in common with this one, only the database and the bucket.
    other = tmp_path / "other-machine"
    env = proc.production_environment(other, FILE_STORAGE="s3", S3_BUCKET=BUCKET,
                                      S3_ENDPOINT_URL=s3_endpoint, **KEYS)
    result = proc.manage("verify_archive", "-v", "2", env=env)
    assert result.returncode == 0, result.stderr
    assert f"intact: sheet {signed_sheet.pk}, {archive.file.name}" in result.stdout
    assert result.stdout.strip().endswith(
        "Checked 1 archived PDF: 1 intact, 0 mismatched, 0 missing.")


def test_verify_archive_finds_a_changed_and_a_missing_object(bucket, signed_sheet, capsys):
    archive = archive_helpers.archive_of(signed_sheet)
    bucket.put_object(Bucket=BUCKET, Key=archive.file.name, Body=b"%PDF-1.7 altered")
    with pytest.raises(CommandError, match="0 intact, 1 mismatched, 0 missing") as refused:
        call_command("verify_archive")
    assert refused.value.returncode == 1
    assert f"MISMATCH: sheet {signed_sheet.pk}, {archive.file.name}: its SHA-256 is" in (
        capsys.readouterr().err)

    bucket.delete_object(Bucket=BUCKET, Key=archive.file.name)
    with pytest.raises(CommandError, match="0 intact, 0 mismatched, 1 missing"):
        call_command("verify_archive")
    assert "MISSING" in capsys.readouterr().err
