"""Every service builds from the one Dockerfile, and each build can work from the repo root.

No Docker engine runs here, so the checks are static: the instructions are parsed and, for each
service's build arguments (as docker-compose.yml passes them), expanded the way the builder
expands them. Then every source a COPY takes from the build context (the repository root) must
exist, each stage may only use the build arguments it declares, the final stage runs as a numeric
non-root user, serves the gunicorn command of DEVELOPING.md and checks ``/healthz`` on the
service's port, third-party packages come only from the hash-checked lock, and no secret is
baked in.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.infra.conftest import ROOT
from tests.infra.conftest import SERVICES

DOCKERFILE = ROOT / "Dockerfile"
SECRETISH = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY\b|CREDENTIAL", re.IGNORECASE)
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
#: The base image: a tag while the digest cannot be looked up, or the tag pinned by digest.
BASE_IMAGE = re.compile(r"^python:3\.11-slim(@sha256:[0-9a-f]{64})?$")
#: Instructions the builder expands build arguments and ENV values in (Docker's reference).
EXPANDED = {"ADD", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "USER", "WORKDIR"}
#: What the python base image's own ENV provides to every stage.
BASE_IMAGE_ENV = {"PATH": "/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"}

Instruction = tuple[str, str]


def instructions(path: Path) -> list[Instruction]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    joined: list[str] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    return [(ins.split(None, 1)[0].upper(), ins.split(None, 1)[1]) for ins in joined]


def expand(text: str, values: dict[str, str]) -> str:
    """Substitute ``${NAME}`` / ``$NAME``; an unknown name is left as written (then caught)."""
    return VARIABLE.sub(lambda m: values.get(m.group(1) or m.group(2), m.group(0)), text)


def pairs(args: str) -> dict[str, str]:
    """KEY=value pairs of an ENV or ARG line (an ARG without default maps to '')."""
    found: dict[str, str] = {}
    for word in shlex.split(args):
        key, _, value = word.partition("=")
        found[key] = value
    return found


def stages(parsed: list[Instruction]) -> list[list[Instruction]]:
    """The instructions of each stage, the global ARGs (before the first FROM) excluded."""
    out: list[list[Instruction]] = []
    for ins, args in parsed:
        if ins == "FROM":
            out.append([])
        if out:
            out[-1].append((ins, args))
    return out


def build(build_args: dict[str, str], path: Path = DOCKERFILE) -> list[dict[str, Any]]:
    """Each stage as the builder sees it with ``build_args``: expanded instructions and ENV.

    Global ARGs only reach FROM lines; inside a stage only the ARGs it declares and the ENV it
    set so far are in scope, exactly as Docker scopes them. A variable left unexpanded in an
    instruction the builder expands is an error (a build argument the stage forgot to declare).
    """
    parsed = instructions(path)
    global_args: dict[str, str] = {}
    for ins, args in parsed:
        if ins == "FROM":
            break
        for key, default in pairs(args).items():
            global_args[key] = build_args.get(key, default)
    built = []
    for stage in stages(parsed):
        scope: dict[str, str] = dict(BASE_IMAGE_ENV)
        env: dict[str, str] = dict(BASE_IMAGE_ENV)
        expanded: list[Instruction] = []
        for ins, args in stage:
            values = global_args if ins == "FROM" else scope
            if ins in EXPANDED:
                args = expand(args, values)
                assert not VARIABLE.search(args), f"{ins} {args}: undeclared build argument"
            if ins == "ARG":
                for key, default in pairs(args).items():
                    scope[key] = build_args.get(key, global_args.get(key, default))
            if ins == "ENV":
                for key, value in pairs(args).items():
                    env[key] = value
                    scope[key] = value
            expanded.append((ins, args))
        built.append({"instructions": expanded, "env": env, "scope": scope})
    return built


def compose_build(compose: dict[str, Any], service: str) -> dict[str, Any]:
    """The build section compose uses for ``service``'s image (its web process)."""
    build_section = compose["services"][service]["build"]
    assert isinstance(build_section, dict)
    return build_section


