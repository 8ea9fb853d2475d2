"""The third wall on its own: PostgreSQL row-level security, with the ORM wall switched off.

Every query here runs with ``scopes_disabled()`` (or as raw SQL), connected as the app role, so
only the database stands between one vendor and another.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django_scopes import scopes_disabled

from partners.models import (
    ApiToken,
    AuditEvent,
    Distributor,
    Invitation,
    Membership,
    OutboundEmail,
)
from partners.platform.scope import set_scope_user, tenant_scope, user_scope
from tests.factories import ApiTokenRowFactory, OutboundEmailFactory

pytestmark = pytest.mark.django_db

APP_ROLE = settings.DATABASE_APP_ROLE
TENANT_TABLES = {
    "partners_distributor": Distributor,
    "partners_membership": Membership,
    "partners_invitation": Invitation,
    "partners_apitoken": ApiToken,
    "partners_auditevent": AuditEvent,
    "partners_outboundemail": OutboundEmail,
}


def fetch(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.fixture(autouse=True)
def _as_the_app_role(db):
    """Every test here runs as the app role, never as the owner who could bypass RLS."""
    assert fetch("SELECT current_user")[0][0] == APP_ROLE
    yield
    assert fetch("SELECT current_user")[0][0] == APP_ROLE


@pytest.fixture
def populated(world):
    """Rows of every tenant table in both vendors (the world has all but tokens and e-mails)."""
    for tenant in (world.a, world.b):
        with tenant_scope(tenant.vendor.id):
            ApiTokenRowFactory(vendor=tenant.vendor, user=tenant.user("executive"))
            OutboundEmailFactory(vendor=tenant.vendor, to=f"mail@{tenant.slug}.example.com")
    with transaction.atomic():
        OutboundEmailFactory(vendor=None, to="system@example.com")
    return world


def test_connected_as_the_app_role():
    assert fetch("SELECT current_user")[0][0] == APP_ROLE
    # ... and logged in as the owner, who switched.
    assert fetch("SELECT session_user")[0][0] != APP_ROLE


def test_app_role_cannot_bypass_rls_and_owns_nothing():
    rows = fetch("SELECT rolsuper, rolbypassrls, oid FROM pg_roles WHERE rolname = %s", [APP_ROLE])
    assert len(rows) == 1
    rolsuper, rolbypassrls, oid = rows[0]
    assert rolsuper is False
    assert rolbypassrls is False
    owned = fetch(
        "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relowner = %s",
        [oid],
    )
    assert owned == []
    assert fetch("SELECT count(*) FROM pg_tables WHERE tableowner = %s", [APP_ROLE])[0][0] == 0


def test_app_role_may_not_truncate_or_alter():
    for sql in (
        "TRUNCATE partners_distributor",
        "ALTER TABLE partners_distributor DISABLE ROW LEVEL SECURITY",
        "DROP POLICY tenant_isolation ON partners_distributor",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            connection.cursor().execute(sql)


def test_every_table_with_a_vendor_column_forces_rls():
    tables = [
        row[0]
        for row in fetch(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name = 'vendor_id' ORDER BY table_name"
        )
    ]
    assert set(TENANT_TABLES) <= set(tables), tables
    flags = dict(
        (name, (rls, force))
        for name, rls, force in fetch(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relname = ANY(%s) AND relkind = 'r'",
            [tables],
        )
    )
    policies = {
        row[0] for row in fetch("SELECT tablename FROM pg_policies WHERE schemaname = 'public'")
    }
    missing = [t for t in tables if flags.get(t) != (True, True) or t not in policies]
    assert missing == [], f"tables with vendor_id but without forced RLS and a policy: {missing}"


def test_tables_without_a_vendor_column_are_the_known_global_ones():
    """A new table without vendor_id is global: make that a decision, not an accident."""
    ours = {
        row[0]
        for row in fetch(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE' AND table_name NOT IN ("
            "  SELECT table_name FROM information_schema.columns "
            "  WHERE table_schema = 'public' AND column_name = 'vendor_id')"
            "AND (table_name LIKE 'partners\\_%%' OR table_name LIKE 'reporting\\_%%' "
            "  OR table_name LIKE 'scorecards\\_%%' OR table_name LIKE 'incentives\\_%%' "
            "  OR table_name LIKE 'qbr\\_%%')"
        )
    }
    assert ours == {
        "partners_vendor",
        "partners_user",
        "partners_user_groups",
        "partners_user_user_permissions",
    }


@pytest.mark.parametrize("table", sorted(TENANT_TABLES))
def test_no_rows_without_a_vendor_setting(populated, table):
    """Fail closed: with no vendor set, no vendor's rows are visible."""
    with scopes_disabled(), transaction.atomic():
        sql = f"SELECT count(*) FROM {table} WHERE vendor_id IS NOT NULL"  # noqa: S608
        assert fetch(sql)[0][0] == 0
        assert not TENANT_TABLES[table].objects.filter(vendor__isnull=False).exists()


