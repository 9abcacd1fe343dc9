"""Many real packages of mixed sizes, queued in an outbox, for the fault and crash tests.

Each item is the news example with its own title (so its own package digest and idempotency key)
and a second photo of random noise whose size is drawn log-uniformly: a few tens of KB up to
several MB, so faults land in headers, small bodies and deep inside large uploads alike.  The body
and the first photo are shared by every item, as in a real week of a county's news.
"""

from __future__ import annotations

import math
import random
import re
import shutil
from pathlib import Path

from conftest import EXAMPLES

MEETING = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"
TITLE = "共和县召开2026年冬春农牧业生产工作会议"


def noise_jpeg(path: Path, target: int, rng: random.Random) -> Path:
    """A real JPEG of about `target` bytes: noise does not compress, so pixels ≈ bytes."""
    from PIL import Image

    pixels = max(200 * 150, int(target / 1.1))
    width = max(200, min(7000, int(math.sqrt(pixels * 4 / 3))))
    height = max(150, pixels // width)
    img = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    img.save(path, "JPEG", quality=85)
    return path


def item_folder(root: Path, index: int, size: int, rng: random.Random, tag: str) -> Path:
    folder = root / f"{tag}-{index:03d}"
    shutil.copytree(MEETING, folder)
    toml = folder / "submission.toml"
    text = toml.read_text(encoding="utf-8")
    text = re.sub(r'^title = "[^"]*"', f'title = "{TITLE}({tag}-{index:03d})"', text, count=1, flags=re.M)
    toml.write_text(text, encoding="utf-8")
    noise_jpeg(folder / "会场照片2.jpg", size, rng)
    return folder


def queue_items(box, endpoint: str, unit: str, count: int, rng: random.Random, workdir: Path, tag: str,
                smallest: int = 40_000, largest: int = 3_000_000) -> list:
    """`count` packed items in `box`, sizes log-uniform in [smallest, largest]; returns the outbox items."""
    from hnsubmit.policy.model import default_policy
    from hnsubmit.client.packages import pack_folder

    policy = default_policy()
    items = []
    for i in range(count):
        size = int(math.exp(rng.uniform(math.log(smallest), math.log(largest))))
        folder = item_folder(workdir / "folders", i, size, rng, tag)
        package, manifest = pack_folder(folder, workdir / "packages", policy)
        item, _created = box.add(package, endpoint, unit, source=str(folder))
        items.append(box.set_manifest(item.id, manifest))
        shutil.rmtree(folder)
    return items


def title_of(index: int, tag: str) -> str:
    return f"{TITLE}({tag}-{index:03d})"
