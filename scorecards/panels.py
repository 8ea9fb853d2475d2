"""Panels the scorecards app adds to pages of partners (see partners/panels.py): "Needs
attention" on the staff home, "My standing" on a partner's home and the scorecard summary on
a distributor's page. The selectors live in ``scorecards.selectors.dashboards``."""

from partners.panels import DISTRIBUTOR_PAGE, PARTNER_HOME, STAFF_HOME, panel_register
from scorecards.selectors import dashboards, exclusivity

panel_register(
    STAFF_HOME,
    selector=dashboards.staff_attention_panel,
    template="scorecards/panels/_attention.html",
)
panel_register(
    PARTNER_HOME,
    selector=dashboards.my_standing_panel,
    template="scorecards/panels/_my_standing.html",
)
panel_register(
    DISTRIBUTOR_PAGE,
    selector=dashboards.distributor_scorecard_panel,
    template="scorecards/panels/_distributor_summary.html",
)

# Conditional exclusivity: what a partner still needs this quarter, on its home and on the
# distributor's page (with the start of the timeline).
panel_register(
    PARTNER_HOME,
    selector=exclusivity.partner_exclusivity_panel,
    template="scorecards/panels/_exclusivity_partner.html",
)
panel_register(
    DISTRIBUTOR_PAGE,
    selector=exclusivity.distributor_exclusivity_panel,
    template="scorecards/panels/_exclusivity_distributor.html",
)
