"""Office guides (办事指南): model, profiles, readers, writers, cross-field rules (GDE) and the check adapter.
It may import checks.formats/walk/context, submission, rules, policy, config, errors and i18n; forms are checked through a callback.
"""
