"""The objective a search optimizes: a metric name and a direction ("min" or "max")."""

_MAX_WORDS = (
    "accuracy",
    "acc",
    "auc",
    "precision",
    "recall",
    "f1",
    "fbeta",
    "iou",
    "true_positives",
    "true_negatives",
    "r2",
    "r2_score",
    "psnr",
    "ssim",
)
_MIN_WORDS = (
    "loss",
    "crossentropy",
    "ce",
    "error",
    "mse",
    "mae",
    "mape",
    "msle",
    "hinge",
    "logcosh",
    "log_cosh",
    "huber",
    "poisson",
    "kl_divergence",
    "kld",
    "cosine",
    "false_positives",
    "false_negatives",
    "ctc",
    "dice",
    "tversky",
)


class Objective:
    """An objective: `name` a metric reported by `fit` (e.g. "val_accuracy"), and
    `direction`, "min" or "max"."""

    def __init__(self, name, direction):
        if direction not in ("min", "max"):
            raise ValueError(
                f"Objective '{name}': `direction` must be 'min' or 'max'. "
                f"Received: direction={direction!r}."
            )
        self.name = name
        self.direction = direction

    def better_than(self, a, b):
        return a < b if self.direction == "min" else a > b

    def sort_key(self, value):
        return value if self.direction == "min" else -value

    def best(self, values):
        return min(values) if self.direction == "min" else max(values)

    def __eq__(self, other):
        return (
            isinstance(other, Objective)
            and other.name == self.name
            and other.direction == self.direction
        )

    def __hash__(self):
        return hash((self.name, self.direction))

    def __str__(self):
        return f'Objective(name="{self.name}", direction="{self.direction}")'

    __repr__ = __str__

    def get_config(self):
        return {"name": self.name, "direction": self.direction}


def infer_metric_direction(name):
    """ "max" for accuracy-like metric names, "min" for losses and errors, else None."""
    metric = name[4:] if name.startswith("val_") else name
    metric = metric[9:] if metric.startswith("weighted_") else metric
    metric = metric.lower()
    words = set(metric.split("_")) | {metric}
    if words & set(_MIN_WORDS) or metric.endswith("loss") or metric.endswith("error"):
        return "min"
    if words & set(_MAX_WORDS) or metric.endswith("accuracy"):
        return "max"
    return None


def create_objective(objective):
    """An `Objective` from a name (direction inferred), an `Objective`, or None ("val_loss")."""
    if objective is None:
        return Objective("val_loss", "min")
    if isinstance(objective, Objective):
        return objective
    if not isinstance(objective, str):
        raise TypeError(
            f"`objective` not understood, expected str or `Objective` object, found: {objective!r}"
        )
    direction = infer_metric_direction(objective)
    if direction is None:
        raise ValueError(
            'Could not infer optimization direction ("min" or "max") for unknown metric '
            f'"{objective}". Please specify the objective as a `cornu.tuner.Objective`, for '
            f'example `cornu.tuner.Objective("{objective}", direction="min")`.'
        )
    return Objective(objective, direction)
