"""Password policy: what a new password must be (the rules only; hashing is
``gateway.adapters.password_hashing``)."""

from __future__ import annotations

MIN_PASSWORD_LENGTH = 8


def password_problems(password: str) -> list[str]:
    """Reasons a new password is refused (bilingual), empty when acceptable."""
    problems: list[str] = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            f"密码至少{MIN_PASSWORD_LENGTH}位 / at least {MIN_PASSWORD_LENGTH} characters"
        )
    if password.strip() != password or not password.strip():
        problems.append("密码不能以空白开头或结尾 / no leading or trailing spaces")
    return problems
