"""What makes scorecards recompute: listeners on reporting's events (reporting/events.py)."""
