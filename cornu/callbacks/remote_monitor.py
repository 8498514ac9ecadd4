"""RemoteMonitor: posts each epoch's logs to a server as JSON."""

import json
import urllib.request
import warnings

import numpy as np

from cornu.callbacks.callback import Callback
from cornu.distribution import distribution_lib


class RemoteMonitor(Callback):
    """Sends an HTTP POST with the epoch logs at the end of every epoch.

    Args:
        root: the server's root URL.
        path: the path the logs are posted to.
        field: the form field holding the JSON (ignored when ``send_as_json``).
        headers: extra HTTP headers.
        send_as_json: send the logs as the request's JSON body instead of a form field.
    """

    def __init__(
        self,
        root="http://localhost:9000",
        path="/publish/epoch/end/",
        field="data",
        headers=None,
        send_as_json=False,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        if not distribution_lib.is_chief():
            return
        payload = {"epoch": epoch}
        for key, value in (logs or {}).items():
            payload[key] = value.item() if isinstance(value, (np.ndarray, np.generic)) else value
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(payload).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(payload)}).encode("utf-8")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10):
                pass
        except OSError:
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}", stacklevel=2)
