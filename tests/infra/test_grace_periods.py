"""Every pod's termination grace period covers what its process does after SIGTERM.

Read from the rendered overlays and from the code's own defaults, so changing a gunicorn
timeout, a preStop sleep, a job grace or a sender batch without the grace period fails here:
* a web pod: the preStop sleep, then gunicorn's ``graceful_timeout`` for requests in flight;
* a jobs worker: ``<SVC>_JOB_GRACE_SECONDS`` for its running job, then handing it back;
* notify's sender: one batch (``delivery_prefetch`` deliveries on ``delivery_workers``
  threads, each bounded by the slower channel timeout) and its settle.
"""

from __future__ import annotations

import math
import os
import runpy
from typing import Any

import pytest

from tests.infra.conftest import ROOT

#: Seconds a stopping process needs beyond its own bound (closing, handing a job back).
MARGIN = 10


def deployments(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}


def grace(doc: dict[str, Any]) -> int:
    return int(doc["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30))


def container(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["spec"]["template"]["spec"]["containers"][0]  # type: ignore[no-any-return]


def gunicorn_conf(command: list[str]) -> dict[str, Any]:
    path = ROOT / command[command.index("-c") + 1]
    saved = dict(os.environ)
    try:  # the defaults, as a pod without overrides gets them
        for name in [n for n in os.environ if n.endswith(("_GRACEFUL_TIMEOUT", "_BIND"))]:
            del os.environ[name]
        return runpy.run_path(str(path))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_web_pods_outlast_the_pre_stop_sleep_and_gunicorns_graceful_timeout(
        rendered_overlay: tuple[str, list[dict[str, Any]]]) -> None:
    overlay, docs = rendered_overlay
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
    web = [d for d in deployments(docs).values() if container(d)["command"][0] == "gunicorn"]
    assert len(web) == 4
    for doc in web:
        main = container(doc)
        conf = gunicorn_conf(main["command"])
        prefix = doc["metadata"]["name"].upper()
        graceful = int(config.get(f"{prefix}_GRACEFUL_TIMEOUT", conf["graceful_timeout"]))
        sleep = main["lifecycle"]["preStop"]["exec"]["command"]
        assert sleep[0] == "sleep", doc["metadata"]["name"]
        needed = int(sleep[1]) + graceful
        assert grace(doc) >= needed, (overlay, doc["metadata"]["name"], grace(doc), needed)


@pytest.mark.parametrize("service", ["registry", "scoring"])
def test_jobs_workers_outlast_their_job_grace(
        rendered_overlay: tuple[str, list[dict[str, Any]]], service: str) -> None:
    overlay, docs = rendered_overlay
    settings = __import__(f"{service}.settings", fromlist=["Settings"]).Settings()
    doc = deployments(docs)[f"{service}-jobs"]
    assert container(doc)["command"] == ["python", "-m", f"{service}.jobs"]
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
    job_grace = int(config.get(f"{service.upper()}_JOB_GRACE_SECONDS",
                               settings.job_grace_seconds))
    assert grace(doc) >= job_grace + MARGIN, (overlay, grace(doc), job_grace)


def test_the_sender_outlasts_one_batch(
        rendered_overlay: tuple[str, list[dict[str, Any]]]) -> None:
    from notify.settings import Settings

    overlay, docs = rendered_overlay
    settings = Settings()
    rounds = math.ceil(settings.delivery_prefetch / settings.delivery_workers)
    push = max(settings.smtp_timeout_seconds, settings.webhook_timeout_seconds)
    batch = rounds * push
    doc = deployments(docs)["notify-sender"]
    assert grace(doc) >= batch + MARGIN, (overlay, grace(doc), batch)
