"""Submission packages: BagIt bags (RFC 8493) serialised as deterministic zips; written, read and verified.
It may import submission, rules, policy and errors; checking before packing is checks.pack's job.

The API is listed in :mod:`hnsubmit.submission`'s docstring.
"""
