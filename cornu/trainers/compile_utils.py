"""What ``compile()`` resolves: the loss of every output, and the metrics of every output."""

from cornu import losses as losses_module
from cornu import metrics as metrics_module
from cornu.core import tree


def _output_names(model, y_pred):
    flat = tree.flatten(y_pred)
    names = list(getattr(model, "output_names", None) or [])
    if isinstance(y_pred, dict):
        return sorted(y_pred)
    if len(names) != len(flat):
        names = [f"output_{i}" for i in range(len(flat))]
    return names


def _per_output(spec, names, what):
    """``spec`` given for every output (a single value, a list or a dict) as a list."""
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(names))
        if unknown:
            raise ValueError(
                f"`{what}` has keys {unknown} that match no output. The outputs are: {names}"
            )
        return [spec.get(n) for n in names]
    if isinstance(spec, (list, tuple)) and len(names) > 1:
        if len(spec) != len(names):
            raise ValueError(
                f"`{what}` is a list of {len(spec)} entries, but the model has {len(names)} "
                f"outputs ({names}). Pass one entry per output, or a dict keyed by output name."
            )
        return list(spec)
    if isinstance(spec, (list, tuple)) and len(names) == 1 and what == "loss":
        if len(spec) != 1:
            raise ValueError(f"`loss` has {len(spec)} entries but the model has one output.")
        return list(spec)
    return [spec] * len(names)


def is_binary_or_sparse(y_true, y_pred):
    """Keras's rule for ``"accuracy"``: binary when the output has one unit, sparse
    categorical when the targets have a lower rank or a last axis of 1."""
    t_shape, p_shape = tuple(y_true.shape), tuple(y_pred.shape)
    is_binary = p_shape[-1] == 1
    is_sparse = len(t_shape) < len(p_shape) or (t_shape[-1] == 1 and p_shape[-1] > 1)
    return is_binary, is_sparse


def resolve_metric(identifier, y_true, y_pred):
    """The metric object for ``identifier``; ``"accuracy"``/``"acc"`` picks binary,
    sparse categorical or categorical accuracy from the shapes of targets and outputs."""
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        is_binary, is_sparse = is_binary_or_sparse(y_true, y_pred)
        if is_binary:
            return metrics_module.BinaryAccuracy(name=identifier)
        if is_sparse:
            return metrics_module.SparseCategoricalAccuracy(name=identifier)
        return metrics_module.CategoricalAccuracy(name=identifier)
    metric = metrics_module.get(identifier)
    if not isinstance(metric, metrics_module.Metric):
        name = identifier if isinstance(identifier, str) else getattr(metric, "__name__", None)
        metric = metrics_module.MeanMetricWrapper(metric, name=name)
    elif isinstance(identifier, str):
        metric.name = identifier
    return metric


def match_single_output(y_pred, y_true, sample_weight=None):
    """Keras's rule for a model of one output (``y_pred`` a tensor): targets and sample
    weights given as a list or tuple of one are unwrapped."""
    if not tree.is_nested(y_pred):
        if isinstance(y_true, (list, tuple)) and len(y_true) == 1:
            y_true = y_true[0]
        if isinstance(sample_weight, (list, tuple)) and len(sample_weight) == 1:
            sample_weight = sample_weight[0]
    return y_true, sample_weight


