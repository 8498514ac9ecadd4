"""FeatureSpace: one object that preprocesses a dict of structured features (numbers,
integer and string categories, crosses) into the inputs of a model, run on the host."""

import numpy as np

from cornu import backend, ops
from cornu.layers.layer import Layer
from cornu.layers.preprocessing.category_encoding import CategoryEncoding
from cornu.layers.preprocessing.discretization import Discretization
from cornu.layers.preprocessing.hashed_crossing import HashedCrossing
from cornu.layers.preprocessing.hashing import Hashing
from cornu.layers.preprocessing.integer_lookup import IntegerLookup
from cornu.layers.preprocessing.normalization import Normalization
from cornu.layers.preprocessing.rescaling import Rescaling
from cornu.layers.preprocessing.string_lookup import StringLookup
from cornu.layers.preprocessing.text_vectorization import TextVectorization
from cornu.saving import serialization_lib

_ADAPT_BATCH = 32  # Keras adapts on batches of 32 of a dict of arrays
# The ``.keras`` writer (``cornu.saving.save_model``): saving sits above layers, so the package
# root hands it over when cornu is imported (see ``set_archive_writer``).
_archive_writer = [None]


def set_archive_writer(writer):
    """Sets the function ``FeatureSpace.save`` writes ``.keras`` files with."""
    _archive_writer[0] = writer


