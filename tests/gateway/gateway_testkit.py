"""Helpers for the gateway's tests: a recording upstream server, real services behind the gateway
and sign-in shortcuts.

``RecordingUpstream`` is a real HTTP server on a free port (werkzeug, threaded) standing in
for one service: it records every call (method, path, query, headers, body) and answers
with JSON that names the path it was asked for, so a test can prove both that a refused call
never reached a service and that nothing foreign came back. It is not a mock of gateway
code: the gateway talks to it over its real pooled HTTP clients.

The registry's stand-in answers a firm's overview (``/enterprises/{uscc}/overview``, issue 16)
that no test canned as the registry does: from the parts a test canned at their own paths
(the enterprise, profile, memberships and their moves, audit, services, problems, curator,
submissions), all or nothing as one read in one session is, so a test cans each part where
its own endpoint serves it.
"""

from __future__ import annotations

import importlib
import json
import re
import threading
import time
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from typing import Literal

from flask import Flask
from flask.testing import FlaskClient
from pydantic import SecretStr
from werkzeug.serving import BaseWSGIServer
from werkzeug.serving import make_server
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response

from gateway.settings import Settings

Handler = Callable[[Request], Response]
PASSWORD = "correct-horse-9"
INTERNAL_TOKEN = "test-internal-token"
SECRET_KEY = "test-secret-key-0123456789-abcdefghijklmnop"  # >= 32 bytes
USCC_A = "913715006140714791"
USCC_B = "91110000600037341L"
OVERVIEW = re.compile(r"^/api/v1/enterprises/[^/]+/overview$")


@dataclass
class Call:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


@dataclass
class RecordingUpstream:
    name: str
    calls: list[Call] = field(default_factory=list)
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    server: BaseWSGIServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_port}"

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        self.calls.append(Call(request.method, request.path,
                               request.query_string.decode(), dict(request.headers),
                               request.get_data()))
        handler = self.routes.get((request.method, request.path))
        if handler is None and self.name == "registry" and request.method == "GET" \
                and OVERVIEW.match(request.path):
            handler = self.overview
        return (handler or self.echo)(request)(environ, start_response)

    def overview(self, request: Request) -> Response:
        """The overview of the firm in the path, composed of the parts canned at their own
        paths (the registry's shape: each part as its endpoint's first page, memberships with
        their ``history``); a part that failed fails the whole read with its error (a curator
        nobody was given is ``null``); a part nobody canned is empty."""
        api = request.path.removesuffix("/overview")
        uscc = api.rsplit("/", 1)[-1]

        def part(path: str, empty: Any) -> tuple[Any, Response | None]:
            handler = self.routes.get(("GET", path))
            if handler is None:
                return empty, None
            answer = handler(request)
            if answer.status_code >= 400:
                return None, answer
            return json.loads(answer.get_data()), None

        echo = {"service": self.name, "path": api, "method": "GET",
                "actor": request.headers.get("X-Actor")}
        page = {"items": [], "next_cursor": None, "total": None}
        body: dict[str, Any] = {}
        for name, path, empty in (
                ("enterprise", api, echo), ("profile", f"{api}/profile", {}),
                ("memberships", f"{api}/memberships", page), ("audit", f"{api}/audit", page),
                ("services", f"{api}/services", page), ("problems", f"{api}/problems", page),
                ("curator", f"{api}/curator", None),
                ("submissions", f"{api}/submissions", {**page, "total": 0})):
            body[name], failed = part(path, empty)
            if failed is not None and not (name == "curator" and failed.status_code == 404):
                return failed
        members = []
        for member in _items(body["memberships"]):
            moves, failed = part(f"/api/v1/pools/{member.get('pool')}/members/{uscc}/moves",
                                 page)
            if failed is not None:
                return failed
            members.append({**member, "history": _items(moves)})
        body["memberships"] = members
        return Response(json.dumps(body), status=200, mimetype="application/json")

    def echo(self, request: Request) -> Response:
        body = {"service": self.name, "path": request.path, "method": request.method,
                "actor": request.headers.get("X-Actor")}
        return Response(json.dumps(body), status=200, mimetype="application/json")

    def start(self) -> RecordingUpstream:
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()

    def reset(self) -> None:
        self.calls.clear()
        self.routes.clear()


def _items(body: Any) -> list[Any]:
    """A canned list: a bare list or a page of ``items``."""
    return list(body if isinstance(body, list) else (body or {}).get("items") or [])


