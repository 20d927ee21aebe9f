"""Each service's Dockerfile follows the one pattern and can actually build from the repo root.

No Docker engine runs here, so the checks are static: the instructions are parsed and every
source a COPY takes from the build context (the repository root) must exist, the final stage
runs as a numeric non-root user, serves the gunicorn command of DEVELOPING.md and checks
``/healthz``, and no secret is baked in.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.infra.conftest import ROOT
from tests.infra.conftest import SERVICES

SECRETISH = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY\b|CREDENTIAL", re.IGNORECASE)


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or (line.startswith("#") and not pending):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    return [(ins.split(None, 1)[0].upper(), ins.split(None, 1)[1]) for ins in joined]


def final_stage(parsed: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last_from = max(i for i, (ins, _) in enumerate(parsed) if ins == "FROM")
    return parsed[last_from:]


def dockerfile(service: str) -> Path:
    return ROOT / SERVICES[service][0] / "Dockerfile"


@pytest.fixture(params=sorted(SERVICES))
def service(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_every_service_has_a_dockerfile(service: str) -> None:
    assert dockerfile(service).is_file()


def test_copy_sources_exist_in_the_build_context(service: str) -> None:
    copies = [args for ins, args in instructions(dockerfile(service)) if ins in ("COPY", "ADD")]
    context_copies = [shlex.split(a) for a in copies if "--from=" not in a]
    assert context_copies, "the image copies nothing from the repository"
    for parts in context_copies:
        sources = [p for p in parts[:-1] if not p.startswith("--")]
        for source in sources:
            assert (ROOT / source).exists(), f"COPY source {source} missing from the repo root"


def test_copies_libs_common_and_its_own_tree(service: str) -> None:
    parts = [shlex.split(a) for ins, a in instructions(dockerfile(service)) if ins == "COPY"]
    sources = {p.rstrip("/") for cmd in parts for p in cmd[:-1] if not p.startswith("--")}
    assert {"libs/common", SERVICES[service][0]} <= sources


def test_multi_stage_on_python_3_11_slim(service: str) -> None:
    parsed = instructions(dockerfile(service))
    args = " ".join(a for ins, a in parsed if ins == "ARG")
    froms = [a for ins, a in parsed if ins == "FROM"]
    assert len(froms) >= 2, "build and runtime stages"
    assert "python:3.11-slim" in args or all("python:3.11-slim" in f for f in froms)


def test_runs_as_numeric_non_root_user(service: str) -> None:
    users = [a for ins, a in final_stage(instructions(dockerfile(service))) if ins == "USER"]
    assert users, "final stage must set USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) > 0, "numeric and not root (runAsNonRoot can verify it)"


def test_cmd_is_the_documented_gunicorn_command(service: str, processes: set[str]) -> None:
    cmds = [a for ins, a in final_stage(instructions(dockerfile(service))) if ins == "CMD"]
    command = json.loads(cmds[-1])
    assert command == ["gunicorn", "-c", f"{SERVICES[service][0]}/gunicorn.conf.py"]
    assert " ".join(command) in processes


def test_healthcheck_probes_healthz_on_the_service_port(service: str) -> None:
    stage = final_stage(instructions(dockerfile(service)))
    checks = [a for ins, a in stage if ins == "HEALTHCHECK"]
    port = SERVICES[service][1]
    assert checks and f"127.0.0.1:{port}/healthz" in checks[-1]
    assert ("EXPOSE", str(port)) in stage
    binds = " ".join(a for ins, a in stage if ins == "ENV")
    assert f"{service.upper()}_BIND=0.0.0.0:{port}" in binds


def test_no_secret_is_baked_in(service: str) -> None:
    for ins, args in instructions(dockerfile(service)):
        if ins in ("ENV", "ARG", "LABEL"):
            assert not SECRETISH.search(args), f"{ins} {args} looks like a secret"


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", ".env", "var"} <= ignored
    assert "libs" not in ignored and "services" not in ignored and "gateway" not in ignored


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM a AS b\nCOPY x \\\n  y/\n", [("FROM", "a AS b"), ("COPY", "x y/")]),
        ("# c\nRUN a \\\n # inner\n && b\n", [("RUN", "a && b")]),
    ],
)
def test_instruction_parser(tmp_path: Path, text: str, expected: list[tuple[str, str]]) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    assert [(i, " ".join(a.split())) for i, a in instructions(path)] == expected
