"""export stage of examkit."""
