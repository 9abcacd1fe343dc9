"""Sensitive content in plain text: classification marks, ID, bank card and mobile numbers, e-mail.
Pure functions over strings; place.py turns hits into findings (imports rules only).
"""
