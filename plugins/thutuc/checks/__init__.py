"""The one list of problems for `check` and `build`: content, navigation and settings."""
