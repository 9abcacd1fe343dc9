"""Writers in one server process queue on a Python lock, not on SQLite's busy handler (issue 19, P6).

SQLite's busy handler sleeps 1, 2, 5 … 100 ms between tries, so with 16 or 64 concurrent requests the
writers mostly slept and packages/s fell as clients grew.  With the in-process write lock a writer
never finds the database locked by another thread of the same process: here every connection's busy
timeout is 0, so any such collision would raise "database is locked" at once."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timezone

from hnsubmit.exchange.context import open_exchange
from hnsubmit.exchange.store.storage import Upload

THREADS, WRITES = 8, 40


def test_concurrent_writers_in_one_process_never_meet_a_locked_database(tmp_path):
    ex = open_exchange(tmp_path / "data")
    storage = ex.storage
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    now = datetime(2026, 12, 6, tzinfo=timezone.utc)

    def writer(k: int) -> None:
        storage._conn().execute("PRAGMA busy_timeout = 0")  # a collision fails at once instead of waiting
        start.wait()
        try:
            for i in range(WRITES):
                upload_id = f"u_{k:02x}{i:030x}"
                storage.add_upload(Upload(upload_id, "632521", "sha256:" + f"{k:02x}{i:062x}", 100, 0, now, now))
                storage.set_upload_offset(upload_id, 50, now)
        except sqlite3.OperationalError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(THREADS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], f"{len(errors)} writer(s) met a locked database: {errors[0]}"
        assert storage._all_rows("SELECT count(*) AS n FROM uploads")[0]["n"] == THREADS * WRITES
    finally:
        ex.close()
