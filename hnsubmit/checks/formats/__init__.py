"""Format identification by content (magic numbers and container structure), never by extension."""
