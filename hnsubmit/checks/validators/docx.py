"""Deep checks of a .docx (the DOC rules), and the text it hands to the sensitive-content scan."""

from __future__ import annotations

import posixpath
from typing import Callable, Iterator

from hnsubmit.rules.findings import Finding, Location, finding
from hnsubmit.checks.formats import docprops
from hnsubmit.checks.formats.ooxml import Limits, Package, PackageError, PackageTooLarge, UnsafeXml, open_package
from hnsubmit.checks.formats.wordml import TEXT_TAGS, W, PartScan, hidden_styles, walk
from hnsubmit.policy.model import Policy
from hnsubmit.checks.context import FileContext
from hnsubmit.checks.textscan.place import describe as where

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MS = "http://schemas.microsoft.com/office/2006/relationships/"
# Parts of the main document that hold published text, by relationship type → label for locations.
STORIES = {
    R + "header": None,  # labelled by part name: header1, header2 …
    R + "footer": None,
    R + "footnotes": "footnote",
    R + "endnotes": "endnote",
    R + "comments": "comment",
}
OBJECT_TYPES = {R + "oleObject", R + "package", R + "control", MS + "activeXControlBinary"}
WEB_SCHEMES = ("http://", "https://", "mailto:")
EXTERNAL_KIND = {
    "attachedTemplate": ("附加模板", "attached template"),
    "oleObject": ("链接的 OLE 对象", "linked OLE object"),
    "frame": ("框架网页", "frame"),
    "image": ("链接的图片", "linked picture"),
    "subDocument": ("子文档", "subdocument"),
    "hyperlink": ("指向本地文件的超链接", "hyperlink to a local file"),
}
SHOW_LINKS = 3


def limits_of(policy: Policy) -> Limits:
    d = policy.docx
    return Limits(int(d.max_uncompressed_bytes), float(d.max_compression_ratio), int(d.max_parts))


def check(ctx: FileContext) -> Iterator[Finding]:
    try:
        pkg = open_package(ctx.path, limits_of(ctx.policy))
    except PackageTooLarge as exc:
        yield finding("DOC002", ctx.display, what=exc.what)
        return
    except PackageError as exc:
        yield finding("DOC001", ctx.display, reason=str(exc))
        return
    with pkg:
        yield from _Checks(ctx, pkg).run()


