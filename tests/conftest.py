"""Shared test set-up: the real Keras (torch backend) as an oracle, fresh names per test."""

import os

os.environ.setdefault("KERAS_BACKEND", "torch")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_state():
    from cornu.backend import reset_names
    from cornu.utils import set_random_seed

    reset_names()
    set_random_seed(0)
    yield


@pytest.fixture
def keras():
    """The real Keras 3 package on its torch backend, skipped where it is not installed."""
    return pytest.importorskip("keras")


@pytest.fixture
def oracle(keras):
    """The shared comparison helper with the real Keras (see ``tests/oracle.py``)."""
    from oracle import Oracle

    return Oracle(keras)
