"""Image operations on torch tensors: resizing and affine transforms."""