class CompileLoss:
    """The compiled loss: one loss per output, weighted and summed.

    Built on the first batch, when the outputs' structure is known.
    """

    def __init__(self, loss, loss_weights=None):
        self._loss_spec = loss
        self._weights_spec = loss_weights
        self.built = False
        self.output_trackers = []

    def build(self, model, y_true, y_pred, label_ranges=None):
        y_true, _ = match_single_output(y_pred, y_true)
        names = _output_names(model, y_pred)
        losses = _per_output(self._loss_spec, names, "loss")
        weights = _per_output(self._weights_spec, names, "loss_weights")
        self._entries = []
        for name, loss, weight in zip(names, losses, weights):
            if loss is None:
                self._entries.append(None)
                continue
            fn = losses_module.get(loss)
            if not isinstance(fn, losses_module.Loss):
                name = loss if isinstance(loss, str) else getattr(fn, "__name__", None)
                fn = losses_module.LossFunctionWrapper(fn, name=name)
            self._entries.append((fn, 1.0 if weight is None else float(weight)))
        if all(e is None for e in self._entries):
            raise ValueError("`loss` gives no loss for any output of the model.")
        self._names = names
        self._single = len(names) == 1 and not tree.is_nested(y_pred)
        if len(names) > 1:
            self.output_trackers = [
                metrics_module.Mean(name=f"{n}_loss") for n, e in zip(names, self._entries) if e
            ]
        self._check_targets(y_true, y_pred, label_ranges)
        self.built = True

    def _check_targets(self, y_true, y_pred, label_ranges):
        flat_true, flat_pred = tree.flatten(y_true), tree.flatten(y_pred)
        if y_true is None or len(flat_true) != len(flat_pred):
            raise ValueError(
                f"The model has {len(flat_pred)} output(s) but {len(tree.flatten(y_true))} "
                "target array(s) were given. Pass one target per output."
            )
        for i, (entry, p) in enumerate(zip(self._entries, flat_pred)):
            if entry is None or not _is_sparse_loss(entry[0]):
                continue
            classes = p.shape[-1]
            span = label_ranges[i] if label_ranges and i < len(label_ranges) else None
            if span is not None and (span[0] < 0 or span[1] >= classes):
                bad = span[1] if span[1] >= classes else span[0]
                raise ValueError(
                    f"Received a label value of {bad}, which is outside the valid range of "
                    f"[0, {classes}) for the sparse categorical crossentropy of output "
                    f"'{self._names[i]}'. Labels must be class indices smaller than the number "
                    "of units of the last layer: check the labels or the layer's size."
                )

    def __call__(self, y_true, y_pred, sample_weight=None):
        if self._single:
            if isinstance(y_true, (list, tuple)) or isinstance(sample_weight, (list, tuple)):
                y_true, sample_weight = match_single_output(y_pred, y_true, sample_weight)
            fn, weight = self._entries[0]
            value = fn(y_true, y_pred, sample_weight)
            return value if weight == 1.0 else value * weight
        flat_true = tree.flatten(y_true)
        flat_pred = tree.flatten(y_pred)
        flat_sw = tree.flatten(sample_weight) if sample_weight is not None else None
        total = None
        trackers = iter(self.output_trackers)
        for i, entry in enumerate(self._entries):
            if entry is None:
                continue
            fn, weight = entry
            sw = None
            if flat_sw is not None:
                sw = flat_sw[i] if len(flat_sw) == len(flat_pred) else flat_sw[0]
            value = fn(flat_true[i], flat_pred[i], sw)
            next(trackers).update_state(value, sample_weight=flat_pred[i].shape[0])
            value = value * weight
            total = value if total is None else total + value
        return total


def _is_sparse_loss(fn):
    name = getattr(fn, "name", None) or getattr(fn, "__name__", "")
    return "sparse_categorical_crossentropy" in str(name) or isinstance(
        fn, losses_module.SparseCategoricalCrossentropy
    )


