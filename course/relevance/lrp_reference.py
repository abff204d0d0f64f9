"""Layer-wise relevance propagation by the formulas, slow, in numpy float64: the reference that
the fast gradient-trick implementation (:mod:`.lrp`) is tested against, line by line after
Bach et al. (2015) and Montavon et al. (2019), as zennit tests every rule.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

from .lrp import _LINEAR, _POOL, _check, _layers

__all__ = ["lrp_reference"]


def _dense(layer: nn.Module, in_shape: tuple) -> tuple:
    """A Linear or Conv2d layer written out as a matrix ``W[j, i]`` and a bias vector ``b[j]``."""
    if isinstance(layer, nn.Linear):
        W = layer.weight.detach().double().numpy()
        b = np.zeros(W.shape[0]) if layer.bias is None else layer.bias.detach().double().numpy()
        return W, b, (W.shape[0],)
    K = layer.weight.detach().double().numpy()  # (out_channels, in_channels, kh, kw)
    C_out, C_in, kh, kw = K.shape
    _, H, Wd = in_shape
    (sh, sw), (ph, pw) = layer.stride, layer.padding
    H_out, W_out = (H + 2 * ph - kh) // sh + 1, (Wd + 2 * pw - kw) // sw + 1
    M = np.zeros((C_out, H_out, W_out, C_in, H, Wd))
    for o in range(C_out):
        for r in range(H_out):
            for c in range(W_out):
                for i in range(C_in):
                    for dr in range(kh):
                        for dc in range(kw):
                            rr, cc = r * sh + dr - ph, c * sw + dc - pw
                            if 0 <= rr < H and 0 <= cc < Wd:
                                M[o, r, c, i, rr, cc] = K[o, i, dr, dc]
    b = np.zeros(C_out) if layer.bias is None else layer.bias.detach().double().numpy()
    out_shape = (C_out, H_out, W_out)
    return M.reshape(C_out * H_out * W_out, -1), np.repeat(b, H_out * W_out), out_shape


def _reference_linear(W, b, a, R, rule, first, input_rule, low, high):
    """One linear layer, neuron by neuron, exactly as the formulas read."""
    R_in = np.zeros_like(a)
    for j in range(W.shape[0]):
        if first and input_rule == "zB":
            z_ij = a * W[j] - low * np.maximum(W[j], 0) - high * np.minimum(W[j], 0)
            z_j = z_ij.sum()
            if z_j != 0:
                R_in += z_ij / z_j * R[j]
        elif rule.name in ("zero", "epsilon"):
            z_ij = a * W[j]
            z_j = z_ij.sum() + b[j]
            denominator = z_j + rule.eps * (1.0 if z_j >= 0 else -1.0)
            if denominator != 0:
                R_in += z_ij / denominator * R[j]
        else:
            z_ij = a * W[j]
            z_pos, z_neg = np.maximum(z_ij, 0), np.minimum(z_ij, 0)
            if z_pos.sum() != 0:
                R_in += rule.alpha * z_pos / z_pos.sum() * R[j]
            if rule.beta != 0 and z_neg.sum() != 0:
                R_in -= rule.beta * z_neg / z_neg.sum() * R[j]
    return R_in


def _reference_pool(layer, a, R):
    C, H, Wd = a.shape
    k = layer.kernel_size if isinstance(layer.kernel_size, int) else layer.kernel_size[0]
    s = layer.stride if isinstance(layer.stride, int) else layer.stride[0]
    R_out = R.reshape(C, (H - k) // s + 1, (Wd - k) // s + 1)
    R_in = np.zeros_like(a)
    for ch in range(C):
        for r in range(R_out.shape[1]):
            for c in range(R_out.shape[2]):
                window = a[ch, r * s : r * s + k, c * s : c * s + k]
                if isinstance(layer, nn.MaxPool2d):  # the winner takes all
                    dr, dc = np.unravel_index(np.argmax(window), window.shape)
                    R_in[ch, r * s + dr, c * s + dc] += R_out[ch, r, c]
                elif window.sum() != 0:  # average: in proportion to a_i / k^2
                    R_in[ch, r * s : r * s + k, c * s : c * s + k] += (
                        window / window.sum() * R_out[ch, r, c]
                    )
    return R_in


def lrp_reference(model: nn.Module, x, *, target: int, contrast=None, **options) -> list:
    """Slow LRP of one image ``(8, 8)`` in numpy float64, by the formulas; options and output
    layout as :func:`~.lrp.lrp_relevances` (without the batch dimension). For tests and reading."""
    rule_, low, high = _check(**options)
    input_rule = options.get("input_rule")
    layers = _layers(model)
    a = np.asarray(x, dtype=np.float64).reshape(1, 8, 8)
    activations = [a]
    for layer in layers:
        with torch.no_grad():
            out = copy.deepcopy(layer).double()(torch.tensor(activations[-1])[None])[0].numpy()
        activations.append(out)
    w = np.zeros(10)
    w[target] += 1.0
    if contrast is not None:
        w[contrast] -= 1.0
    R = w * activations[-1]
    relevances = [R]
    first_linear = next(i for i, layer in enumerate(layers) if isinstance(layer, _LINEAR))
    for i in range(len(layers) - 1, -1, -1):
        layer, a = layers[i], activations[i]
        if isinstance(layer, _LINEAR):
            W, b, _ = _dense(layer, a.shape)
            R = _reference_linear(
                W, b, a.ravel(), R.ravel(), rule_, i == first_linear, input_rule, low, high
            ).reshape(a.shape)
        elif isinstance(layer, _POOL):
            R = _reference_pool(layer, a, R)
        elif isinstance(layer, nn.Flatten):
            R = R.reshape(a.shape)
        relevances.append(R)
    return list(reversed(relevances))
