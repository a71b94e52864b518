"""Helpers shared by the browser and validation tests."""
