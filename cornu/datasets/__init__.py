"""Small standard datasets, downloaded once into ``~/.cornu/datasets`` (``$CORNU_HOME``)."""

from cornu.datasets import fashion_mnist, imdb, mnist, reuters

__all__ = ["fashion_mnist", "imdb", "mnist", "reuters"]
