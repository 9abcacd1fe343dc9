"""The liaison's side of the exchange protocol: HTTP transport, uploads, policy cache, credentials, outbox, push.
It may import checks, guide, submission, rules, policy, config, errors and i18n; never cli, render or exchange.
"""
