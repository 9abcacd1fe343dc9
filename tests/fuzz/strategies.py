"""Hypothesis strategies for the structured inputs: office guides (YAML/JSON), submission.toml, and ZIP
packages built from random entries and names.

Each starts from a real example (so most of what is generated is nearly valid and reaches the deep
rules) and applies edits hypothesis chooses: a value replaced by one of another type, a key dropped
or added, an entry renamed to a hostile name, a body changed.  Byte-level fuzzing (harness.py) finds
what the parsers do with broken syntax; these find what the rules do with well-formed nonsense.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import unicodedata
import warnings
import zipfile
from pathlib import Path
from typing import Any

import yaml
from harness import EXAMPLES, refresh_bag
from hypothesis import strategies as st

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

GUIDES = sorted((EXAMPLES / "office-guides").glob("*.yaml")) + sorted((EXAMPLES / "office-guides").glob("*.json"))
SUBMISSIONS = sorted(EXAMPLES.glob("**/submission.toml"))

# Text the rules look at twice: placeholders, phone and code shapes, paths, and Unicode edge cases.
WORDS = [
    "无", "暂无", "/", "-", "详见附件", "其他", "0974-8512655", "8512655", "13800138000", "12345",
    "11632524MB0000501G", "000120040000", "https://zwfw.example.gov.cn/", "http://", "file:///etc/passwd",
    "../../etc/passwd", "/etc/passwd", "C:\\Windows\\win.ini", "表格/不动产登记申请书.docx", "表格/不存在.docx",
    "即办件", "承诺件", "工作日", "自然日", "个月", "是", "否", "2026-13-45", "1999-99-99", "２０２６年", "０９７４－８５１２６５５",
    "\u0f40\u0f71\u0f72", "Cafe\u0301", "\u202e", "\ufeff", "\x00", "\x1b[31m", "a" * 6000, "北京" * 50,
    "身份证号 632521199001011234", "6222 0202 0000 0000 000", "秘密", "内部资料",
]
text = st.one_of(st.sampled_from(WORDS), st.text(max_size=40), st.text(alphabet="0123456789-－ ()（）", max_size=20))
scalar = st.one_of(
    text, st.integers(-10**6, 10**12), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
)
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(text, inner, max_size=4)), max_leaves=12)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a nested structure a value can be replaced, dropped or added under."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, prefix + (k,)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, prefix + (i,)))
    return out


def _edit(doc: Any, path: tuple, how: str, new: Any, key: str) -> Any:
    if not path:
        return new if how == "set" else doc
    parent = doc
    for p in path[:-1]:
        parent = parent[p]
    last = path[-1]
    if how == "set":
        parent[last] = new
    elif how == "drop":
        del parent[last]
    elif how == "add" and isinstance(parent[last], dict):
        parent[last][key] = new
    elif how == "add" and isinstance(parent[last], list):
        parent[last].append(new)
    elif how == "dup" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[last]))
    return doc


@st.composite
def edited(draw, bases: list[Any], max_edits: int = 5) -> Any:
    doc = copy.deepcopy(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(0, max_edits))):
        paths = _paths(doc)
        path = paths[draw(st.integers(0, len(paths) - 1))]
        doc = _edit(doc, path, draw(st.sampled_from(["set", "drop", "add", "dup"])), draw(value), draw(text))
    return doc


# -- office guides ------------------------------------------------------------------------------


def _load_guides() -> list[Any]:
    out = []
    for p in GUIDES:
        raw = p.read_text(encoding="utf-8")
        out.append(json.loads(raw) if p.suffix == ".json" else yaml.safe_load(raw))
    return out


def _dump_guide(doc: Any, as_json: bool) -> bytes:
    if as_json:
        return json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")


@st.composite
def guide_files(draw) -> tuple[str, bytes]:
    """(file name, bytes) of a YAML or JSON office guide, or a batch of them."""
    docs = _load_guides()
    doc = draw(edited(docs))
    if draw(st.booleans()) and isinstance(doc, dict) and "guides" not in doc:
        doc = {"guides": [doc, draw(edited(docs, 2))]}
    as_json = draw(st.booleans())
    return ("指南.json" if as_json else "指南.yaml"), _dump_guide(doc, as_json)


# -- submission.toml ----------------------------------------------------------------------------


def _load_submissions() -> list[Any]:
    out = []
    for p in SUBMISSIONS:
        try:
            out.append(tomllib.loads(p.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError:
            continue  # the syntax-error example: byte fuzzing covers broken syntax
    return out


def _tomlable(v: Any) -> Any:
    """TOML has no null and only string keys: None becomes "", keys become strings."""
    if v is None:
        return ""
    if isinstance(v, dict):
        return {str(k): _tomlable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_tomlable(x) for x in v]
    if isinstance(v, float) and v != v:
        return "nan"
    return v


@st.composite
def submission_files(draw) -> bytes:
    import tomli_w

    doc = draw(edited(_load_submissions()))
    if not isinstance(doc, dict):
        doc = {"title": doc}
    try:
        return tomli_w.dumps(_tomlable(doc)).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):  # a shape TOML cannot hold (e.g. a mixed-type array on old tomli-w)
        return tomli_w.dumps({"title": str(doc)[:200]}).encode("utf-8", "surrogatepass")


# -- ZIP packages -------------------------------------------------------------------------------

HOSTILE_NAMES = [
    "../../启动脚本.sh", "data/../../x.txt", "/etc/cron.d/evil", "C:/Windows/evil.dll", "data\\..\\evil.sh",
    "data/a\x01b.jpg", "data//x.jpg", "data/./x.jpg", "data/", "data/照片.jpg", "DATA/照片.jpg",
    unicodedata.normalize("NFD", "data/Café.jpg"), "data/Café.jpg", "data/照片\uff081\uff09.jpg", "data/照片(1).jpg",
    "bagit.txt", "manifest-sha256.txt", "bag-info.txt", "tagmanifest-sha256.txt", "fetch.txt", "data/submission.toml",
    "包/bagit.txt", "x" * 300, "data/" + "深" * 200 + ".jpg",
]


@st.composite
def package_files(draw, base: bytes) -> bytes:
    """A package derived from `base` (a valid one): entries renamed, added, dropped, changed, made links."""
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        members = [(i, zf.read(i)) for i in zf.infolist()]
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(members) - 1))
        info, body = members[i]
        op = draw(st.sampled_from(["rename", "add", "drop", "body", "link", "dup", "toml"]))
        if op == "rename":
            members[i] = (_entry(draw(st.one_of(st.sampled_from(HOSTILE_NAMES), text)) or "x", info), body)
        elif op == "add":
            members.append((_entry(draw(st.sampled_from(HOSTILE_NAMES)), info), draw(st.binary(max_size=64))))
        elif op == "drop" and len(members) > 1:
            del members[i]
        elif op == "body":
            members[i] = (info, draw(st.binary(max_size=256)))
        elif op == "link":
            info.external_attr = 0o120777 << 16
        elif op == "dup":
            members.append((_entry(info.filename, info), body))
        elif op == "toml":
            target = next((j for j, (m, _) in enumerate(members) if m.filename.endswith("data/submission.toml")), i)
            members[target] = (members[target][0], draw(submission_files()))
    if draw(st.booleans()):
        members = refresh_bag(members)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names on purpose
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info, body in members:
                out.writestr(info, body)
    return buf.getvalue()


def _entry(name: str, like: zipfile.ZipInfo) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, like.date_time)
    info.external_attr, info.create_system = like.external_attr, like.create_system
    return info


def good_package_bytes(tmp: Path) -> bytes:
    from hnsubmit.checks.pack import build_package
    from hnsubmit.policy.model import default_policy

    folder = EXAMPLES / "submissions" / "共和县-2026-11-20-冬春农牧业生产会议"
    return build_package(folder, tmp / "p.zip", default_policy()).path.read_bytes()

