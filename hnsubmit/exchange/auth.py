"""Bearer tokens: 256 random bits shown once, stored only as SHA-256; roles unit, approver, reviewer, admin.

An `approver` token belongs to one unit like a `unit` token, and carries the registered name (姓名) of
the unit's 分管领导 it was issued to (issue 15 §2): with the policy's `[approval] mode = "approver"`,
only that person's own token moves a unit's item on to the office.

A SHA-256 (not a slow password hash) is enough because the token has 256 bits of entropy, and it
lets the server find a token by an indexed lookup instead of trying every stored hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from hnsubmit.exchange.problems import ExchangeError, forbidden
from hnsubmit.exchange.store.storage import Approver, Storage, Token, Unit

ROTATION_GRACE = timedelta(hours=1)
_TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is informational; do not write on every request
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


ROLES = ("unit", "approver", "reviewer", "admin")
UNIT_ROLES = ("unit", "approver")  # the roles bound to one unit, which see that unit's items only


@dataclass(frozen=True)
class Principal:
    role: str
    token_id: str
    unit: Unit | None  # a unit or approver token's unit
    name: str | None = None  # an approver's registered name

    @property
    def actor(self) -> str:
        """Who did it, for the history: `unit:CODE` for a unit, else `ROLE:TOKEN_ID` (approver:t_…)."""
        return f"unit:{self.unit.code}" if self.role == "unit" and self.unit else f"{self.role}:{self.token_id}"


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def _unauthorized() -> ExchangeError:
    return ExchangeError(
        401, "unauthorized", "缺少凭据,或凭据无效、已吊销、已过期。", "Missing, unknown, revoked or expired token.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def authenticate(storage: Storage, authorization: str | None, now: datetime) -> Principal:
    scheme, _, secret = (authorization or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not _SHAPE.match(secret):
        raise _unauthorized()
    digest = hash_secret(secret)
    token = storage.token_by_hash(digest)
    if token is None or not hmac.compare_digest(token.secret_hash, digest):
        raise _unauthorized()
    if token.revoked_at is not None or (token.expires_at is not None and now >= token.expires_at):
        raise _unauthorized()
    unit, name = None, None
    if token.role == "approver":
        approver = storage.get_approver(token.token_id)
        if approver is None:
            raise _unauthorized()
        name = approver.name
    if token.role in UNIT_ROLES:
        unit = storage.get_unit(token.unit or "")
        if unit is None:
            raise _unauthorized()
        if not unit.active:
            raise ExchangeError(403, "unit_disabled", "本单位已被州政府办公室停用。", "This unit has been disabled by the office.")
    if token.last_used_at is None and token.rotated_from:
        # the rotated token is in use: its predecessor's grace period ends now
        storage.update_token(token.rotated_from, revoked_at=now)
    if token.last_used_at is None or now - token.last_used_at >= _TOUCH_EVERY:
        storage.update_token(token.token_id, last_used_at=now)
    return Principal(token.role, token.token_id, unit, name)


def require(principal: Principal, *roles: str) -> Principal:
    if principal.role not in roles:
        raise forbidden()
    return principal


def issue_token(
    storage: Storage, role: str, unit: str | None, label: str, now: datetime, rotated_from: str | None = None,
    name: str | None = None,
) -> tuple[str, Token]:
    """A new token; the secret is returned once and never stored.

    An approver token needs its unit and the registered name (`name`, the 分管领导's 姓名) that a
    submission's [approval] approver must match; no other role takes a name."""
    if role not in ROLES:
        raise ExchangeError(422, "invalid_request", f"未知角色:{role}", f"Unknown role: {role}")
    name = " ".join((name or "").split()) or None
    if role in UNIT_ROLES:
        if not unit or storage.get_unit(unit) is None:
            raise ExchangeError(404, "not_found", f"未找到单位:{unit}", f"No such unit: {unit}")
    elif unit:
        raise ExchangeError(422, "invalid_request", "只有单位凭据和审批人凭据才属于某个单位。",
                            "Only unit and approver tokens belong to a unit.")
    if role == "approver" and not name:
        raise ExchangeError(422, "name_required", "审批人凭据须登记审批人姓名(--name)。",
                            "An approver token needs the approver's registered name (--name).")
    if role != "approver" and name:
        raise ExchangeError(422, "invalid_request", "只有审批人凭据登记姓名。", "Only approver tokens carry a name.")
    secret = new_secret()
    token = Token(
        token_id="t_" + secrets.token_hex(6), secret_hash=hash_secret(secret), role=role,
        unit=unit if role in UNIT_ROLES else None, label=label, created_at=now, rotated_from=rotated_from,
    )
    if role == "approver":
        # the name first: a token is never without it (a name whose token never came is never looked up)
        storage.add_approver(Approver(token.token_id, unit, name))
    storage.add_token(token)
    return secret, token


def _revoke_line(storage: Storage, token: Token, now: datetime) -> None:
    """Revoke `token` and every successor minted from it, and theirs: a token stolen and rotated by the
    thief dies with the token the office revokes, even if it was revoked already (its successor was used)."""
    todo, seen = [token], set()
    while todo:
        t = todo.pop()
        if t.token_id in seen:
            continue
        seen.add(t.token_id)
        if t.revoked_at is None:
            storage.update_token(t.token_id, revoked_at=now)
        todo.extend(storage.successors(t.token_id))


def revoke_token(storage: Storage, token_id: str, now: datetime) -> Token:
    token = storage.get_token(token_id)
    if token is None:
        raise ExchangeError(404, "not_found", f"未找到凭据:{token_id}", f"No such token: {token_id}")
    _revoke_line(storage, token, now)
    return storage.get_token(token_id) or token


def rotate_token(storage: Storage, principal: Principal, now: datetime) -> tuple[str, Token]:
    """A successor for the caller's token; the old one lives until the new one is used, at most an hour.

    One line of tokens, one live successor: rotating again revokes the successor minted before (and
    its own successors), and rotating a successor revokes its predecessor."""
    old = storage.get_token(principal.token_id)
    if old is None:
        raise _unauthorized()
    for earlier in storage.successors(old.token_id):
        _revoke_line(storage, earlier, now)
    if old.rotated_from:
        before = storage.get_token(old.rotated_from)
        if before is not None and before.revoked_at is None:
            storage.update_token(before.token_id, revoked_at=now)
    approver = storage.get_approver(old.token_id) if old.role == "approver" else None
    secret, token = issue_token(storage, old.role, old.unit, old.label, now, rotated_from=old.token_id,
                                name=approver.name if approver else None)
    expiry = now + ROTATION_GRACE
    if old.expires_at is None or old.expires_at > expiry:
        storage.update_token(old.token_id, expires_at=expiry)
    return secret, token


def token_info(token: Token, name: str | None = None) -> dict:
    """A token as the admin endpoints show it (never its secret); `name`: an approver's registered name."""
    return {
        "token_id": token.token_id, "role": token.role, "unit": token.unit, "label": token.label,
        "created_at": token.created_at, "last_used_at": token.last_used_at, "revoked_at": token.revoked_at,
        "expires_at": token.expires_at, "name": name,
    }


def token_infos(storage: Storage, tokens: list[Token]) -> list[dict]:
    """token_info of each, approvers with their registered names."""
    names = {a.token_id: a.name for a in storage.approvers()}
    return [token_info(t, names.get(t.token_id)) for t in tokens]


def live(token: Token, now: datetime) -> bool:
    return token.revoked_at is None and (token.expires_at is None or now < token.expires_at)
