"""Config: a dict of named values that is also read and written by attribute, and can be
frozen."""

import copy
import difflib
import json


class Config:
    """A dict-like container for named values.

    Values are set and read as attributes (`config.seed = 1`) or items (`config["seed"]`);
    `freeze()` makes every later change raise a `ValueError`; `as_dict()` and `to_json()`
    export the values. Iterating gives the keys in sorted order.

    ```python
    config = cornu.utils.Config(learning_rate=0.1, momentum=0.9)
    config.use_ema = True
    config.freeze()
    config.seed = 1  # ValueError: the config is frozen
    ```

    Args:
        **kwargs: the initial values.
    """

    __attrs__ = None

    def __init__(self, **kwargs):
        self._config = kwargs
        self._frozen = False
        self.__attrs__ = set(dir(self))

    @property
    def frozen(self):
        """Whether the config is frozen."""
        return self._frozen

    def freeze(self):
        """Forbids any later change to the config."""
        self._frozen = True

    def unfreeze(self):
        """Allows changes again."""
        self._frozen = False

    def _raise_if_frozen(self):
        if self._frozen:
            raise ValueError("Cannot mutate attribute(s) because the config is frozen.")

    def as_dict(self):
        """A shallow copy of the values, as a dict."""
        return copy.copy(self._config)

    def to_json(self):
        """The values as a JSON string."""
        return json.dumps(self._config)

    def keys(self):
        return self._config.keys()

    def values(self):
        return self._config.values()

    def items(self):
        return self._config.items()

    def get(self, keyname, value=None):
        return self._config.get(keyname, value)

    def pop(self, *args):
        self._raise_if_frozen()
        return self._config.pop(*args)

    def update(self, *args, **kwargs):
        self._raise_if_frozen()
        return self._config.update(*args, **kwargs)

    def __setattr__(self, name, value):
        own = object.__getattribute__(self, "__attrs__")
        if own is None or name in own:
            object.__setattr__(self, name, value)
            return
        self._raise_if_frozen()
        self._config[name] = value

    def __getattr__(self, name):
        own = object.__getattribute__(self, "__attrs__")
        if own is None or name in own:
            return object.__getattribute__(self, name)
        values = object.__getattribute__(self, "_config")
        if name in values:
            return values[name]
        message = f"Unknown attribute: '{name}'."
        close = difflib.get_close_matches(name, values.keys(), n=1, cutoff=0.7)
        if close:
            message += f" Did you mean '{close[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key, item):
        self._raise_if_frozen()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __delitem__(self, key):
        self._raise_if_frozen()
        del self._config[key]

    def __contains__(self, item):
        return item in self._config

    def __iter__(self):
        yield from sorted(self._config.keys())

    def __len__(self):
        return len(self._config)

    def __repr__(self):
        return f"<Config {self._config}>"