class Cross:
    """A crossing of features, hashed into ``crossing_dim`` bins (see
    ``FeatureSpace.cross``)."""

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in {"int", "one_hot"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'int', 'one_hot'}. "
                f"Received: output_mode={output_mode}"
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        return "_X_".join(self.feature_names)

    def get_config(self):
        return {
            "feature_names": self.feature_names,
            "crossing_dim": self.crossing_dim,
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Feature:
    """A feature: its input dtype, the layer that preprocesses it, and how its output is
    encoded (``"int"``, ``"one_hot"`` or ``"float"``); see ``FeatureSpace.feature``."""

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in {"int", "one_hot", "float"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'int', 'one_hot', "
                f"'float'}}. Received: output_mode={output_mode}"
            )
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            preprocessor = serialization_lib.deserialize_keras_object(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self):
        return {
            "dtype": self.dtype,
            "preprocessor": serialization_lib.serialize_keras_object(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _preprocessor_name(name, kind):
    """The name of a feature's preprocessing layer: ``name`` (or a unique ``kind`` name) with
    ``_preprocessor`` appended."""
    return f"{name or backend.auto_name(kind)}_preprocessor"


def _feature(dtype, layer_class, kind, name, output_mode, **layer_args):
    """A ``Feature`` of ``dtype`` preprocessed by ``layer_class(**layer_args)``, named after
    ``name`` (or a unique ``kind`` name)."""
    layer = layer_class(name=_preprocessor_name(name, kind), **layer_args)
    return Feature(dtype, layer, output_mode)


def _serialize(obj):
    """A Feature or Cross as Keras writes it (its module path, class name and config)."""
    return {
        "module": "keras.src.layers.preprocessing.feature_space",
        "class_name": type(obj).__name__,
        "config": obj.get_config(),
        "registered_name": type(obj).__name__,
    }


def _deserialize(config, cls):
    if isinstance(config, cls):
        return config
    if isinstance(config, dict) and config.get("class_name") == cls.__name__:
        inner = dict(config["config"])
        if cls is Cross:
            inner["feature_names"] = tuple(inner["feature_names"])
        return cls.from_config(inner)
    raise ValueError(f"FeatureSpace: expected a {cls.__name__} or its config, got {config!r}.")


class Identity(Layer):
    """Passes float inputs through (the preprocessor of ``FeatureSpace.float``)."""

    def call(self, inputs):
        return ops.cast(inputs, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


def _column(value):
    """A feature's values as a NumPy array of rank 2 at least (a rank-1 array becomes a
    column)."""
    if backend.is_tensor(value):
        value = ops.convert_to_numpy(value)
    array = np.asarray(value)
    if array.ndim == 1:
        array = array[:, None]
    return array


def _host(value):
    return ops.convert_to_numpy(value) if backend.is_tensor(value) else value


class FeatureSpace(Layer):
    """Preprocesses a dict of structured features into a model's inputs.

    Each feature is a string naming a standard preprocessing, or a ``FeatureSpace.feature``:

    - ``"float"``: passed through; ``"float_rescaled"``: ``x * scale + offset``;
      ``"float_normalized"``: normalized by the mean and variance learned by ``adapt``;
      ``"float_discretized"``: bucketed into ``num_discretization_bins`` learned bins, one-hot.
    - ``"integer_categorical"`` / ``"string_categorical"``: indexed by a vocabulary learned
      by ``adapt`` (index 0 for unknown values), one-hot.
    - ``"integer_hashed"`` / ``"string_hashed"``: hashed into ``hashing_dim`` bins, one-hot.

    ``crosses`` names tuples of features whose (preprocessed) values are crossed and hashed
    into ``crossing_dim`` bins, one-hot. Features are output in sorted order of their names,
    then the crosses in sorted order; concatenated into one float tensor
    (``output_mode="concat"``) or as a dict (``"dict"``).

    Calling the space on a dict of arrays (a batch, or a single sample of scalars) runs on
    the host: use it on the data (e.g. in a ``PyDataset``), then feed its output to a model.
    ``save(path)`` writes it (with its learned vocabularies and statistics) as a ``.keras``
    file that ``cornu.saving.load_model`` reads back.

    Args:
        features: dict of feature name to a feature type string or ``FeatureSpace.feature``.
        output_mode: ``"concat"`` or ``"dict"``.
        crosses: list of tuples of feature names (or ``FeatureSpace.cross(...)``).
        crossing_dim: the number of bins of each cross.
        hashing_dim: the number of bins of the hashed features.
        num_discretization_bins: the number of bins of ``"float_discretized"``.
        name: the name of the space.
    """

    _keras_module = "keras.utils"  # Keras exports it as keras.utils.FeatureSpace
    saves_as_archive = True  # a .keras file of its own (``save``, ``load_model``)

    # ---- the feature kinds ------------------------------------------------------------------

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        return _feature("float32", Identity, "float", name, "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        layer_args = dict(scale=scale, offset=offset)
        return _feature("float32", Rescaling, "float_rescaled", name, "float", **layer_args)

    @classmethod
    def float_normalized(cls, name=None):
        return _feature("float32", Normalization, "float_normalized", name, "float", axis=-1)

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        layer_args = dict(num_bins=num_bins, bin_boundaries=bin_boundaries)
        return _feature(
            "float32", Discretization, "float_discretized", name, output_mode, **layer_args
        )

    @classmethod
    def integer_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        layer_args = dict(max_tokens=max_tokens, num_oov_indices=num_oov_indices)
        return _feature(
            "int32", IntegerLookup, "integer_categorical", name, output_mode, **layer_args
        )

    @classmethod
    def string_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        layer_args = dict(max_tokens=max_tokens, num_oov_indices=num_oov_indices)
        return _feature(
            "string", StringLookup, "string_categorical", name, output_mode, **layer_args
        )

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        return _feature("string", Hashing, "string_hashed", name, output_mode, num_bins=num_bins)

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        return _feature("int32", Hashing, "integer_hashed", name, output_mode, num_bins=num_bins)

    # ---- construction -----------------------------------------------------------------------

    def __init__(
        self,
        features,
        output_mode="concat",
        crosses=None,
        crossing_dim=32,
        hashing_dim=32,
        num_discretization_bins=32,
        name=None,
        **kwargs,
    ):
        for key in ("trainable", "dtype"):
            kwargs.pop(key, None)
        super().__init__(name=name, **kwargs)
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.features = {n: self._standardize_feature(n, v) for n, v in features.items()}
        crosses_list = []
        for cross in crosses or ():
            if isinstance(cross, (Cross, dict)):
                crosses_list.append(_deserialize(cross, Cross))
                continue
            if not crossing_dim:
                raise ValueError(
                    "When specifying `crosses`, the argument `crossing_dim` (dimensionality "
                    "of the crossing space) should be specified as well."
                )
            unknown = [key for key in cross if key not in self.features]
            if unknown:
                raise ValueError(
                    "All features referenced in the `crosses` argument should be present in "
                    f"the `features` dict. Received unknown features: {cross}"
                )
            crosses_list.append(Cross(cross, crossing_dim=crossing_dim))
        self._crosses = crosses_list
        self.crosses_by_name = {cross.name: cross for cross in crosses_list}
        if output_mode not in {"dict", "concat"}:
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of {'dict', 'concat'}. "
                f"Received: output_mode={output_mode}"
            )
        self.output_mode = output_mode
        self.preprocessors = {n: f.preprocessor for n, f in self.features.items()}
        self.crossers = {
            cross.name: HashedCrossing(cross.crossing_dim, name=cross.name)
            for cross in crosses_list
        }
        self.one_hot_encoders = {}
        self._is_adapted = False
        self.built = False  # built by adapt() (or by a saved build config)

    @property
    def crosses(self):
        return list(self._crosses)

    def _standardize_feature(self, name, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return _deserialize(feature, Feature)
        makers = {
            "float": lambda: self.float(name=name),
            "float_normalized": lambda: self.float_normalized(name=name),
            "float_rescaled": lambda: self.float_rescaled(name=name),
            "float_discretized": lambda: self.float_discretized(
                name=name, num_bins=self.num_discretization_bins
            ),
            "integer_categorical": lambda: self.integer_categorical(name=name),
            "string_categorical": lambda: self.string_categorical(name=name),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=name),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=name),
        }
        if not isinstance(feature, str) or feature not in makers:
            raise ValueError(f"Invalid feature type: {feature}")
        return makers[feature]()

    # ---- adapt ------------------------------------------------------------------------------

    def _list_adaptable_preprocessors(self):
        names = []
        for name in self.features:
            preprocessor = self.preprocessors[name]
            if isinstance(preprocessor, Normalization) and preprocessor.input_mean is not None:
                continue
            if isinstance(preprocessor, TextVectorization) and getattr(
                preprocessor, "_has_input_vocabulary", False
            ):
                continue
            if isinstance(preprocessor, Discretization) and preprocessor.num_bins is None:
                continue
            if hasattr(preprocessor, "adapt"):
                names.append(name)
        return names

    def adapt(self, dataset):
        """Learns the statistics and vocabularies of the features from ``dataset``: a dict
        of arrays or lists (one entry per feature), or an iterable of such dicts (batches;
        ``(features, labels)`` batches use their features), e.g. a ``PyDataset``."""
        if isinstance(dataset, dict):
            columns = {name: _column(value) for name, value in dataset.items()}
            batches = None
        elif hasattr(dataset, "__iter__") and not isinstance(dataset, (str, np.ndarray)):
            batches = [b[0] if isinstance(b, tuple) else b for b in dataset]
            if not all(isinstance(b, dict) for b in batches):
                raise ValueError(
                    "`adapt()` can only be called on a dict of arrays/lists or an iterable of "
                    f"such dicts. Received instead: an iterable of {type(batches[0])}"
                )
            columns = None
        else:
            raise ValueError(
                "`adapt()` can only be called on a dict of arrays/lists or an iterable of "
                f"such dicts. Received instead: {dataset} (of type {type(dataset)})"
            )
        for name in self._list_adaptable_preprocessors():
            if columns is not None:
                if name not in columns:
                    raise ValueError(
                        f"FeatureSpace.adapt(): the data has no feature '{name}'. "
                        f"Received features: {sorted(columns)}"
                    )
                column = columns[name]
                parts = [column[i : i + _ADAPT_BATCH] for i in range(0, len(column), _ADAPT_BATCH)]
            else:
                parts = [_column(b[name]) for b in batches]
            self.preprocessors[name].adapt(parts)
        self._is_adapted = True
        self.built = True

    def _check_if_adapted(self):
        if not self._is_adapted:
            if not self._list_adaptable_preprocessors():
                self._is_adapted = self.built = True
            else:
                raise ValueError(
                    "You need to call `.adapt(dataset)` on the FeatureSpace before you can "
                    "start using it."
                )

    # ---- calling ----------------------------------------------------------------------------

    def _preprocess(self, name, value):
        feature = self.features[name]
        if feature.dtype.startswith("float"):
            value = np.asarray(value, dtype="float32")
        return self.preprocessors[name](value)

    def _cardinality(self, name, preprocessor):
        if isinstance(preprocessor, (IntegerLookup, StringLookup)):
            return preprocessor.vocabulary_size()
        if isinstance(preprocessor, CategoryEncoding):
            return preprocessor.num_tokens
        if isinstance(preprocessor, Discretization):
            if preprocessor.num_bins is not None:
                return preprocessor.num_bins
            return len(preprocessor.bin_boundaries) + 1
        if isinstance(preprocessor, (HashedCrossing, Hashing)):
            return preprocessor.num_bins
        raise ValueError(
            f"Feature '{name}' has `output_mode='one_hot'`. However it isn't a standard "
            "feature and the dimensionality of its output space is not known, thus it cannot "
            "be one-hot encoded. Try using `output_mode='int'`."
        )

    def _encode(self, name, value, spec):
        if spec.output_mode != "one_hot":
            return value
        dtype = backend.standardize_dtype(value.dtype)
        if not dtype.startswith("int"):
            raise ValueError(
                f"Feature '{name}' has `output_mode='one_hot'`. Thus its preprocessor should "
                f"return an integer dtype. Instead it returns a {dtype} dtype."
            )
        encoder = self.one_hot_encoders.get(name)
        if encoder is None:
            preprocessor = self.preprocessors.get(name) or self.crossers.get(name)
            encoder = CategoryEncoding(
                num_tokens=self._cardinality(name, preprocessor), output_mode="multi_hot"
            )
            self.one_hot_encoders[name] = encoder
        return encoder(value)

    def __call__(self, data):
        self._check_if_adapted()
        if not isinstance(data, dict):
            raise ValueError(
                f"A FeatureSpace can only be called with a dict. Received: data={data} (of "
                f"type {type(data)}"
            )
        missing = [name for name in self.features if name not in data]
        if missing:
            raise ValueError(
                f"FeatureSpace '{self.name}' was called without the features {missing}. "
                f"Received features: {sorted(data)}"
            )
        rebatched = False
        columns = {}
        for name in self.features:
            array = np.asarray(_host(data[name]))
            if array.ndim == 0:
                array, rebatched = array.reshape(1, 1), True
            elif array.ndim == 1:
                array = array[:, None]
            columns[name] = array
        preprocessed = {name: self._preprocess(name, columns[name]) for name in self.features}
        crossed = {
            cross.name: self.crossers[cross.name](
                [_host(preprocessed[n]) for n in cross.feature_names]
            )
            for cross in self._crosses
        }
        names = sorted(preprocessed) + sorted(crossed)
        outputs = {}
        for name in names:
            if name in preprocessed:
                value, spec = preprocessed[name], self.features[name]
            else:
                value, spec = crossed[name], self.crosses_by_name[name]
            outputs[name] = self._encode(name, ops.convert_to_tensor(value), spec)
        if self.output_mode == "dict":
            if rebatched:
                outputs = {
                    k: v[0] if len(v.shape) == 2 and v.shape[0] == 1 else v
                    for k, v in outputs.items()
                }
            return outputs
        for name in names:
            dtype = backend.standardize_dtype(outputs[name].dtype)
            if not dtype.startswith("float"):
                raise ValueError(
                    f"Cannot concatenate features because feature '{name}' has not been "
                    f"encoded (it has dtype {dtype}). Consider using `output_mode='dict'`."
                )
        merged = ops.concatenate([outputs[name] for name in names], axis=-1)
        return merged[0] if rebatched else merged

    # ---- config and saving ------------------------------------------------------------------

    def get_config(self):
        return {
            "features": {name: _serialize(f) for name, f in self.features.items()},
            "output_mode": self.output_mode,
            "crosses": [_serialize(c) for c in self._crosses],
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        return {
            name: feature.preprocessor.get_build_config() for name, feature in self.features.items()
        }

    def build_from_config(self, config):
        for name, build_config in (config or {}).items():
            preprocessor = self.features[name].preprocessor
            if not preprocessor.built and build_config:
                preprocessor.build_from_config(build_config)
        self._is_adapted = self.built = True

    def save(self, filepath):
        """Writes the space (its config and its preprocessors' learned state) as a
        ``.keras`` file, read back with ``cornu.saving.load_model``."""
        if _archive_writer[0] is None:
            raise RuntimeError("FeatureSpace.save() needs `import cornu` (its saving package).")
        _archive_writer[0](self, filepath)

    def save_own_variables(self, store):
        return

    def load_own_variables(self, store):
        return


serialization_lib.register_unexported_class(FeatureSpace, "layers")
