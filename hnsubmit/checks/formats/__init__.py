"""Format parsers and identification by content (magic numbers, container structure), never by extension.
Pure parsers: they import only each other, rules (findings) and the standard library or Pillow/olefile/lxml.
"""
