"""Expand → deploy → contract: the previous release's code still runs on the newest schema.

During a rolling update the migration runs first and the previous release keeps serving until
its pods are replaced (and a rollback runs it again on the new schema). So a new migration may
only *expand* (add tables, nullable or defaulted columns, indexes); dropping or renaming what the
previous release reads waits for a later release (*contract*). DEVELOPING.md states the rule;
this test enforces it, per service:

* the previous release is the commit before the one that added the service's newest migration
  (its head revision file, followed through renames): the code that ran before that schema;
* its ``libs/common`` and the service's tree are extracted with ``git archive`` into a
  temporary directory;
* a fresh PostgreSQL database is upgraded to the CURRENT head with the current migrations;
* a subprocess with the old sources first on PYTHONPATH runs tests/infra/previous_release_smoke.py:
  the old ``create_app``, a list and a write through its API (demo mode, test client).

About 3 s per service (one import of the old app, one migration run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from tests.infra.conftest import ROOT
from tests.infra.conftest import SERVICES
from yumiao_common.db.migrations import Migrations

pytestmark = pytest.mark.integration

SMOKE = Path(__file__).with_name("previous_release_smoke.py")
#: Statuses each smoke step must answer (the old code, on the new schema).
EXPECTED = {
    "registry": {"list": 200, "write": 201, "read_back": 200},
    "scoring": {"list": 200, "write": 200, "evaluate": 200},
    "notify": {"list": 200, "write": 200, "read_back": 200},
    "gateway": {"write": 201, "login": 200, "list": 200},
}


def git(*args: str) -> str:
    out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         check=True)
    return out.stdout.strip()


def head_revision_file(dist: str) -> tuple[Path, str | None]:
    """The newest migration's file (relative to the repo) and its parent revision."""
    script = ScriptDirectory(str(ROOT / dist / "migrations"))
    (head,) = script.get_heads()
    revision = script.get_revision(head)
    assert revision is not None and revision.path
    down = revision.down_revision
    assert down is None or isinstance(down, str), "merge revisions are not expected"
    return Path(revision.path).resolve().relative_to(ROOT), down


def previous_release(dist: str) -> str | None:
    """The commit whose code last ran before the newest migration existed (None: it is the
    service's first migration, so there is no previous release of this schema)."""
    path, down = head_revision_file(dist)
    added = git("log", "--follow", "--diff-filter=A", "--format=%H", "--", str(path)).split()
    if not added:  # not committed yet: the previous release is the current HEAD
        return git("rev-parse", "HEAD") if down is not None else None
    return f"{added[-1]}^" if down is not None else None


def extract(commit: str, paths: list[str], into: Path) -> None:
    archive = subprocess.run(["git", "archive", "--format=tar", commit, *paths], cwd=ROOT,
                             capture_output=True, timeout=60, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


@pytest.mark.parametrize("service", list(SERVICES))
def test_previous_release_runs_on_the_current_schema(
    service: str, make_pg_database: Callable[[str], str], tmp_path: Path
) -> None:
    dist = SERVICES[service][0]
    commit = previous_release(dist)
    if commit is None:
        # The newest migration is the first one: no release ever ran on an older schema.
        assert head_revision_file(dist)[1] is None
        return
    extract(commit, ["libs/common", dist], tmp_path)
    old_package = tmp_path / dist / "src" / service
    assert old_package.is_dir(), f"{service} does not exist at {commit}"

    url = make_pg_database(f"prev_{service}")
    Migrations(ROOT / dist, service.upper()).upgrade_head(url)

    prefix = service.upper()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(f"{prefix}_")},
        "PYTHONPATH": os.pathsep.join([str(tmp_path / dist / "src"),
                                       str(tmp_path / "libs/common/src")]),
        f"{prefix}_DATABASE_URL": url,
        f"{prefix}_DEMO_MODE": "true",
        f"{prefix}_LOG_LEVEL": "WARNING",
        "GATEWAY_RATELIMIT_ENABLED": "false",
    }
    run = subprocess.run([sys.executable, str(SMOKE), service], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"previous release ({commit}) failed:\n{run.stderr[-3000:]}"
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert Path(result["module"]).resolve().is_relative_to(tmp_path), "ran the current code"
    assert result["steps"] == EXPECTED[service], (
        f"{service} at {commit} on the current schema: {result['steps']}\n{run.stderr[-3000:]}")
