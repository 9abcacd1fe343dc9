"""`hnsubmit admin fsck` on the data directory of a real server: flipped, deleted and stray blob files
are found, the submissions they affect named, --repair quarantines, and a re-upload makes it sound."""

from __future__ import annotations

import json
import os

import pytest

from exchange.harness import digest_of, start_server


def _file(s, digest: str):
    hexd = digest.split(":")[1]
    return s.data_dir / "blobs" / "sha256" / hexd[:2] / hexd


@pytest.mark.integration
def test_fsck_finds_damage_names_submissions_and_repairs(tmp_path, cli):
    s = start_server(tmp_path / "data")
    try:
        good, flipped, lost = os.urandom(30_000), os.urandom(2_500_000), os.urandom(20_000)
        s.upload("unit", good)
        manifest = s.manifest("unit", flipped)
        manifest["files"].append({"path": "附件.pdf", "role": "attachment", "digest": s.upload("unit", lost), "size": len(lost)})
        r = s.submit("unit", manifest, "fsck-1")
        assert r.status_code == 201, r.text
        sid = r.json()["submission_id"]
        data = str(s.data_dir)

        code, out, err = cli("admin", "fsck", "--data", data)
        assert code == 0 and "3" in out and "完好" in out, (out, err)

        path = _file(s, digest_of(flipped))
        raw = bytearray(path.read_bytes())
        raw[1_234_567] ^= 0x80
        path.write_bytes(bytes(raw))
        _file(s, digest_of(lost)).unlink()
        stray = os.urandom(100)
        _file(s, digest_of(stray)).parent.mkdir(parents=True, exist_ok=True)
        _file(s, digest_of(stray)).write_bytes(stray)

        code, out, err = cli("admin", "fsck", "--data", data, "--format", "json")
        report = json.loads(out)
        assert code == 1
        assert [d["digest"] for d in report["damaged"]] == [digest_of(flipped)]
        assert report["damaged"][0]["actual"] == digest_of(bytes(raw))
        assert report["missing"] == [digest_of(lost)]
        assert report["unreferenced"] == [digest_of(stray)]
        assert report["affected"] == {digest_of(flipped): [sid], digest_of(lost): [sid]}
        assert report["quarantined"] == [] and path.exists()  # without --repair nothing moves

        code, out, err = cli("admin", "fsck", "--repair", "--data", data)
        assert code == 1 and "损坏" in out and "已隔离" in out and sid in out and "Traceback" not in out + err
        assert not path.exists() and list((s.data_dir / "quarantine").iterdir())

        # quarantined and lost blobs are now missing for the unit, so its next push uploads them again
        with s.client("unit") as c:
            missing = c.post("/api/v1/blobs/missing", json={"digests": [digest_of(flipped), digest_of(lost)]}).json()
        assert missing == {"missing": [digest_of(flipped), digest_of(lost)]}
        s.upload("unit", flipped)
        s.upload("unit", lost)
        code, out, err = cli("admin", "fsck", "--data", data, "--format", "json")
        assert code == 0 and json.loads(out)["sound"] is True  # an unreferenced file is no damage
    finally:
        s.stop()
