"""Panels the scorecards app adds to pages of partners (see partners/panels.py)."""
