"""Right answers to chapter 10's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="10.1",
         code="def value_sigmoid(v):\n"
              "    s = 0.5 * (1 + math.tanh(v.data / 2))\n"
              "    out = Value(s, (v,), 'sigmoid')\n"
              "    def _backward():\n"
              "        v.grad = v.grad + s * (1 - s) * out.grad\n"
              "    out._backward = _backward\n"
              "    return out\n\n\n"
              "def value_log(v):\n"
              "    out = Value(math.log(v.data), (v,), 'log')\n"
              "    def _backward():\n"
              "        v.grad += out.grad / v.data\n"
              "    out._backward = _backward\n"
              "    return out\n"),
    dict(exercise="10.2",
         code="def linear_backward(X, W, b, grad_out):\n"
              "    return (torch.einsum('nm,dm->nd', grad_out, W), torch.einsum('nd,nm->dm', X, grad_out),\n"
              "            torch.ones(len(X), dtype=X.dtype) @ grad_out)\n"),
    dict(exercise="10.2",
         code="def linear_backward(X, W, b, grad_out):\n"
              "    dW = (X[:, :, None] * grad_out[:, None, :]).sum(dim=0)\n"
              "    return torch.matmul(grad_out, W.transpose(0, 1)), dW, grad_out.sum(dim=0, keepdim=True)[0]\n"),
    dict(exercise="10.3",
         code="def mse_sigmoid_grad(z, y):\n"
              "    s = 1 / (1 + torch.exp(-z))\n"
              "    return 2 / z.numel() * (s - y) * s * (1 - s)\n"),
    dict(exercise="10.3",
         code="def mse_sigmoid_grad(z, y):\n"
              "    s = torch.special.expit(z)\n"
              "    return (s - y).mul(2).div(z.numel()).mul(s * (1 - s))\n"),
    dict(exercise="10.4",                                # a multi-index over the tensor itself
         code="import itertools\n\n\n"
              "def numerical_gradient(f, t, h=1e-6):\n"
              "    grad = torch.empty_like(t)\n"
              "    for idx in itertools.product(*(range(n) for n in t.shape)):\n"
              "        old = t[idx].item()\n"
              "        t[idx] = old + h\n"
              "        up = f()\n"
              "        t[idx] = old - h\n"
              "        down = f()\n"
              "        t[idx] = old\n"
              "        grad[idx] = (up - down) / (2 * h)\n"
              "    return grad\n"),
]
RIGHT += [
    dict(exercise="10.3",
         code="def mse_sigmoid_grad(z, y):\n"
              "    s = z.sigmoid()\n"
              "    return s * (1 - s) * 2 * (s - y) / len(z.reshape(-1))\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='10.2', code="def linear_backward(X, W, b, grad_out): return torch.einsum('nm,dm->nd', grad_out, W), torch.einsum('nd,nm->dm', X, grad_out), grad_out.sum(0)\n"),
    dict(exercise='10.2', code='def linear_backward(X, W, b, grad_out): return grad_out @ W.T, (grad_out.T @ X).T, grad_out.sum(0)\n'),
    dict(exercise='10.3', code='def mse_sigmoid_grad(z, y):\n    s = 1 / (1 + torch.exp(-z))\n    return 2 * (s - y) * s * (1 - s) / z.numel()\n'),
    dict(exercise='10.4', code='import itertools\ndef numerical_gradient(f, t, h=1e-6):\n    g = torch.zeros_like(t)\n    for idx in itertools.product(*[range(n) for n in t.shape]):\n        old = t[idx].item()\n        t[idx] = old + h; up = f().item()\n        t[idx] = old - h; down = f().item()\n        t[idx] = old\n        g[idx] = (up - down) / (2 * h)\n    return g\n'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
RIGHT += [
    dict(exercise='10.3',  # A: 1 - s written as sigmoid(-z): finite everywhere
         code='def mse_sigmoid_grad(z, y):\n    s = torch.sigmoid(z)\n    return 2 * (s - y) * s * torch.sigmoid(-z) / z.numel()\n'),
    dict(exercise='10.3',  # A: through tanh: s(1 - s) = (1 - t^2) / 4
         code='def mse_sigmoid_grad(z, y):\n    t = torch.tanh(z / 2)\n    s = (1 + t) / 2\n    return (s - y) * (1 - t * t) / 2 / z.numel()\n'),
    dict(exercise='10.1',  # A: nodes bound by default arguments
         code='def value_sigmoid(v):\n    out = Value(1 / (1 + math.exp(-v.data)), (v,), "sigmoid")\n    def _backward(v=v, out=out):\n        v.grad += out.data * (1 - out.data) * out.grad\n    out._backward = _backward\n    return out\ndef value_log(v):\n    out = Value(math.log(v.data), (v,), "log")\n    def _backward(v=v, out=out):\n        v.grad += out.grad / v.data\n    out._backward = _backward\n    return out\n'),
]
