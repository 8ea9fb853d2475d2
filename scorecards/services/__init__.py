"""Every write of the scorecards app, one module per area."""
