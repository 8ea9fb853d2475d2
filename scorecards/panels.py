"""Panels the scorecards app adds to pages of partners (see partners/platform/panels.py): "Needs
attention" on the staff home, "My standing" on a partner's home and the scorecard summary on
a distributor's page (selectors in ``scorecards.selectors.dashboards``), and the corrective
plans of a distributor on its page and on a partner's home (``scorecards.selectors.plans``)."""

from partners.platform.panels import DISTRIBUTOR_PAGE, PARTNER_HOME, STAFF_HOME, panel_register
from scorecards.selectors import dashboards, exclusivity, plans

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
panel_register(
    DISTRIBUTOR_PAGE,
    selector=plans.distributor_plans_panel,
    template="scorecards/plans/_panel.html",
)
panel_register(
    PARTNER_HOME,
    selector=plans.distributor_plans_panel,
    template="scorecards/plans/_panel.html",
)

# Conditional exclusivity: what a partner still needs this quarter, on its home and on the
# distributor's page (with the start of the timeline). On the partner's home it comes right
# after the reports to hand in (a warning or a revoke is what it must act on), followed by
# the open actions of its corrective plans.
panel_register(
    PARTNER_HOME,
    selector=exclusivity.partner_exclusivity_panel,
    template="scorecards/panels/_exclusivity_partner.html",
    order=20,
)
panel_register(
    PARTNER_HOME,
    selector=plans.partner_plan_actions_panel,
    template="scorecards/plans/_actions_panel.html",
    order=30,
)
panel_register(
    DISTRIBUTOR_PAGE,
    selector=exclusivity.distributor_exclusivity_panel,
    template="scorecards/panels/_exclusivity_distributor.html",
)
