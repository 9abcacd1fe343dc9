"""P1: cold start of `hnsubmit --help` against `twine --help`, measured in the same run.

Goal (issue 2): ≤ 0.5× twine and ≤ 0.25 s.  Peer: twine (`pip install twine` into the same venv;
run.py installs it when missing).
"""

from __future__ import annotations

import sys

from common import Figure, tool, time_command


def measure(runs: int = 9) -> Figure:
    ours = time_command([tool("hnsubmit") or "hnsubmit", "--help"], runs=runs)
    twine = tool("twine")
    if not twine:
        return Figure("P1 --help cold start", ours, None, "s", "twine --help", "≤0.5× twine and ≤0.25 s", None,
                      "install with: pip install twine")
    peer = time_command([twine, "--help"], runs=runs)
    return Figure("P1 --help cold start", ours, peer, "s", "twine --help", "≤0.5× twine and ≤0.25 s",
                  ours <= 0.5 * peer and ours <= 0.25)


if __name__ == "__main__":
    print(measure().line())
    sys.exit(0)
