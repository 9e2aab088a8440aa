"""examkit: scanned handwritten tests and teachers' corrections to fine-tuning data.

The shared core lives here: the workspace store (:mod:`examkit.workspace`), its configuration
(:mod:`examkit.config`), the error family (:mod:`examkit.errors`), the models every stage shares
(:mod:`examkit.models`) and the command line root (:mod:`examkit.cli`).
"""

__version__ = "0.1.0"
