"""A Celery worker killed (SIGKILL) in the middle of rendering a signed sheet's archive PDF:
Redis hands the unacknowledged task to the next worker once its visibility timeout passes,
that run takes over the dead worker's stale claim, and exactly one archive is stored."""

import hashlib
import os
import signal

import pytest
from django.conf import settings

from goalsapp.models import SheetState
from reviews.archive.models import SheetArchive
from tests.deploy import processes
from tests.faults.fault_helpers import OwnRedis, broker, celery_worker, worker_environment
from tests.workflow_helpers import advance

pytestmark = [pytest.mark.redis,
              pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("postgresql_only")]

# Short on purpose: production keeps 3600 s and 600 s (docs/operations.md).
FAST_RECOVERY = {"CELERY_VISIBILITY_TIMEOUT": "3", "CELERY_RESTORE_INTERVAL": "1",
                 "ARCHIVE_STALE_CLAIM_SECONDS": "2"}


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


def test_a_worker_killed_mid_render_ends_with_exactly_one_archive(own_redis, tmp_path, sheet,
                                                                  hr):
    media = settings.MEDIA_ROOT
    started = tmp_path / "render-started"
    env = worker_environment(own_redis.url, tmp_path, media, **FAST_RECOVERY)
    first_log, second_log = tmp_path / "worker-1.log", tmp_path / "worker-2.log"
    with celery_worker({**env, "FAULT_RENDER_STARTED": str(started),
                        "FAULT_RENDER_PAUSE": "600"}, first_log,
                       "--include=tests.faults.slow_render_helpers") as first:
        with broker(own_redis.url):
            advance(sheet, SheetState.SIGNED, hr_user=hr.user)  # HR's signature queues it
        processes.wait_for(started.exists, "the first worker to start rendering", first_log)
        os.kill(first.pid, signal.SIGKILL)
        first.wait()

    archive = SheetArchive.objects.get(sheet=sheet)
    assert (archive.status, archive.file.name) == (SheetArchive.Status.RENDERING, "")
    assert not list(media.glob("archive/**/*.pdf"))  # killed mid-render: nothing stored

    with celery_worker(env, second_log):
        def stored():
            archive.refresh_from_db()
            return archive.status == SheetArchive.Status.RENDERED
        processes.wait_for(stored, "the redelivered rendering", second_log)

    files = list(media.glob("archive/**/*.pdf"))
    assert SheetArchive.objects.filter(sheet=sheet).count() == 1
    assert len(files) == 1
    assert files[0].name == os.path.basename(archive.file.name)
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == archive.sha256
    assert archive.attempts == 2  # the dead worker's claim, then the one that stored it
    assert "archive.render_archive" in second_log.read_text()
