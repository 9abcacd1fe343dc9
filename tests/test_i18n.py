"""Chinese by default, English on request; the compiled catalog is current and ships in the wheel."""

from __future__ import annotations

import gettext
import io
import subprocess
import sys
import zipfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import REPO
from hnsubmit.i18n import _, detect_lang, set_lang

PO = REPO / "hnsubmit" / "i18n" / "locale" / "zh_CN" / "LC_MESSAGES" / "hnsubmit.po"
MO = PO.with_suffix(".mo")


def test_language_detection():
    assert detect_lang({}) == "zh"
    assert detect_lang({"LANG": "en_US.UTF-8"}) == "en"
    assert detect_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert detect_lang({"LANG": "C.UTF-8"}) == "zh"
    assert detect_lang({"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert detect_lang({"HNSUBMIT_LANG": "en", "LANG": "zh_CN.UTF-8"}) == "en"


def test_translation_switches_with_language():
    set_lang("zh")
    assert _("Summary") == "汇总"
    set_lang("en")
    assert _("Summary") == "Summary"
    set_lang("zh")


def test_compiled_catalog_matches_po():
    """A .po edit without `make i18n` would ship stale Chinese: compare with a fresh compile."""
    with open(PO, "rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    fresh = gettext.GNUTranslations(buf)
    with open(MO, "rb") as fh:
        shipped = gettext.GNUTranslations(fh)
    for message in catalog:
        if message.id and message.string:
            assert shipped.gettext(message.id) == fresh.gettext(message.id), message.id


def test_wheel_contains_catalog_and_rule_data(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("hnsubmit-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "hnsubmit/i18n/locale/zh_CN/LC_MESSAGES/hnsubmit.mo" in names
    assert "hnsubmit/rules/catalog/FMT.toml" in names
    assert "hnsubmit/policy/default.toml" in names


def _catalog():
    with open(PO, "rb") as fh:
        return read_po(fh, locale="zh_CN")


def test_every_interface_string_is_translated_with_the_same_placeholders():
    import re

    for message in _catalog():
        if not message.id:
            continue
        assert message.string, f"untranslated: {message.id!r} (run `make i18n` after adding it to scripts/zh_messages*.py)"
        assert set(re.findall(r"\{(\w+)", message.id)) == set(re.findall(r"\{(\w+)", message.string)), message.id


def test_catalog_holds_every_string_the_code_marks(tmp_path):
    """A new _() or error message not yet extracted would show in English to Chinese users."""
    from babel.messages.frontend import CommandLineInterface

    pot = tmp_path / "fresh.pot"
    keywords = ["_", "N_", "UsageError", "PolicyError", "ConfigError", "CredentialsError", "NetworkError", "RefusedError", "HnsubmitError"]
    argv = ["pybabel", "-q", "extract", "-F", str(REPO / "babel.cfg"), "--no-location", "-o", str(pot)]
    for k in keywords:
        argv += ["-k", k]
    import os

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        CommandLineInterface().run(argv + ["."])
    finally:
        os.chdir(cwd)
    with open(pot, "rb") as fh:
        fresh = {m.id for m in read_po(fh) if m.id}
    known = {m.id for m in _catalog() if m.id}
    assert sorted(fresh - known) == []
