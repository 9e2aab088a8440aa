"""training stage of examkit."""
