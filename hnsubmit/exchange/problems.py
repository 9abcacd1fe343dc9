"""The one error type of the exchange: an HTTP status, a stable code, a bilingual message (protocol §1)."""

from __future__ import annotations

from typing import Any


class ExchangeError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        zh: str,
        en: str,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code}: {en}")
        self.status = status
        self.code = code
        self.zh = zh
        self.en = en
        self.details = details
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": {"zh": self.zh, "en": self.en}}
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


def not_found(what_zh: str = "对象", what_en: str = "object") -> ExchangeError:
    # The same answer for "does not exist" and "belongs to another unit": ids cannot be probed.
    return ExchangeError(404, "not_found", f"未找到该{what_zh}。", f"No such {what_en}.")


def forbidden() -> ExchangeError:
    return ExchangeError(403, "forbidden", "当前凭据的角色无权使用此功能。", "This token's role may not use this endpoint.")
