"""Server-rendered pages of the inspection app (function views, one rule each)."""
