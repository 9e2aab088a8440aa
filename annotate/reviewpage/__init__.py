"""The review web page: a local FastAPI app a teacher keeps open while correcting a stack of tests.

``create_app(ws)`` builds the app (token check, body limit, routes); ``serve`` runs it with uvicorn;
``roundtrip`` holds the editor round trip (export page texts and analyses, import the changed ones).
"""

from annotate.reviewpage.app import ReviewContext, create_app

__all__ = ["ReviewContext", "create_app"]
