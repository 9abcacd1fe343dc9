"""Helpers for the exchange server's integration tests."""
