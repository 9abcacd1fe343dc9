"""Shared driver of the fuzz targets: atheris (libFuzzer) when it is installed, hypothesis byte
mutations of the same seeds when it is not, and replay of kept inputs.

Every target feeds bytes to the real entry point (`check_entry` on a temporary file with the right
name, or the reader itself) and fails — keeping the input — when an exception escapes, when the
crash safety net FMT006 had to catch one, when something is left in the temporary folder, when a
rendered report cannot be written as UTF-8, when one input takes over TIME_LIMIT seconds, or when
the process grows past RSS_LIMIT_MB (libFuzzer's -rss_limit_mb; RLIMIT_AS turns a single huge
allocation into a MemoryError that fails the input the same way).

    python tests/fuzz/fuzz_jpeg.py -max_total_time=60 [CORPUS_DIR]    # fuzz (new inputs go to CORPUS_DIR)
    python tests/fuzz/fuzz_jpeg.py --engine=hypothesis -max_total_time=60
    python tests/fuzz/fuzz_jpeg.py --replay FILE...                   # run kept inputs once each
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

FUZZ_DIR = Path(__file__).resolve().parent
REPO = FUZZ_DIR.parents[1]
EXAMPLES = REPO / "examples"
CORPUS = Path(os.environ.get("HNSUBMIT_CORPUS", REPO.parent / "shared" / "corpus"))
REGRESSIONS = FUZZ_DIR / "regressions"
sys.path[:0] = [str(REPO), str(REPO / "tests")]

TIME_LIMIT = 5.0  # seconds per input (issue 7: "no run over five seconds")
RSS_LIMIT_MB = 1024  # the whole fuzzing process, interpreter and libraries included
ADDRESS_SPACE = 4 * 1024**3  # RLIMIT_AS: a single multi-gigabyte allocation fails as MemoryError
ZIP_READ_LIMIT = 8 * 1024 * 1024  # the structure-aware mutator never inflates more than this
WARM_UP_SECONDS = 1.5


class Bug(AssertionError):
    """An invariant of the fuzz run broke (the input is kept by the engine)."""


@dataclass
class Target:
    name: str
    run: Callable[[bytes, Path], None]  # raises on a bug; the Path is a fresh private folder
    seeds: tuple[str, ...]  # globs under "corpus:" or "examples:"
    max_len: int = 256 * 1024
    instrument: tuple[str, ...] = ("hnsubmit",)  # modules whose coverage guides libFuzzer
    zip_aware: bool = False  # mutate the members of a ZIP as well as its bytes
    generated: Callable[[Path], None] | None = None  # writes extra seeds into a folder
    max_seed_bytes: int = 400_000
    preload: tuple[str, ...] = ()  # modules imported lazily by the code under test, to instrument
    warm: list[bytes] = field(default_factory=list)


# -- the real entry ---------------------------------------------------------------------------


_OPTIONS = None


def options():
    global _OPTIONS
    if _OPTIONS is None:
        from hnsubmit.checks.run import CheckOptions, selection_from
        from hnsubmit.policy.model import default_policy

        pol = default_policy()
        _OPTIONS = CheckOptions(pol, selection_from(pol))
    return _OPTIONS


def check_bytes(data: bytes, folder: Path, name: str):
    """`hnsubmit check` of one file holding `data`, then every report format encoded as UTF-8."""
    from hnsubmit.checks.run import check_entry
    from hnsubmit.checks.walk import Entry

    path = folder / name
    path.write_bytes(data)
    result = check_entry(Entry(path, name), options())
    if any(f.code == "FMT006" for f in result.findings):
        _reraise(path, name)
        raise Bug(f"FMT006 caught an exception in {name} that a direct re-run did not repeat")
    render_all([result])
    return result


def _reraise(path: Path, name: str) -> None:
    """Run the validators again without the safety net, so the real traceback is what fails."""
    from hnsubmit.checks.formats.identify import identify_path
    from hnsubmit.checks.validators.registry import text_scanners, validators_for
    from hnsubmit.checks.context import FileContext

    fi = identify_path(path)
    ctx = FileContext(path, name, fi, options().policy)
    for validator in validators_for(fi.kind):
        list(validator(ctx))
    for scanner in text_scanners():
        list(scanner(ctx))


def render_all(results) -> None:
    """Every output format must be writable: a finding's text can come from the hostile file."""
    from hnsubmit.rules.findings import Report
    from hnsubmit.render.reporters import REPORTER_BY_NAME, reporter

    report = Report(tuple(results))
    for fmt in REPORTER_BY_NAME:
        for lang in ("zh", "en"):
            reporter(fmt)(report, lang).encode("utf-8")


