from django.contrib.auth import views as auth_views
from django.urls import path

from partners.views import accounts, dev, workspace

from . import contracts, enablement, imports, launch, profile

account_urlpatterns = [
    path("", accounts.root, name="root"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", accounts.PasswordResetView.as_view(), name="password-reset"),
    path(
        "accounts/password-reset/sent/",
        accounts.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "accounts/reset/done/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("accounts/two-factor/setup/", accounts.two_factor_setup, name="two-factor-setup"),
    path("accounts/two-factor/verify/", accounts.two_factor_verify, name="two-factor-verify"),
    path("accounts/two-factor/disable/", accounts.two_factor_disable, name="two-factor-disable"),
    path("workspaces/", accounts.workspace_chooser, name="workspace-chooser"),
    path("dev/mail/", dev.mailbox, name="dev-mailbox"),
    path("dev/mail/<str:name>/", dev.mail_message, name="dev-mail-message"),
]

# Everything below lives under /<vendor_slug>/ (see config/urls.py).
tenant_urlpatterns = [
    path("", workspace.home, name="workspace-home"),
    path("distributors/", workspace.distributor_list, name="distributor-list"),
    path("distributors/new/", workspace.distributor_create, name="distributor-create"),
    path("distributors/<int:pk>/", workspace.distributor_detail, name="distributor-detail"),
    path("distributors/<int:pk>/edit/", workspace.distributor_edit, name="distributor-edit"),
    path("members/", workspace.member_list, name="member-list"),
    path("members/<int:pk>/active/", workspace.member_set_active, name="member-set-active"),
    path("invitations/<int:pk>/revoke/", workspace.invitation_revoke, name="invitation-revoke"),
    path("invitations/<str:token>/", workspace.invitation_accept, name="invitation-accept"),
    path("api-tokens/", workspace.api_token_list, name="api-token-list"),
    path("api-tokens/<int:pk>/revoke/", workspace.api_token_revoke, name="api-token-revoke"),
    path("audit/", workspace.audit_log, name="audit-log"),
    path("settings/", workspace.workspace_settings, name="workspace-settings"),
]

# Each area keeps its own routes in a module beside this one.
for _area in (profile, contracts, launch, enablement, imports):
    tenant_urlpatterns += _area.urlpatterns
