"""Run every benchmark and print each figure as a ratio against its peer, measured in the same run.

    python benchmarks/run.py [--only P1,P2] [--install-peers]

Peers: twine (PyPI), exiftool and ffprobe (Debian: libimage-exiftool-perl, ffmpeg), curl.
`--install-peers` installs the missing ones (pip into this venv; apt-get as root).  A missing peer
is reported as MISSING, never skipped silently.  A figure that misses its goal says MISSED.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, tool  # noqa: E402

# figure id -> module exposing measure() -> Figure | list[Figure]
SUITE = {
    "P1": "help_startup",
    "P2": "check_throughput",
    "P3": "push",
    "P6": "concurrent_push",
    "P7": "status_list",
    "P8": "guide_rows",
}


def install_peers() -> None:
    if not tool("twine"):
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "twine"], check=False)
    missing_apt = [pkg for cmd, pkg in (("exiftool", "libimage-exiftool-perl"), ("ffprobe", "ffmpeg"), ("curl", "curl")) if not shutil.which(cmd)]
    if missing_apt and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing_apt], check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated figure ids, e.g. P1,P2")
    parser.add_argument("--install-peers", action="store_true", help="install missing peers first")
    args = parser.parse_args()
    if args.install_peers:
        install_peers()
    wanted = [k.strip() for k in args.only.split(",") if k.strip()] or list(SUITE)
    print(f"machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for key in wanted:
        try:
            module = importlib.import_module(SUITE[key])
        except ModuleNotFoundError as exc:
            print(f"{key}: benchmark module missing ({exc.name})")
            continue
        figures = module.measure()
        for fig in figures if isinstance(figures, list) else [figures]:
            print(fig.line(), flush=True)
        print(f"  (load average after {key}: {' '.join(f'{x:.2f}' for x in os.getloadavg())})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
