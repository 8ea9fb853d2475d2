"""Pages for contracts, under /<vendor_slug>/ (joined into tenant_urlpatterns)."""

from django.urls import path

from partners.views import contracts as views

urlpatterns: list = [
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/new/", views.contract_create, name="contract-create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/amend/", views.contract_amend, name="contract-amend"),
    path("contracts/<int:pk>/clauses/new/", views.contract_clause_add, name="contract-clause-add"),
    path(
        "contract-clauses/<int:pk>/delete/",
        views.contract_clause_delete,
        name="contract-clause-delete",
    ),
    path(
        "contracts/<int:pk>/document/upload/",
        views.contract_document_upload,
        name="contract-document-upload",
    ),
    path("contracts/<int:pk>/document/", views.contract_document, name="contract-document"),
]