@pytest.fixture(params=sorted(SERVICES))
def service(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture()
def image(compose: dict[str, Any], service: str) -> list[dict[str, Any]]:
    """The stages of ``service``'s build with compose's build arguments."""
    args = {k: str(v) for k, v in compose_build(compose, service).get("args", {}).items()}
    return build(args)


def runtime(image: list[dict[str, Any]]) -> dict[str, Any]:
    return image[-1]


def test_one_dockerfile_for_every_service(compose: dict[str, Any], service: str) -> None:
    assert DOCKERFILE.is_file()
    assert not (ROOT / SERVICES[service][0] / "Dockerfile").exists(), "one pattern, no copies"
    section = compose_build(compose, service)
    assert section["context"] == "." and section["dockerfile"] == "Dockerfile"
    directory, port = SERVICES[service]
    assert section["args"] == {
        "SERVICE": service,
        "DIST_DIR": directory,
        "ENV_PREFIX": service.upper(),
        "PORT": str(port),
    }


def test_build_arguments_are_required() -> None:
    """Without the service's arguments the build stops at once instead of copying nothing."""
    first_run = next(a for i, a in build({})[0]["instructions"] if i == "RUN")
    assert 'test -n "${SERVICE}"' in first_run and 'test -n "${DIST_DIR}"' in first_run


def test_copy_sources_exist_in_the_build_context(image: list[dict[str, Any]]) -> None:
    copies = [a for stage in image for i, a in stage["instructions"] if i in ("COPY", "ADD")]
    context_copies = [shlex.split(a) for a in copies if "--from=" not in a]
    assert context_copies, "the image copies nothing from the repository"
    for parts in context_copies:
        for source in (p for p in parts[:-1] if not p.startswith("--")):
            assert (ROOT / source).exists(), f"COPY source {source} missing from the repo root"


def test_copies_the_lock_libs_common_and_its_own_tree(
    image: list[dict[str, Any]], service: str
) -> None:
    copies = [shlex.split(a) for i, a in image[0]["instructions"] if i == "COPY"]
    sources = {p.rstrip("/") for cmd in copies for p in cmd[:-1] if not p.startswith("--")}
    assert sources == {"requirements.lock", "libs/common", SERVICES[service][0]}


def test_the_service_package_is_the_one_imported(image: list[dict[str, Any]], service: str) -> None:
    runs = " ".join(a for i, a in image[0]["instructions"] if i == "RUN")
    package = image[0]["scope"]["SERVICE"]
    assert package == service
    assert (ROOT / SERVICES[service][0] / "src" / package / "app.py").is_file()
    assert 'import ${SERVICE}.app' in runs


def test_packages_come_only_from_the_hash_checked_lock(image: list[dict[str, Any]]) -> None:
    runs = [a for i, a in image[0]["instructions"] if i == "RUN" and "pip install" in a]
    assert runs[0] == "pip install --require-hashes -r requirements.lock"
    for later in runs[1:]:
        assert "--no-deps" in later and "--no-build-isolation" in later, later


def test_multi_stage_on_the_one_base_image() -> None:
    parsed = instructions(DOCKERFILE)
    froms = [a for i, a in parsed if i == "FROM"]
    assert len(froms) >= 2, "build and runtime stages"
    assert all(f.startswith("${PYTHON_IMAGE} AS ") for f in froms)
    declared = [pairs(a) for i, a in parsed[: parsed.index(("FROM", froms[0]))] if i == "ARG"]
    bases = [d["PYTHON_IMAGE"] for d in declared if "PYTHON_IMAGE" in d]
    assert len(bases) == 1 and BASE_IMAGE.match(bases[0]), bases


def test_runs_as_numeric_non_root_user(image: list[dict[str, Any]]) -> None:
    users = [a for i, a in runtime(image)["instructions"] if i == "USER"]
    assert users, "final stage must set USER"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) > 0, "numeric and not root (runAsNonRoot can verify it)"


def test_cmd_is_the_documented_gunicorn_command(
    image: list[dict[str, Any]], service: str, processes: set[str]
) -> None:
    """The shell-form CMD (to read YUMIAO_DIST_DIR) execs the documented command as PID 1."""
    cmds = [a for i, a in runtime(image)["instructions"] if i == "CMD"]
    words = shlex.split(expand(cmds[-1], runtime(image)["env"]))
    assert words[0] == "exec", "gunicorn must replace the shell to receive SIGTERM"
    command = " ".join(words[1:])
    assert command == f"gunicorn -c {SERVICES[service][0]}/gunicorn.conf.py"
    assert command in processes


def test_healthcheck_probes_healthz_on_the_service_port(
    image: list[dict[str, Any]], service: str
) -> None:
    stage = runtime(image)
    port = str(SERVICES[service][1])
    checks = [a for i, a in stage["instructions"] if i == "HEALTHCHECK"]
    assert checks and "'http://127.0.0.1:' + os.environ['YUMIAO_PORT'] + '/healthz'" in checks[-1]
    assert stage["env"]["YUMIAO_PORT"] == port
    assert ("EXPOSE", port) in stage["instructions"]
    assert stage["env"][f"{service.upper()}_BIND"] == f"0.0.0.0:{port}"


