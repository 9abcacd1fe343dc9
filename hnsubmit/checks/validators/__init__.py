"""Deep validators, one module per format, chosen by the explicit registry in registry.py.
A validator takes a checks.context.FileContext and yields findings; it may import checks.formats, textscan and rules.
"""
