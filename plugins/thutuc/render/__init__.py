"""HTML out: Markdown rendering, minifying, writing pages, the link graph, atomic output."""
