"""The panels reporting adds to pages of the partners app (see ``partners.panels``).

Each area registers its own panels here; the selectors live in ``reporting.selectors``."""
