"""The policy model, the built-in default.toml (南政办〔2015〕86号 六(五)) and the allowed kinds (kinds.py).
It may import rules, config, errors and i18n only.
"""
