"""Jobs in a thread: the request that starts one does not wait for it (transactional: real commits)."""

from __future__ import annotations

import threading
import time

from laborcredit.jobs.models import Job
from laborcredit.jobs.runner import job_start


def test_in_a_thread_the_page_returns_before_the_work_ends(transactional_db, settings):
    settings.LABORCREDIT_JOBS_INLINE = False
    release = threading.Event()

    def work(job, progress):
        assert release.wait(10)
        return {"ok": True}

    job = job_start(kind="demo", title="测试", actor="officer", params={}, work=work)
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
    release.set()
    for _ in range(100):
        if Job.objects.get(pk=job.pk).status != Job.Status.RUNNING:
            break
        time.sleep(0.05)
    assert Job.objects.get(pk=job.pk).result == {"ok": True}
