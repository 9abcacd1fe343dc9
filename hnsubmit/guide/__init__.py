"""Office guides (办事指南): model, profiles, readers, writers and cross-field rules (GDE)."""
