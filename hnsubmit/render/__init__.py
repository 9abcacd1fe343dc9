"""Presentation of reports and tables: text (Rich), JSON, JUnit, SARIF, GitHub and GitLab formats.
It may import client/exchange data types, checks, rules, policy, config, errors and i18n; never cli.
"""
