"""Callbacks: objects that hook into fit, evaluate and predict (EarlyStopping,
ModelCheckpoint, ReduceLROnPlateau, TensorBoard, BackupAndRestore, ...)."""

from cornu.callbacks.backup_and_restore import BackupAndRestore
from cornu.callbacks.callback import Callback
from cornu.callbacks.callback_list import CallbackList
from cornu.callbacks.csv_logger import CSVLogger
from cornu.callbacks.early_stopping import EarlyStopping
from cornu.callbacks.history import History
from cornu.callbacks.lambda_callback import LambdaCallback
from cornu.callbacks.learning_rate_scheduler import LearningRateScheduler
from cornu.callbacks.model_checkpoint import ModelCheckpoint
from cornu.callbacks.monitor_callback import MonitorCallback
from cornu.callbacks.progbar_logger import ProgbarLogger
from cornu.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from cornu.callbacks.remote_monitor import RemoteMonitor
from cornu.callbacks.swap_ema_weights import SwapEMAWeights
from cornu.callbacks.tensorboard import TensorBoard
from cornu.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "MonitorCallback",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "RemoteMonitor",
    "SwapEMAWeights",
    "TensorBoard",
    "TerminateOnNaN",
]