def json_response(body: Any, status: int = 200, delay: float = 0.0) -> Handler:
    def handler(_request: Request) -> Response:
        if delay:
            time.sleep(delay)
        return Response(json.dumps(body), status=status, mimetype="application/json")

    return handler


def bearer(client: FlaskClient, username: str, password: str) -> dict[str, str]:
    """Sign in over the API; the Authorization header for the access token."""
    resp = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert resp.status_code == 200, resp.get_json()
    return {"Authorization": f"Bearer {resp.get_json()['access_token']}"}


def assert_error_shape(body: Any, status: int) -> None:
    assert isinstance(body, dict) and set(body) == {"error"}, body
    error = body["error"]
    assert error["status"] == status and error["code"] and " / " in error["message"], error


def make_settings(url: str, upstreams: dict[str, RecordingUpstream], **overrides: object
                  ) -> Settings:
    values: dict[str, object] = {
        "database_url": url, "secret_key": SecretStr(SECRET_KEY),
        "internal_token": SecretStr(INTERNAL_TOKEN), "log_json": False,
        "log_level": "WARNING", "registry_url": upstreams["registry"].url,
        "scoring_url": upstreams["scoring"].url, "notify_url": upstreams["notify"].url,
        "read_timeout_seconds": 2.0, "ratelimit_enabled": False, "openapi_cache_seconds": 0,
        # still argon2id, at a test-suite cost (production keeps the RFC 9106 default)
        "argon2_time_cost": 1, "argon2_memory_kib": 8192, "argon2_parallelism": 1,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def serve(wsgi_app: Any) -> tuple[BaseWSGIServer, str]:
    """Serve a real service's Flask app on a free port (threaded werkzeug server)."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def real_service(name: Literal["registry", "notify"], database_url: str,
                 **settings: object) -> Flask:
    """The real ``name`` service's Flask app on ``database_url``, migrated to head first,
    demanding ``INTERNAL_TOKEN`` and logging only warnings; ``settings`` adds to or overrides
    its settings (a registry's evidence directory and size limit, notify's SMS provider).

    One copy because the gateway modules that put a real service behind the gateway had each
    written the same lines out (the imports, the migration, the same four settings): here the
    settings a test's service runs with stay alike everywhere, and what a module needs beyond
    them is read in its arguments instead of in a copy that differs by a line.
    """
    migrations = importlib.import_module(f"{name}.adapters.sql.migrations")
    service_app = importlib.import_module(f"{name}.app")
    service_settings = importlib.import_module(f"{name}.settings")
    migrations.upgrade_head(database_url)
    values: dict[str, object] = {
        "database_url": database_url, "internal_token": SecretStr(INTERNAL_TOKEN),
        "log_json": False, "log_level": "WARNING",
    }
    values.update(settings)
    app: Flask = service_app.create_app(service_settings.Settings(**values))
    return app


@contextmanager
def gateway_before(service_apps: dict[str, Flask], migrated_url: str,
                   upstreams: dict[str, RecordingUpstream],
                   firms: dict[str, str]) -> Iterator[Flask]:
    """A gateway in front of the given real services, served over HTTP, with ``firms``
    (credit code → name) registered by the curator; the servers stop on exit."""
    from gateway.app import create_app

    servers, urls = [], {}
    for name, service_app in service_apps.items():
        server, urls[f"{name}_url"] = serve(service_app)
        servers.append(server)
    try:
        gateway = create_app(make_settings(migrated_url, upstreams, read_timeout_seconds=15.0,
                                           **urls))
        client = gateway.test_client()
        curator = bearer(client, "curator", PASSWORD)
        for uscc, name in firms.items():
            resp = client.post("/api/v1/enterprises", json={"uscc": uscc, "name": name},
                               headers=curator)
            assert resp.status_code == 201, resp.get_json()
        yield gateway
    finally:
        for server in servers:
            server.shutdown()


def new_staff(app: Flask, role: str = "viewer") -> str:
    """A fresh staff account of ``role`` (password ``PASSWORD``); its user name."""
    from gateway.handlers import accounts

    name = f"{role}-{uuid.uuid4().hex[:6]}"
    with app.app_context():
        session = app.extensions["yumiao.session_factory"]()
        accounts.create_account(session, username=name, password=PASSWORD, role=role)
        session.commit()
        session.close()
    return name
