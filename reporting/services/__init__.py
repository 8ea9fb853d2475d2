"""Every write of the reporting app, one module per area (``<thing>_<verb>(*, vendor, actor,
...)``, atomic, validated, audited)."""