# -- one input, with its limits ---------------------------------------------------------------


class Runner:
    def __init__(self, target: Target) -> None:
        self.target = target
        self.root = Path(tempfile.mkdtemp(prefix=f"hnsubmit-fuzz-{target.name}-"))
        self.private_tmp = self.root / "tmp"  # tempfile's folder for the code under test
        self.private_tmp.mkdir()
        tempfile.tempdir = str(self.private_tmp)
        self.execs = 0
        self.slowest = 0.0

    def __call__(self, data: bytes) -> None:
        work = self.root / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        t0 = time.perf_counter()
        self.target.run(data, work)
        elapsed = time.perf_counter() - t0
        self.execs += 1
        self.slowest = max(self.slowest, elapsed)
        if elapsed > TIME_LIMIT:
            raise Bug(f"one input took {elapsed:.1f} s (limit {TIME_LIMIT:.0f} s)")
        left = os.listdir(self.private_tmp)
        if left:
            for name in left:
                shutil.rmtree(self.private_tmp / name, ignore_errors=True)
            raise Bug(f"left behind in the temporary folder: {left}")

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def limit_memory() -> None:
    import warnings

    warnings.simplefilter("ignore")  # libraries' warnings about damaged input are expected here, not news
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    want = ADDRESS_SPACE if hard == resource.RLIM_INFINITY else min(ADDRESS_SPACE, hard)
    resource.setrlimit(resource.RLIMIT_AS, (want, hard))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- seeds ------------------------------------------------------------------------------------


def seed_files(target: Target) -> list[Path]:
    out: list[Path] = []
    for spec in target.seeds:
        where, _, pattern = spec.partition(":")
        base = CORPUS if where == "corpus" else EXAMPLES
        out.extend(p for p in sorted(base.glob(pattern)) if p.is_file() and p.stat().st_size <= target.max_seed_bytes)
    return out


def seed_dir(target: Target, into: Path) -> Path:
    """Copies of the seeds (libFuzzer reads folders), named by digest so duplicates collapse."""
    into.mkdir(parents=True, exist_ok=True)
    for p in seed_files(target):
        data = p.read_bytes()
        (into / f"{hashlib.sha1(data).hexdigest()[:16]}{p.suffix.lower()}").write_bytes(data)
    if target.generated:
        target.generated(into)
    if not any(into.iterdir()):
        raise SystemExit(f"fuzz_{target.name}: no seeds found (is the shared corpus at {CORPUS}?)")
    return into


# -- structure-aware mutation of ZIP containers -----------------------------------------------


def zip_members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > 400:
                return None
            out, total = [], 0
            for info in infos:
                with zf.open(info) as fh:
                    body = fh.read(ZIP_READ_LIMIT - total + 1)
                total += len(body)
                if total > ZIP_READ_LIMIT:
                    return None
                out.append((info, body))
            return out
    except Exception:
        return None


