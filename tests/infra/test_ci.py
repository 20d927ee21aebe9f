"""The CI script checks what it can without a container engine or a registry."""

from __future__ import annotations

import os
import subprocess

from tests.infra.conftest import ROOT

CI = ROOT / ".ci" / "run"


def test_ci_script_is_valid_bash_and_executable() -> None:
    assert os.access(CI, os.X_OK)
    subprocess.run(["bash", "-n", str(CI)], check=True, timeout=30)


def test_ci_validates_compose_in_every_profile_where_compose_exists() -> None:
    script = CI.read_text(encoding="utf-8")
    assert "docker compose version" in script
    assert "--env-file .env.example config -q" in script
    assert "--profile demo config -q" in script


def test_ci_audits_the_runtime_lock_strictly() -> None:
    script = CI.read_text(encoding="utf-8")
    assert "pip-audit -r requirements.lock" in script
    assert "--require-hashes" in script and "--strict" in script
