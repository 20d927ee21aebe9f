"""Factories for notify tests: unique credit codes, contract events, preference writes."""

from __future__ import annotations

import json
import random
import socket
import ssl
import string
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC
from datetime import date
from datetime import datetime
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from aiosmtpd.smtp import LoginPassword
from flask.testing import FlaskClient

from notify.adapters.channels.webhook import Rejected
from notify.adapters.channels.webhook import verify
from yumiao_common.clock import beijing_today
from yumiao_common.contracts.registry import CertificationExpiring
from yumiao_common.contracts.registry import CertificationExpiringPayload
from yumiao_common.contracts.registry import PipelineMoved
from yumiao_common.contracts.registry import PipelineMovedPayload
from yumiao_common.contracts.scoring import EligibilityChanged
from yumiao_common.contracts.scoring import EligibilityChangedPayload
from yumiao_common.identifiers import generate_uscc

BUREAU = {"X-Actor": "bureau:test"}


def new_uscc() -> str:
    body = "".join(random.choices(string.digits + "ABCDEFGHJKLMNPQRTUWXY", k=8))
    return generate_uscc("91", "371502", body)


def eligibility(uscc: str, tier: str = "hnte", *, before: str | None = "ineligible",
                after: str = "eligible", rulebook: str = "hnte-2016.1",
                name: str = "测试企业有限公司") -> EligibilityChanged:
    return EligibilityChanged(payload=EligibilityChangedPayload(
        uscc=uscc, enterprise_name=name, tier=tier, before=before, after=after,  # type: ignore[arg-type]
        criteria_gained=("rd_ratio", "hightech_revenue_share"), rulebook_version=rulebook,
        as_of=beijing_today(),
    ))


def expiring(uscc: str, tier: str = "hnte", days_before: int = 90,
             expires_on: date | None = None) -> CertificationExpiring:
    expires = expires_on or date.fromordinal(beijing_today().toordinal() + days_before)
    return CertificationExpiring(payload=CertificationExpiringPayload(
        uscc=uscc, enterprise_name="测试企业有限公司", tier=tier, number="GR2024001",
        expires_on=expires, days_before=days_before,  # type: ignore[arg-type]
    ))


def moved(uscc: str, pool: str = "listing_reserve", to_stage: str = "admitted") -> PipelineMoved:
    return PipelineMoved(payload=PipelineMovedPayload(
        uscc=uscc, enterprise_name="测试企业有限公司", pool=pool, from_stage="screened",
        to_stage=to_stage, actor="bureau:test", reason="符合入库条件",  # type: ignore[arg-type]
        moved_at=datetime.now(UTC),
    ))


def put_prefs(client: FlaskClient, uscc: str, **body: Any) -> Any:
    current = client.get(f"/api/v1/enterprises/{uscc}/preferences").json
    assert current is not None
    doc = {"language": "zh-CN", "channels": ["inapp"]} | body
    if current["version"]:
        doc.setdefault("version", current["version"])
    resp = client.put(f"/api/v1/enterprises/{uscc}/preferences", json=doc, headers=BUREAU)
    assert resp.status_code == 200, resp.json
    return resp.json


class WebhookSink:
    """A real local HTTP receiver (thread) that verifies signatures like a customer would.

    ``script[path]`` lists statuses to answer in turn (then 200). Accepted deliveries are
    counted per delivery id in ``received``; forged or replayed requests land in ``rejected``.
    """

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.received: Counter[str] = Counter()
        self.bodies: dict[str, dict[str, Any]] = {}
        self.rejected: list[str] = []
        self.script: dict[str, list[int]] = {}
        self.seen: dict[str, float] = {}
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = sink.answer(self.path, dict(self.headers.items()), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> int:
        with self.lock:
            queue = self.script.get(path)
            if queue:
                return queue.pop(0)
            try:
                delivery = verify(self.secret, headers, body, seen=self.seen)
            except Rejected as exc:
                self.rejected.append(str(exc))
                return 401
            self.received[delivery] += 1
            self.bodies[delivery] = json.loads(body)
            return 200

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class MailSink:
    """A real local SMTP server (aiosmtpd); ``refuse`` maps recipients to SMTP codes."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.refuse: dict[str, str] = {}
        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]  # noqa: N802,E501
                if address in sink.refuse:
                    return sink.refuse[address]
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
                sink.messages.append(message_from_bytes(envelope.content, policy=default))
                return "250 Message accepted"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()


class SecureMailSink:
    """A real local SMTP relay as the bureau's would be: STARTTLS required (its certificate
    signed by ``ca``, a test CA from trustme), then AUTH required with one account; with
    ``implicit_tls`` TLS from the first byte instead (SMTPS, port 465).

    Each accepted message is kept with how it came: ``(message, login, over_tls)``.
    """

    def __init__(self, ca: Any, username: str, password: str, *,
                 implicit_tls: bool = False) -> None:
        self.received: list[tuple[Any, str | None, bool]] = []
        self.failed_logins: list[str] = []
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        sink = self

        def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]  # noqa: E501
            ok = (isinstance(auth_data, LoginPassword)
                  and (auth_data.login, auth_data.password)
                  == (username.encode(), password.encode()))
            if not ok:
                sink.failed_logins.append(mechanism)
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
                login = session.auth_data.login.decode() if session.authenticated else None
                over_tls = (session.ssl is not None  # STARTTLS; SMTPS: the transport itself
                            or server.transport.get_extra_info("ssl_object") is not None)
                sink.received.append((message_from_bytes(envelope.content, policy=default),
                                      login, over_tls))
                return "250 Message accepted"

        self.port = free_port()
        # aiosmtpd offers AUTH only after its own STARTTLS: over SMTPS the whole session is
        # TLS already, so it is told not to wait for one.
        tls: dict[str, Any] = ({"ssl_context": context, "auth_require_tls": False}
                               if implicit_tls else
                               {"tls_context": context, "require_starttls": True})
        self.controller = Controller(
            Handler(), hostname="127.0.0.1", port=self.port, authenticator=authenticator,
            auth_required=True, **tls)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
