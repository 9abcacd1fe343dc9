"""The standalone folder, built from a fresh clone by packaging/hnsubmit.spec, works with no Python on PATH.

A liaison's PC often has no Python: the one-folder build carries its own, with Pillow, the ffmpeg of
imageio-ffmpeg, the catalogs and translations.  The smoke test runs it with PATH pointing at an empty
folder: --version, check of a JPEG, a DOCX and a WMV, fix of a PNG named .jpg (Pillow) and of an MP4
(ffmpeg), and a push to the real exchange (`hnsubmit serve` from the project venv: the bundle is the
client only, and says so for `serve`); and that the bundle's keyring picks the desktop's Secret Service
(Debian packages dbus and gnome-keyring).  Slow (2–3.5 min on a loaded 2-core VM, PyInstaller): `make test-packaging`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO

pytestmark = pytest.mark.slow
MEETING = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"
WINDOWS = os.name == "nt"  # .github/workflows/release.yml runs this test on a Windows runner
EXE = "hnsubmit.exe" if WINDOWS else "hnsubmit"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """dist/hnsubmit/ built from a clone of the committed tree (untracked files in the working tree stay out)."""
    base = tmp_path_factory.mktemp("standalone")
    clone = base / "clone"
    proc = subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(clone)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                           "--distpath", "dist", "--workpath", "build/pyinstaller", "packaging/hnsubmit.spec"],
                          cwd=clone, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, "PyInstaller failed (pip install -e '.[standalone]'):\n" + proc.stderr[-4000:]
    folder = clone / "dist" / "hnsubmit"
    assert (folder / EXE).is_file()
    return folder


def no_python_env(base: Path) -> dict:
    empty = base / "empty-path"
    empty.mkdir(exist_ok=True)
    env = {"PATH": str(empty), "HOME": str(base / "home"), "LANG": "C.UTF-8", "COLUMNS": "120"}
    if WINDOWS:  # Windows needs SYSTEMROOT (sockets, crypto); the per-user folders go to the test's own
        env.update(SYSTEMROOT=os.environ["SYSTEMROOT"], APPDATA=str(base / "roaming"), LOCALAPPDATA=str(base / "local"))
    assert shutil.which("python3", path=env["PATH"]) is None and shutil.which("ffmpeg", path=env["PATH"]) is None
    return env


def run(bundle: Path, *args, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(bundle / EXE), *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          env=env, cwd=cwd, timeout=300)


def test_the_bundle_carries_python_ffmpeg_and_data_but_no_server(bundle):
    internal = bundle / "_internal"
    assert list(internal.glob("python3*.dll" if WINDOWS else "libpython3*")), "no Python runtime in the bundle"
    assert list((internal / "imageio_ffmpeg" / "binaries").glob("ffmpeg-*")), "no ffmpeg in the bundle"
    for data in ("hnsubmit/i18n/locale/zh_CN/LC_MESSAGES/hnsubmit.mo", "hnsubmit/policy/default.toml",
                 "hnsubmit/exchange/seed.toml", "hnsubmit/rules/catalog/FMT.toml"):
        assert (internal / data).is_file(), data
    assert list(internal.glob("keyring-*.dist-info")), "keyring finds its backends through its metadata"
    assert not (internal / "fastapi").exists() and not (internal / "uvicorn").exists()


def test_smoke_without_python_on_path(bundle, tmp_path, exchange_server):
    env = no_python_env(tmp_path)
    proc = run(bundle, "--version", env=env, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.startswith("hnsubmit 0.1.0"), proc.stderr

    files = [EXAMPLES / "positive" / "jpeg" / "标准照片.jpg", EXAMPLES / "positive" / "word" / "图文报道.docx",
             EXAMPLES / "positive" / "wmv" / "WMV1短片.wmv"]
    proc = run(bundle, "check", *files, env=env, cwd=tmp_path)
    assert proc.returncode == 0 and "通过" in proc.stdout, proc.stdout + proc.stderr

    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(EXAMPLES / "negative" / "截图-其实是PNG.jpg", work / "截图.jpg")
    shutil.copy(EXAMPLES / "negative" / "宣传片.mp4", work / "宣传片.mp4")
    proc = run(bundle, "fix", "截图.jpg", "宣传片.mp4", "-o", "fixed", env=env, cwd=work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (work / "fixed" / "截图.jpg").read_bytes()[:3] == b"\xff\xd8\xff"  # Pillow made a JPEG
    asf_header = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
    assert (work / "fixed" / "宣传片.wmv").read_bytes()[:16] == asf_header  # the bundled ffmpeg made a WMV
    proc = run(bundle, "check", "fixed", env=env, cwd=work)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    folder = shutil.copytree(MEETING, work / "会议")
    toml = folder / "submission.toml"
    toml.write_text(re.sub(r'^title = "([^"]*)"', r'title = "\1(独立版)"', toml.read_text(encoding="utf-8"), count=1, flags=re.M),
                    encoding="utf-8")
    push_env = dict(env, HNSUBMIT_TOKEN=exchange_server.tokens["unit"])
    proc = run(bundle, "push", "会议", "--endpoint", exchange_server.url, "--quiet", env=push_env, cwd=work)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = run(bundle, "status", "--endpoint", exchange_server.url, "--unit", "632521", "--format", "json", env=push_env, cwd=work)
    assert proc.returncode == 0 and "(独立版)" in proc.stdout, proc.stdout + proc.stderr

    proc = run(bundle, "serve", "--port", "0", env=env, cwd=work)  # the client-only bundle names the extra
    assert proc.returncode == 2 and "hnsubmit[server]" in proc.stderr, proc.stderr


WITH_SECRET_SERVICE = """\
eval "$(printf pw | {daemon} --unlock --components=secrets --daemonize)"
export GNOME_KEYRING_CONTROL
"$1" --lang en login --endpoint "$2" --unit 632521 --token-stdin < "$3" || exit $?
"$1" --lang en whoami --endpoint "$2" --unit 632521
"""


def test_the_bundle_finds_the_system_keyring(bundle, tmp_path, exchange_server):
    """keyring finds its backends through entry points: the bundle's copied metadata and hidden imports
    must let it pick the desktop's keyring (here a real Secret Service: gnome-keyring on a private D-Bus;
    on the Windows runner, the Credential Locker), not fall back to the token file."""
    env = dict(no_python_env(tmp_path), COLUMNS="250")  # login's sentence on one line
    (Path(env["HOME"]) / ".cache").mkdir(parents=True, exist_ok=True)  # gnome-keyring puts its control socket there
    secret = tmp_path / "token.txt"
    secret.write_text(exchange_server.tokens["unit"] + "\n", encoding="ascii")
    exe = str(bundle / EXE)
    if WINDOWS:
        login = subprocess.run([exe, "--lang", "en", "login", "--endpoint", exchange_server.url, "--unit", "632521",
                                "--token-stdin"], input=secret.read_text(), capture_output=True, text=True, env=env, timeout=120)
        assert login.returncode == 0, login.stdout + login.stderr
        proc = run(bundle, "--lang", "en", "whoami", "--endpoint", exchange_server.url, "--unit", "632521", env=env, cwd=tmp_path)
        out, backend = login.stdout + proc.stdout, "WinVaultKeyring"
    else:
        tools = {name: shutil.which(name) for name in ("dbus-run-session", "dbus-daemon", "gnome-keyring-daemon")}
        assert all(tools.values()), f"a Secret Service is needed: apt-get install dbus gnome-keyring ({tools})"
        script = tmp_path / "with_secret_service.sh"
        script.write_text(WITH_SECRET_SERVICE.format(daemon=tools["gnome-keyring-daemon"]), encoding="utf-8")
        proc = subprocess.run([tools["dbus-run-session"], f"--dbus-daemon={tools['dbus-daemon']}", "--", "/bin/sh", str(script),
                               exe, exchange_server.url, str(secret)], capture_output=True, text=True, env=env, timeout=120)
        out, backend = proc.stdout, "keyring.backends.SecretService.Keyring"
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"in the keyring ({backend}" in out, out  # login: the desktop's keyring, not the file store
    assert "632521" in out.split("in the keyring", 1)[1]  # whoami read the token back and the server knew it
    assert not list(Path(env["HOME"]).rglob("tokens.toml")), "the token went to the file store"
