"""Small standard datasets, downloaded once into ``~/.cornu/datasets`` (``$CORNU_HOME``)."""

from cornu.datasets import cifar10, cifar100, fashion_mnist, imdb, mnist, reuters

__all__ = ["cifar10", "cifar100", "fashion_mnist", "imdb", "mnist", "reuters"]
