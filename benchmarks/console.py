"""P9 (issue 16): the review console's item page for an item with 20 photos and a 50-page Word body, after
its first view (the Word body converted and the thumbnails made and cached by blob digest).

Against a real `hnsubmit serve` on 127.0.0.1, in one run, alternated sample by sample:

  C1  first view: the item page (mammoth + nh3 over the body) and its 20 thumbnails (Pillow), cold.
  C2  the page as a browser loads it, without a browser: the HTML, the CSS and the 20 thumbnails over one
      keep-alive connection (httpx), warm; peer: the very same bytes (saved copies of those responses)
      served as static files by Python's threaded http.server (HTTP/1.1, keep-alive).
  C3  the HTML alone, warm; peer: the JSON API's answer for the same item (GET /api/v1/submissions/{id}),
      which reads the same rows but renders no template.
  C4  in Debian's Chromium (Playwright, a new context each sample so nothing comes from the browser's
      cache): navigation to the load event, every thumbnail decoded; peer: the static copy in Chromium.

Goal (issue 16's done-when): C4, and C2 without a browser, under 1 s after the first view.

    python benchmarks/console.py [--photos 20] [--pages 50] [--samples 9]
"""

from __future__ import annotations

import argparse
import http.server
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import REPO, Figure, machine

sys.path.insert(0, str(REPO / "tests"))

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LINE = "海南州政府办公室召开全州冬春农牧业生产工作会议,安排部署抗灾保畜、草原防火和春季动物疫病防控工作,要求各县区压实责任。"


