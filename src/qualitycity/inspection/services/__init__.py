"""Every state change of the inspection app. Plain functions with keyword arguments, each
inside ``transaction.atomic()`` and each writing its audit event in the same transaction."""
