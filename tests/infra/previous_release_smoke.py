"""Run one service's *previous release* against a database at the *current* schema head.

Not a test module: tests/infra/test_previous_release_runs_on_new_schema.py starts it in a
subprocess whose PYTHONPATH puts the previous release's source (extracted with ``git archive``)
before the installed, current code, with ``<SVC>_DATABASE_URL`` naming a database already
upgraded to the current head:

    python tests/infra/previous_release_smoke.py <service>

It imports that old code's ``create_app``, lists and writes through its HTTP API (the test
client, in demo mode) and prints one JSON object: the module file it ran (to prove it was the old
code) and each step's status. The golden example (tests/contracts) provides the bodies.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))  # after the old code: only the tests' data (tests.contracts) comes here

from tests.contracts.golden import example_profile  # noqa: E402

ACTOR = {"X-Actor": "release-smoke"}
PASSWORD = "Previous-Release-Smoke-2026!"


def registry(client: Any, _app: Any) -> dict[str, int]:
    golden = example_profile()
    enterprise = {k: v for k, v in golden["enterprise"].items() if k != "division_code"}
    body = {**enterprise, "name": "聊城发布冒烟测试有限公司", "town_code": "371502101",
            "assessments": golden["assessments"]}
    return {
        "list": client.get("/api/v1/enterprises?limit=5").status_code,
        "write": client.post("/api/v1/enterprises", json=body, headers=ACTOR).status_code,
        "read_back": client.get(f"/api/v1/enterprises/{body['uscc']}").status_code,
    }


def scoring(client: Any, _app: Any) -> dict[str, int]:
    listed = client.get("/api/v1/parameters")
    # Numbers are answered as decimal strings ("20000000"); flags as booleans.
    parameter = next(p for p in listed.json["items"] if not isinstance(p["default"], bool)
                     and isinstance(p["default"], str | int | float))
    write = client.put(f"/api/v1/parameters/{parameter['id']}", headers=ACTOR,
                       json={"value": parameter["default"], "reason": "发布冒烟 / release smoke"})
    evaluate = client.post("/api/v1/evaluate?view=summary", json=example_profile())
    return {"list": listed.status_code, "write": write.status_code,
            "evaluate": evaluate.status_code}


def notify(client: Any, _app: Any) -> dict[str, int]:
    uscc = example_profile()["enterprise"]["uscc"]
    doc = {"language": "zh-CN", "channels": ["inapp"]}
    return {
        "list": client.get("/api/v1/policies").status_code,
        "write": client.put(f"/api/v1/enterprises/{uscc}/preferences", json=doc,
                            headers=ACTOR).status_code,
        "read_back": client.get(f"/api/v1/enterprises/{uscc}/preferences").status_code,
    }


def gateway(client: Any, app: Any) -> dict[str, int]:
    made = app.test_cli_runner().invoke(
        args=["create-account", "--username", "release-smoke", "--role", "admin"],
        input=f"{PASSWORD}\n{PASSWORD}\n")
    login = client.post("/api/v1/auth/login",
                        json={"username": "release-smoke", "password": PASSWORD})
    token = (login.json or {}).get("access_token", "")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    return {"write": 201 if made.exit_code == 0 else 500, "login": login.status_code,
            "list": me.status_code}


SMOKES: dict[str, Callable[[Any, Any], dict[str, int]]] = {
    "registry": registry, "scoring": scoring, "notify": notify, "gateway": gateway,
}


def main(service: str) -> int:
    app_module = importlib.import_module(f"{service}.app")
    settings = importlib.import_module(f"{service}.settings").Settings(demo_mode=True)
    app = app_module.create_app(settings)
    steps = SMOKES[service](app.test_client(), app)
    print(json.dumps({"module": app_module.__file__, "steps": steps}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
