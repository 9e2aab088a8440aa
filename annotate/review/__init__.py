"""The review web page: correct OCR text and write the Fehleranalyse in a local browser tab.

:func:`create_app` builds the FastAPI app for one workspace (``examkit review serve`` runs it
with uvicorn); :mod:`annotate.review.roundtrip` is the editor round trip (``review export`` /
``review import``).
"""

from annotate.review.app import create_app
from annotate.review.state import ReviewState

__all__ = ["ReviewState", "create_app"]
