"""`build.py serve`: the preview server and its snapshots."""
