"""The panels reporting adds to pages of the partners app (see ``partners.platform.panels``).

Each area registers its own panels here; the selectors live in ``reporting.selectors``."""

from partners.platform.panels import DISTRIBUTOR_PAGE, PARTNER_HOME, STAFF_HOME, panel_register
from reporting.selectors import review as review_selectors
from reporting.selectors.submissions import reports_todo_panel

# submissions: the partner's "Reports to do" on its home, first of all: what it must hand in.
panel_register(
    PARTNER_HOME,
    selector=reports_todo_panel,
    template="reporting/submissions/_todo_panel.html",
    order=10,
)
# review: discipline, missed and latest reports of a distributor; the staff home's review queue.
panel_register(
    DISTRIBUTOR_PAGE,
    selector=review_selectors.distributor_reporting_panel,
    template="reporting/review/_distributor_panel.html",
)
panel_register(
    STAFF_HOME,
    selector=review_selectors.staff_reporting_panel,
    template="reporting/review/_staff_home_panel.html",
)
