"""Every Word file of the shared corpus gets exactly the codes its SOURCES.md description implies.

The full list is compared (FMT, DOC and whatever the text scan says), so an unexpected extra
finding fails as much as a missing one.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from hnsubmit.checks.run import CheckOptions, run_check, selection_from
from hnsubmit.checks.formats.identify import identify_path
from hnsubmit.policy.model import load_policy
from hnsubmit.checks.context import FileContext

EXPECTED = {
    # legacy .doc
    "doc/poi_SampleDoc.doc": ["DOC011"],  # author and last saved by in SummaryInformation
    "doc/oletools_harmless-clean.doc": ["DOC011"],
    "doc/poi_two_images.doc": ["DOC011"],  # pictures in the Data stream are no OLE objects
    "doc/poi_SimpleMacro.doc": ["DOC005", "DOC011"],  # Macros/VBA storage
    "doc/poi_password_password_cryptoapi.doc": ["DOC004", "DOC011"],  # FIB fEncrypted, RC4 CryptoAPI
    "doc/poi_password_tika_binaryrc4.doc": ["DOC004", "DOC011"],  # FIB fEncrypted, binary RC4
    "doc/poi_MarkAuthorsTable.doc": ["DOC008", "DOC009", "DOC011"],  # revision marks + annotations
    "doc/oletools_embedded-simple-2007.doc": ["DOC006", "DOC011"],  # ObjectPool
    "doc/poi_Word95.doc": ["FMT001"],  # Word 95 is not an accepted format; no DOC finding repeats it
    "doc/poi_word2.doc": ["FMT001"],  # Word 2.0, likewise
    "doc/poi_clusterfuzz-5074346559012864.doc": ["FMT008"],  # garbage FIB: the container is damaged
    # OOXML (every Office-saved one names its author: DOC011)
    "docx/poi_SampleDoc.docx": ["DOC011"],
    "docx/poi_delins.docx": ["DOC008", "DOC011"],  # w:ins, w:del, w:rPrChange; Company "Jet Infosystem"
    "docx/poi_testComment.docx": ["DOC009", "DOC011"],  # its PNG sits in a comment, not in the text
    "docx/pydocx_comments-rich-para.docx": ["DOC009"],  # properties already empty
    # alt texts are the file names Word 2007 filled in ("santa.wmf"): nothing for a screen reader
    "docx/poi_VariousPictures.docx": ["DOC011", "DOC014"],
    "docx/poi_SimpleMacro.docm": ["DOC005", "DOC011"],
    "docx/oletools_oleform-PR314.docm": ["DOC005", "DOC011"],
    "docx/oletools_encrypted.docx": ["DOC004"],
    "docx/oletools_encrypted.docm": ["DOC004"],
    "docx/poi_bug53475-password-is-pass.docx": ["DOC004"],  # detected even where msoffcrypto cannot decrypt
    "docx/poi_protected_sample.docx": ["DOC011", "DOC012"],  # edit restriction, not encryption
    "docx/poi_truncated62886.docx": ["FMT008"],  # no central directory: validators are not run
    "docx/poi_ExternalEntityInText.docx": ["DOC003", "DOC011"],  # the DTD is refused, never resolved
    "docx/oletools_embedded-simple-2007.docx": ["DOC006", "DOC011"],  # word/embeddings/oleObject1.bin
    "docx/poi_hello_world.docm": ["DOC011", "FMT002"],  # a clean .doc named .docm
}


def _check(path: Path):
    pol = load_policy()
    return run_check([path], CheckOptions(pol, selection_from(pol))).findings


def test_table_covers_every_word_file(corpus):
    files = {p.relative_to(corpus).as_posix() for sub in ("doc", "docx") for p in (corpus / sub).iterdir()}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_corpus_file_codes_exactly(corpus, rel):
    assert sorted(f.code for f in _check(corpus / rel)) == sorted(EXPECTED[rel])


def _one(corpus, rel, code):
    (f,) = [f for f in _check(corpus / rel) if f.code == code]
    return f


def test_details_say_what_and_how_many(corpus):
    assert _one(corpus, "docx/poi_delins.docx", "DOC008").args["count"] == 32 + 4 + 46  # ins, del, rPrChange
    assert _one(corpus, "docx/pydocx_comments-rich-para.docx", "DOC009").args["count"] == 4
    assert _one(corpus, "doc/poi_MarkAuthorsTable.doc", "DOC009").args["count"] == 3
    pictures = _one(corpus, "docx/poi_VariousPictures.docx", "DOC014").args
    assert (pictures["count"], pictures["total"]) == (5, 5)
    company = _one(corpus, "docx/poi_delins.docx", "DOC011").args["fields"]["en"]
    assert "Company “Jet Infosystem”" in company and "creator “pavel”" in company
    assert _one(corpus, "doc/poi_password_tika_binaryrc4.doc", "DOC004").args["method"]["en"] == "RC4"
    assert _one(corpus, "doc/poi_password_password_cryptoapi.doc", "DOC004").args["method"]["en"] == "RC4 CryptoAPI"
    assert "Agile" in _one(corpus, "docx/oletools_encrypted.docx", "DOC004").args["method"]["en"]
    assert _one(corpus, "docx/poi_protected_sample.docx", "DOC012").args["mode"] == "readOnly"
    assert _one(corpus, "docx/poi_protected_sample.docx", "DOC012").severity.value == "info"
    assert "vbaProject.bin" in _one(corpus, "docx/poi_SimpleMacro.docm", "DOC005").args["where"]


def _texts(path: Path):
    from hnsubmit.checks.validators.registry import validators_for

    fi = identify_path(path)
    ctx = FileContext(path, path.name, fi, load_policy())
    findings = [f for v in validators_for(fi.kind) for f in v(ctx)]
    return ctx.texts, findings


def test_comment_text_is_extracted_with_its_part(corpus):
    texts, _ = _texts(corpus / "docx/poi_testComment.docx")
    assert any(t.location.part == "comment" for t in texts)
    texts, _ = _texts(corpus / "doc/poi_MarkAuthorsTable.doc")
    assert [t.text for t in texts if t.location.part == "comment"] == [
        "Test comment", "Who are the Project Managers?", "What Diagram"
    ]


class _Recorder:
    """An audit hook (PEP 578) that records file opens and network calls while armed."""

    def __init__(self) -> None:
        self.armed = False
        self.events: list[tuple[str, tuple]] = []
        self.thread = threading.get_ident()
        sys.addaudithook(self)

    def __call__(self, event: str, args: tuple) -> None:
        if not self.armed or threading.get_ident() != self.thread:
            return
        if event == "open" or event.startswith(("socket.", "urllib.")):
            self.events.append((event, args))


def test_external_entity_causes_no_file_or_network_access(corpus):
    """poi_ExternalEntityInText.docx declares <!ENTITY testent SYSTEM "http://poi.apache.org/">:
    the part is refused at its DOCTYPE, so nothing is fetched and no other file is opened."""
    path = corpus / "docx/poi_ExternalEntityInText.docx"
    _check(path)  # warm up: imports open module files
    recorder = _Recorder()
    recorder.armed = True
    try:
        texts, findings = _texts(path)
    finally:
        recorder.armed = False
    network = [e for e in recorder.events if e[0] != "open"]
    others = [e for e in recorder.events if e[0] == "open" and Path(str(e[1][0])) != path]
    assert network == [] and others == []
    assert any(e[0] == "open" for e in recorder.events)  # the hook did see the document itself opened
    (dtd,) = [f for f in findings if f.code == "DOC003"]
    assert dtd.args["parts"] == "word/document.xml"
    assert not any("poi.apache.org" in t.text or "Here should not be" in t.text for t in texts)
