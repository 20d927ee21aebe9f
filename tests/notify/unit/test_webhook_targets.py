"""Webhook targets cannot be aimed inside: checked at save (no DNS) and at send (resolved).

Only loopback traffic is ever sent here: the internal addresses of these tables are refused
before any connection, which a socket audit hook records (no connect attempt at all).
"""

from __future__ import annotations

import ssl
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from ipaddress import ip_address
from typing import Any

import pytest
import trustme

from notify.adapters.channels.egress import EgressPolicy
from notify.adapters.channels.egress import TargetRefused
from notify.adapters.channels.egress import parse_target
from notify.adapters.channels.egress import resolve
from notify.adapters.channels.egress import shown_url
from notify.adapters.channels.errors import NOT_ALLOWED
from notify.adapters.channels.errors import REFUSED
from notify.adapters.channels.errors import TIMED_OUT
from notify.adapters.channels.errors import UNREACHABLE
from notify.adapters.channels.errors import DeliveryFailed
from notify.adapters.channels.webhook import WebhookChannel
from notify.settings import Settings

STRICT = EgressPolicy()
SECRET = "test-secret-0123456789"

#: (host, port) of every socket connect this process attempts while recording.
_CONNECTS: list[tuple[str, int]] = []
_RECORDING = threading.Event()


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "socket.connect" and _RECORDING.is_set():
        address = args[1]
        if isinstance(address, tuple) and len(address) >= 2:
            _CONNECTS.append((str(address[0]), int(address[1])))


sys.addaudithook(_audit)


@pytest.fixture()
def connects() -> Iterator[list[tuple[str, int]]]:
    """Connects to the ports these tests aim at (a suite's database/broker threads excluded)."""
    _CONNECTS.clear()
    _RECORDING.set()
    yield _CONNECTS
    _RECORDING.clear()


def aimed(connects: list[tuple[str, int]], *ports: int) -> list[tuple[str, int]]:
    return [c for c in connects if c[1] in ports]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:80/", "http://localhost/hook", "http://127.1/", "http://0x7f000001/",
    "http://2130706433/", "http://0177.0.0.1/", "http://0x7f.0.0.1/", "http://017700000001/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/",
    "http://[::127.0.0.1]/", "http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/",
    "http://10.0.0.1/", "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/",
    "http://0.0.0.0/", "http://[::]/", "http://224.0.0.1/", "http://[ff02::1]/",
    "http://240.0.0.1/", "http://255.255.255.255/", "http://[fc00::1]/", "http://[fec0::1]/",
    "http://[64:ff9b::7f00:1]/", "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/",
    "http://192.0.2.1/", "http://198.18.0.1/", "http://0/", "http://10.1/",
    "http://registry/", "http://notify.yumiao.svc/", "http://db.cluster.local/",
    "http://printer.local/", "http://metadata.google.internal/", "http://foo.123/",
    "http://999.1.1.1/",
])
def test_internal_targets_are_refused_at_save(url: str) -> None:
    with pytest.raises(TargetRefused) as refused:
        parse_target(url, STRICT)
    zh, en = refused.value.zh, refused.value.en
    assert zh and en and str(refused.value) == f"{zh} / {en}"


