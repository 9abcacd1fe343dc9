"""Where the exchange keeps its data: the storage interface, the SQLite store and the content-addressed blob folder.
PostgreSQL (postgres.py), S3 (s3.py), their URLs (locations.py) and moving rows between engines (transfer.py).
It imports nothing of the exchange above it, and nothing of hnsubmit but config, errors and i18n's N_.
"""
