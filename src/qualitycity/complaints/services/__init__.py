"""Every change to a demand goes through these functions (one writer, audited)."""
