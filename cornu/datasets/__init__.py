"""Small standard datasets, downloaded once into ``~/.cornu/datasets`` (``$CORNU_HOME``)."""

from cornu.datasets import mnist

__all__ = ["mnist"]
