"""Every write in the partners app. Each service is keyword-only, takes the ``vendor`` and the
acting ``actor`` (a Membership, or None for the system), validates, writes atomically, records an
audit event and dispatches tasks only after commit."""
