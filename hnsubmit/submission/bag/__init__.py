"""Submission packages: BagIt bags (RFC 8493) serialised as deterministic zips; built, read and verified.

The API is listed in :mod:`hnsubmit.submission`'s docstring.
"""
