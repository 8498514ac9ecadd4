"""The one shared way to compare cornu with the real Keras (torch backend).

Tests reach it through the ``oracle`` fixture (``tests/conftest.py``):

- ``oracle.op(name, *args, **kwargs)`` runs ``cornu.ops.<name>`` and ``keras.ops.<name>`` on the
  same NumPy inputs and checks values and result dtype; ``name`` may be dotted (``"linalg.qr"``).
- ``oracle.layer(ours, theirs, inputs)`` builds both layers on the inputs, copies Keras's weights
  into ours, and checks the outputs (inference, and training when ``training=True`` is given).
- ``oracle.values(ours, theirs)`` compares two results (nested structures of tensors).

Where Keras on the active backend is known to give other results than Keras on torch (which
cornu keeps on every backend; ``tests/keras_differences.py`` lists the cases), ``oracle.op``
compares with Keras-torch's known result when it follows from Keras's (a dtype, a shape), and
otherwise skips that case with the difference named (``keras_difference`` finds the case).
"""

import numpy as np
import pytest
from keras_differences import KERAS_DIFFERS

from cornu.core.config import backend


def _resolve(module, dotted):
    for part in dotted.split("."):
        module = getattr(module, part)
    return module


def _is_number_list(x):
    if not isinstance(x, list):
        return False
    return all(_is_number_list(v) or isinstance(v, (bool, int, float)) for v in x)


def keras_difference(name, args=(), kwargs=None):
    """The known difference ``(what differs, to_torch)`` between Keras on the active backend and
    Keras on torch for ``keras.ops.<name>(*args, **kwargs)``, or None. ``to_torch`` maps Keras's
    result (as NumPy) to Keras-torch's, or is None where that cannot be derived."""
    for applies, reason, to_torch in KERAS_DIFFERS.get(backend(), {}).get(name, ()):
        if applies(args, kwargs or {}):
            return reason, to_torch
    return None


def skip_where_keras_differs(name, args=(), kwargs=None):
    """Skips the current test where Keras on the active backend differs from Keras on torch for
    this call in a way that Keras-torch's result cannot be derived from (see
    ``keras_difference``); returns the difference's ``to_torch`` mapping where it can."""
    known = keras_difference(name, args, kwargs)
    if known is None:
        return None
    reason, to_torch = known
    if to_torch is None:
        pytest.skip(
            f"Keras on {backend()} differs from Keras on torch (cornu keeps torch's): {reason}"
        )
    return to_torch