@pytest.mark.parametrize("table", sorted(TENANT_TABLES))
def test_each_vendor_sees_only_its_rows(populated, table):
    model = TENANT_TABLES[table]
    for tenant, other in ((populated.a, populated.b), (populated.b, populated.a)):
        with tenant_scope(tenant.vendor.id), scopes_disabled():
            vendor_ids = {
                row[0]
                for row in fetch(f"SELECT DISTINCT vendor_id FROM {table}")  # noqa: S608
            }
            assert vendor_ids == {tenant.vendor.id}
            orm_vendor_ids = set(model.objects.values_list("vendor_id", flat=True))
            assert orm_vendor_ids == {tenant.vendor.id}
            # Asking for the other vendor explicitly finds nothing either.
            assert not model.objects.filter(vendor_id=other.vendor.id).exists()
            assert fetch(
                f"SELECT count(*) FROM {table} WHERE vendor_id = %s",  # noqa: S608
                [other.vendor.id],
            ) == [(0,)]


@pytest.mark.parametrize(
    "table, columns, values",
    [
        (
            "partners_distributor",
            "(vendor_id, name, country, currency, time_zone, language, created_at, updated_at)",
            "(%s, 'Intruder', 'JP', 'JPY', 'Asia/Tokyo', 'ja', now(), now())",
        ),
        (
            "partners_membership",
            "(vendor_id, user_id, role, is_active, created_at)",
            "(%s, {outsider}, 'vendor_admin', true, now())",
        ),
        (
            "partners_invitation",
            "(vendor_id, email, role, token_hash, created_at, expires_at)",
            "(%s, 'x@example.com', 'executive', md5(random()::text), now(), now())",
        ),
        (
            "partners_apitoken",
            "(vendor_id, user_id, name, prefix, key_hash, created_at)",
            "(%s, {outsider}, 'x', 'intruder', 'x', now())",
        ),
        (
            "partners_auditevent",
            "(vendor_id, actor_label, action, object_type, object_id, object_repr, changes,"
            " created_at)",
            "(%s, 'x', 'x', 'x', 'x', 'x', '{{}}', now())",
        ),
        (
            "partners_outboundemail",
            '(vendor_id, "to", subject, body_text, body_html, template, language, created_at,'
            " attempts, last_error)",
            "(%s, 'x@example.com', 'x', 'x', '', 'x', 'en', now(), 0, '')",
        ),
    ],
)
def test_insert_for_another_vendor_is_rejected(populated, table, columns, values):
    values = values.format(outsider=populated.outsider.id)
    sql = f"INSERT INTO {table} {columns} VALUES {values}"  # noqa: S608
    # From vendor A's scope, a row for vendor B is refused...
    with (
        tenant_scope(populated.a.vendor.id),
        scopes_disabled(),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
    ):
        connection.cursor().execute(sql, [populated.b.vendor.id])
    # ... and so is any vendor row with no scope at all.
    with (
        scopes_disabled(),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
    ):
        connection.cursor().execute(sql, [populated.b.vendor.id])
    # The same statement for the open vendor works (so the refusal above is RLS, not SQL).
    with tenant_scope(populated.b.vendor.id), transaction.atomic():
        connection.cursor().execute(sql, [populated.b.vendor.id])
        transaction.set_rollback(True)


