"""The panels reporting adds to pages of the partners app (see ``partners.panels``).

Each area registers its own panels here; the selectors live in ``reporting.selectors``."""

from partners.panels import DISTRIBUTOR_PAGE, STAFF_HOME, panel_register
from reporting.selectors import review as review_selectors

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
