"""Content: the model, reading and checking content/ (YAML, schema, overlays, pages, statistics), and every public address (urls)."""
