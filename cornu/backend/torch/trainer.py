"""Placeholder, replaced by the torch training step."""


class TorchTrainer:
    pass
