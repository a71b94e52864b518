"""Tools for editors: `build.py new`, `build.py import`, the browser editor (Decap) at /admin/."""
