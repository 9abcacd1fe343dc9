"""The real server refuses manifests whose file names break the package rules (traversal, absolute,
control or bidi characters) and manifests with a key twice (parsers disagree on which one wins)."""

from __future__ import annotations

import json
import os

import pytest


UNSAFE = ["../../etc/passwd", "/etc/passwd", "C:/Windows/x.docx", "正文\x1b[2J.docx", "发票\u202excod.exe",
          "a/./b.docx", "正文\x85.docx"]


@pytest.mark.integration
def test_unsafe_file_names_are_refused_and_safe_ones_pass(exchange_server):
    s = exchange_server
    manifest = s.manifest("unit", os.urandom(64))
    for i, path in enumerate(UNSAFE):
        manifest["files"][0]["path"] = path
        r = s.submit("unit", manifest, f"names-unsafe-{i}")
        assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_request"), (path, r.text)
        assert any(e["loc"][-1] == "path" for e in r.json()["error"]["details"]["errors"])
    manifest["files"][0]["path"] = "图片/现场 照片(1).jpg"
    assert s.submit("unit", manifest, "names-safe-1").status_code == 201


@pytest.mark.integration
def test_duplicate_keys_are_refused(exchange_server):
    s = exchange_server
    manifest = s.manifest("unit", os.urandom(64))
    body = json.dumps(manifest, ensure_ascii=False)
    twice_unit = body.replace('"unit": "632521"', '"unit": "632521", "unit": "632522"', 1)
    twice_nested = body.replace('"name": "李四"', '"name": "李四", "name": "王五"', 1)
    for key, text in (("unit", twice_unit), ("name", twice_nested)):
        assert text != body
        with s.client("unit") as c:
            r = c.post("/api/v1/submissions", content=text.encode("utf-8"),
                       headers={"Idempotency-Key": f"dup-{key}", "Content-Type": "application/json"})
        assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_request"), r.text
        assert r.json()["error"]["details"] == {"duplicate_key": key}
        assert key in r.json()["error"]["message"]["zh"]
