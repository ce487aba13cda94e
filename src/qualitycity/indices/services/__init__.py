"""Every change to the quality index goes through these functions (one writer, audited)."""
