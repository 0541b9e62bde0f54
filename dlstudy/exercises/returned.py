"""One validator of what an answer returns: the Python type, shape and dtype the exercise's statement promises.

A value that is right only by broadcasting (a bias of shape (1,) where a scalar tensor is promised), a
tensor where a float is promised, a float64 kernel where a float32 one is, or an ``nn.Linear`` whose
``in_features`` / ``out_features`` do not match its weight, passes a values-only comparison; ``returned``
and ``linear_layer`` refuse it with a message that says what was promised and what came back.
"""

import torch
from torch import nn

from dlstudy.exercises.registry import expect
from dlstudy.lang import tr

__all__ = ["returned", "linear_layer", "kind_of"]


def kind_of(value):
    """What ``value`` is, in words: its Python type, or a tensor's shape and dtype.

    >>> kind_of(torch.zeros(2, 1)), kind_of(1.5), kind_of(torch.tensor(2.0, dtype=torch.float64))
    ('a tensor of shape (2, 1), float32', 'float', 'a tensor of shape (), float64')
    """
    if torch.is_tensor(value):
        return tr("a tensor of shape {shape}, {dtype}", "모양 {shape}, {dtype}인 텐서").format(
            shape=tuple(value.shape), dtype=str(value.dtype).replace("torch.", ""))
    return type(value).__name__


def _promise(kind, shape, dtype):
    if kind is float:
        return tr("a Python float (.item())", "파이썬 float (.item())")
    if kind is int:
        return tr("a Python int", "파이썬 int")
    text = tr("a tensor", "텐서")
    if shape is not None:
        text += tr(" of shape {shape}", " (모양 {shape})").format(shape=tuple(shape))
    if dtype is not None:
        text += ", " + str(dtype).replace("torch.", "")
    return text


def returned(value, what, case, kind=torch.Tensor, shape=None, dtype=None, like=None):
    """Raise ``NotYet`` unless ``value`` is what the statement promises: ``kind`` (float, int or a tensor), and for a
    tensor the ``shape`` and ``dtype`` given (``like``: those of a tensor).

    >>> returned(torch.zeros(()), "the new b", "a case", like=torch.ones(()))
    >>> returned(torch.zeros(1), "the new b", "X of shape (3, 2)", like=torch.ones(()))
    Traceback (most recent call last):
    ...
    dlstudy.exercises.registry.NotYet: the new b must be a tensor of shape (), float32 (what the exercise promises); for X of shape (3, 2) yours is a tensor of shape (1,), float32.
    >>> returned(torch.tensor(0.5), "b", "a case", kind=float)
    Traceback (most recent call last):
    ...
    dlstudy.exercises.registry.NotYet: b must be a Python float (.item()) (what the exercise promises); for a case yours is a tensor of shape (), float32.
    """
    if like is not None:
        shape, dtype = like.shape, like.dtype
    if kind is float:
        ok = isinstance(value, float)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = (torch.is_tensor(value) and (shape is None or tuple(value.shape) == tuple(shape))
              and (dtype is None or value.dtype == dtype))
    expect(ok, "{what} must be {promise} (what the exercise promises); for {case} yours is {got}.",
           "{what}은(는) {promise}여야 해요 (연습이 약속한 것). {case}에서 결과: {got}.",
           what=what, promise=_promise(kind, shape, dtype), case=case, got=kind_of(value))


def linear_layer(value, in_features, out_features, what, case):
    """Raise ``NotYet`` unless ``value`` is an ``nn.Linear(in_features, out_features)``: its attributes, weight and
    bias all agree (a layer built the other way round and given a weight of the right shape does not).

    >>> layer = nn.Linear(3, 2)
    >>> linear_layer(layer, 3, 2, "the merged layer", "a case")
    >>> layer.weight = nn.Parameter(torch.zeros(3, 2))
    >>> linear_layer(layer, 2, 3, "the merged layer", "a case")
    Traceback (most recent call last):
    ...
    dlstudy.exercises.registry.NotYet: the merged layer must be nn.Linear(2, 3): in_features = 2, out_features = 3, a weight of shape (3, 2) and a bias of shape (3,); for a case yours is nn.Linear(3, 2) with a weight of shape (3, 2) and a bias of shape (2,).
    """
    def words(layer):
        if not isinstance(layer, nn.Linear):
            return type(layer).__name__
        bias = None if layer.bias is None else tuple(layer.bias.shape)
        return tr("nn.Linear({i}, {o}) with a weight of shape {w} and a bias of shape {b}",
                  "가중치 모양 {w}, 편향 모양 {b}인 nn.Linear({i}, {o})").format(
            i=layer.in_features, o=layer.out_features, w=tuple(layer.weight.shape), b=bias)
    ok = (isinstance(value, nn.Linear) and value.in_features == in_features and value.out_features == out_features
          and tuple(value.weight.shape) == (out_features, in_features) and value.bias is not None
          and tuple(value.bias.shape) == (out_features,))
    expect(ok, "{what} must be nn.Linear({i}, {o}): in_features = {i}, out_features = {o}, a weight of "
           "shape ({o}, {i}) and a bias of shape ({o},); for {case} yours is {got}.", "{what}은(는) nn.Linear({i}, {o})"
           "여야 해요: in_features = {i}, out_features = {o}, 가중치 모양 ({o}, {i}), 편향 모양 ({o},). {case}에서 "
           "결과: {got}.", what=what, i=in_features, o=out_features, case=case, got=words(value))
