"""Shared helpers of the benchmark scripts: timing whole commands, medians, and finding peers."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@dataclass
class Figure:
    name: str
    ours: float
    peer: float | None
    unit: str
    peer_name: str
    goal: str
    met: bool | None
    note: str = ""

    def line(self) -> str:
        if self.peer is None:
            return f"{self.name}: ours {self.ours:.3f} {self.unit}; peer {self.peer_name} MISSING ({self.note}); goal {self.goal}"
        ratio = self.ours / self.peer if self.peer else float("inf")
        verdict = "met" if self.met else "MISSED"
        return (
            f"{self.name}: ours {self.ours:.3f} {self.unit} vs {self.peer_name} {self.peer:.3f} {self.unit}"
            f" = {ratio:.2f}x; goal {self.goal}: {verdict}{'; ' + self.note if self.note else ''}"
        )


def tool(name: str) -> str | None:
    """A peer command from the venv first, then PATH."""
    candidate = BIN / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name)


def time_command(cmd: list[str], runs: int = 7, env: dict | None = None, warmup: int = 1) -> float:
    """Median wall time of `cmd` over `runs` runs (after `warmup` discarded runs)."""
    samples = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env or os.environ.copy(), check=False)
        if i >= warmup:
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def machine() -> str:
    import platform

    return f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
