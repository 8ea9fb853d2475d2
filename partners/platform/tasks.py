"""The task layer: the base class of every tenant task (ids in, the vendor's scope opened,
nothing left behind), and how services enqueue a task without importing the module that
defines it."""

from __future__ import annotations

from celery import Task, current_app
from django.db import transaction

from partners.platform.scope import tenant_scope


class TenantTask(Task):
    """A task whose first argument is a vendor id. The task body runs inside that vendor's
    tenant scope (ORM and row-level security) in one transaction; when it returns or fails the
    scope is gone, so the next task on the same worker starts with no tenant."""

    abstract = True

    def __call__(self, vendor_id: int, *args, **kwargs):
        with tenant_scope(vendor_id):
            return super().__call__(vendor_id, *args, **kwargs)


def registered_task(task_name: str) -> Task:
    """The task registered under ``task_name`` (the explicit ``@shared_task(name=...)``).

    A web process has not necessarily imported every app's ``tasks`` module: on a miss, run
    Celery's autodiscovery (what a worker does when it starts) and look again."""
    app = current_app
    if task_name not in app.tasks:
        app.loader.import_default_modules()
    return app.tasks[task_name]


def enqueue_on_commit(
    task_name: str,
    *args,
    countdown: float | None = None,
    robust: bool = False,
    **kwargs,
) -> None:
    """Queue the task named ``task_name`` with ``args`` and ``kwargs`` once the current
    transaction commits (at once outside one), so a worker never looks for rows that were
    rolled back or not yet committed.

    Services call this instead of importing a ``tasks`` module, which imports the services back:
    no import cycle, and the task is named as the beat schedule names it. The task is looked up
    in Celery's registry rather than sent by name, so it runs at once in tests
    (``CELERY_TASK_ALWAYS_EAGER``), which ``send_task`` would not. ``countdown`` delays the run
    by that many seconds; ``robust`` lets the commit go on when the broker refuses the task (for
    work a sweep picks up later). Neither name is passed on to the task."""

    def enqueue():
        task = registered_task(task_name)
        if countdown is None:
            task.delay(*args, **kwargs)
        else:
            task.apply_async(args=args, kwargs=kwargs, countdown=countdown)

    # Django names a failed robust callback by its qualified name: make it the task's.
    enqueue.__qualname__ = enqueue.__name__ = f"enqueue {task_name}"
    transaction.on_commit(enqueue, robust=robust)
