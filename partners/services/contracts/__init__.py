"""Contracts: terms, scope, amendments, performance clauses, the signed document and reminders.

The rule that matters: two distributors of one vendor never hold overlapping exclusive scope
(same territory and product line, overlapping dates). Three layers keep it:

1. Every write of scope lines takes a transaction-level advisory lock for the vendor
   (``_scope_lock``) before it looks for conflicts, so two concurrent requests are checked one
   after the other, and the second sees what the first wrote.
2. ``_scope_conflict`` looks for a conflict and the service refuses with a message that names
   the conflicting contract and distributor.
3. The exclusion constraint ``scopeline_no_overlapping_exclusive_scope`` refuses overlapping
   exclusive periods whatever the application does; its IntegrityError becomes the same
   ValidationError.

We also refuse to grant *anyone* scope (exclusive or not) that overlaps another distributor's
exclusive scope: exclusivity that another distributor may sell into is exclusive on paper only.
The database constraint cannot express that second rule (it would need "either row exclusive"),
so the advisory lock is what makes it hold under concurrency.

The modules, by sub-domain: ``scope`` (the lock, the overlap rule and scope lines), ``terms``
(create and update), ``amendments``, ``clauses`` (performance clauses), ``documents`` (the
signed document) and ``reminders``. This package re-exports the public services.
"""

from __future__ import annotations

from partners.services.contracts.amendments import (
    contract_amend,
    contract_exclusivity_end,
    scope_lines_exclusivity_ending_set,
)
from partners.services.contracts.clauses import (
    CLAUSE_FIELDS,
    clause_create,
    clause_delete,
    clause_update,
)
from partners.services.contracts.documents import contract_document_upload
from partners.services.contracts.reminders import contract_reminders_send
from partners.services.contracts.scope import LineSpec, scope_conflict_message
from partners.services.contracts.terms import CONTRACT_FIELDS, contract_create, contract_update

__all__ = [
    "CLAUSE_FIELDS",
    "CONTRACT_FIELDS",
    "LineSpec",
    "clause_create",
    "clause_delete",
    "clause_update",
    "contract_amend",
    "contract_create",
    "contract_document_upload",
    "contract_exclusivity_end",
    "contract_reminders_send",
    "contract_update",
    "scope_conflict_message",
    "scope_lines_exclusivity_ending_set",
]
