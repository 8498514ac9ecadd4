"""Native torch modules inside cornu models are wrapped, trained and saved with them."""

import numpy as np
import pytest
import torch

import cornu

pytestmark = pytest.mark.backends("torch")  # wraps native torch modules


class Hybrid(cornu.Model):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh())
        self.head = cornu.layers.Dense(1)

    def call(self, inputs):
        return self.head(self.features(inputs))


def test_a_torch_module_attribute_is_wrapped_and_trained():
    torch.manual_seed(0)
    model = Hybrid()
    assert isinstance(model.features, cornu.layers.TorchModuleWrapper)
    rng = np.random.RandomState(0)
    x = rng.standard_normal((64, 3)).astype("float32")
    y = (x.sum(axis=1, keepdims=True) > 0).astype("float32")
    model.compile(optimizer=cornu.optimizers.Adam(0.01), loss="mse")
    before = model.features.module[0].weight.detach().clone()
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert not torch.equal(before, model.features.module[0].weight)
    assert history.history["loss"][-1] < history.history["loss"][0]
    # The wrapped parameters are the module's own tensors, listed among the model's weights.
    assert len(model.trainable_weights) == 4
    assert model.features.weights[0].value is model.features.module[0].weight


def test_wrapper_infers_its_output_shape_and_refuses_a_config():
    wrapper = cornu.layers.TorchModuleWrapper(torch.nn.Linear(3, 5))
    assert wrapper(cornu.Input((3,))).shape == (None, 5)
    with pytest.raises(NotImplementedError, match="no config"):
        wrapper.get_config()
    with pytest.raises(ValueError, match="torch.nn.Module"):
        cornu.layers.TorchModuleWrapper(cornu.layers.Dense(2))
