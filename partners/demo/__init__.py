"""Demo data of the partners app, kept apart from the domain code it drives through services.

``seed.demo_load()`` is what ``manage.py demo_data`` calls: it creates the demo workspaces and
then runs the other modules here (profile, contracts, launch, enablement, imports) for each.
``money`` holds the exchange rates and price scale the demo figures of every app are made with.
"""
