"""The reference exchange server: the ASGI app (app.py), services (auth, uploads, submissions, reports), the
re-checks of stored blobs (integrity.py, fsck.py), the authentication throttle (throttle.py), api/ and store/.
It may import checks, guide, submission, rules, policy, config, errors and i18n; never cli, render or client (but embedded.py's credentials).
"""
