"""The example project's settings with its log lines formatted and written to the null device.

The end-to-end benchmark serves the example with these, so that a 500's log line (traceback included)
costs what it costs in production without a terminal or pipe in the way.
"""

from benchmarks.settings import SILENT_LOGGING
from example.settings import *  # noqa: F403

LOGGING = SILENT_LOGGING
