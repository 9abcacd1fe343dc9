"""`check --deep` for ASF files: decode every stream with ffmpeg, bounded in time, and report decode errors."""

from __future__ import annotations

from typing import Iterator

from hnsubmit.rules.findings import Finding, Location, finding
from hnsubmit.checks.context import FileContext


def deep(ctx: FileContext) -> Iterator[Finding]:
    from hnsubmit.checks.media.ffmpeg import FfmpegNotFound, FfmpegTimeout, decode

    timeout = ctx.policy.wmv.deep_timeout_seconds
    try:
        result = decode(ctx.path, timeout=timeout)
    except FfmpegNotFound as exc:
        yield finding("WMV014", ctx.display, reason={"zh": "找不到可用的 ffmpeg(" + exc.render() + ")", "en": exc.render()})
        return
    except FfmpegTimeout:
        yield finding(
            "WMV014", ctx.display,
            reason={"zh": f"解码超过 {timeout:g} 秒仍未完成", "en": f"decoding did not finish within {timeout:g} s"},
        )
        return
    except OSError as exc:  # the binary exists but cannot be started (permissions, wrong platform)
        yield finding("WMV014", ctx.display, reason={"zh": f"无法启动 ffmpeg({exc.strerror or exc})", "en": f"ffmpeg cannot be started ({exc.strerror or exc})"})
        return
    if not result.clean:
        yield finding(
            "WMV013", ctx.display, Location(part="decoder"), count=result.error_count, first=result.errors[0] if result.errors else "",
        )
