"""The installed version of govreport (its own module, so that any part of the package can read it
without importing the package, which imports most of them)."""

__version__ = "0.1.0"
