import os

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _reset_dt():
    """Every test starts at the default dt of 0.1 ms and one thread."""
    import brainsyn as bp
    bp.backend.set(dt=0.1)
    bp.set_num_threads(1)
    bp.check_nan = False
    yield
    bp.backend.set(dt=0.1)
    bp.set_num_threads(1)


@pytest.fixture
def bp():
    import brainsyn
    return brainsyn
