"""The training loop: data adapters, the epoch iterator, compile utilities and the Trainer."""
