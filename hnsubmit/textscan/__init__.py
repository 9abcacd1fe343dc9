"""Find sensitive content in plain text: classification marks, ID, bank card and mobile numbers, e-mail."""

from hnsubmit.textscan.scanner import Hit, scan_text

__all__ = ["Hit", "scan_text"]
