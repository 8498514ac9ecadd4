"""MelSpectrogram: mel-scaled power spectrograms of audio signals."""

from cornu import ops
from cornu.layers.layer import Layer

# The HTK mel scale: mel(f) = 1127 * ln(1 + f / 700).
_MEL_BREAK_FREQUENCY_HERTZ = 700.0
_MEL_HIGH_FREQUENCY_Q = 1127.0


def _hertz_to_mel(frequencies):
    return _MEL_HIGH_FREQUENCY_Q * ops.log(1.0 + frequencies / _MEL_BREAK_FREQUENCY_HERTZ)


class MelSpectrogram(Layer):
    """Mel spectrograms of audio: ``|stft(x)| ** mag_exp`` mapped onto ``num_mel_bins``
    triangular mel filters (HTK's scale, peaks of 1), then in decibels if ``power_to_db``.

    Args:
        fft_length: the FFT size (2048).
        sequence_stride: the samples between frames (512).
        sequence_length: the samples of each (centred, padded) frame; ``fft_length`` if None.
        window: ``"hann"``, ``"hamming"``, an array of ``sequence_length`` values, or None.
        sampling_rate: the samples per second of the signal (16000).
        num_mel_bins: the number of mel bands (128).
        min_freq: the lower edge of the lowest band, in hertz (20.0).
        max_freq: the upper edge of the highest band (``sampling_rate / 2`` when None).
        power_to_db: convert to decibels, ``10 * log10(max(s, min_power) / ref_power)``,
            floored at ``top_db`` below the largest value of the whole batch.
        top_db: the decibel range kept below the maximum (80.0).
        mag_exp: the exponent of the magnitude (2.0: power).
        min_power: the smallest power before the logarithm (1e-10).
        ref_power: the power that is 0 dB (1.0).

    Input shape: ``(time,)`` or ``(batch, time)``.
    Output shape: ``(num_mel_bins, frames)`` or ``(batch, num_mel_bins, frames)``, with
    ``frames = 1 + time // sequence_stride``. (Keras's ``compute_output_shape`` gives
    ``(time + sequence_stride + 1) // sequence_stride``, one frame too many for some lengths;
    this layer gives the number of frames its ``call`` returns.)
    """

    def __init__(
        self,
        fft_length=2048,
        sequence_stride=512,
        sequence_length=None,
        window="hann",
        sampling_rate=16000,
        num_mel_bins=128,
        min_freq=20.0,
        max_freq=None,
        power_to_db=True,
        top_db=80.0,
        mag_exp=2.0,
        min_power=1e-10,
        ref_power=1.0,
        **kwargs,
    ):
        self.fft_length = fft_length
        self.sequence_stride = sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(
                "MelSpectrogram: `fft_length` must be greater than or equal to "
                f"`sequence_length`. Received: `sequence_length`={self.sequence_length}, "
                f"`fft_length`={self.fft_length}."
            )
        self.window = window
        self.sampling_rate = sampling_rate
        self.num_mel_bins = num_mel_bins
        self.min_freq = min_freq
        self.max_freq = max_freq or int(sampling_rate / 2)
        self.power_to_db = power_to_db
        self.top_db = top_db
        self.mag_exp = mag_exp
        self.min_power = min_power
        self.ref_power = ref_power
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        # stft runs in float32 or float64 only.
        dtype = self.compute_dtype if self.compute_dtype in ("float32", "float64") else "float32"
        inputs = ops.cast(inputs, dtype)
        real, imag = ops.stft(
            inputs,
            sequence_length=self.sequence_length,
            sequence_stride=self.sequence_stride,
            fft_length=self.fft_length,
            window=self.window,
            center=True,
        )
        spectrogram = ops.power(ops.sqrt(ops.square(real) + ops.square(imag)), self.mag_exp)
        matrix = self.linear_to_mel_weight_matrix(
            num_mel_bins=self.num_mel_bins,
            num_spectrogram_bins=spectrogram.shape[-1],
            sampling_rate=self.sampling_rate,
            lower_edge_hertz=self.min_freq,
            upper_edge_hertz=self.max_freq,
            dtype=dtype,
        )
        outputs = ops.tensordot(spectrogram, matrix, axes=1)
        if self.power_to_db:
            outputs = self._dbscale(outputs)
        return ops.cast(ops.swapaxes(outputs, -1, -2), self.compute_dtype)

    def _dbscale(self, power):
        log_spec = 10.0 * ops.log10(ops.maximum(power, self.min_power))
        reference = abs(float(self.ref_power))
        log_spec = log_spec - 10.0 * ops.log10(
            ops.maximum(ops.convert_to_tensor(reference, log_spec.dtype), self.min_power)
        )
        return ops.maximum(log_spec, ops.max(log_spec) - self.top_db)

    def linear_to_mel_weight_matrix(
        self,
        num_mel_bins=20,
        num_spectrogram_bins=129,
        sampling_rate=8000,
        lower_edge_hertz=125.0,
        upper_edge_hertz=3800.0,
        dtype="float32",
    ):
        """The ``(num_spectrogram_bins, num_mel_bins)`` matrix that maps a linear spectrogram
        of the frequencies ``[0, sampling_rate / 2]`` onto triangular mel bands spanning
        ``[lower_edge_hertz, upper_edge_hertz]`` (HTK's mel scale; each band peaks at 1;
        the DC bin gets no weight). ``ops.tensordot(spectrogram, matrix, 1)`` applies it."""
        zero = ops.convert_to_tensor(0.0, dtype)
        nyquist = ops.convert_to_tensor(sampling_rate, dtype) / 2.0
        # HTK leaves out the DC bin.
        bins_mel = _hertz_to_mel(ops.linspace(zero, nyquist, num_spectrogram_bins)[1:])
        bins_mel = ops.expand_dims(bins_mel, 1)
        edges = ops.linspace(
            _hertz_to_mel(ops.convert_to_tensor(lower_edge_hertz, dtype)),
            _hertz_to_mel(ops.convert_to_tensor(upper_edge_hertz, dtype)),
            num_mel_bins + 2,
        )
        # Band i rises from edges[i] to its peak at edges[i + 1] and falls to edges[i + 2].
        lower, center, upper = (
            ops.reshape(edges[i : i + num_mel_bins], (1, num_mel_bins)) for i in range(3)
        )
        rising = (bins_mel - lower) / (center - lower)
        falling = (upper - bins_mel) / (upper - center)
        weights = ops.maximum(zero, ops.minimum(rising, falling))
        return ops.pad(weights, [[1, 0], [0, 0]])

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        time = input_shape[-1]
        frames = None if time is None else 1 + time // self.sequence_stride
        return input_shape[:-1] + (self.num_mel_bins, frames)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length,
                "window": self.window,
                "sampling_rate": self.sampling_rate,
                "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq,
                "max_freq": self.max_freq,
                "power_to_db": self.power_to_db,
                "top_db": self.top_db,
                "mag_exp": self.mag_exp,
                "min_power": self.min_power,
                "ref_power": self.ref_power,
            }
        )
        return config
