"""Where a webhook may point: public addresses only, checked at save and again at send.

An enterprise chooses its webhook URL. Unchecked, it could aim notify at the inside — the
database, the other services, the cloud metadata endpoint at 169.254.169.254 — and read the
outcome back like a port scanner. So there are two checks:

* at save (:func:`parse_target`, no DNS): scheme http or https, no user info, port 80/443 or
  one the bureau configured, and a host that is either a public address in whatever numeric
  spelling (``0x7f000001``, ``2130706433``, ``127.1``, ``0177.0.0.1`` and
  ``[::ffff:127.0.0.1]`` are all loopback) or a name that is not obviously internal;
* at send (:func:`resolve`): the name is resolved once, every address it resolves to must be
  public, and the connection goes to that checked address (``notify.adapters.channels.webhook`` pins
  it), so a DNS answer that changes between the check and the connect cannot steer it.

Public means ``ipaddress``'s ``is_global`` and not multicast. IPv6 addresses that carry an
IPv4 address (IPv4-mapped and -compatible, 6to4, Teredo) are refused; NAT64 (64:ff9b::/96)
is judged by the IPv4 address it embeds. The bureau can allow internal receivers for
on-premises use by host name or CIDR network, and extra ports (``notify.settings``).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address
from ipaddress import IPv4Network
from ipaddress import IPv6Address
from ipaddress import IPv6Network
from ipaddress import ip_address
from ipaddress import ip_network
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from notify.settings import Settings

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
#: ``(host, port) -> addresses as text``; :func:`system_resolver` unless a test injects one.
Resolver = Callable[[str, int], Sequence[str]]

SCHEMES = {"http": 80, "https": 443}
DEFAULT_PORTS = frozenset(SCHEMES.values())
_SHARED = ip_network("100.64.0.0/10")
_NAT64 = ip_network("64:ff9b::/96")
_NAT64_LOCAL = ip_network("64:ff9b:1::/48")
_NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")
_LABEL = re.compile(r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?")
_INTERNAL_SUFFIXES = (".localhost", ".local", ".localdomain", ".internal", ".intranet", ".lan",
                      ".home.arpa", ".in-addr.arpa", ".ip6.arpa", ".svc", ".cluster.local")

#: (zh, en) of each kind of address a webhook may not reach.
KINDS: dict[str, tuple[str, str]] = {
    "unspecified": ("未指定地址", "the unspecified address"),
    "loopback": ("本机回环地址", "a loopback address"),
    "link_local": ("链路本地地址", "a link-local address"),
    "multicast": ("组播地址", "a multicast address"),
    "shared": ("运营商共享地址", "a shared (carrier-grade NAT) address"),
    "private": ("内网地址", "a private network address"),
    "reserved": ("保留地址", "a reserved address"),
    "embedded": ("内嵌 IPv4 的 IPv6 地址", "an IPv6 address embedding an IPv4 one"),
    "not_public": ("非公网地址", "a non-public address"),
}


class TargetRefused(ValueError):
    """A webhook URL notify will not call; ``zh`` / ``en`` say why, for the 422."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


class Unresolvable(OSError):
    """The host name did not resolve (temporary: DNS may answer later)."""


@dataclass(frozen=True)
class EgressPolicy:
    """Which webhook targets are allowed beyond public addresses on ports 80/443."""

    ports: frozenset[int] = DEFAULT_PORTS
    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = ()

    @classmethod
    def build(cls, ports: Iterable[int] = (), targets: Iterable[str] = ()) -> EgressPolicy:
        """From settings: extra ports, and allowed targets (host names or CIDR networks)."""
        hosts, networks = set(), []
        for entry in (t.strip().lower().rstrip(".") for t in targets):
            try:
                networks.append(ip_network(entry, strict=False))
            except ValueError:
                hosts.add(entry)
        return cls(DEFAULT_PORTS | frozenset(ports), frozenset(hosts), tuple(networks))

    @classmethod
    def of(cls, settings: Settings) -> EgressPolicy:
        return cls.build(settings.webhook_allowed_ports, settings.webhook_allowed_targets)

    def allows_address(self, address: Address) -> bool:
        return any(address.version == net.version and address in net for net in self.networks)


@dataclass(frozen=True)
class Target:
    """A checked webhook URL, split into what the pinned connection needs."""

    scheme: str
    host: str  #: ASCII lower-case name, or a canonical address (no brackets)
    port: int
    path: str  #: request target: path and query, never the fragment
    literal: Address | None  #: the address when the URL names one (any spelling)

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if SCHEMES[self.scheme] == self.port else f"{host}:{self.port}"


