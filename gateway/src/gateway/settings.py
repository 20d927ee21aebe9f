"""The gateway's settings (env prefix ``GATEWAY_``): secrets, upstreams, tokens, rate limits.

The signing key has no default outside demo mode: a gateway that starts without one would
sign tokens anyone can forge. Outside demo mode it must also be a real secret: a key shorter
than 32 bytes, the demo key, or one of the placeholders shipped in ``.env.example`` and the
k8s secret template stops the gateway at start-up with a message saying how to make one (those
values are public, so a token signed with them proves nothing). Demo mode
(``GATEWAY_DEMO_MODE=true``, set by ``make up``) gets a fixed, loudly insecure key so every
gunicorn worker verifies the others' tokens.
"""

from __future__ import annotations

from typing import Self

from pydantic import Field
from pydantic import SecretStr
from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from yumiao_common.settings import ServiceSettings

DEMO_SECRET_KEY = "yumiao-demo-mode-insecure-signing-key-do-not-use-in-production"
MIN_SECRET_KEY_BYTES = 32
#: Markers of the placeholder values shipped in .env.example and k8s/base/secret-template.
PLACEHOLDER_MARKERS = ("change-me", "changeme", "replace-me", "placeholder", "example")
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` cannot sign tokens outside demo mode (bilingual), or None when it can."""
    lowered = key.lower()
    if key == DEMO_SECRET_KEY:
        return "是演示密钥 / is the demo key"
    if any(marker in lowered for marker in PLACEHOLDER_MARKERS):
        return "是占位值 / is a placeholder"
    if len(key.encode()) < MIN_SECRET_KEY_BYTES:
        return f"短于 {MIN_SECRET_KEY_BYTES} 字节 / is shorter than {MIN_SECRET_KEY_BYTES} bytes"
    return None


class Settings(ServiceSettings):
    """Everything the gateway reads from the environment (no broker: it speaks no AMQP)."""

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    database_url: str = "sqlite:///gateway.db"
    #: Signs access tokens; required outside demo mode (no default that could reach production).
    secret_key: SecretStr | None = None
    demo_mode: bool = False

    registry_url: str = "http://127.0.0.1:8001"
    scoring_url: str = "http://127.0.0.1:8002"
    notify_url: str = "http://127.0.0.1:8003"
    connect_timeout_seconds: float = Field(default=2.0, gt=0)
    read_timeout_seconds: float = Field(default=15.0, gt=0)
    #: Imports and exports move whole spreadsheets; they get a longer read timeout.
    bulk_read_timeout_seconds: float = Field(default=120.0, gt=0)
    #: Keep-alive connections kept per upstream per worker (>= gunicorn threads).
    upstream_pool_size: int = Field(default=32, ge=1)
    openapi_cache_seconds: float = Field(default=60.0, ge=0)

    #: argon2id cost (defaults: RFC 9106 low-memory profile, argon2-cffi's own defaults).
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=1024)
    argon2_parallelism: int = Field(default=4, ge=1)
    #: argon2 computations at once per process: each holds argon2_memory_kib, so memory for
    #: hashing is bounded by argon2_max_concurrent x argon2_memory_kib per gunicorn worker
    #: (k8s/base/gateway.yaml sizes the pod from it). Others wait up to argon2_wait_seconds,
    #: then get a 503 with Retry-After.
    argon2_max_concurrent: int = Field(default=2, ge=1)
    argon2_wait_seconds: float = Field(default=10.0, gt=0)

    access_token_seconds: int = Field(default=15 * 60, ge=30)
    #: A read may reuse a successful check of its bearer token's account and login for this
    #: long (per process); writes always check the database. 0 = check every request.
    token_recheck_seconds: float = Field(default=5.0, ge=0, le=60)
    refresh_token_seconds: int = Field(default=14 * 24 * 3600, ge=60)
    browser_session_seconds: int = Field(default=12 * 3600, ge=60)
    #: Secure cookies; None means "yes unless demo mode" (demo runs on plain http://127.0.0.1).
    cookie_secure: bool | None = None
    session_cookie_name: str = "yumiao_session"

    ratelimit_enabled: bool = True
    #: Redis shared by every worker and replica (``redis://redis:6379/0``): rate-limit windows.
    #: docker-compose and k8s set it; unset (the embedded default) means per-process memory.
    redis_url: str | None = None
    #: limits storage URI overriding ``redis_url`` (any scheme the ``limits`` package knows).
    ratelimit_storage_uri: str | None = None
    #: Prefix of every rate-limit key, so several gateways (or test runs) can share one Redis.
    ratelimit_key_prefix: str = "yumiao-gw"
    ratelimit_per_principal: str = "600 per minute"
    ratelimit_per_address: str = "1200 per minute"
    #: Sign-in attempts per client address, and failed ones per account.
    ratelimit_login: str = "10 per minute"
    ratelimit_login_account: str = "10 per 15 minutes"
    #: Password changes per client address, and failed current-password checks per account.
    ratelimit_password: str = "10 per minute"
    ratelimit_password_account: str = "5 per 15 minutes"
    ratelimit_eligibility: str = "30 per minute"
    #: Self-service password resets asked for per client address (also set-password tries).
    ratelimit_password_reset: str = "10 per 15 minutes"
    #: Resets asked for per user name, counted whether or not the account exists (so a
    #: refusal reveals nothing either).
    ratelimit_password_reset_identifier: str = "3 per hour"
    #: Wrong reset codes per user name before further guesses wait (each code also dies
    #: after ``reset_code_attempts`` wrong tries).
    ratelimit_reset_code_account: str = "10 per hour"
    #: Reverse proxies in front of the gateway whose X-Forwarded-For is trusted (0 = none):
    #: the client address of every per-address limit is the one the outermost of them saw.
    trusted_proxy_count: int = Field(default=0, ge=0)
    #: Largest body the gateway's own JSON routes (sign-in, accounts, self-check) accept;
    #: forwarded uploads keep the shared max_content_length.
    json_body_max_bytes: int = Field(default=256 * 1024, ge=1024)

    #: The site's address as users reach it (``https://yumiao.example.gov.cn``): the base of
    #: every set-password link sent by e-mail or SMS. Never taken from the request's Host
    #: header (a forged one would send reset links to another site). Unset: no links can be
    #: sent outside demo mode (demo: http://127.0.0.1:8000).
    public_url: str | None = None
    #: How long an invitation's set-password link works.
    invitation_hours: int = Field(default=72, ge=1, le=24 * 30)
    #: How long a reset link sent by e-mail works.
    reset_link_minutes: int = Field(default=30, ge=5, le=24 * 60)
    #: How long a reset code sent by SMS works.
    reset_code_minutes: int = Field(default=10, ge=2, le=60)
    #: Wrong tries a reset code survives (then it stops working: ask for a new one).
    reset_code_attempts: int = Field(default=5, ge=1, le=20)
    #: Firms one bulk invitation may reach (narrow the filter beyond it).
    invitation_max_firms: int = Field(default=5000, ge=1)
    #: Every reset request is answered no sooner than this, whether or not the account exists
    #: (the message to notify is sent after the answer), so timing reveals nothing either.
    reset_answer_seconds: float = Field(default=0.25, ge=0, le=5)

    @model_validator(mode="after")
    def _require_secret_outside_demo(self) -> Self:
        if self.secret_key is None:
            if not self.demo_mode:
                raise ValueError(
                    "GATEWAY_SECRET_KEY 未设置 / GATEWAY_SECRET_KEY is required outside demo mode"
                )
            self.secret_key = SecretStr(DEMO_SECRET_KEY)
        problem = None if self.demo_mode else secret_key_problem(self.signing_key)
        if problem:
            raise ValueError(f"GATEWAY_SECRET_KEY {problem}; "
                             f"请生成随机密钥 / generate a random one: {MAKE_A_KEY}")
        return self

    @property
    def signing_key(self) -> str:
        assert self.secret_key is not None  # guaranteed by the validator
        return self.secret_key.get_secret_value()

    @property
    def ratelimit_storage(self) -> str:
        return self.ratelimit_storage_uri or self.redis_url or "memory://"

    @property
    def link_base(self) -> str | None:
        """Where set-password links point (None: not configured outside demo mode)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        return "http://127.0.0.1:8000" if self.demo_mode else None

    @property
    def secure_cookies(self) -> bool:
        return (not self.demo_mode) if self.cookie_secure is None else self.cookie_secure
