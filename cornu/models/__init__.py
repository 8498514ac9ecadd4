"""Models: ``Model`` (Functional or subclassed) and ``Sequential``."""

from cornu.models.functional import Functional
from cornu.models.model import Model
from cornu.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential"]
