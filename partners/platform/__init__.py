"""The platform kernel: what every app stands on, apart from the domain.

- ``scope``: ``tenant_scope`` and ``user_scope``, the ORM scope and the row-level security
  setting opened together (the second and third walls);
- ``middleware``: ``TenantMiddleware``, which resolves the workspace, checks membership and runs
  the view inside its scope (the first wall);
- ``rls``: the migration operation that puts a tenant table under row-level security;
- ``tasks``: ``TenantTask``, the base of every tenant Celery task, and ``enqueue_on_commit``;
- ``api`` and ``api_settings``: the API viewset base and its permissions; the authentication,
  pagination and error format that DRF's settings name;
- ``web``: page helpers for views (``page_context``, ``requires``, ``apply_errors``,
  ``form_post``, ``tenant_public``);
- ``panels``: the registry through which higher apps add panels to partners' pages;
- ``uploads`` and ``exports``: checked file uploads and downloads, and CSV/XLSX tables.

Domain code (partners' models, services, selectors and views, and the apps above partners)
depends on this package, never the reverse. The import-linter contract "platform-is-a-kernel"
in pyproject.toml holds that (no app above partners, and none of partners' services, views or
API). What the kernel cannot avoid of the domain: the middleware looks up the vendor, the
membership (a selector), the API token and the second factor (services, imported inside the
request) and renders partners' 404 page; the context processor lists the person's workspaces (a
selector); ``api`` gates writes with the role predicates of ``partners.roles``; ``exports`` and
``uploads`` use partners' time-zone and wording helpers (``zones``, ``words``).
"""
