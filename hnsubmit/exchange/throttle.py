"""Failed authentication throttled per client address and per token prefix (a sliding window in memory).

Past the limit, a failing request is answered 429 with Retry-After instead of 401. A valid token is
always checked and always works: tokens carry 256 random bits, so the throttle is there to slow and
flag the noise, and refusing valid tokens would let anyone behind a county's shared address (NAT, a
proxy) lock that county out.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import OrderedDict, deque
from typing import Callable

log = logging.getLogger("hnsubmit.exchange")
FAILURES_PER_ADDRESS = 20
FAILURES_PER_PREFIX = 10
WINDOW = 60.0  # seconds
PREFIX = 8  # characters of the presented token that name its bucket
_MAX_KEYS = 10_000  # memory stays bounded whatever an attacker sends


class AuthThrottle:
    def __init__(self, per_address: int = FAILURES_PER_ADDRESS, per_prefix: int = FAILURES_PER_PREFIX,
                 window: float = WINDOW, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = {"address": per_address, "prefix": per_prefix}
        self.window = window
        self.clock = clock
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()  # sync endpoints authenticate in the thread pool

    def failed(self, address: str, presented: str) -> float:
        """Count one failure; the seconds to wait if this key is over its limit now, else 0."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for kind, value in (("address", address), ("prefix", presented[:PREFIX])):
                times = self._failures.pop((kind, value), None) or deque()
                while times and times[0] <= now - self.window:
                    times.popleft()
                times.append(now)
                self._failures[(kind, value)] = times
                limit = self.limits[kind]
                if len(times) > limit:
                    wait = max(wait, times[-limit - 1] + self.window - now)
                    if len(times) == limit + 1:
                        log.warning("authentication failures throttled: %s from %s failed %s times in %s s",
                                    "a token prefix" if kind == "prefix" else "requests", address, limit + 1, self.window)
            while len(self._failures) > _MAX_KEYS:
                self._failures.popitem(last=False)
        return float(math.ceil(wait)) if wait > 0 else 0.0
