"""Vietnamese text: normalisation, slugs, labels, sort order, command-line words."""
