"""Why a model decided what it did: attributions for a batch and a target class.

Gradient methods (through the backend's autograd): `saliency`, `gradient_x_input`,
`smoothgrad`, `integrated_gradients`, `grad_cam`; and `occlusion`, which needs no gradients.
Each returns arrays shaped like the inputs (Grad-CAM: like the layer's feature map);
`cornu.visualization.overlay_attributions` draws them on the images.
"""

from cornu.explain.grad_cam import grad_cam
from cornu.explain.gradients import gradient_x_input, saliency, smoothgrad
from cornu.explain.integrated_gradients import integrated_gradients
from cornu.explain.occlusion import occlusion

__all__ = [
    "grad_cam",
    "gradient_x_input",
    "integrated_gradients",
    "occlusion",
    "saliency",
    "smoothgrad",
]
