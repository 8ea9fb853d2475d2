"""The panels reporting adds to pages of the partners app (see ``partners.panels``).

Each area registers its own panels here; the selectors live in ``reporting.selectors``."""

from partners.panels import PARTNER_HOME, panel_register
from reporting.selectors.submissions import reports_todo_panel

# submissions: the partner's "Reports to do" on its home.
panel_register(
    PARTNER_HOME,
    selector=reports_todo_panel,
    template="reporting/submissions/_todo_panel.html",
)