def test_no_secret_is_baked_in(image: list[dict[str, Any]]) -> None:
    for stage in image:
        for ins, args in stage["instructions"]:
            if ins in ("ENV", "ARG", "LABEL"):
                assert not SECRETISH.search(args), f"{ins} {args} looks like a secret"


def make(*args: str) -> subprocess.CompletedProcess[str]:
    """Run a Makefile target of the repo (no Docker: DOCKER=echo prints the build commands)."""
    tool = shutil.which("make")
    assert tool is not None
    return subprocess.run(
        [tool, "-s", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=60
    )


def test_make_images_builds_each_service_as_compose_does(compose: dict[str, Any]) -> None:
    out = make("images", "DOCKER=echo", "IMAGE_PREFIX=reg.example/yumiao", "TAG=1.2.3")
    assert out.returncode == 0, out.stderr
    built = {}
    for line in out.stdout.splitlines():
        words = shlex.split(line)
        build_args = [words[i + 1] for i, w in enumerate(words) if w == "--build-arg"]
        args = dict(pair.split("=", 1) for pair in build_args)
        built[words[words.index("-t") + 1]] = (words[:3], args, words[-1])
    assert sorted(built) == sorted(f"reg.example/yumiao/{s}:1.2.3" for s in SERVICES)
    for service in SERVICES:
        command, args, context = built[f"reg.example/yumiao/{service}:1.2.3"]
        assert command == ["build", "-f", "Dockerfile"] and context == "."
        assert args == compose_build(compose, service)["args"]


def pinned_dockerfile(tmp_path: Path, base: str) -> Path:
    text = DOCKERFILE.read_text(encoding="utf-8")
    path = tmp_path / "Dockerfile"
    path.write_text(re.sub(r"(?m)^ARG PYTHON_IMAGE=.*$", f"ARG PYTHON_IMAGE={base}", text))
    return path


def test_a_release_build_needs_the_base_image_pinned_by_digest(tmp_path: Path) -> None:
    """RELEASE=1 stops before any build when the base image is a moving tag."""
    digest = "python:3.11-slim@sha256:" + "0123456789abcdef" * 4
    (tmp_path / "pinned").mkdir()
    pinned = pinned_dockerfile(tmp_path / "pinned", digest)
    ok = make("images", "RELEASE=1", "DOCKER=echo", f"DOCKERFILE={pinned}")
    assert ok.returncode == 0 and ok.stdout.count("build -f") == 4, ok.stdout + ok.stderr
    (tmp_path / "tag").mkdir()
    for base in ("python:3.11-slim", "python:3.11-slim@sha256:abc"):
        moving = pinned_dockerfile(tmp_path / "tag", base)
        refused = make("images", "RELEASE=1", "DOCKER=echo", f"DOCKERFILE={moving}")
        assert refused.returncode != 0 and "build -f" not in refused.stdout
        assert "must be pinned by digest" in refused.stdout
    assert make("images", "DOCKER=echo", f"DOCKERFILE={moving}").returncode == 0, "dev builds"


def test_dockerignore_keeps_secrets_and_local_state_out() -> None:
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", ".env", "var"} <= ignored
    kept = {"libs", "services", "gateway", "requirements.lock", "*.lock"}
    assert not kept & ignored


def test_an_undeclared_build_argument_is_caught(tmp_path: Path) -> None:
    """The scoping check itself: a stage using an ARG only declared globally fails."""
    path = tmp_path / "Dockerfile"
    path.write_text("ARG A=x\nFROM base AS one\nCOPY ${A}/ y/\n")
    with pytest.raises(AssertionError, match="undeclared build argument"):
        build({}, path)
    path.write_text("ARG A=x\nFROM base AS one\nARG A\nCOPY ${A}/ y/\n")
    assert ("COPY", "x/ y/") in build({}, path)[0]["instructions"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM a AS b\nCOPY x \\\n  y/\n", [("FROM", "a AS b"), ("COPY", "x y/")]),
        ("# c\nRUN a \\\n # inner\n && b\n", [("RUN", "a && b")]),
    ],
)
def test_instruction_parser(tmp_path: Path, text: str, expected: list[Instruction]) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(text)
    assert [(i, " ".join(a.split())) for i, a in instructions(path)] == expected


def test_ci_builds_the_images_where_an_engine_runs() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script
    assert "docker info" in script and "make images" in script
