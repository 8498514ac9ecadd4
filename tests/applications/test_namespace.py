"""Every name of `keras.applications` and of its family modules is in `cornu.applications`."""

import pytest

import cornu

FAMILIES = [
    "convnext",
    "densenet",
    "efficientnet",
    "efficientnet_v2",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "nasnet",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]


def _public(module):
    return {name for name in dir(module) if not name.startswith("_")}


def test_applications_has_every_keras_name(keras):
    missing = sorted(_public(keras.applications) - _public(cornu.applications))
    assert not missing


@pytest.mark.parametrize("family", FAMILIES)
def test_family_module_has_every_keras_name(keras, family):
    theirs = getattr(keras.applications, family)
    ours = getattr(cornu.applications, family)
    assert not sorted(n for n in _public(theirs) if not hasattr(ours, n))
    for name in _public(theirs):
        if name[0].isupper():
            assert getattr(ours, name) is getattr(cornu.applications, name)
