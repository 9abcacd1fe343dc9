"""Hostile and broken submission packages, one per PKG rule, built byte by byte with zipfile and
the bagit library (imported by make_submission_examples.py, and by the tests for their own cases).

Every builder starts from a small valid package of a one-photo submission and breaks exactly one
thing, so each example shows one rule.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import stat
import tempfile
import unicodedata
import warnings
import zipfile
from pathlib import Path

STAMP = (2026, 11, 19, 16, 0, 0)


def good_package(folder: Path, out: Path) -> Path:
    """The valid package of a submission folder (through `pack`'s own builder)."""
    from hnsubmit.checks.pack import build_package
    from hnsubmit.policy.model import default_policy

    return build_package(folder, out, default_policy()).path


def read_entries(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(i, zf.read(i)) for i in zf.infolist()]


def write_entries(out: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we write on purpose
        with zipfile.ZipFile(out, "w") as zf:
            for name, data in entries:
                info = name if isinstance(name, zipfile.ZipInfo) else zipfile.ZipInfo(name, STAMP)
                if info.compress_type == zipfile.ZIP_STORED and not isinstance(name, zipfile.ZipInfo):
                    info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = info.external_attr or (stat.S_IFREG | 0o644) << 16
                info.create_system = 3
                zf.writestr(info, data)
    return out


def _plain(entries):
    return [(zipfile.ZipInfo(i.filename, STAMP), d) for i, d in entries]


def with_extra(good: Path, out: Path, name: str, data: bytes = b"echo owned\n") -> Path:
    return write_entries(out, _plain(read_entries(good)) + [(name, data)])


def with_duplicate(good: Path, out: Path, name: str) -> Path:
    entries = _plain(read_entries(good))
    data = dict((i.filename, d) for i, d in entries)[name]
    return write_entries(out, entries + [(name, data)])


def with_symlink(good: Path, out: Path) -> Path:
    link = zipfile.ZipInfo("data/照片-链接.jpg", STAMP)
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    return write_entries(out, _plain(read_entries(good)) + [(link, b"/etc/passwd")])


def with_bomb(good: Path, out: Path, megabytes: int = 20) -> Path:
    return write_entries(out, _plain(read_entries(good)) + [("data/填充.txt", b"\0" * (megabytes * 1024 * 1024))])


def with_replaced(good: Path, out: Path, name: str, old: bytes, new: bytes) -> Path:
    entries = [(i, d.replace(old, new) if i.filename == name else d) for i, d in _plain(read_entries(good))]
    return write_entries(out, entries)


def without(good: Path, out: Path, name: str) -> Path:
    return write_entries(out, [(i, d) for i, d in _plain(read_entries(good)) if i.filename != name])


def with_bad_crc(good: Path, out: Path, name: str) -> Path:
    """Flip one stored byte of `name`, so its CRC-32 no longer matches."""
    entries = _plain(read_entries(good))
    for info, _ in entries:
        if info.filename == name:
            info.compress_type = zipfile.ZIP_STORED
    buf = io.BytesIO()
    write_entries(out, entries)
    raw = bytearray(out.read_bytes())
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo(name)
        start = info.header_offset + 30 + len(info.filename.encode("utf-8")) + len(info.extra)
    raw[start + info.file_size // 2] ^= 0xFF
    out.write_bytes(bytes(raw))
    del buf
    return out


def with_gbk_name(good: Path, out: Path) -> Path:
    """An entry named in GBK without the UTF-8 flag, as old Windows zip tools write Chinese names."""
    gbk = "data/说明.jpg".encode("gbk")
    placeholder = "data/" + "X" * (len(gbk) - len("data/.jpg")) + ".jpg"
    entries = _plain(read_entries(good))
    photo = dict((i.filename, d) for i, d in entries)["data/照片.jpg"]
    write_entries(out, entries + [(placeholder, photo)])
    out.write_bytes(out.read_bytes().replace(placeholder.encode("ascii"), gbk))
    return out


def bag_zip(out: Path, payload: dict[str, bytes], bag_info: dict[str, str], checksums=("sha256",), bagit_txt: bytes | None = None) -> Path:
    """A bag made by the bagit library from `payload`, zipped deterministically (no check first)."""
    import bagit

    from hnsubmit.submission.bag.zipwrite import write_zip

    with tempfile.TemporaryDirectory() as tmp:
        bag_dir = Path(tmp) / "bag"
        for name, data in payload.items():
            (bag_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (bag_dir / name).write_bytes(data)
        bagit.make_bag(str(bag_dir), dict(bag_info), processes=1, checksums=list(checksums))
        if bagit_txt is not None:
            (bag_dir / "bagit.txt").write_bytes(bagit_txt)
        names = [p.relative_to(bag_dir).as_posix() for p in sorted(bag_dir.rglob("*")) if p.is_file()]
        write_zip(out, bag_dir, names, STAMP)
    return out


def _payload(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _info(folder: Path) -> dict[str, str]:
    from hnsubmit.submission.bag.baginfo import bag_info_for
    from hnsubmit.submission.load import load_submission

    sub, _ = load_submission(folder)
    return bag_info_for(sub)


def negative_packages(base: Path, out_dir: Path) -> None:
    """Write examples/negative/package/*.zip from the one-photo submission folder `base`."""
    from factories import make_png

    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        good = good_package(base, Path(tmp) / "good.zip")
        with_extra(good, out_dir / "越界路径.zip", "../../启动脚本.sh")
        with_extra(good, out_dir / "绝对路径.zip", "/etc/cron.d/evil")
        with_duplicate(good, out_dir / "重复文件名.zip", "data/照片.jpg")
        with_extra(good, out_dir / "规范化冲突.zip", unicodedata.normalize("NFD", "data/照片-Café.jpg"), b"x")
        entries = read_entries(out_dir / "规范化冲突.zip")
        write_entries(out_dir / "规范化冲突.zip", _plain(entries) + [(unicodedata.normalize("NFC", "data/照片-Café.jpg"), b"y")])
        with_symlink(good, out_dir / "符号链接.zip")
        with_bomb(good, out_dir / "压缩炸弹.zip")
        # same length in UTF-8, so only the digest tells (PKG007), not the size
        with_replaced(good, out_dir / "校验和不符.zip", "data/submission.toml", "防火宣传现场".encode(), "防火宣传活动".encode())
        without(good, out_dir / "清单不全.zip", "data/照片.jpg")
        with_bad_crc(good, out_dir / "损坏条目.zip", "data/照片.jpg")
        with_gbk_name(good, out_dir / "文件名非UTF8.zip")
    payload = {f"data/{k}": v for k, v in _payload(base).items()}
    info = _info(base)
    bag_zip(out_dir / "无SHA256清单.zip", {k[5:]: v for k, v in payload.items()}, info, checksums=("md5",))
    partial = {k: v for k, v in info.items() if k not in ("Hnsubmit-Approver", "Hnsubmit-Column")}
    bag_zip(out_dir / "包信息不全.zip", {k[5:]: v for k, v in payload.items()}, partial)
    bag_zip(out_dir / "缺少报送说明.zip", {"照片.jpg": payload["data/照片.jpg"]}, info)
    bag_zip(out_dir / "包结构无效.zip", {k[5:]: v for k, v in payload.items()}, info, bagit_txt=b"hello\n")
    with tempfile.TemporaryDirectory() as tmp:
        png = make_png(Path(tmp) / "截图.png", (640, 360)).read_bytes()
    toml = payload["data/submission.toml"].decode().replace('path = "照片.jpg"', 'path = "截图.jpg"').encode()
    bag_zip(out_dir / "含不合格文件.zip", {"submission.toml": toml, "截图.jpg": png}, info)
    write_entries(out_dir / "普通压缩包.zip", [("说明.txt", "这不是报送包。\n".encode())])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
