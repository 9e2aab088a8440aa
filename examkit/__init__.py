"""examkit: scanned handwritten tests and teachers' corrections to fine-tuning data.

The shared core lives here: the workspace store (:mod:`examkit.workspace`), its configuration
(:mod:`examkit.config`), the error family (:mod:`examkit.errors`), the models every stage shares
(:mod:`examkit.models`) and the command line root (:mod:`examkit.cli`; the program that mounts the
stages on it is ``examkit_app``, above them).
"""

__version__ = "0.1.0"