class CompileMetrics(metrics_module.Metric):
    """The compiled metrics (and weighted metrics) of every output, as one metric named
    ``compile_metrics`` (the entry ``Model.metrics`` holds for them, as in Keras).

    It builds itself on the first ``update_state`` (or ``build``), when the outputs' structure
    is known; ``result()`` is a dict from each metric's log key to its value.

    Args:
        metrics: metrics for every output (a list), or per output (a list of lists or a dict).
        weighted_metrics: the same, for metrics that also take ``sample_weight``.
        output_names: the names of the outputs, when known at ``compile`` (a build through
            the model uses the model's own).
    """

    def __init__(self, metrics=None, weighted_metrics=None, output_names=None):
        super().__init__(name="compile_metrics")
        self._metrics_spec = metrics
        self._weighted_spec = weighted_metrics
        self._output_names = list(output_names) if output_names else None
        self.built = False
        self._flat = []
        self._plan = []
        self._order_names = []

    @property
    def metrics(self):
        """The metric objects, in ``compile`` order (empty until built)."""
        return list(self._flat)

    @property
    def variables(self):
        return [v for metric in self._flat for v in metric.variables]

    def build(self, model=None, y_true=None, y_pred=None):
        """Creates the metric objects for targets ``y_true`` and outputs ``y_pred`` (the
        outputs named after ``model.output_names`` when a model is given)."""
        if model is None:
            model = _Named(self._output_names)
        y_true, _ = match_single_output(y_pred, y_true)
        names = _output_names(model, y_pred)
        flat_true, flat_pred = tree.flatten(y_true), tree.flatten(y_pred)
        plan = []
        for spec, weighted in ((self._metrics_spec, False), (self._weighted_spec, True)):
            if not spec:
                continue
            per_output = self._per_output_lists(spec, names)
            for i, identifiers in enumerate(per_output):
                for identifier in identifiers or ():
                    metric = resolve_metric(identifier, flat_true[i], flat_pred[i])
                    plan.append((metric, i, weighted))
        # Keras orders `evaluate`'s list by the metrics' own names, which match a log key only
        # for a single output (several outputs prefix the keys with the output name).
        self._order_names = [m.name for m, _, _ in plan]
        _name_as_keras_logs(plan, names if len(names) > 1 else None)
        self._plan = plan
        self._flat = [m for m, _, _ in plan]
        self._num_outputs = len(flat_pred)
        self.built = True

    @staticmethod
    def _per_output_lists(spec, names):
        if isinstance(spec, dict):
            unknown = sorted(set(spec) - set(names))
            if unknown:
                raise ValueError(
                    f"`metrics` has keys {unknown} that match no output. The outputs are: {names}"
                )
            return [_as_list(spec.get(n)) for n in names]
        if not isinstance(spec, (list, tuple)):
            raise TypeError(
                f"`metrics` must be a list or a dict of metrics. Received: {spec!r}. "
                "Example: `metrics=['accuracy']`."
            )
        if len(names) == 1:
            return [tree.flatten(list(spec))]
        if len(spec) != len(names):
            raise ValueError(
                f"Invalid `metrics`: the model has {len(names)} outputs ({names}), so a list of "
                f"metrics needs one entry per output (a metric or a list of metrics), or pass a "
                f"dict keyed by output name. Received a list of {len(spec)}: {spec!r}"
            )
        return [_as_list(s) for s in spec]

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Updates every metric with a batch (building them first if needed)."""
        if not self.built:
            self.build(None, y_true, y_pred)
        if self._num_outputs == 1:
            if isinstance(y_true, (list, tuple)) or isinstance(sample_weight, (list, tuple)):
                y_true, sample_weight = match_single_output(y_pred, y_true, sample_weight)
            y_true, y_pred = [y_true], [y_pred]
            sample_weight = [sample_weight]
        else:
            y_true, y_pred = tree.flatten(y_true), tree.flatten(y_pred)
            flat_sw = tree.flatten(sample_weight) if sample_weight is not None else None
            if flat_sw is None:
                sample_weight = [None] * len(y_pred)
            elif len(flat_sw) == len(y_pred):
                sample_weight = flat_sw
            else:
                sample_weight = flat_sw * len(y_pred)
        for metric, i, weighted in self._plan:
            metric.update_state(y_true[i], y_pred[i], sample_weight[i] if weighted else None)

    def result(self):
        """A dict from each metric's log key to its current value."""
        if not self.built:
            raise ValueError("Cannot get result() since the metric has not yet been built.")
        return {metric.name: metric.result() for metric in self._flat}

    def reset_state(self):
        for metric in self._flat:
            metric.reset_state()


class _Named:
    """Stands for a model in ``_output_names`` when only the output names are known."""

    def __init__(self, output_names):
        self.output_names = output_names


def _name_as_keras_logs(plan, output_names):
    """Renames the metrics to their keys in Keras's logs: ``{output}_{metric}`` for several
    outputs; a repeated name gets ``_1``, ``_2``, ...; a weighted metric whose name is taken gets
    the ``weighted_`` prefix first."""
    taken = {}
    for metric, index, weighted in plan:
        prefix = f"{output_names[index]}_" if output_names else ""
        name = prefix + metric.name
        if name in taken and weighted:
            name = f"{prefix}weighted_{metric.name}"
        if name in taken:
            taken[name] += 1
            name = f"{name}_{taken[name] - 1}"
        else:
            taken[name] = 1
        metric.name = name


def _as_list(x):
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]
