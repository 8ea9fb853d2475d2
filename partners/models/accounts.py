from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TenantModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A login. One person, one e-mail address, possibly in several workspaces.

    What the person may do is not on the user but on each ``Membership``.
    """

    # AbstractUser fields this model drops (the stubs cannot express removing a field).
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=[("en", _("English")), ("ja", _("Japanese"))],
        default="en",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()  # type: ignore[misc,assignment]  # the stubs want auth.UserManager

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name


class Role(models.TextChoices):
    VENDOR_ADMIN = "vendor_admin", _("Vendor admin")
    CHANNEL_MANAGER = "channel_manager", _("Channel manager")
    EXECUTIVE = "executive", _("Executive")
    DISTRIBUTOR_ADMIN = "distributor_admin", _("Distributor admin")
    DISTRIBUTOR_USER = "distributor_user", _("Distributor user")

    @classmethod
    def staff_roles(cls) -> set[str]:
        return {cls.VENDOR_ADMIN, cls.CHANNEL_MANAGER, cls.EXECUTIVE}

    @classmethod
    def distributor_roles(cls) -> set[str]:
        return {cls.DISTRIBUTOR_ADMIN, cls.DISTRIBUTOR_USER}

    @classmethod
    def editor_roles(cls) -> set[str]:
        """The vendor staff who change data; executives only read."""
        return {cls.VENDOR_ADMIN, cls.CHANNEL_MANAGER}


DISTRIBUTOR_ROLE_MATCHES_DISTRIBUTOR = Q(
    role__in=[Role.DISTRIBUTOR_ADMIN, Role.DISTRIBUTOR_USER], distributor__isnull=False
) | Q(role__in=[Role.VENDOR_ADMIN, Role.CHANNEL_MANAGER, Role.EXECUTIVE], distributor__isnull=True)


class Membership(TenantModel):
    """A person's place in one workspace: exactly one role, and for distributor roles, one
    distributor whose data is all that person can reach. Services take a Membership as the
    ``actor``."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    distributor = models.ForeignKey(
        "partners.Distributor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("distributor"),
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "user"], name="membership_one_per_vendor"),
            models.CheckConstraint(
                condition=DISTRIBUTOR_ROLE_MATCHES_DISTRIBUTOR,
                name="membership_distributor_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_staff_role(self) -> bool:
        return self.role in Role.staff_roles()

    @property
    def is_distributor_role(self) -> bool:
        return self.role in Role.distributor_roles()

    @property
    def own_distributor_id(self) -> int:
        """The one distributor a distributor's person reaches, for the selectors' filters.

        Only for distributor roles, which a check constraint ties to a distributor; asking it
        of vendor staff is a programming error rather than a filter on NULL that matches
        nothing."""
        if self.distributor_id is None:
            raise ValueError("Vendor staff belong to no distributor.")
        return self.distributor_id

    # The role facts, for templates; code asks the predicates in partners/roles.py, which add
    # the deactivated-membership check.
    @property
    def can_edit_distributors(self) -> bool:
        return self.role in Role.editor_roles()

    @property
    def is_vendor_admin(self) -> bool:
        return self.role == Role.VENDOR_ADMIN

    @property
    def is_channel_manager(self) -> bool:
        return self.role == Role.CHANNEL_MANAGER

    @property
    def is_distributor_admin(self) -> bool:
        return self.role == Role.DISTRIBUTOR_ADMIN


class Invitation(TenantModel):
    """An invitation to join a workspace with a role. Only the SHA-256 of the link's secret is
    stored; a link works once and until ``expires_at``."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    distributor = models.ForeignKey(
        "partners.Distributor",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("distributor"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=DISTRIBUTOR_ROLE_MATCHES_DISTRIBUTOR,
                name="invitation_distributor_matches_role",
            ),
        ]
        indexes = [models.Index(fields=["vendor", "email"], name="invitation_vendor_email")]

    def __str__(self) -> str:
        return self.email


class ApiToken(TenantModel):
    """A personal API token: belongs to one person in one workspace and works only there.

    The secret is shown once; only its SHA-256 is kept. ``prefix`` finds the row."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["vendor", "user"], name="apitoken_vendor_user")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
