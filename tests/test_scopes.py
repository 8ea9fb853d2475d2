"""The second wall (django-scopes) and the tenant scope of tasks and commands."""

from __future__ import annotations

import pytest
from celery import shared_task
from django.apps import apps
from django.db import connection
from django.db.models import ForeignKey
from django_scopes import ScopeError, get_scope, scopes_disabled

from partners.models import (
    Distributor,
    Membership,
    OutboundEmail,
    TenantModel,
    Vendor,
)
from partners.platform.scope import current_tenant_settings, tenant_scope
from partners.platform.tasks import TenantTask
from tests.conftest import build_world

EMPTY_TENANT = {"app.vendor_id": "", "app.user_id": ""}

# Models with a vendor column that deliberately do not use the scoped manager, and why.
UNSCOPED_WITH_VENDOR = {
    # Rows without a vendor (password resets) must be readable outside any workspace; row-level
    # security still confines vendor rows to their vendor.
    OutboundEmail: "system e-mails have no vendor",
}


def tenant_models():
    return [m for m in apps.get_models() if issubclass(m, TenantModel)]


def test_every_model_with_a_vendor_is_a_tenant_model():
    offenders = []
    for model in apps.get_models():
        has_vendor = any(
            isinstance(f, ForeignKey) and f.related_model is Vendor for f in model._meta.fields
        )
        if has_vendor and not issubclass(model, TenantModel) and model not in UNSCOPED_WITH_VENDOR:
            offenders.append(model._meta.label)
    assert offenders == [], f"models with a vendor but no scoped manager: {offenders}"
    assert len(tenant_models()) >= 5


@pytest.mark.django_db
@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label)
def test_scoped_manager_raises_outside_a_scope(model):
    with pytest.raises(ScopeError):
        list(model.objects.all())
    with pytest.raises(ScopeError):
        model.objects.filter(pk=1).exists()
    with pytest.raises(ScopeError):
        model.objects.count()


@pytest.mark.django_db
def test_scoped_manager_filters_to_the_open_vendor(world):
    with tenant_scope(world.a.vendor.id):
        ids = set(Distributor.objects.values_list("id", flat=True))
    assert ids == {world.a.d1.id, world.a.d2.id}
    with tenant_scope(world.b.vendor.id):
        ids = set(Distributor.objects.values_list("id", flat=True))
    assert ids == {world.b.d1.id, world.b.d2.id}


@pytest.mark.django_db
def test_tenant_scope_restores_nothing_after_an_exception(world):
    with pytest.raises(RuntimeError), tenant_scope(world.a.vendor.id):
        assert current_tenant_settings()["app.vendor_id"] == str(world.a.vendor.id)
        raise RuntimeError("boom")
    assert get_scope() == {}
    assert current_tenant_settings() == EMPTY_TENANT


@pytest.mark.django_db
def test_nested_scope_restores_the_outer_vendor(world):
    with tenant_scope(world.a.vendor.id):
        with tenant_scope(world.b.vendor.id):
            assert set(Distributor.objects.values_list("vendor_id", flat=True)) == {
                world.b.vendor.id
            }
        assert current_tenant_settings()["app.vendor_id"] == str(world.a.vendor.id)
        assert set(Distributor.objects.values_list("vendor_id", flat=True)) == {world.a.vendor.id}
    assert current_tenant_settings() == EMPTY_TENANT


def test_tenant_scope_needs_a_vendor():
    with pytest.raises(ValueError), tenant_scope(None):
        pass


# --- tasks --------------------------------------------------------------------------------------


