"""The lock files pin every dependency the project declares, with hashes, and are what installs.

Cheap and offline: names are parsed from the pyproject files, requirements-dev.txt and the two
locks. A dependency added to a pyproject.toml or requirements-dev.txt without `make lock` fails
here (and `make venv` would not install it: the local distributions go in with ``--no-deps``).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from tests.infra.conftest import ROOT

RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def lock_inputs() -> ModuleType:
    """scripts/lock_inputs.py, the one reader of the pyproject files that `make lock` uses."""
    spec = importlib.util.spec_from_file_location("lock_inputs", ROOT / "scripts/lock_inputs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LOCK_INPUTS = lock_inputs()


def pins(path: Path) -> dict[str, str]:
    """Canonical name -> pinned version of a pip-compile output."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            found[LOCK_INPUTS.canonical(match.group(1))] = match.group(2)
    return found


def entries(path: Path) -> list[str]:
    """Each requirement of a lock with its continuation lines (hashes) joined."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line for line in text.splitlines() if PIN.match(line)]


def declared(lines: list[str]) -> set[str]:
    return {LOCK_INPUTS.requirement_name(line) for line in lines} - {""}


def runtime_names() -> set[str]:
    lines = [line for group in LOCK_INPUTS.runtime_requirements().values() for line in group]
    return declared(lines + LOCK_INPUTS.build_requirements())


def dev_names() -> set[str]:
    return declared((ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines())


def test_every_runtime_dependency_is_locked() -> None:
    assert runtime_names() - set(pins(RUNTIME_LOCK)) == set(), "run `make lock`"
    assert runtime_names() - set(pins(DEV_LOCK)) == set(), "run `make lock`"


def test_every_dev_tool_is_locked() -> None:
    assert dev_names() - set(pins(DEV_LOCK)) == set(), "run `make lock`"


def test_local_distributions_are_not_locked() -> None:
    """They are on no index; `make venv` and the images install them with --no-deps."""
    local = LOCK_INPUTS.local_names()
    assert local == {"yumiao-common", "yumiao-registry", "yumiao-scoring", "yumiao-notify",
                     "yumiao-gateway", "yumiao-demo"}
    assert not local & (set(pins(RUNTIME_LOCK)) | set(pins(DEV_LOCK)))


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=["runtime", "dev"])
def test_every_pin_is_exact_and_hashed(lock: Path) -> None:
    found = entries(lock)
    assert len(found) >= 20
    for entry in found:
        assert "--hash=sha256:" in entry, f"no hash: {entry.split()[0]}"
    assert "-e " not in lock.read_text(encoding="utf-8"), "editables cannot be hash-checked"


def test_dev_lock_keeps_the_runtime_versions() -> None:
    """Tests run against exactly the versions the images ship."""
    runtime, dev = pins(RUNTIME_LOCK), pins(DEV_LOCK)
    assert {n: (v, dev.get(n)) for n, v in runtime.items() if dev.get(n) != v} == {}


def test_requirements_in_matches_the_pyproject_files() -> None:
    assert (ROOT / "requirements.in").read_text(encoding="utf-8") == LOCK_INPUTS.render()


def test_locks_are_portable() -> None:
    """No index URL or local path of this machine is written into a lock."""
    for lock in (RUNTIME_LOCK, DEV_LOCK):
        text = lock.read_text(encoding="utf-8")
        assert "file://" not in text and "--find-links" not in text and "/opt/" not in text


def test_make_venv_installs_from_the_dev_lock_with_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("$(STAMP):", 1)[1].split("\n\n", 1)[0]
    assert "pip install -q --require-hashes -r $(DEV_LOCK)" in recipe
    assert "--no-deps --no-build-isolation" in recipe
    assert "lock_inputs.py --check" in recipe
    assert "DEV_LOCK := requirements-dev.lock" in makefile
    assert "\nlock:" in makefile and "--generate-hashes" in makefile


def test_a_missing_dependency_is_reported(tmp_path: Path) -> None:
    """The name check itself: a requirement absent from a lock is named."""
    lock = tmp_path / "requirements.lock"
    lock.write_text("flask==3.1.0 \\\n    --hash=sha256:00\n    # via -r requirements.in\n")
    assert {"flask", "orjson"} - set(pins(lock)) == {"orjson"}
    assert declared(["Flask_Limiter[redis]>=3.5", "# c", "-r x.txt", "psycopg[binary]>=3"]) == {
        "flask-limiter",
        "psycopg",
    }
