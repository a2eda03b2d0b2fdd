"""The audit log: who viewed, changed, decided or downloaded what, and when."""
