"""ocr stage of examkit."""
