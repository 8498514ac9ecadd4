"""Helpers for testing layers: ``run_layer_test``."""

from cornu.testing.layer_test import run_layer_test

__all__ = ["run_layer_test"]
