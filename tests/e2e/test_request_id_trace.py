"""One X-Request-ID followed through the whole stack: the bureau admits a firm to a pool under
a request id of its own; the registry's event, notify's welcome notice, its webhook delivery
and the body the enterprise's receiver gets all carry that id (issue 10 item 3).

The receiver is a real HTTP server on the loopback port the stack's notify was told to allow
(``Stack.webhook_port``); everything between is the stack ``make up`` starts.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
import requests
from e2e_stack import Stack
from e2e_stack import poll

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
EVENT_TIMEOUT = 90.0
SECRET = "e2e-webhook-secret-0123456789"


class Receiver:
    """The enterprise's webhook endpoint: records each JSON body it is sent."""

    def __init__(self, port: int) -> None:
        self.bodies: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.bodies.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def receiver(stack: Stack) -> Iterator[Receiver]:
    sink = Receiver(stack.webhook_port)
    yield sink
    sink.close()


def signed_in(stack: Stack, username: str) -> requests.Session:
    session = requests.Session()
    resp = session.post(f"{stack.base_url}/api/v1/auth/login", timeout=60,
                        json={"username": username, "password": stack.password})
    assert resp.status_code == 200, resp.text
    session.headers["Authorization"] = f"Bearer {resp.json()['access_token']}"
    return session


def nominate(bureau: requests.Session, stack: Stack) -> tuple[str, dict[str, Any]]:
    """Nominate a demo firm to a pool it is not in yet: (pool, membership)."""
    pools = bureau.get(f"{stack.base_url}/api/v1/pools", params={"limit": 200},
                       timeout=60).json()["items"]  # a short catalogue: one page
    for pool in pools:
        for uscc in stack.enterprises:
            resp = bureau.post(f"{stack.base_url}/api/v1/pools/{pool['key']}/members",
                               json={"uscc": uscc, "reason": "e2e 追踪 / e2e trace"}, timeout=60)
            if resp.status_code == 201:
                return pool["key"], resp.json()
    pytest.fail("no demo firm could be nominated to any pool", pytrace=False)


def move(bureau: requests.Session, stack: Stack, pool: str, member: dict[str, Any],
         stage: str, request_id: str) -> dict[str, Any]:
    resp = bureau.post(
        f"{stack.base_url}/api/v1/pools/{pool}/members/{member['uscc']}/moves",
        json={"to_stage": stage, "reason": "e2e 追踪 / e2e trace", "version": member["version"]},
        headers={"X-Request-ID": request_id}, timeout=60)
    assert resp.status_code == 200, resp.text
    assert resp.headers.get("X-Request-ID") == request_id
    return dict(resp.json())


def test_one_request_id_leads_from_a_registry_change_to_its_webhook_delivery(
    stack: Stack, receiver: Receiver
) -> None:
    bureau = signed_in(stack, "curator")
    pool, member = nominate(bureau, stack)
    uscc = member["uscc"]
    firm = signed_in(stack, uscc)
    prefs = firm.put(f"{stack.base_url}/api/v1/me/preferences", timeout=60, json={
        "language": "zh-CN", "channels": ["webhook"],
        "webhook_url": f"http://127.0.0.1:{stack.webhook_port}/yumiao",
        "webhook_secret": SECRET})
    assert prefs.status_code == 200, prefs.text
    member = move(bureau, stack, pool, member, "screened", f"e2e-screen-{uuid.uuid4().hex}")
    request_id = f"e2e-admit-{uuid.uuid4().hex}"
    member = move(bureau, stack, pool, member, "admitted", request_id)

    def delivered() -> list[dict[str, Any]]:
        return [b for b in receiver.bodies if b["uscc"] == uscc and b["kind"] == "welcome"]

    [body] = poll(delivered, timeout=EVENT_TIMEOUT, what="the welcome webhook")  # type: ignore[misc]
    assert body["correlation_id"] == request_id
    notices = firm.get(f"{stack.base_url}/api/v1/me/notices", timeout=60).json()["items"]
    welcome = [n for n in notices if n["id"] == body["notice_id"]]
    assert [n["correlation_id"] for n in welcome] == [request_id]
