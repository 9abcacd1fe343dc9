"""The command line: the root app, the one error boundary, the settings context, shared options and output.
It may import every layer below it (render, client, exchange, checks, guide, submission, rules, policy, config, errors, i18n).
"""
