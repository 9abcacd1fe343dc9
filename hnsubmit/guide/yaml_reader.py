"""Read office guides from YAML or JSON: one guide, a list of guides, or `guides:` / `办事指南:` holding a list.

Every value keeps its YAML path and line.  The node graph is walked under a budget before anything
is constructed, so an alias bomb ("billion laughs") or a self-referencing alias becomes GDE001
instead of exhausting memory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from hnsubmit.rules.findings import Location, finding
from hnsubmit.guide.build import R
from hnsubmit.guide.source import MAX_GUIDES, RawGuide, ReadResult

MAX_BYTES = 10_000_000
MAX_NODES = 300_000  # visits, counting every use of an alias: bounds the constructed size
MAX_DEPTH = 40
LIST_KEYS = ("guides", "办事指南")


class _Budget(Exception):
    pass


def _path_text(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class YamlLocator:
    def __init__(self, lines: dict[tuple, int], prefix: tuple) -> None:
        self.lines = lines
        self.prefix = prefix

    def _line(self, full: tuple) -> int | None:
        probe = tuple(p if isinstance(p, int) else str(p) for p in full)
        while True:
            if probe in self.lines:
                return self.lines[probe]
            if not probe:
                return None
            probe = probe[:-1]

    def at(self, raw_path: tuple) -> Location:
        full = self.prefix + tuple(raw_path)
        return Location(field_path=_path_text(full) or None, line=self._line(full))

    def missing(self, parent: tuple, name: str) -> Location:
        full = self.prefix + tuple(parent)
        return Location(field_path=_path_text(full + (name,)), line=self._line(full))


def _walk(node: yaml.Node, path: tuple, lines: dict[tuple, int], state: list[int], depth: int) -> None:
    state[0] += 1
    if state[0] > MAX_NODES or depth > MAX_DEPTH:
        raise _Budget()
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            state[0] += 1
            k = key.value if isinstance(key, yaml.ScalarNode) else "?"
            lines.setdefault(path + (k,), value.start_mark.line + 1 if not isinstance(value, yaml.ScalarNode) or value.value else key.start_mark.line + 1)
            _walk(value, path + (k,), lines, state, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, path + (i,), lines, state, depth + 1)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")  # files saved by Chinese Windows editors


def _fail(display: str, reason: dict[str, str], line: int | None = None) -> ReadResult:
    return ReadResult(findings=[finding("GDE001", display, Location(line=line), reason=reason)])


def read_yaml(path: Path, display: str) -> ReadResult:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return _fail(display, R(f"文件过大(超过 {MAX_BYTES // 1_000_000} MB)", f"file too large (over {MAX_BYTES // 1_000_000} MB)"))
        text = _decode(path.read_bytes())
    except UnicodeDecodeError:
        return _fail(display, R("文件编码无法识别(应为 UTF-8)", "unknown text encoding (use UTF-8)"))
    except OSError as exc:
        return _fail(display, R(f"无法读取文件({exc.strerror})", f"cannot read the file ({exc.strerror})"))
    is_json = path.suffix.lower() == ".json"
    lines: dict[tuple, int] = {}
    try:
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _walk(node, (), lines, [0], 0)
            data = None if is_json else (loader.construct_document(node) if node is not None else None)
        finally:
            loader.dispose()
    except _Budget:
        return _fail(display, R("结构过深或别名展开过大", "nesting too deep or aliases expand too far"))
    except yaml.YAMLError as exc:
        if not is_json:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            problem = getattr(exc, "problem", None) or type(exc).__name__
            return _fail(display, R(f"YAML 语法错误:{problem}", f"YAML syntax error: {problem}"), line)
        lines = {}  # valid JSON that PyYAML cannot parse (rare escapes): values simply carry no line
    except RecursionError:
        return _fail(display, R("结构过深", "nesting too deep"))
    if is_json:
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            line = getattr(exc, "lineno", None)
            return _fail(display, R(f"JSON 语法错误:{getattr(exc, 'msg', exc)}", f"JSON syntax error: {getattr(exc, 'msg', exc)}"), line)
    return _guides(data, lines, display)


def _guides(data: Any, lines: dict[tuple, int], display: str) -> ReadResult:
    prefix: tuple = ()
    if isinstance(data, dict):
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                prefix, data = (key,), data[key]
                break
    if isinstance(data, dict):
        return ReadResult(guides=[RawGuide(data, YamlLocator(lines, ()), "", Location(line=lines.get((), 1)))])
    if not isinstance(data, list) or not data:
        return _fail(display, R("顶层应为一个办事指南(要素: 内容)或办事指南列表", "the top level must be one guide (element: value) or a list of guides"))
    result = ReadResult()
    if len(data) > MAX_GUIDES:
        result.findings.append(finding("GDE001", display, Location(), reason=R(
            f"办事指南超过 {MAX_GUIDES} 个,只检查前 {MAX_GUIDES} 个", f"more than {MAX_GUIDES} guides; only the first {MAX_GUIDES} are checked")))
    for i, item in enumerate(data[:MAX_GUIDES]):
        here = prefix + (i,)
        loc = Location(field_path=_path_text(here), line=lines.get(here))
        if not isinstance(item, dict):
            result.findings.append(finding("GDE001", display, loc, reason=R(
                f"第 {i + 1} 项不是办事指南(应为“要素: 内容”)", f"item {i + 1} is not a guide (element: value pairs)")))
            continue
        result.guides.append(RawGuide(item, YamlLocator(lines, here), f"[{i}]" if not prefix else f"{prefix[0]}[{i}]", loc))
    return result
