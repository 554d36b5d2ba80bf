"""pextui: a terminal console for the host of a live Pexip Infinity meeting."""

__version__ = "0.1.0"
