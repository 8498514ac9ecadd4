"""The TensorFlow backend: every name of ``cornu/backend/contract.py`` on ``tf.Tensor`` values,
with a training step compiled by ``tf.function`` (XLA with ``jit_compile``)."""
