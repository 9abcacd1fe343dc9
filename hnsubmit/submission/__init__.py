"""A submission: submission.toml (model, SUB rules, templates), its package (bag/) and the manifest `push` posts.
It may import checks.formats and checks.walk (leaf modules), rules, policy, config, errors and i18n; never the check runner.

The library API other parts call (kept stable; keyword-only arguments are optional):

    hnsubmit.submission.load.load_submission(directory, *, display=None, policy=None, now=None)
        -> tuple[Submission | None, list[Finding]]
    hnsubmit.submission.manifest.digest_files(directory, submission) -> list[FileDigest]
    hnsubmit.submission.manifest.build_manifest(submission, files: Iterable[FileDigest]) -> dict
    hnsubmit.submission.manifest.canonical_json(manifest) -> bytes     # the exact bytes to post
    hnsubmit.submission.manifest.manifest_digest(manifest) -> "sha256:<hex>"
    hnsubmit.submission.scaffold.scaffold(directory, kind, *, force=False, unit=, title=, liaison=, phone=)
        -> Scaffolded(path, listed, ignored)

    hnsubmit.checks.pack.build_package(directory, out_zip, policy, *, selection=None, strict=False)
        -> PackageInfo(path, sha256, size, files: list[FileDigest], submission, report)
        raises PackageRefused (a HnsubmitError, exit 1, `.report` holds the check Report) when check
        finds errors; UsageError for a folder without submission.toml or an output inside the folder
    hnsubmit.submission.bag.read.open_package(zip_path, policy=None, *, display=None)
        -> tuple[PackageContents | None, list[Finding]]
        PackageContents(dir, payload, submission, files: list[FileDigest], bag_info) is a context
        manager: `with contents:` removes the extracted temporary folder on exit (or `.close()`).
        None when the zip is unsafe or not a valid bag; the findings say why (PKG rules).
"""