def parse_target(url: str, policy: EgressPolicy) -> Target:
    """Check ``url`` without DNS (the save-time check); :class:`TargetRefused` says why not."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        raise TargetRefused("地址含空白或控制字符", "the URL contains blanks or control characters")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise TargetRefused("只允许 http 或 https 地址", "only http and https URLs are allowed")
    if "@" in parts.netloc:
        raise TargetRefused("地址不能包含用户名或密码（请用签名密钥鉴权）",
                            "the URL may not carry a user name or password "
                            "(receivers authenticate by the signature)")
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError:
        raise TargetRefused("端口无效", "the port is not valid") from None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise TargetRefused("缺少主机名", "the URL has no host")
    literal = numeric_address(host)
    if literal is None:
        host = _ascii_name(host)
        check_name(host, policy)
    else:
        host = str(literal)
        check_address(literal, policy)
    if port not in policy.ports:
        ports = sorted(policy.ports)
        raise TargetRefused(f"端口只能是 {'、'.join(map(str, ports))}",
                            f"the port must be one of {', '.join(map(str, ports))}")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port, path, literal)


def numeric_address(host: str) -> Address | None:
    """The address ``host`` spells, in any form a resolver accepts, else None (a name).

    A host whose last label is a number is an IPv4 address to browsers and to the C
    library (``127.1``, ``0x7f.1``, ``017700000001``); one that does not parse as such is
    refused rather than left to a resolver's interpretation.
    """
    try:
        return ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if not _NUMERIC_LABEL.fullmatch(host.rsplit(".", 1)[-1]):
        return None
    if not all(_NUMERIC_LABEL.fullmatch(label) for label in host.split(".")):
        raise TargetRefused("主机名的最后一段不能是数字", "a host name cannot end in a number")
    try:
        return IPv4Address(socket.inet_aton(host))
    except OSError:
        raise TargetRefused("数字地址无效", "the numeric address is not valid") from None


def _ascii_name(host: str) -> str:
    try:
        name = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise TargetRefused("主机名无效", "the host name is not valid") from None
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in name.split(".")):
        raise TargetRefused("主机名无效", "the host name is not valid")
    return name


def check_name(host: str, policy: EgressPolicy) -> None:
    """Refuse names that only resolve inside (single labels, ``localhost``, ``*.svc``…)."""
    if host in policy.hosts:
        return
    if host == "localhost" or host.endswith(_INTERNAL_SUFFIXES) or "." not in host:
        raise TargetRefused("不能使用内部主机名，请填写公网域名",
                            "internal host names are not allowed; use a public domain name")


def check_address(address: Address, policy: EgressPolicy) -> None:
    """Refuse an address that is not public unless the bureau allowed its network."""
    if policy.allows_address(address):
        return
    kind = forbidden_kind(address)
    if kind is not None:
        zh, en = KINDS[kind]
        raise TargetRefused(f"不能指向{zh}（{address}），只允许公网地址",
                            f"the webhook may not point to {en} ({address}); "
                            "only public addresses are allowed")


def forbidden_kind(address: Address) -> str | None:
    """Why ``address`` is not a public unicast address (a key of :data:`KINDS`), or None."""
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return "loopback"
    if isinstance(address, IPv6Address):
        embedded = _embedded_kind(address)
        if embedded != "":
            return embedded
    if address.is_link_local:
        return "link_local"
    if address.is_multicast:
        return "multicast"
    if address in _SHARED:
        return "shared"
    if address.is_private or (isinstance(address, IPv6Address) and address.is_site_local):
        return "private"
    if address.is_reserved:
        return "reserved"
    if not address.is_global:
        return "not_public"
    return None


def _embedded_kind(address: IPv6Address) -> str | None:
    """For IPv6 forms that carry IPv4: the verdict (None = allowed); "" for other addresses."""
    if address.ipv4_mapped is not None or address.sixtofour is not None or address.teredo:
        return "embedded"
    if address in _NAT64:  # the gateway would connect to the IPv4 address inside
        inner = forbidden_kind(IPv4Address(int(address) & 0xFFFFFFFF))
        return None if inner is None else "embedded"
    if address in _NAT64_LOCAL:
        return "private"
    if int(address) >> 32 == 0:  # IPv4-compatible ::a.b.c.d (deprecated)
        return "embedded"
    return ""


def system_resolver(host: str, port: int) -> list[str]:
    """Every TCP address ``host`` resolves to, in the system's preference order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def resolve(target: Target, policy: EgressPolicy, resolver: Resolver) -> Address:
    """The address to connect to: checked, and every answer for the name must pass.

    Refusing when *any* answer is internal (not just the first) stops a name that returns
    one public and one internal address from reaching the inside on a retry.
    """
    if target.literal is not None:
        check_address(target.literal, policy)
        return target.literal
    check_name(target.host, policy)
    try:
        answers = [ip_address(a.split("%", 1)[0]) for a in resolver(target.host, target.port)]
    except (OSError, UnicodeError) as exc:
        raise Unresolvable(f"{target.host}: {exc}") from exc
    if not answers:
        raise Unresolvable(f"{target.host}: no address")
    if target.host not in policy.hosts:
        for address in answers:
            check_address(address, policy)
    return answers[0]


def shown_url(url: str | None) -> str | None:
    """What everyone but the owner sees of a webhook URL: scheme and host, nothing after.

    DingTalk and WeCom robot URLs carry their access token in the query, others in the path
    or the user info; none of that is shown. ``https://oapi.dingtalk.com/…``.
    """
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return "…"
    if not host or parts.scheme.lower() not in SCHEMES:
        return "…"
    shown = f"[{host}]" if ":" in host else host
    if port is not None and port != SCHEMES[parts.scheme.lower()]:
        shown = f"{shown}:{port}"
    return f"{parts.scheme.lower()}://{shown}/…"
