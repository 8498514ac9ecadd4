"""The JAX backend (being assembled): every name of ``cornu/backend/contract.py`` on
``jax.Array`` tensors, with a stateless training step compiled by ``jax.jit``. Until every
family module exists this package binds nothing, so the families can be imported one by one."""

import jax

Tensor = jax.Array
