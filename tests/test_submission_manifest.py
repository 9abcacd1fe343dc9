"""The manifest `push` posts: the protocol's fields, canonical bytes, a reproducible digest, and the
reference server's own model accepts it (docs/protocol.md §4)."""

from __future__ import annotations

import hashlib
import json

from factories_submission import NEWS, VALID_TOML, submission_folder
from hnsubmit.submission.load import load_submission
from hnsubmit.submission.manifest import FileDigest, build_manifest, canonical_json, digest_files, hash_file, manifest_digest


def test_manifest_of_the_news_example():
    sub, findings = load_submission(NEWS)
    assert findings == []
    files = digest_files(NEWS, sub)
    manifest = build_manifest(sub, files)
    assert manifest == {
        "manifest_version": 1,
        "kind": "news",
        "title": "共和县召开2026年冬春农牧业生产工作会议",
        "unit": "632521",
        "column": "county-news",
        "category": "meetings",
        "source": "共和县人民政府办公室",
        "author": "共和县农牧水利和科技局",
        "summary": "共和县召开冬春农牧业生产工作会议,安排部署饲草料储备、牲畜防疫和抗灾保畜工作。",
        "written": "2026-11-20",
        "liaison": {"name": "李海英", "phone": "0974-8512655"},
        "approval": {"approver": "马国栋", "approved_at": "2026-11-20T17:30:00+08:00"},
        "channels": ["portal", "wechat"],
        "files": [
            {"path": "正文.docx", "role": "body", "digest": files[0].digest, "size": (NEWS / "正文.docx").stat().st_size},
            {"path": "会场照片1.jpg", "role": "image", "digest": files[1].digest, "size": (NEWS / "会场照片1.jpg").stat().st_size,
             "caption": "共和县2026年冬春农牧业生产工作会议现场"},
            {"path": "会场照片2.jpg", "role": "image", "digest": files[2].digest, "size": (NEWS / "会场照片2.jpg").stat().st_size,
             "caption": "与会人员听取冬春饲草料储备工作安排"},
        ],
    }
    for f in files:
        assert f.digest == "sha256:" + hashlib.sha256((NEWS / f.path).read_bytes()).hexdigest()


def test_the_reference_server_model_accepts_the_manifest():
    from hnsubmit.exchange.models import Manifest

    sub, _ = load_submission(NEWS)
    manifest = build_manifest(sub, digest_files(NEWS, sub))
    parsed = Manifest.model_validate_json(canonical_json(manifest))
    assert parsed.category == "meetings" and [f.role for f in parsed.files] == ["body", "image", "image"]


def test_canonical_bytes_and_digest():
    sub, _ = load_submission(NEWS)
    manifest = build_manifest(sub, digest_files(NEWS, sub))
    raw = canonical_json(manifest)
    assert raw == json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    assert "共和县".encode() in raw  # not \\u-escaped
    assert manifest_digest(manifest) == "sha256:" + hashlib.sha256(raw).hexdigest()
    reordered = dict(reversed(list(manifest.items())))
    assert manifest_digest(reordered) == manifest_digest(manifest)
    changed = dict(manifest, title=manifest["title"] + "。")
    assert manifest_digest(changed) != manifest_digest(manifest)


def test_optional_fields_are_left_out_and_missing_digests_refused(tmp_path):
    folder = submission_folder(tmp_path / "s", VALID_TOML.replace('source = "共和县林业和草原局"\n', "\n"))
    sub, _ = load_submission(folder)
    manifest = build_manifest(sub, digest_files(folder, sub))
    assert "expires" not in manifest and "reprint" not in manifest and "source_url" not in manifest
    assert "source" not in manifest and "author" not in manifest and "summary" not in manifest
    try:
        build_manifest(sub, [FileDigest("正文.docx", 1, "sha256:" + "0" * 64)])
    except KeyError as exc:
        assert "照片.jpg" in str(exc)
    else:
        raise AssertionError("a listed file without a digest must not pass")


def test_hash_file_streams_large_files(tmp_path):
    big = tmp_path / "big.bin"
    with open(big, "wb") as fh:
        for i in range(5):
            fh.write(bytes([i]) * (1024 * 1024 + 7))
    assert hash_file(big) == ("sha256:" + hashlib.sha256(big.read_bytes()).hexdigest(), 5 * (1024 * 1024 + 7))
