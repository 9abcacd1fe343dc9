"""Test-only fault injection at the storage seam, enabled by HNSUBMIT_EXCHANGE_TEST_FAULTS in the server's
environment (never set in production; the variable names a file the test writes to switch faults on).

Why a hook: the tests run as root, which ignores file modes, and a filesystem with the database open
for writing cannot be remounted read-only, so "the database cannot be written" is injected here.
A full disk needs no hook: the tests mount a real small tmpfs.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from hnsubmit.exchange.store.sqlite import SqliteStorage

VARIABLE = "HNSUBMIT_EXCHANGE_TEST_FAULTS"


def install() -> None:
    switch = os.environ.get(VARIABLE)
    if not switch:
        return
    path = Path(switch)

    def guard() -> None:
        try:
            faults = path.read_text(encoding="utf-8").split()
        except OSError:
            return
        if "db-readonly" in faults:
            raise sqlite3.OperationalError("attempt to write a readonly database")

    SqliteStorage._write.guard = staticmethod(guard)
