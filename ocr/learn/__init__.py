"""Learning the class's handwriting: fine-tune the bundled line recogniser on confirmed lines.

Reading (``recogniser``, ``scoring``, ``store``) needs only onnxruntime; training (``graph``,
``train``, ``session``) needs torch and onnx from the ``[local]`` extra and is imported only by
``examkit ocr learn``. See docs/architecture.md.
"""