class Oracle:
    def __init__(self, keras):
        self.keras = keras

    def numpy(self, x):
        """A NumPy array (or nested structure of them) from a cornu or Keras result."""
        from cornu import ops

        if isinstance(x, (list, tuple)):
            items = [self.numpy(v) for v in x]
            # A named tuple (jax.numpy.linalg.qr's QRResult) takes its fields one by one.
            return type(x)(*items) if hasattr(x, "_fields") else type(x)(items)
        if isinstance(x, dict):
            return {k: self.numpy(v) for k, v in x.items()}
        if x is None or isinstance(x, (bool, int, float, str)):
            return x
        try:
            return ops.convert_to_numpy(x)
        except Exception:  # a Keras-side tensor the cornu backend does not know
            array = self.keras.ops.convert_to_numpy(x)
            # bfloat16 becomes float32 there, as cornu's convert_to_numpy gives it.
            return array.astype("float32") if array.dtype.name == "bfloat16" else array

    def values(self, ours, theirs, atol=1e-6, rtol=1e-6, check_dtype=True):
        """Checks two results agree in structure, values and (with ``check_dtype``) dtype."""
        ours, theirs = self.numpy(ours), self.numpy(theirs)
        if isinstance(theirs, (list, tuple)):
            assert isinstance(ours, (list, tuple)) and len(ours) == len(theirs), (
                f"structure differs: {type(ours).__name__} of {len(ours)} vs "
                f"{type(theirs).__name__} of {len(theirs)}"
            )
            for a, b in zip(ours, theirs):
                self.values(a, b, atol, rtol, check_dtype)
            return
        if isinstance(theirs, dict):
            assert sorted(ours) == sorted(theirs)
            for key in theirs:
                self.values(ours[key], theirs[key], atol, rtol, check_dtype)
            return
        ours, theirs = np.asarray(ours), np.asarray(theirs)
        if check_dtype:
            assert str(ours.dtype) == str(theirs.dtype), f"dtype {ours.dtype} != {theirs.dtype}"
        assert ours.shape == theirs.shape, f"shape {ours.shape} != {theirs.shape}"
        if ours.dtype.kind in "fc" or theirs.dtype.kind in "fc":
            np.testing.assert_allclose(ours, theirs, atol=atol, rtol=rtol, equal_nan=True)
        else:
            np.testing.assert_array_equal(ours, theirs)

    def _for_keras(self, x):
        """``x`` as Keras (torch) takes it. On a cornu backend other than torch, cornu's
        tensors become Keras tensors, and a function given to a control-flow op (which calls
        cornu ops) has its results converted back to Keras tensors."""
        from cornu.core.config import backend

        if backend() == "torch":
            return x
        if isinstance(x, (list, tuple)):
            return type(x)(self._for_keras(v) for v in x)
        if isinstance(x, dict):
            return {k: self._for_keras(v) for k, v in x.items()}
        if callable(x) and not isinstance(x, type):

            def on_keras_tensors(*a, **k):
                out = x(*a, **k)
                return self.keras.tree.map_structure(
                    lambda v: (
                        self.keras.ops.convert_to_tensor(np.asarray(v))
                        if isinstance(v, np.ndarray)
                        else v
                    ),
                    out,
                )

            return on_keras_tensors
        if isinstance(x, np.ndarray) and type(x) is not np.ndarray:
            return self.keras.ops.convert_to_tensor(np.asarray(x))
        return x

    def op(self, name, *args, atol=1e-6, rtol=1e-6, check_dtype=True, **kwargs):
        """Runs ``cornu.ops.<name>`` and ``keras.ops.<name>`` on the same arguments and
        compares them; returns cornu's result as NumPy."""
        from cornu import ops

        ours = _resolve(ops, name)(*args, **kwargs)
        to_torch = skip_where_keras_differs(name, args, kwargs)
        args, kwargs = self._for_keras(args), {k: self._for_keras(v) for k, v in kwargs.items()}
        if backend() == "jax":
            # Keras's JAX ops hand lists straight to jax.numpy, which refuses them (torch's
            # convert them): a nested list of Python numbers goes as Keras converts it.
            args = tuple(
                self.keras.ops.convert_to_tensor(a) if _is_number_list(a) else a for a in args
            )
        theirs = _resolve(self.keras.ops, name)(*args, **kwargs)
        if to_torch is not None:
            theirs = to_torch(self.numpy(theirs))
        self.values(ours, theirs, atol=atol, rtol=rtol, check_dtype=check_dtype)
        return self.numpy(ours)

    def layer(self, ours, theirs, inputs, atol=1e-5, rtol=1e-5, training=None, **call_kwargs):
        """Builds both layers on ``inputs``, copies Keras's weights into ours, and checks that
        the outputs agree; returns cornu's output as NumPy."""
        theirs_out = theirs(inputs, **call_kwargs)
        ours(inputs, **call_kwargs)
        weights = [self.keras.ops.convert_to_numpy(w) for w in theirs.get_weights()]
        assert len(ours.get_weights()) == len(weights), (
            f"{len(ours.get_weights())} weights vs Keras's {len(weights)}"
        )
        for mine, ref in zip(ours.get_weights(), weights):
            assert np.shape(mine) == np.shape(ref), f"weight shape {np.shape(mine)} != {ref.shape}"
        ours.set_weights(weights)
        if training is not None:
            call_kwargs = dict(call_kwargs, training=training)
            theirs_out = theirs(inputs, **call_kwargs)
        ours_out = ours(inputs, **call_kwargs)
        self.values(ours_out, theirs_out, atol=atol, rtol=rtol)
        return self.numpy(ours_out)
