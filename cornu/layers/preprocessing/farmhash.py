"""FarmHash's 64-bit fingerprint (``farmhash::Fingerprint64``), the hash TensorFlow's
``to_hash_bucket_fast`` uses: lookup layers put unknown terms into the same buckets as Keras.

Pure Python on 64-bit unsigned integers (every product and sum is taken modulo 2**64).
"""

_MASK = (1 << 64) - 1
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F


def _u64(data, i):
    return int.from_bytes(data[i : i + 8], "little")


def _u32(data, i):
    return int.from_bytes(data[i : i + 4], "little")


def _rotate(value, shift):
    if shift == 0:
        return value
    return ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value):
    return value ^ (value >> 47)


def _hash16(u, v, mul):
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _hash_0_to_16(data):
    n = len(data)
    if n >= 8:
        mul = _K2 + n * 2
        a = (_u64(data, 0) + _K2) & _MASK
        b = _u64(data, n - 8)
        c = (_rotate(b, 37) * mul + a) & _MASK
        d = ((_rotate(a, 25) + b) * mul) & _MASK
        return _hash16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        return _hash16(n + (_u32(data, 0) << 3), _u32(data, n - 4), mul)
    if n > 0:
        y = (data[0] + (data[n >> 1] << 8)) & 0xFFFFFFFF
        z = (n + (data[n - 1] << 2)) & 0xFFFFFFFF
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def _hash_17_to_32(data):
    n = len(data)
    mul = _K2 + n * 2
    a = (_u64(data, 0) * _K1) & _MASK
    b = _u64(data, 8)
    c = (_u64(data, n - 8) * mul) & _MASK
    d = (_u64(data, n - 16) * _K2) & _MASK
    u = (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK
    v = (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK
    return _hash16(u, v, mul)


def _hash_33_to_64(data):
    n = len(data)
    mul = _K2 + n * 2
    a = (_u64(data, 0) * _K2) & _MASK
    b = _u64(data, 8)
    c = (_u64(data, n - 8) * mul) & _MASK
    d = (_u64(data, n - 16) * _K2) & _MASK
    y = (_rotate((a + b) & _MASK, 43) + _rotate(c, 30) + d) & _MASK
    z = _hash16(y, (a + _rotate((b + _K2) & _MASK, 18) + c) & _MASK, mul)
    e = (_u64(data, 16) * mul) & _MASK
    f = _u64(data, 24)
    g = ((y + _u64(data, n - 32)) * mul) & _MASK
    h = ((z + _u64(data, n - 24)) * mul) & _MASK
    u = (_rotate((e + f) & _MASK, 43) + _rotate(g, 30) + h) & _MASK
    v = (e + _rotate((f + a) & _MASK, 18) + g) & _MASK
    return _hash16(u, v, mul)


def _weak_hash_32(data, i, a, b):
    """FarmHash's WeakHashLen32WithSeeds on the 32 bytes at ``data[i:]``."""
    w, x, y, z = (_u64(data, i + 8 * k) for k in range(4))
    a = (a + w) & _MASK
    b = _rotate((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotate(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def _hash_long(data):
    n = len(data)
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v = (0, 0)
    w = (0, 0)
    x = (x * _K2 + _u64(data, 0)) & _MASK
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rotate((x + y + v[0] + _u64(data, i + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotate((y + v[1] + _u64(data, i + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w[1]
        y = (y + v[0] + _u64(data, i + 40)) & _MASK
        z = (_rotate((z + w[0]) & _MASK, 33) * _K1) & _MASK
        v = _weak_hash_32(data, i, (v[1] * _K1) & _MASK, (x + w[0]) & _MASK)
        w = _weak_hash_32(data, i + 32, (z + w[1]) & _MASK, (y + _u64(data, i + 16)) & _MASK)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    i = last64
    w = ((w[0] + ((n - 1) & 63)) & _MASK, w[1])
    v = ((v[0] + w[0]) & _MASK, v[1])
    w = ((w[0] + v[0]) & _MASK, w[1])
    x = (_rotate((x + y + v[0] + _u64(data, i + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotate((y + v[1] + _u64(data, i + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w[1] * 9) & _MASK
    y = (y + v[0] * 9 + _u64(data, i + 40)) & _MASK
    z = (_rotate((z + w[0]) & _MASK, 33) * mul) & _MASK
    v = _weak_hash_32(data, i, (v[1] * mul) & _MASK, (x + w[0]) & _MASK)
    w = _weak_hash_32(data, i + 32, (z + w[1]) & _MASK, (y + _u64(data, i + 16)) & _MASK)
    z, x = x, z
    u = (_hash16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _MASK
    return _hash16(u, (_hash16(v[1], w[1], mul) + x) & _MASK, mul)


def fingerprint64(data):
    """FarmHash's ``Fingerprint64`` of ``data`` (bytes) as an unsigned int."""
    data = bytes(data)
    n = len(data)
    if n <= 16:
        return _hash_0_to_16(data)
    if n <= 32:
        return _hash_17_to_32(data)
    if n <= 64:
        return _hash_33_to_64(data)
    return _hash_long(data)
