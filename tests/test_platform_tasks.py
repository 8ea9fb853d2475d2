"""Services enqueue tasks by name (partners.platform.tasks.enqueue_on_commit): after commit,
never after a rollback, the very task the name registers, and only names that exist."""

from __future__ import annotations

import ast
import contextlib
from pathlib import Path

import pytest
from celery import current_app, shared_task
from celery.exceptions import NotRegistered
from django.db import transaction

from partners.platform.tasks import enqueue_on_commit, registered_task

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
RECORDED: list[tuple] = []


@shared_task(name="tests.test_platform_tasks.record_task")
def record_task(vendor_id: int, note: str, *, extra: int | None = None) -> bool:
    RECORDED.append((vendor_id, note, extra))
    return True


@pytest.fixture(autouse=True)
def _clear_recorded():
    RECORDED.clear()


def test_the_named_task_runs_after_the_transaction_commits_not_before(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        enqueue_on_commit("tests.test_platform_tasks.record_task", 7, "hello", extra=3)
        assert RECORDED == []
    assert len(callbacks) == 1
    assert RECORDED == [(7, "hello", 3)]


def test_a_delayed_run_still_reaches_the_task_with_its_arguments(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("tests.test_platform_tasks.record_task", 8, "later", countdown=30)
    assert RECORDED == [(8, "later", None)]


def test_a_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        enqueue_on_commit("tests.test_platform_tasks.record_task", 9, "undone")
        raise RuntimeError("the write failed")
    assert callbacks == []
    assert RECORDED == []


def test_an_unknown_task_name_fails_loudly(django_capture_on_commit_callbacks):
    with pytest.raises(NotRegistered), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("partners.tasks.no_such_task", 1)


def _task_names_in_services() -> set[str]:
    """Every string literal in the apps' services that looks like a task name."""
    names = set()
    for app in ("partners", "reporting", "scorecards"):
        for path in (ROOT / app / "services").rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and node.value.startswith(f"{app}.tasks.")
                ):
                    names.add(node.value)
    return names


def test_every_task_name_a_service_enqueues_is_a_registered_task():
    names = _task_names_in_services()
    # The e-mail deliveries, the sales upload's two steps and the scorecard recompute.
    assert len(names) >= 7, names
    for name in names:
        assert registered_task(name).name == name
        assert name in current_app.tasks