def zip_bytes(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    import warnings

    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        with zipfile.ZipFile(buf, "w") as zf:
            for info, body in members:
                zf.writestr(info, body)
    return buf.getvalue()


def refresh_bag(members: list[tuple[zipfile.ZipInfo, bytes]]) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Recompute manifest-sha256.txt and Payload-Oxum, so payload mutations get past bag validation."""
    names = [i.filename for i, _ in members]
    manifest = next((n for n in names if n.endswith("manifest-sha256.txt") and "tag" not in n.rsplit("/", 1)[-1]), None)
    if manifest is None:
        return members
    prefix = manifest[: -len("manifest-sha256.txt")]
    payload = [(i.filename[len(prefix):], b) for i, b in members if i.filename.startswith(prefix + "data/") and not i.is_dir()]
    lines = "".join(f"{hashlib.sha256(b).hexdigest()}  {n}\n" for n, b in payload)
    oxum = f"{sum(len(b) for _, b in payload)}.{len(payload)}"
    out = []
    for info, body in members:
        if info.filename == manifest:
            body = lines.encode("utf-8")
        elif info.filename == prefix + "bag-info.txt":
            text = body.decode("utf-8", "replace").splitlines()
            body = ("\n".join(f"Payload-Oxum: {oxum}" if ln.startswith("Payload-Oxum:") else ln for ln in text) + "\n").encode()
        out.append((info, body))
    return out


def make_zip_mutator(mutate: Callable[[bytes, int], bytes], bag: bool = False):
    """Half of the time mutate a member (content, name, flags, order) and write the ZIP again."""

    def mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rnd = random.Random(seed)
        members = zip_members(data) if rnd.random() < 0.6 else None
        if not members:
            return mutate(data, max_size)
        i = rnd.randrange(len(members))
        info, body = members[i]
        op = rnd.random()
        if op < 0.6:
            body = mutate(body, max(len(body) * 2, 64))
        elif op < 0.75:
            info = _renamed(info, mutate(info.filename.encode("utf-8"), 255).decode("utf-8", "replace") or "x")
        elif op < 0.8:
            members.append((_renamed(info, info.filename), body))  # a duplicate name
        elif op < 0.85 and len(members) > 1:
            del members[i]
        elif op < 0.9:
            info.external_attr = rnd.choice([0o120777, 0o010644, 0o040755, 0o100644]) << 16
        elif op < 0.95:
            info.compress_type = rnd.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
        else:
            rnd.shuffle(members)
        if op < 0.75 or 0.85 <= op < 0.95:
            members[i] = (info, body)
        if bag and rnd.random() < 0.8:
            members = refresh_bag(members)
        out = zip_bytes(members)
        return out if len(out) <= max_size else mutate(data, max_size)

    return mutator


def _renamed(info: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    new = zipfile.ZipInfo(name, info.date_time)
    new.compress_type, new.external_attr, new.create_system = info.compress_type, info.external_attr, info.create_system
    return new


# -- engines ----------------------------------------------------------------------------------


def _flag(argv: list[str], name: str, default: int) -> int:
    for a in argv:
        if a.startswith(f"-{name}="):
            return int(a.split("=", 1)[1])
    return default


def main(target: Target, argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if "--replay" in argv:
        files = [Path(a) for a in argv[argv.index("--replay") + 1 :]]
        raise SystemExit(replay(target, files))
    engine = next((a.split("=", 1)[1] for a in argv if a.startswith("--engine=")), "")
    argv = [a for a in argv if not a.startswith("--engine=")]
    if engine != "hypothesis":
        try:
            import atheris  # noqa: F401
        except ImportError:
            engine = "hypothesis"
            print(f"ENGINE: hypothesis — atheris is not installed for {sys.version.split()[0]} on {sys.platform}; "
                  "byte mutations of the seeds are driven by hypothesis instead", file=sys.stderr, flush=True)
    if engine == "hypothesis":
        raise SystemExit(fuzz_hypothesis(target, argv))
    fuzz_atheris(target, argv)


def fuzz_atheris(target: Target, argv: list[str]) -> None:
    import atheris

    print(f"ENGINE: atheris {getattr(atheris, '__version__', '')}".rstrip(), file=sys.stderr, flush=True)
    limit_memory()
    runner = Runner(target)
    dirs = [a for a in argv[1:] if not a.startswith("-")]
    flags = [a for a in argv[1:] if a.startswith("-")]
    seeds = seed_dir(target, runner.root / "seeds")
    if not dirs:  # a throwaway corpus: new inputs of a bounded run are not kept
        dirs = [str(runner.root / "corpus")]
        os.makedirs(dirs[0])
    defaults = {"max_len": target.max_len, "timeout": int(TIME_LIMIT), "rss_limit_mb": RSS_LIMIT_MB}
    for key, value in defaults.items():
        if not any(f.startswith(f"-{key}=") for f in flags):
            flags.append(f"-{key}={value}")
    with atheris.instrument_imports(include=list(target.instrument)):
        # The code under test imports lazily: import every validator and the target's own modules
        # here, then run seeds, smallest first, for the imports further down (a few seconds cover
        # them), so what is instrumented does not depend on which seeds came first.
        import importlib

        from hnsubmit.checks.validators.registry import VALIDATORS, text_scanners, validators_for

        for kind in VALIDATORS:
            validators_for(kind)
        text_scanners()
        for module in target.preload:
            importlib.import_module(module)
        t0 = time.monotonic()
        for p in sorted(seeds.iterdir(), key=lambda p: p.stat().st_size):
            if time.monotonic() - t0 > WARM_UP_SECONDS:
                break
            try:
                runner(p.read_bytes())
            except Exception:
                pass  # a failing seed fails again under libFuzzer, with its traceback
    kwargs = {}
    if target.zip_aware:
        # looked up at each call: Setup() replaces atheris.Mutate with the one bound to libFuzzer
        kwargs["custom_mutator"] = make_zip_mutator(lambda d, n: atheris.Mutate(d, n), bag=target.name == "package")
    atheris.Setup([argv[0], *flags, *dirs, str(seeds)], runner, **kwargs)
    atheris.Fuzz()


def fuzz_hypothesis(target: Target, argv: list[str]) -> int:
    """The same invariants without libFuzzer: a seed, then byte edits hypothesis chooses and shrinks."""
    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    limit_memory()
    budget = _flag(argv, "max_total_time", 60)
    runs = _flag(argv, "atheris_runs", _flag(argv, "runs", 10**9))
    base = _flag(argv, "seed", 1)
    max_len = _flag(argv, "max_len", target.max_len)
    runner = Runner(target)
    seeds = [p.read_bytes() for p in sorted(seed_dir(target, runner.root / "seeds").iterdir())]
    edit = st.tuples(st.sampled_from(["flip", "cut", "insert", "set", "splice"]), st.integers(0, 2**31), st.binary(min_size=1, max_size=16))

    def mutated(s: bytes, edits) -> bytes:
        data = bytearray(s)
        for what, pos, value in edits:
            pos = pos % (len(data) + 1)
            if what == "flip" and data:
                data[min(pos, len(data) - 1)] ^= value[0] or 1
            elif what == "cut":
                del data[pos : pos + value[0] * 64]
            elif what == "insert":
                data[pos:pos] = value
            elif what == "set":
                data[pos : pos + len(value)] = value
            elif what == "splice":
                other = seeds[value[0] % len(seeds)]
                data[pos:] = other[pos % (len(other) + 1) :]
        return bytes(data[:max_len])

    prefix = next((a.split("=", 1)[1] for a in argv if a.startswith("-artifact_prefix=")), "")
    failing: list[bytes] = [b""]
    t0 = time.monotonic()
    chunk = 0
    while time.monotonic() - t0 < budget and runner.execs < runs:
        @seed(base * 1_000_003 + chunk)
        @settings(max_examples=50, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
                  suppress_health_check=list(HealthCheck))
        @given(st.integers(0, len(seeds) - 1), st.lists(edit, min_size=1, max_size=6))
        def one(i, edits):
            data = mutated(seeds[i], edits)
            try:
                runner(data)
            except BaseException:
                failing[:] = [data]  # the last failure is the shrunk one hypothesis reports
                raise

        try:
            one()  # a failure raises here, after hypothesis has shrunk it
        except BaseException:
            kept = Path(f"{prefix}crash-{hashlib.sha1(failing[0]).hexdigest()}")
            kept.write_bytes(failing[0])
            print(f"Test unit written to {kept}", file=sys.stderr)
            raise
        chunk += 1
    seconds = time.monotonic() - t0
    print(f"#{runner.execs}\tDONE   corp: {len(seeds)}/{sum(map(len, seeds))}b rss: {peak_rss_mb():.0f}Mb "
          f"slowest: {runner.slowest:.2f}s", file=sys.stderr)
    print(f"Done {runner.execs} runs in {int(seconds)} second(s)", file=sys.stderr)
    runner.close()
    return 0


def replay(target: Target, files: list[Path]) -> int:
    """Each kept input once, with the same limits; a watchdog turns a hang into a failure."""
    limit_memory()
    runner = Runner(target)

    def alarm(signum, frame):
        raise Bug(f"an input ran over {2 * TIME_LIMIT:.0f} s")

    signal.signal(signal.SIGALRM, alarm)
    failed = 0
    for path in files:
        signal.alarm(int(2 * TIME_LIMIT))
        try:
            runner(path.read_bytes())
        except BaseException as exc:  # report every failing input, not just the first
            import traceback

            failed += 1
            print(f"FAILED {path}: {type(exc).__name__}: {exc}", file=sys.stderr)
            traceback.print_exc()
        finally:
            signal.alarm(0)
    print(f"replayed {len(files)} input(s), {failed} failed, slowest {runner.slowest:.2f} s, "
          f"peak RSS {peak_rss_mb():.0f} MB", file=sys.stderr)
    runner.close()
    return 1 if failed else 0
