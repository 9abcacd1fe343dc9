"""hnsubmit: check, fix, package and push content for the 海南州 government portal."""

__version__ = "0.1.0"
