"""Submissions for the review console's tests: a real Word body (python-docx) and a real JPEG photo
(Pillow), uploaded and submitted over the protocol to a real exchange server (tests/exchange/harness.py)."""

from __future__ import annotations

import io
import uuid

BODY_SENTENCE = "州政府办公室召开冬春农牧业生产工作会议,部署抗灾保畜工作。"


def docx_bytes(paragraphs: int = 3, heading: str = "会议纪要", link: str | None = None) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(heading, level=1)
    for i in range(paragraphs):
        doc.add_paragraph(f"{i + 1}. {BODY_SENTENCE}")
    if link:
        doc.add_paragraph(link)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def jpeg_bytes(width: int = 1600, height: int = 1200, seed: int = 0) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (40 + seed % 200, 110, 170))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 80):
        draw.rectangle([i, height // 3, i + 40, height // 3 + 200], fill=(230, 200 - seed % 100, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def submit_item(server, who: str, title: str, body: bytes | None = None, photos: list[bytes] = (),
                captions: list[str] | None = None) -> str:
    """Upload the files and submit them as `who`; returns the submission id."""
    files = []
    if body is not None:
        files.append({"path": "正文.docx", "role": "body", "digest": server.upload(who, body), "size": len(body)})
    for i, photo in enumerate(photos):
        entry = {"path": f"会场照片{i + 1}.jpg", "role": "image", "digest": server.upload(who, photo), "size": len(photo)}
        if captions:
            entry["caption"] = captions[i]
        files.append(entry)
    manifest = {
        "title": title, "unit": server.units[who], "column": "county-news", "category": "meetings",
        "liaison": {"name": "李四", "phone": "0974-8512655"},
        "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"},
        "files": files,
    }
    r = server.submit(who, manifest, str(uuid.uuid4()))
    assert r.status_code == 201, r.text
    return r.json()["submission_id"]
