"""The backend-neutral operation API: ``cornu.ops.<name>`` is the active backend's function.

Layers, losses, metrics and optimizers are written against these names only. They are bound
when cornu is imported, so a call costs what the backend's own function costs.
"""

from cornu.ops import image, linalg  # noqa: F401
from cornu.ops.control_flow import *  # noqa: F401,F403
from cornu.ops.core import *  # noqa: F401,F403
from cornu.ops.einops import *  # noqa: F401,F403
from cornu.ops.linalg import *  # noqa: F401,F403
from cornu.ops.math import *  # noqa: F401,F403
from cornu.ops.nn import *  # noqa: F401,F403
from cornu.ops.numpy import *  # noqa: F401,F403
