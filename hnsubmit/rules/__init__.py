"""The rule registry (catalog/*.toml), Findings and Reports (the one currency), and select/ignore/severity.
It may import config, errors and i18n only.
"""