@pytest.mark.parametrize(("url", "why"), [
    ("ftp://hooks.example.com/x", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("gopher://hooks.example.com:70/x", "only http and https"),
    ("https://user:pass@hooks.example.com/x", "user name or password"),
    ("https://token@hooks.example.com/x", "user name or password"),
    ("https://hooks.example.com:8001/x", "port must be one of 80, 443"),
    ("http://hooks.example.com:22/x", "port must be one of 80, 443"),
    ("https://hooks.example.com:99999/x", "port is not valid"),
    ("https://hooks.example.com /x", "blanks or control"),
    ("https:///x", "no host"),
])
def test_scheme_port_and_userinfo_rules(url: str, why: str) -> None:
    with pytest.raises(TargetRefused, match=why):
        parse_target(url, STRICT)


@pytest.mark.parametrize(("url", "host", "port", "path", "host_header"), [
    ("https://oapi.dingtalk.com/robot/send?access_token=abc#x", "oapi.dingtalk.com", 443,
     "/robot/send?access_token=abc", "oapi.dingtalk.com"),
    ("http://93.184.216.34", "93.184.216.34", 80, "/", "93.184.216.34"),
    ("http://0x5db8d822/h", "93.184.216.34", 80, "/h", "93.184.216.34"),
    ("https://[2606:4700::1111]/h", "2606:4700::1111", 443, "/h", "[2606:4700::1111]"),
    ("http://[64:ff9b::5db8:d822]/h", "64:ff9b::5db8:d822", 80, "/h", "[64:ff9b::5db8:d822]"),
    ("HTTPS://Hooks.Example.COM./in", "hooks.example.com", 443, "/in", "hooks.example.com"),
    ("https://bücher.example/in", "xn--bcher-kva.example", 443, "/in", "xn--bcher-kva.example"),
])
def test_public_targets_are_accepted(url: str, host: str, port: int, path: str,
                                     host_header: str) -> None:
    target = parse_target(url, STRICT)
    assert (target.host, target.port, target.path, target.host_header) == (
        host, port, path, host_header)


def test_the_bureau_allow_list_admits_named_internal_receivers_and_ports() -> None:
    settings = Settings(webhook_allowed_targets=["Hooks.Bureau.LAN", "10.20.0.0/16"],
                        webhook_allowed_ports=[8443])
    policy = EgressPolicy.of(settings)
    assert parse_target("https://hooks.bureau.lan:8443/in", policy).port == 8443
    assert parse_target("http://10.20.3.4/in", policy).host == "10.20.3.4"
    for still_refused in ("http://10.21.0.1/", "http://127.0.0.1/", "http://other.lan/",
                          "http://10.20.3.4:8001/"):
        with pytest.raises(TargetRefused):
            parse_target(still_refused, policy)
    with pytest.raises(ValueError, match="not a host name or CIDR"):
        Settings(webhook_allowed_targets=["10.0.0.0/33"])
    with pytest.raises(ValueError, match="1-65535"):
        Settings(webhook_allowed_ports=[0])


def _resolver(table: dict[str, list[str]]) -> Any:
    def lookup(host: str, port: int) -> list[str]:
        return table[host]
    return lookup


@pytest.mark.parametrize("answers", [
    ["10.0.0.1"], ["169.254.169.254"], ["93.184.216.34", "10.0.0.1"], ["::ffff:10.0.0.1"],
    ["fd00::1"],
])
def test_a_name_resolving_inside_is_refused_before_any_connection(
    answers: list[str], connects: list[tuple[str, int]]
) -> None:
    channel = WebhookChannel(2.0, STRICT, _resolver({"hooks.example.com": answers}))
    with pytest.raises(DeliveryFailed) as failed:
        channel.send(url="https://hooks.example.com/in", secret=SECRET, body=b"{}",
                     delivery_id="d-1")
    assert failed.value.permanent and failed.value.reason == NOT_ALLOWED
    assert aimed(connects, 443) == []


def test_a_stored_internal_url_is_refused_at_send_before_any_connection(
    connects: list[tuple[str, int]]
) -> None:
    channel = WebhookChannel(2.0, STRICT, _resolver({}))
    for url in ("http://10.0.0.1/x", "http://0x0a000001/x", "http://[::ffff:a00:1]/x",
                "http://169.254.169.254/", "http://localhost:80/"):
        with pytest.raises(DeliveryFailed) as failed:
            channel.send(url=url, secret=SECRET, body=b"{}", delivery_id="d-1")
        assert failed.value.reason == NOT_ALLOWED and failed.value.permanent
    assert aimed(connects, 80) == []


def test_resolve_returns_the_checked_address() -> None:
    target = parse_target("https://hooks.example.com/in", STRICT)
    lookup = _resolver({"hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"]})
    assert resolve(target, STRICT, lookup) == ip_address("93.184.216.34")


class Receiver:
    """A loopback HTTP receiver that records the Host header and answers ``status``."""

    def __init__(self, status: int = 200, delay: float = 0.0,
                 headers: dict[str, str] | None = None) -> None:
        self.hits: list[tuple[str, str | None]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.hits.append((self.path, self.headers.get("Host")))
                time.sleep(delay)
                body = b"internal admin console v1.2 - secret banner"
                try:
                    self.send_response(status)
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the time-out test)

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _loopback_policy(port: int) -> EgressPolicy:
    return EgressPolicy.build([port], ["127.0.0.1/32"])


def test_the_connection_is_pinned_to_the_checked_address_with_the_name_as_host(
    connects: list[tuple[str, int]]
) -> None:
    receiver = Receiver()
    try:
        lookups: list[str] = []

        def lookup(host: str, port: int) -> list[str]:
            lookups.append(host)
            return ["127.0.0.1"]

        channel = WebhookChannel(2.0, _loopback_policy(receiver.port), lookup)
        url = f"http://hooks.example.com:{receiver.port}/in?x=1"
        channel.send(url=url, secret=SECRET, body=b"{}", delivery_id="d-1")
        channel.send(url=url, secret=SECRET, body=b"{}", delivery_id="d-2")
        assert receiver.hits == [("/in?x=1", f"hooks.example.com:{receiver.port}")] * 2
        assert lookups == ["hooks.example.com"] * 2  # checked again on every push
        # one connection to the checked address, kept alive (and the audit hook sees connects)
        assert aimed(connects, receiver.port) == [("127.0.0.1", receiver.port)]
        channel.close()
    finally:
        receiver.close()


def test_without_the_allow_list_a_loopback_receiver_is_never_called(
    connects: list[tuple[str, int]]
) -> None:
    receiver = Receiver()
    try:
        channel = WebhookChannel(2.0, STRICT)
        with pytest.raises(DeliveryFailed) as failed:
            channel.send(url=f"http://127.0.0.1:{receiver.port}/in", secret=SECRET, body=b"{}",
                         delivery_id="d-1")
        assert failed.value.reason == NOT_ALLOWED and receiver.hits == []
        assert aimed(connects, receiver.port) == []
    finally:
        receiver.close()


