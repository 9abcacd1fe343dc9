"""P2: `hnsubmit check` over 1,000 mixed files against running exiftool / ffprobe once per file.

The folder is generated (Pillow, python-docx, the bundled ffmpeg): 600 JPEGs, 250 Word documents,
150 WMV videos, copies of a few dozen distinct files so generation stays quick.  The peer is what a
liaison's script would do without hnsubmit: exiftool on every image and document, ffprobe on every
video, one process per file.  Goal (issue 3): ≥ 10× faster.  Peers: Debian packages
libimage-exiftool-perl and ffmpeg (run.py --install-peers).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, Figure, tool

sys.path.insert(0, str(REPO / "tests"))


def build_folder(root: Path, total: int = 1000) -> list[Path]:
    from factories import make_docx, make_jpeg, make_video

    seeds = root / "seeds"
    seeds.mkdir(parents=True)
    jpegs = [make_jpeg(seeds / f"p{i}.jpg", (1024, 768), seed=i) for i in range(20)]
    docs = [make_docx(seeds / f"d{i}.docx", [f"标题{i}"] + [f"第{j}段正文。" * 5 for j in range(30)]) for i in range(10)]
    videos = [make_video(seeds / f"v{i}.wmv", seconds=2, size="320x240") for i in range(3)]
    files = []
    plan = [(jpegs, int(total * 0.6), ".jpg"), (docs, int(total * 0.25), ".docx"), (videos, total - int(total * 0.6) - int(total * 0.25), ".wmv")]
    out = root / "content"
    out.mkdir()
    for sources, count, ext in plan:
        for i in range(count):
            dst = out / f"{ext[1:]}_{i:04d}{ext}"
            shutil.copyfile(sources[i % len(sources)], dst)
            files.append(dst)
    return files


def _cpu_and_wall(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd="/" if env else None)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _export(rev: str, into: Path) -> str:
    """The package as it was at `rev` (git archive), for PYTHONPATH: a before/after in one run."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev, "hnsubmit"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return str(into)


def measure_jobs(rounds: int = 3, before: str | None = None) -> list[Figure]:
    """P2 (issue 19): `check` with the default --jobs against --jobs 1, `exiftool -r -j` and `sha256sum` of
    the same 1,000 files, alternated `rounds` times in one run; medians of wall time.  With `before` (a git
    revision) the package at that revision, default --jobs, is alternated with them too."""
    import os
    import statistics

    hnsubmit = tool("hnsubmit") or "hnsubmit"
    exiftool, sha256sum = shutil.which("exiftool"), shutil.which("sha256sum")
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        files = build_folder(Path(tmp))
        folder = str(files[0].parent)
        base = [hnsubmit, "check", folder, "-q", "--format", "json"]
        peers = {"jobs": base, "one": base + ["--jobs", "1"]}
        if exiftool:
            peers["exiftool"] = [exiftool, "-r", "-j", folder]
        if sha256sum:
            peers["sha256sum"] = [sha256sum, *map(str, files)]
        envs: dict[str, dict] = {}
        if before:
            old = Path(tmp) / "before"
            old.mkdir()
            envs["before"] = dict(os.environ, PYTHONPATH=_export(before, old))
            peers["before"] = [sys.executable, "-m", "hnsubmit", *base[1:]]
        subprocess.run(base, stdout=subprocess.DEVNULL)  # warm the page cache
        walls: dict[str, list[float]] = {k: [] for k in peers}
        cpus: dict[str, list[float]] = {k: [] for k in peers}
        for _ in range(rounds):
            for key, cmd in peers.items():
                wall, cpu = _cpu_and_wall(cmd, envs.get(key))
                walls[key].append(wall)
                cpus[key].append(cpu)
    med = {k: statistics.median(v) for k, v in walls.items()}
    from hnsubmit.checks.run import default_jobs

    after = os.getloadavg()
    cpu = ", ".join(f"{k} {statistics.median(v):.2f}" for k, v in cpus.items())
    note = (f"--jobs {default_jobs()}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before, "
            f"{after[0]:.2f} after; CPU s (median, user + system): {cpu}")
    out = [Figure("P2 check 1,000 files, default --jobs vs --jobs 1", med["jobs"], med["one"], "s", "--jobs 1",
                  "<1× (both cores used)", med["jobs"] < med["one"], note)]
    if "before" in med:
        out.append(Figure(f"P2 check 1,000 files, this tree vs {before}", med["jobs"], med["before"], "s", before,
                          "(informative)", med["jobs"] <= med["before"], note))
    for key, name, goal, limit in (("exiftool", "exiftool -r -j", "≤0.4×", 0.4), ("sha256sum", "sha256sum", "≤6×", 6.0)):
        if key in med:
            out.append(Figure(f"P2 check 1,000 files vs {name}", med["jobs"], med[key], "s", name, goal,
                              med["jobs"] / med[key] <= limit, note))
        else:
            out.append(Figure(f"P2 check 1,000 files vs {name}", med["jobs"], None, "s", name, goal, None,
                              "apt-get install libimage-exiftool-perl" if key == "exiftool" else "coreutils"))
    return out


def measure() -> list[Figure]:
    return [_measure_per_file(), *measure_jobs()]


def _measure_per_file() -> Figure:
    exiftool, ffprobe = shutil.which("exiftool"), shutil.which("ffprobe")
    hnsubmit = tool("hnsubmit") or "hnsubmit"
    with tempfile.TemporaryDirectory() as tmp:
        files = build_folder(Path(tmp))
        folder = files[0].parent
        subprocess.run([hnsubmit, "check", str(folder), "-q", "--format", "json"], stdout=subprocess.DEVNULL)  # warm caches
        start = time.perf_counter()
        subprocess.run([hnsubmit, "check", str(folder), "-q", "--format", "json"], stdout=subprocess.DEVNULL)
        ours = time.perf_counter() - start
        if not exiftool or not ffprobe:
            missing = ", ".join(n for n, p in (("exiftool", exiftool), ("ffprobe", ffprobe)) if not p)
            return Figure("P2 check 1,000 files", ours, None, "s", "exiftool+ffprobe per file", "≥10× faster", None,
                          f"{missing} missing: apt-get install libimage-exiftool-perl ffmpeg")
        start = time.perf_counter()
        for f in files:
            cmd = [ffprobe, "-v", "error", "-show_format", "-show_streams", str(f)] if f.suffix == ".wmv" else [exiftool, "-a", "-G1", str(f)]
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peer = time.perf_counter() - start
    speedup = peer / ours
    return Figure("P2 check 1,000 files", ours, peer, "s", "exiftool+ffprobe per file", "≥10× faster",
                  speedup >= 10, f"{speedup:.1f}× faster")


if __name__ == "__main__":
    rev = sys.argv[sys.argv.index("--before") + 1] if "--before" in sys.argv else None
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    for fig in (measure_jobs(rounds, before=rev) if "--jobs-only" in sys.argv else measure()):
        print(fig.line())
