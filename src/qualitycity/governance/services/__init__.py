"""Every state change of governance goes through these modules (one writer, audited)."""
