"""Every state change of the risk app, each in one transaction with its audit event."""
