"""Demo data of the reporting app: ``seed.demo_seed(vendor)``, which ``manage.py demo_data``
calls through ``ReportingConfig.demo_module``."""