class _Checks:
    def __init__(self, ctx: FileContext, pkg: Package) -> None:
        self.ctx, self.pkg, self.path = ctx, pkg, ctx.display
        self.out: list[Finding] = []
        self.unsafe: list[str] = []
        self.broken = False

    def _guard(self, step: Callable[[], list[Finding] | None], essential: bool = False) -> None:
        try:
            self.out.extend(step() or [])
        except UnsafeXml as exc:
            self.unsafe.append(str(exc))
            self.broken = self.broken or essential  # without its structure the package cannot be read on
        except PackageError as exc:
            if not self.broken:  # one structural finding says enough
                self.out.append(finding("DOC001", self.path, reason=str(exc)))
            self.broken = True

    def run(self) -> list[Finding]:
        try:
            self._guard(self._structure, essential=True)
            if not self.broken:
                for step in (self._macros, self._objects, self._external, self._properties, self._protection, self._content):
                    self._guard(step)
        except PackageTooLarge as exc:  # the streamed bytes outgrew the directory's claims: stop reading
            self.out.append(finding("DOC002", self.path, what=exc.what))
        if self.unsafe:
            self.out.append(finding("DOC003", self.path, Location(part=self.unsafe[0]), parts=", ".join(self.unsafe)))
        return self.out

    # -- steps ----------------------------------------------------------------------------------
    def _structure(self) -> None:
        self.pkg.content_types()  # raises when [Content_Types].xml is missing or broken
        self.main = self.pkg.main_document()
        if self.main is None:
            raise PackageError("the main document part (word/document.xml) is missing")
        self.rels = self.pkg.all_relationships()

    def _macros(self) -> list[Finding]:
        where_ = [n for n in self.pkg.names if posixpath.basename(n).lower() == "vbaproject.bin"]
        if not where_:  # a relationship to a VBA project whose part is missing still makes Word ask
            where_ = [f"{r.source} → {r.target}" for r in self.rels if r.short_type == "vbaProject"]
        content_type = self.pkg.content_type(self.main)
        if "macroEnabled" in content_type:
            if not where_:  # the type says macros may come, but there is no code: its own wording (DOC015)
                return [finding("DOC015", self.path, Location(part="[Content_Types].xml"), content_type=content_type)]
            where_.append("[Content_Types].xml: macroEnabled")
        if not where_:
            return []
        return [finding("DOC005", self.path, Location(part=where_[0].split(":")[0]), where=", ".join(where_))]

    def _objects(self) -> list[Finding]:
        # A chart keeps its data as an embedded workbook ("package" from a chart part): that is
        # the chart itself, not an object a reader would open.
        parts = sorted(
            {
                r.target
                for r in self.rels
                if r.type in OBJECT_TYPES and not r.external and not posixpath.dirname(r.source).endswith("charts")
            }
            | {n for n in self.pkg.names if n.lower().startswith("word/activex/") and not n.lower().endswith(".rels")}
        )
        if not parts:
            return []
        return [finding("DOC006", self.path, Location(part=parts[0]), count=len(parts), where=", ".join(parts[:SHOW_LINKS]))]

    def _external(self) -> list[Finding]:
        bad = []
        for r in self.rels:
            if not r.external:
                continue
            if r.short_type == "hyperlink" and r.target.strip().lower().startswith(WEB_SCHEMES):
                continue  # a web link is what a news item may well contain
            zh, en = EXTERNAL_KIND.get(r.short_type, (r.short_type, r.short_type))
            bad.append(({"zh": f"{zh} → {r.target}", "en": f"{en} → {r.target}"}, r))
        if not bad:
            return []
        links = {lang: "; ".join(b[0][lang] for b in bad[:SHOW_LINKS]) for lang in ("zh", "en")}
        first = bad[0][1]
        return [finding("DOC007", self.path, Location(part=self.pkg.rels_name(first.source) if first.source else "_rels/.rels"),
                        count=len(bad), links=links)]

    def _properties(self) -> list[Finding]:
        found = docprops.personal(self.pkg)
        if not found:
            return []
        fields = {
            "zh": ";".join(f"{docprops.label_zh(name)}“{value}”" for name, value in found),
            "en": "; ".join(f"{name} “{value}”" for name, value in found),
        }
        return [finding("DOC011", self.path, Location(part="docProps"), fields=fields)]

    def _protection(self) -> list[Finding]:
        settings = self._story_parts(R + "settings")
        if not settings:
            return []
        root = self.pkg.xml(settings[0])
        modes = []
        prot = root.find(W + "documentProtection")
        if prot is not None and prot.get(W + "enforcement", "0").lower() in ("1", "true", "on"):
            modes.append(prot.get(W + "edit", "readOnly"))
        if root.find(W + "writeProtection") is not None:
            modes.append("writeProtection")
        if not modes:
            return []
        return [finding("DOC012", self.path, Location(part=settings[0]), mode=", ".join(modes))]

    def _story_parts(self, rel_type: str) -> list[str]:
        return [r.target for r in self.rels if r.source == self.main and r.type == rel_type and self.pkg.has(r.target)]

    def _content(self) -> list[Finding]:
        styles = self._story_parts(R + "styles")
        hidden = set()
        # Parsing styles.xml whole is the slowest step of a check (thousands of latent styles), and
        # only a style that hides text matters here: skip the parse when neither that word nor
        # markup declarations ("<!", a DOCTYPE or comment, refused or ignored by the parse) occur.
        data = self.pkg.read(styles[0]) if styles else b""
        # ("!" first: one memchr, where "<" is on every line of the XML and slows the search for "<!")
        if b"vanish" in data or (b"!" in data and b"<!" in data):
            try:
                hidden = hidden_styles(self.pkg.xml(styles[0]))
            except UnsafeXml as exc:
                self.unsafe.append(str(exc))
        scans: dict[str, PartScan] = {}
        try:
            scans["body"] = walk("body", self.pkg.events(self.main, TEXT_TAGS), hidden)
        except UnsafeXml as exc:
            self.unsafe.append(str(exc))
        for rel_type, label in STORIES.items():
            for part in self._story_parts(rel_type):
                name = label or posixpath.splitext(posixpath.basename(part))[0]
                try:
                    scans[name if name not in scans else part] = walk(name, self.pkg.events(part, TEXT_TAGS), hidden)
                except UnsafeXml as exc:
                    self.unsafe.append(str(exc))
        for scan in scans.values():
            for text, loc in scan.texts:
                self.ctx.add_text(text, loc)
        return self._judge(scans)

    def _judge(self, scans: dict[str, PartScan]) -> list[Finding]:
        out = []
        published = [s for label, s in scans.items() if label != "comment"]
        revisions = sum(s.revisions for s in published)
        if revisions:
            first = next(s.first_revision for s in published if s.first_revision is not None)
            out.append(finding("DOC008", self.path, first, count=revisions, where=where(first)))
        comments = self._comment_count(scans)
        if comments:
            out.append(finding("DOC009", self.path, Location(part="comment"), count=comments))
        hidden = [h for s in published for h in s.hidden]
        if hidden:
            text, loc = hidden[0]
            sample = text.strip()[:30] + ("…" if len(text.strip()) > 30 else "")
            out.append(finding("DOC010", self.path, loc, count=len(hidden), where=where(loc), sample=sample))
        body = scans.get("body")
        if body is not None and body.content == 0:
            out.append(finding("DOC013", self.path, Location(part="body")))
        missing = [loc for s in published for loc in s.missing_alt]
        if missing:
            out.append(finding("DOC014", self.path, missing[0], count=len(missing),
                               total=sum(s.pictures for s in published), where=where(missing[0])))
        return out

    def _comment_count(self, scans: dict[str, PartScan]) -> int:
        refs = sum(s.comment_refs for s in scans.values())
        return max(refs, sum(s.comments for s in scans.values()))


def check_encrypted(ctx: FileContext) -> Iterator[Finding]:
    """An OOXML document inside an OLE container (EncryptionInfo + EncryptedPackage, MS-OFFCRYPTO).

    Identification found the two streams, so the document cannot be read without its password
    whatever else is true; msoffcrypto-tool reads the EncryptionInfo to name the method."""
    import msoffcrypto

    kind = ""
    try:
        with open(ctx.path, "rb") as fh:
            office = msoffcrypto.OfficeFile(fh)
            if office.is_encrypted():
                kind = getattr(office, "type", "") or ""
    except Exception:  # msoffcrypto raises many kinds on a damaged EncryptionInfo; the streams say enough
        kind = ""
    names = {
        "agile": ("Agile 加密(AES)", "Agile encryption (AES)"),
        "standard": ("标准加密(AES)", "Standard encryption (AES)"),
        "": ("未知方式", "unknown method"),
    }
    zh, en = names.get(kind, (kind, kind))
    yield finding("DOC004", ctx.display, Location(part="EncryptionInfo"), method={"zh": zh, "en": en})