@pytest.mark.parametrize(("status", "permanent"), [(404, True), (401, True), (503, False),
                                                   (429, False), (500, False)])
def test_failures_read_coarse_never_what_answered(status: int, permanent: bool) -> None:
    receiver = Receiver(status)
    try:
        channel = WebhookChannel(2.0, _loopback_policy(receiver.port))
        with pytest.raises(DeliveryFailed) as failed:
            channel.send(url=f"http://127.0.0.1:{receiver.port}/in", secret=SECRET,
                         body=b"{}", delivery_id="d-1")
        assert failed.value.reason == REFUSED and failed.value.permanent is permanent
        assert str(status) not in failed.value.reason and "banner" not in failed.value.reason
        assert failed.value.detail is not None and str(status) in failed.value.detail
    finally:
        receiver.close()


def test_redirects_are_not_followed() -> None:
    receiver = Receiver(302, headers={"Location": "/elsewhere"})
    try:
        channel = WebhookChannel(2.0, _loopback_policy(receiver.port))
        with pytest.raises(DeliveryFailed) as failed:
            channel.send(url=f"http://127.0.0.1:{receiver.port}/in", secret=SECRET,
                         body=b"{}", delivery_id="d-1")
        assert failed.value.reason == REFUSED and failed.value.permanent
        assert [path for path, _ in receiver.hits] == ["/in"]
    finally:
        receiver.close()


def test_closed_ports_and_slow_receivers_read_unreachable_and_timed_out() -> None:
    receiver = Receiver()
    port = receiver.port
    receiver.close()  # nothing listens there any more
    channel = WebhookChannel(2.0, _loopback_policy(port))
    with pytest.raises(DeliveryFailed) as failed:
        channel.send(url=f"http://127.0.0.1:{port}/in", secret=SECRET, body=b"{}",
                     delivery_id="d-1")
    assert failed.value.reason == UNREACHABLE and not failed.value.permanent
    slow = Receiver(delay=1.0)
    try:
        channel = WebhookChannel(0.2, _loopback_policy(slow.port))
        with pytest.raises(DeliveryFailed) as failed:
            channel.send(url=f"http://127.0.0.1:{slow.port}/in", secret=SECRET, body=b"{}",
                         delivery_id="d-1")
        assert failed.value.reason == TIMED_OUT and not failed.value.permanent
    finally:
        slow.close()


def test_an_unresolvable_name_is_a_temporary_unreachable() -> None:
    def lookup(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    channel = WebhookChannel(2.0, STRICT, lookup)
    with pytest.raises(DeliveryFailed) as failed:
        channel.send(url="https://hooks.example.com/in", secret=SECRET, body=b"{}",
                     delivery_id="d-1")
    assert failed.value.reason == UNREACHABLE and not failed.value.permanent


@pytest.mark.parametrize(("url", "shown"), [
    ("https://oapi.dingtalk.com/robot/send?access_token=abc", "https://oapi.dingtalk.com/…"),
    ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "https://qyapi.weixin.qq.com/…"),
    ("https://hooks.slack.com/services/T0/B0/XYZ", "https://hooks.slack.com/…"),
    ("http://u:p@h.example.com:8080/x", "http://h.example.com:8080/…"),
    ("https://[2606:4700::1111]:443/x", "https://[2606:4700::1111]/…"),
    ("not a url", "…"),
    (None, None),
])
def test_others_see_a_webhook_url_as_its_host_only(url: str | None, shown: str | None) -> None:
    assert shown_url(url) == shown
    if shown:
        assert shown_url(shown) == shown  # idempotent: already-shown values stay as they are


class TlsReceiver(Receiver):
    """The loopback receiver behind TLS with a certificate for ``name``; records the SNI."""

    def __init__(self, ca: trustme.CA, name: str) -> None:
        super().__init__()
        self.sni: list[str | None] = []
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(name).configure_cert(context)
        context.sni_callback = lambda sock, server_name, ctx: self.sni.append(server_name)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)


def test_https_is_pinned_with_the_name_as_sni_and_certificate_name(tmp_path: Any) -> None:
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    good, wrong = TlsReceiver(ca, "hooks.example.com"), TlsReceiver(ca, "other.example.com")
    try:
        for receiver, ok in ((good, True), (wrong, False)):
            channel = WebhookChannel(2.0, _loopback_policy(receiver.port),
                                     _resolver({"hooks.example.com": ["127.0.0.1"]}),
                                     ca_certs=str(ca_file))
            url = f"https://hooks.example.com:{receiver.port}/in"
            if ok:
                channel.send(url=url, secret=SECRET, body=b"{}", delivery_id="d-1")
                assert receiver.hits == [("/in", f"hooks.example.com:{receiver.port}")]
            else:  # the certificate must name the host we resolved, not just be valid
                with pytest.raises(DeliveryFailed) as failed:
                    channel.send(url=url, secret=SECRET, body=b"{}", delivery_id="d-1")
                assert failed.value.reason == UNREACHABLE and receiver.hits == []
            assert receiver.sni == ["hooks.example.com"]
            channel.close()
    finally:
        good.close()
        wrong.close()
