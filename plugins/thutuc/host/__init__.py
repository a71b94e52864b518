"""The MkDocs adapter: plugin, its options, generated pages as MkDocs files, the command line. The only package that imports mkdocs."""
