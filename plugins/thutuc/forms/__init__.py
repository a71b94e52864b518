"""Forms from one source: a YAML form definition becomes a .docx, an .odt and an A4 .pdf.

Core module: no MkDocs import. `definition` is light (used by `check`); the writers load only when
files are generated.
"""
