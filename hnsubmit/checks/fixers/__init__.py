"""Safe repairs that write new files, one module per kind of repair, chosen by the registry in registry.py.
A fixer may import checks.formats, checks.media, rules and policy; never the runner.
"""
