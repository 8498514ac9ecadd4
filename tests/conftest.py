"""Shared test set-up: the real Keras as an oracle (on torch; on jax or tensorflow when the suite
runs on cornu's JAX or TensorFlow backend, so that dtypes and seeded draws compare like with
like), fresh names per test, and the backend the suite runs on.

The backend is ``CORNU_BACKEND`` (or ``pytest --backend numpy``), as for cornu itself. Tests that
cannot run on every backend say so with a marker, and are skipped elsewhere with the reason:

- ``@pytest.mark.requires_training``: the test trains (``fit``, ``train_on_batch``, gradients),
  which the NumPy backend cannot do.
- ``@pytest.mark.backends("torch", ...)``: the test is about those backends only (it imports
  torch, checks ``torch.nn.Module`` behaviour, DDP, ONNX export, ...).

A module marks all its tests with ``pytestmark = pytest.mark.backends("torch")``.
"""

import os

# The oracle's backend, unless the caller chose one: Keras on jax next to cornu on jax, on
# tensorflow next to cornu on tensorflow.
_KERAS_BACKEND_CHOSEN = "KERAS_BACKEND" in os.environ
# TensorFlow's C++ start-up messages stay out of the test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _oracle_backend(cornu_backend):
    return cornu_backend if cornu_backend in ("jax", "tensorflow") else "torch"


os.environ.setdefault("KERAS_BACKEND", _oracle_backend(os.environ.get("CORNU_BACKEND")))

import pytest  # noqa: E402

# The backends that compute gradients; the others run inference only.
TRAINING_BACKENDS = ("torch", "jax", "tensorflow")


def pytest_addoption(parser):
    parser.addoption(
        "--backend",
        default=None,
        help="the cornu backend to run the tests on (default: CORNU_BACKEND, else torch)",
    )


def pytest_configure(config):
    backend = config.getoption("--backend")
    if backend:
        os.environ["CORNU_BACKEND"] = backend
        if not _KERAS_BACKEND_CHOSEN:
            os.environ["KERAS_BACKEND"] = _oracle_backend(backend)
    config.addinivalue_line(
        "markers", "requires_training: the test trains a model (skipped on inference backends)"
    )
    config.addinivalue_line(
        "markers", "backends(*names): the test runs only on these cornu backends"
    )


def pytest_collection_modifyitems(config, items):
    from cornu.core.config import backend

    active = backend()
    for item in items:
        only = item.get_closest_marker("backends")
        if only is not None and active not in only.args:
            reason = f"specific to the {', '.join(only.args)} backend(s); running on {active}"
            item.add_marker(pytest.mark.skip(reason=reason))
        elif item.get_closest_marker("requires_training") and active not in TRAINING_BACKENDS:
            item.add_marker(
                pytest.mark.skip(reason=f"trains a model; the {active} backend runs inference only")
            )


@pytest.fixture(autouse=True)
def _fresh_state():
    from cornu.backend import reset_names
    from cornu.utils import set_random_seed

    reset_names()
    set_random_seed(0)
    yield


@pytest.fixture
def keras():
    """The real Keras 3 package (torch backend; jax or tensorflow under cornu on those), skipped
    where it is not installed."""
    return pytest.importorskip("keras")


@pytest.fixture
def oracle(keras):
    """The shared comparison helper with the real Keras (see ``tests/oracle.py``)."""
    from oracle import Oracle

    return Oracle(keras)
