"""Demo and benchmark data of the scorecards app, kept apart from the domain code.

- ``seed``: ``demo_seed(vendor)``, which ``manage.py demo_data`` calls through
  ``ScorecardsConfig.demo_module``;
- ``exclusivity``: the conditional exclusivity story of the demo vendor (called from ``seed``);
- ``largevendor``: the 2,000-distributor vendor of ``manage.py large_vendor`` and ``bench/``.
"""