@pytest.mark.parametrize("table", sorted(TENANT_TABLES))
def test_update_and_delete_of_another_vendors_rows_touch_nothing(populated, table):
    with tenant_scope(populated.a.vendor.id), scopes_disabled(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET vendor_id = vendor_id WHERE vendor_id = %s",  # noqa: S608
            [populated.b.vendor.id],
        )
        assert cursor.rowcount == 0
        cursor.execute(
            f"DELETE FROM {table} WHERE vendor_id = %s",  # noqa: S608
            [populated.b.vendor.id],
        )
        assert cursor.rowcount == 0
    with tenant_scope(populated.b.vendor.id):
        assert fetch(f"SELECT count(*) FROM {table}")[0][0] > 0  # noqa: S608


@pytest.mark.parametrize("table", sorted(TENANT_TABLES))
def test_moving_a_row_to_another_vendor_is_rejected(populated, table):
    with (
        tenant_scope(populated.a.vendor.id),
        scopes_disabled(),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
    ):
        connection.cursor().execute(
            f"UPDATE {table} SET vendor_id = %s",  # noqa: S608
            [populated.b.vendor.id],
        )


def test_orm_create_for_another_vendor_is_rejected(world):
    with (
        tenant_scope(world.a.vendor.id),
        scopes_disabled(),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
    ):
        Distributor.objects.create(
            vendor=world.b.vendor,
            name="Intruder KK",
            country="JP",
            currency="JPY",
            time_zone="Asia/Tokyo",
            language="ja",
        )


def test_a_person_reads_own_memberships_across_vendors_but_nobody_elses(world):
    """The membership policy's one exception: with app.user_id set, a person's own
    memberships in other workspaces are readable (the switcher); no one else's are, and they
    stay read-only from the wrong workspace."""
    from tests.factories import MembershipFactory

    both = world.a.user("vendor_admin")
    with tenant_scope(world.b.vendor.id):
        b_membership = MembershipFactory(
            vendor=world.b.vendor, user=both, role="distributor_user", distributor=world.b.d1
        )
    with user_scope(both.id):
        visible = set(Membership.objects.values_list("id", flat=True))
    assert visible == {world.a.member("vendor_admin").id, b_membership.id}

    with tenant_scope(world.a.vendor.id), scopes_disabled():
        set_scope_user(both.id)
        visible_vendors = set(Membership.objects.values_list("vendor_id", "user_id"))
        assert (world.b.vendor.id, world.b.user("vendor_admin").id) not in visible_vendors
        assert (world.b.vendor.id, both.id) in visible_vendors
        # Readable, but not writable from vendor A's workspace.
        with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
            Membership.objects.filter(pk=b_membership.pk).update(role="vendor_admin")

    with user_scope(world.outsider.id):
        assert not Membership.objects.exists()


def test_system_emails_are_invisible_inside_a_vendor_scope(populated):
    with transaction.atomic():
        system = list(OutboundEmail.objects.values_list("to", flat=True))
    assert system == ["system@example.com"]
    with tenant_scope(populated.a.vendor.id):
        tos = set(OutboundEmail.objects.values_list("to", flat=True))
    assert tos == {"mail@acme.example.com"}
    # A vendor scope cannot write a vendor-less row either.
    with (
        tenant_scope(populated.a.vendor.id),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
    ):
        OutboundEmail.objects.create(
            vendor=None, to="x@example.com", subject="x", body_text="x", template="x"
        )


def test_tenant_setting_is_transaction_local(world):
    """The vendor is set with set_config(..., true): it does not survive its transaction."""
    with tenant_scope(world.a.vendor.id):
        assert fetch("SELECT current_setting('app.vendor_id', true)")[0][0] == str(
            world.a.vendor.id
        )
    assert fetch("SELECT current_setting('app.vendor_id', true)")[0][0] in ("", None)
