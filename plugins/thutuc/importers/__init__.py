"""Procedures imported from the National Public Service Portal (JSON) and from tables (CSV, XLSX)."""