@shared_task(base=TenantTask, name="tests.what_the_task_sees")
def what_the_task_sees(vendor_id: int) -> dict:
    """A test-only tenant task reporting what it can reach."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT vendor_id FROM partners_distributor")
        rls_vendor_ids = sorted(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT current_user")
        db_user = cursor.fetchone()[0]
    with scopes_disabled():
        unscoped_vendor_ids = sorted(set(Membership.objects.values_list("vendor_id", flat=True)))
    return {
        "orm_distributor_ids": sorted(Distributor.objects.values_list("id", flat=True)),
        "rls_vendor_ids": rls_vendor_ids,
        "unscoped_membership_vendor_ids": unscoped_vendor_ids,
        "scope": dict(get_scope()),
        "gucs": current_tenant_settings(),
        "db_user": db_user,
    }


@shared_task(base=TenantTask, name="tests.failing_tenant_task")
def failing_tenant_task(vendor_id: int) -> None:
    Distributor.objects.count()
    raise RuntimeError("the task failed")


def _run_a_then_b(world):
    seen = {}
    for tenant in (world.a, world.b):
        result = what_the_task_sees.delay(tenant.vendor.id).get()
        seen[tenant.slug] = result
        # Nothing is left behind between the two runs on this "worker".
        assert get_scope() == {}
        assert current_tenant_settings() == EMPTY_TENANT
    for tenant in (world.a, world.b):
        result = seen[tenant.slug]
        vendor_id = tenant.vendor.id
        assert result["orm_distributor_ids"] == sorted([tenant.d1.id, tenant.d2.id])
        assert result["rls_vendor_ids"] == [vendor_id]
        assert result["unscoped_membership_vendor_ids"] == [vendor_id]
        assert result["scope"] == {"_enabled": True, "vendor": vendor_id}
        assert result["gucs"]["app.vendor_id"] == str(vendor_id)
        assert result["db_user"] == "partnerdesk_app"


@pytest.mark.django_db
def test_task_for_vendor_a_then_b_leaves_no_tenant_behind(world):
    _run_a_then_b(world)


@pytest.mark.django_db(transaction=True)
def test_task_for_vendor_a_then_b_in_autocommit_leaves_no_tenant_behind():
    """The same on a connection in autocommit, as on a worker: each task is its own
    transaction and the setting dies with it."""
    world = build_world()
    _run_a_then_b(world)
    with pytest.raises(RuntimeError):
        failing_tenant_task.delay(world.a.vendor.id).get()
    assert get_scope() == {}
    assert current_tenant_settings() == EMPTY_TENANT
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM partners_distributor")
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_failing_task_leaves_no_tenant_behind(world):
    with pytest.raises(RuntimeError):
        failing_tenant_task.delay(world.a.vendor.id).get()
    assert get_scope() == {}
    assert current_tenant_settings() == EMPTY_TENANT
    with pytest.raises(ScopeError):
        Distributor.objects.count()


@pytest.mark.django_db
def test_real_vendor_email_task_runs_in_its_vendor_only(world):
    """partners.tasks.vendor_email_deliver_task cannot deliver another vendor's e-mail: the
    row is invisible in the wrong scope."""
    from django.core import mail

    from partners.tasks import vendor_email_deliver_task
    from tests.factories import OutboundEmailFactory

    with tenant_scope(world.b.vendor.id):
        email_b = OutboundEmailFactory(vendor=world.b.vendor)
    assert vendor_email_deliver_task.delay(world.a.vendor.id, email_b.id).get() is False
    assert mail.outbox == []
    assert current_tenant_settings() == EMPTY_TENANT
    assert vendor_email_deliver_task.delay(world.b.vendor.id, email_b.id).get() is True
    assert len(mail.outbox) == 1
    assert current_tenant_settings() == EMPTY_TENANT
    assert get_scope() == {}


# --- management commands ------------------------------------------------------------------------


@pytest.mark.django_db
def test_tenant_command_runs_inside_the_named_vendor(world):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from partners.management.tenant_command import TenantCommand

    seen = {}

    class Probe(TenantCommand):
        def handle_tenant(self, *args, vendor, **options):
            seen["vendor"] = vendor.id
            seen["ids"] = sorted(Distributor.objects.values_list("id", flat=True))
            seen["gucs"] = current_tenant_settings()

    call_command(Probe(), vendor=world.b.slug)
    assert seen["vendor"] == world.b.vendor.id
    assert seen["ids"] == sorted([world.b.d1.id, world.b.d2.id])
    assert seen["gucs"]["app.vendor_id"] == str(world.b.vendor.id)
    assert current_tenant_settings() == EMPTY_TENANT
    with pytest.raises(CommandError):
        call_command(Probe(), vendor="no-such-workspace")


@pytest.mark.django_db
def test_operator_shell_opens_one_workspace_and_is_audited(world, capsys):
    from django.core.management import call_command

    from partners.models import AuditEvent

    code = (
        "from partners.models import Distributor; "
        "print('SEEN', sorted(set(Distributor.objects.values_list('vendor_id', flat=True))))"
    )
    call_command("operator_shell", vendor=world.b.slug, reason="Ticket 4711", command=code)
    assert f"SEEN [{world.b.vendor.id}]" in capsys.readouterr().out
    with tenant_scope(world.b.vendor.id):
        event = AuditEvent.objects.get(action="operator.access")
    assert event.changes["reason"] == [None, "Ticket 4711"]
    assert event.actor_label.startswith("operator:")
    with tenant_scope(world.a.vendor.id):
        assert not AuditEvent.objects.filter(action="operator.access").exists()
    assert current_tenant_settings() == EMPTY_TENANT
