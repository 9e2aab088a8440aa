"""annotate stage of examkit."""
