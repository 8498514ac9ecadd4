"""Optimizers (``SGD``, ``Adam``, ``AdamW``, ``RMSprop``, ``Adagrad``, ``Adadelta``, ``Adamax``,
``Nadam``, ``Lion``, ``Ftrl``, ``Lamb``, ``Adafactor``, ``Muon``, ``ScheduleFreeAdamW``), the
``MultiOptimizer`` wrapper and its ``OptimizerMap``, their ``Optimizer`` base, learning-rate
``schedules``, the Keras 2 names of ``legacy`` (which refuse to be created, as in Keras 3), and
``get`` to resolve ``"adamw"``-style names, classes, instances and configs."""

from cornu.optimizers import legacy, schedules
from cornu.optimizers.adadelta import Adadelta
from cornu.optimizers.adafactor import Adafactor
from cornu.optimizers.adagrad import Adagrad
from cornu.optimizers.adam import Adam
from cornu.optimizers.adamax import Adamax
from cornu.optimizers.adamw import AdamW
from cornu.optimizers.ftrl import Ftrl
from cornu.optimizers.lamb import Lamb
from cornu.optimizers.lion import Lion
from cornu.optimizers.loss_scale_optimizer import LossScaleOptimizer
from cornu.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from cornu.optimizers.muon import Muon
from cornu.optimizers.nadam import Nadam
from cornu.optimizers.optimizer import Optimizer
from cornu.optimizers.rmsprop import RMSprop
from cornu.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from cornu.optimizers.sgd import SGD
from cornu.saving import serialization_lib

ALL_OBJECTS = (
    Adadelta,
    Adafactor,
    Adagrad,
    Adam,
    Adamax,
    AdamW,
    Ftrl,
    Lamb,
    Lion,
    LossScaleOptimizer,
    MultiOptimizer,
    Muon,
    Nadam,
    OptimizerMap,
    RMSprop,
    SGD,
    ScheduleFreeAdamW,
)
ALL_OBJECTS_DICT = {cls.__name__.lower(): cls for cls in ALL_OBJECTS}


def serialize(optimizer):
    """Returns the optimizer's configuration as a JSON-friendly dict (class name and config)."""
    return serialization_lib.serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """Rebuilds an optimizer from `serialize()`'s output.

    Args:
        config: the dict returned by `serialize`, or an optimizer's name.
        custom_objects: optional dict mapping names to user-defined optimizer classes.
    """
    if isinstance(config, str):
        return serialization_lib.deserialize_keras_object(
            config,
            module_objects=ALL_OBJECTS_DICT,
            custom_objects=custom_objects,
            kind="optimizer",
        )
    config = dict(config)
    if str(config.get("class_name", "")).lower() in ALL_OBJECTS_DICT:
        config["class_name"] = config["class_name"].lower()
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects, kind="optimizer"
    )


def get(identifier):
    """Retrieves an optimizer instance.

    Args:
        identifier: a name (`"adam"`, `"AdamW"`, `"sgd"`, ...; case-insensitive), a config dict,
            an `Optimizer` class (created with its defaults) or instance (returned unchanged).

    Returns:
        An `Optimizer` instance; None for None.
    """
    if isinstance(identifier, str) and identifier.lower() in ALL_OBJECTS_DICT:
        identifier = identifier.lower()
    expected = "a name such as 'adam', a config dict, or an Optimizer class or instance"
    return serialization_lib.resolve(
        identifier,
        deserialize,
        "optimizer",
        expected,
        valid=lambda obj: isinstance(obj, Optimizer),
    )


__all__ = [
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lamb",
    "Lion",
    "LossScaleOptimizer",
    "MultiOptimizer",
    "Muon",
    "Nadam",
    "Optimizer",
    "OptimizerMap",
    "RMSprop",
    "ScheduleFreeAdamW",
    "deserialize",
    "get",
    "legacy",
    "schedules",
    "serialize",
]
