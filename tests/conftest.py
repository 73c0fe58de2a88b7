"""Shared test configuration: the Hypothesis profile the property tests run under.

``ci`` (the default): no deadline (parsing time varies with the machine), 60 examples per property,
which keeps ``tests/test_properties.py`` well under a minute on two cores. Choose another profile
with ``HYPOTHESIS_PROFILE=thorough`` (500 examples) for a longer local run.
"""

import os

from hypothesis import settings

settings.register_profile("ci", deadline=None, max_examples=60, print_blob=True)
settings.register_profile("thorough", parent=settings.get_profile("ci"), max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
