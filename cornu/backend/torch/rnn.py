"""Recurrent loops on torch tensors: the generic step loop and the fused LSTM/GRU kernels."""
