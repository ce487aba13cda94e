"""Every state change of the core directory. Each function takes keyword arguments,
runs in ``transaction.atomic()`` and writes its audit event."""
