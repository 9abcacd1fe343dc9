"""The checker and fixer: the runner (run.py), fix.py, walk, validators per format, fixers, format parsers, text scan.
It may import guide, submission, rules, policy, config, errors and i18n; nested checks go through ctx.check_nested.
"""
