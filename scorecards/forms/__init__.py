"""Forms of the scorecards app, one module per area."""
