"""The reference exchange server: the ASGI app, its storage, auth, review and reports (docs/protocol.md)."""
