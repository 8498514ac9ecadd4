"""Backend-neutral pieces: dtypes, the symbolic tensor, the Variable base, unique names."""
