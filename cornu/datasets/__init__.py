"""Small standard datasets, downloaded once into ``~/.cornu/datasets`` (``$CORNU_HOME``)."""

from cornu.datasets import fashion_mnist, mnist

__all__ = ["fashion_mnist", "mnist"]