def word_body(pages: int) -> bytes:
    """`pages` pages of Chinese text (a heading, 12 paragraphs of about 60 characters, a page break each),
    with a small table every tenth page."""
    from docx import Document
    from docx.enum.text import WD_BREAK

    doc = Document()
    for page in range(pages):
        doc.add_heading(f"第{page + 1}部分 工作情况", level=2)
        for i in range(12):
            doc.add_paragraph(f"({i + 1}){LINE}")
        if page % 10 == 9:
            table = doc.add_table(rows=4, cols=3)
            for r, row in enumerate(table.rows):
                for c, cell in enumerate(row.cells):
                    cell.text = f"{r}-{c} 牲畜存栏"
        doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def photo(seed: int, width: int = 3000, height: int = 2000) -> bytes:
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.effect_noise((width // 4, height // 4), 40 + seed).convert("RGB").resize((width, height))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 150):
        draw.rectangle([i, (seed * 37) % height, i + 90, (seed * 37) % height + 400], fill=(200, 60 + seed * 5, 40))
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def make_item(server, photos: int, pages: int) -> tuple[str, int, int]:
    body = word_body(pages)
    files = [{"path": "正文.docx", "role": "body", "digest": server.upload("unit", body), "size": len(body)}]
    total = 0
    for i in range(photos):
        data = photo(i)
        total += len(data)
        files.append({"path": f"照片{i + 1:02d}.jpg", "role": "image", "digest": server.upload("unit", data),
                      "size": len(data), "caption": f"会议现场 {i + 1}"})
    manifest = {
        "title": "全州冬春农牧业生产工作会议(图片 20 张)", "unit": "632521", "column": "county-news",
        "category": "meetings", "liaison": {"name": "李四", "phone": "0974-8512655"},
        "approval": {"approver": "王五", "approved_at": "2026-11-17T09:30:00+08:00"}, "files": files,
    }
    r = server.submit("unit", manifest, str(uuid.uuid4()))
    assert r.status_code == 201, r.text
    return r.json()["submission_id"], len(body), total


def sign_in(client, token: str) -> None:
    import re

    page = client.get("/console/signin")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post("/console/signin", data={"token": token, "csrf": csrf})
    assert r.status_code == 303, r.text


def page_urls(html: str, item_path: str) -> list[str]:
    import re

    return ["/console/static/console.css"] + sorted(set(re.findall(rf'src="({re.escape(item_path)}/files/\d+/thumb)"', html)),
                                                     key=lambda u: int(u.split("/")[-2]))


def fetch_all(client, paths: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    size = 0
    for p in paths:
        r = client.get(p)
        assert r.status_code == 200, (p, r.status_code)
        size += len(r.content)
    return time.perf_counter() - start, size


class _Static(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # as uvicorn: else each keep-alive answer waits on a delayed ACK

    def guess_type(self, path):  # the copies keep the console's paths, which have no extensions
        if path.endswith("/thumb"):
            return "image/jpeg"
        if path.endswith(".css"):
            return "text/css"
        if path.endswith(".svg"):
            return "image/svg+xml"
        if path.endswith(".html"):
            return "text/html; charset=utf-8"
        return "text/html; charset=utf-8"

    def log_message(self, *args):
        pass


def serve_static(root: str, ready: str) -> None:
    """The peer, in its own process (so its CPU time can be read like the exchange's)."""
    handler = lambda *a, **k: _Static(*a, directory=root, **k)  # noqa: E731
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    Path(ready).write_text(str(httpd.server_address[1]))
    httpd.serve_forever()


def static_mirror(root: Path, client, item_path: str, paths: list[str]) -> tuple[str, subprocess.Popen]:
    """The item page (as ITEM/index.html: the thumbnails live under ITEM/files/) and its resources as files,
    served by a child process."""
    for p in [item_path] + paths + ["/console/static/favicon.svg"]:
        target = root / p.lstrip("/") / "index.html" if p == item_path else root / p.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(client.get(p).content)
    ready = root.parent / "static.port"
    proc = subprocess.Popen([sys.executable, __file__, "--static-server", str(root), str(ready)])
    deadline = time.monotonic() + 30
    while not ready.exists() or not ready.read_text():
        assert proc.poll() is None and time.monotonic() < deadline, "the static peer did not start"
        time.sleep(0.05)
    return f"http://127.0.0.1:{ready.read_text()}", proc


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads (/proc/PID/stat fields 14 and 15)."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_load(browser, url: str, cookies: list[dict] | None = None) -> float:
    context = browser.new_context()
    if cookies:
        context.add_cookies(cookies)
    page = context.new_page()
    page.goto(url, wait_until="load")
    # the browser's own clock (Navigation Timing): from the request of the page to the end of its load event
    elapsed = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0]; "
                            "return (n.loadEventEnd - n.startTime) / 1000; })()")
    missing = page.evaluate("[...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
    context.close()
    assert not missing, f"not loaded at the load event on {url}: {missing}"
    return elapsed


def main() -> int:
    if sys.argv[1:2] == ["--static-server"]:
        serve_static(sys.argv[2], sys.argv[3])
        return 0
    import httpx

    from exchange.harness import start_server

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=20)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--samples", type=int, default=9)
    args = parser.parse_args()
    import os

    print(f"machine: {machine()}, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    work = Path(tempfile.mkdtemp(prefix="hnsubmit-bench-console-"))
    server = start_server(work / "data")
    figures: list[Figure] = []
    try:
        sid, body_bytes, photo_bytes = make_item(server, args.photos, args.pages)
        print(f"item {sid}: body {body_bytes / 1e6:.2f} MB (.docx, {args.pages} pages), "
              f"{args.photos} photos {photo_bytes / 1e6:.1f} MB")
        item_path = f"/console/items/{sid}"
        with httpx.Client(base_url=server.url, timeout=60) as c, server.client("reviewer") as api:
            sign_in(c, server.tokens["reviewer"])
            start = time.perf_counter()
            html = c.get(item_path)
            first_html = time.perf_counter() - start
            assert html.status_code == 200 and html.text.count("/thumb") == args.photos
            paths = page_urls(html.text, item_path)
            first_thumbs, _size = fetch_all(c, paths[1:])
            print(f"C1 first view: item page {first_html:.3f} s (body {len(html.content) / 1e3:.0f} kB of HTML), "
                  f"{args.photos} thumbnails made {first_thumbs:.3f} s")
            mirror_url, httpd = static_mirror(work / "static", c, item_path, paths)
            with httpx.Client(base_url=mirror_url, timeout=60) as peer:
                ours, theirs, html_only, api_only, cpu_ours, cpu_theirs = [], [], [], [], [], []
                for _ in range(args.samples):
                    before = cpu_seconds(server.proc.pid)
                    t, size = fetch_all(c, [item_path] + paths)
                    cpu_ours.append(cpu_seconds(server.proc.pid) - before)
                    ours.append(t)
                    before = cpu_seconds(httpd.pid)
                    theirs.append(fetch_all(peer, [item_path + "/"] + paths)[0])
                    cpu_theirs.append(cpu_seconds(httpd.pid) - before)
                    html_only.append(fetch_all(c, [item_path])[0])
                    api_only.append(fetch_all(api, [f"/api/v1/submissions/{sid}"])[0])
            figures.append(Figure("C2 item page + CSS + thumbnails, warm (httpx, keep-alive)", statistics.median(ours),
                                  statistics.median(theirs), "s", "the same bytes from http.server",
                                  "< 1 s", statistics.median(ours) < 1.0,
                                  f"{1 + len(paths)} requests, {size / 1e6:.2f} MB, median of {args.samples}"))
            figures.append(Figure("C2cpu server CPU time (user + system) for that page load", statistics.mean(cpu_ours),
                                  statistics.mean(cpu_theirs), "s", "http.server's for the same bytes", "reported",
                                  True, f"mean of {args.samples}; CPU time is what a loaded machine does not inflate"))
            figures.append(Figure("C3 item page HTML alone, warm", statistics.median(html_only), statistics.median(api_only),
                                  "s", "the JSON API's GET of the same item", "reported", True,
                                  f"median of {args.samples}"))
            if Path(CHROMIUM).is_file():
                try:
                    from playwright.sync_api import sync_playwright
                except ImportError:
                    sync_playwright = None
                if sync_playwright is not None:
                    cookie = {"name": "hn_console", "value": c.cookies["hn_console"], "url": server.url + "/console"}
                    with sync_playwright() as p:
                        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
                        browser_load(browser, server.url + item_path, [cookie])  # warm-up of both
                        browser_load(browser, mirror_url + item_path + "/")
                        ours_b, theirs_b = [], []
                        for _ in range(max(3, args.samples // 2)):
                            ours_b.append(browser_load(browser, server.url + item_path, [cookie]))
                            theirs_b.append(browser_load(browser, mirror_url + item_path + "/"))
                        browser.close()
                    figures.append(Figure("C4 item page in Chromium to the load event, warm", statistics.median(ours_b),
                                          statistics.median(theirs_b), "s", "the static copy in Chromium", "< 1 s",
                                          statistics.median(ours_b) < 1.0,
                                          f"Navigation Timing start to loadEventEnd, a new browser context each "
                                          f"sample (no browser cache), median of {len(ours_b)}"))
            else:
                print(f"C4 skipped: no Chromium at {CHROMIUM}")
            httpd.terminate()
            httpd.wait(10)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    for f in figures:
        print(f.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
