"""Recurrent layers: SimpleRNN, LSTM, GRU, ConvLSTM1D/2D/3D, their cells, the generic RNN, and
the Bidirectional and TimeDistributed wrappers."""

from cornu.layers.rnn.bidirectional import Bidirectional
from cornu.layers.rnn.conv_lstm1d import ConvLSTM1D
from cornu.layers.rnn.conv_lstm2d import ConvLSTM2D
from cornu.layers.rnn.conv_lstm3d import ConvLSTM3D
from cornu.layers.rnn.gru import GRU, GRUCell
from cornu.layers.rnn.lstm import LSTM, LSTMCell
from cornu.layers.rnn.rnn import RNN
from cornu.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from cornu.layers.rnn.stacked_rnn_cells import StackedRNNCells
from cornu.layers.rnn.time_distributed import TimeDistributed
from cornu.layers.rnn.wrapper import Wrapper

__all__ = [
    "Bidirectional",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "GRU",
    "GRUCell",
    "LSTM",
    "LSTMCell",
    "RNN",
    "SimpleRNN",
    "SimpleRNNCell",
    "StackedRNNCells",
    "TimeDistributed",
    "Wrapper",
]
