"""Where the exchange keeps its data: the storage interface, the SQLite store and the content-addressed blob folder.
It imports nothing of the exchange above it, and nothing of hnsubmit but config and errors.
"""
