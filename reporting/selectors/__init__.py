"""Every non-trivial read of the reporting app, one module per area; each takes ``vendor`` and
``actor`` and returns only what that person reaches."""
