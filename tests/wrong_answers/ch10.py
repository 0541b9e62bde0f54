"""Wrong methods for chapter 10's exercises: each must fail its check, naming the rule it breaks where it breaks one."""

SIGMOID = (
    "def value_sigmoid(v):\n"
    "    out = Value(1 / (1 + math.exp(-v.data)), (v,), 'sigmoid')\n"
    "    def _backward():\n"
    "        v.grad {op} out.data * (1 - out.data) * out.grad\n"
    "    out._backward = _backward\n"
    "    return out\n"
)
LOG = (
    "def value_log(v):\n"
    "    out = Value(math.log(v.data), (v,), 'log')\n"
    "    def _backward():\n"
    "        v.grad {op} {derivative} * out.grad\n"
    "    out._backward = _backward\n"
    "    return out\n"
)
LINEAR = "def linear_backward(X, W, b, grad_out):\n    return {dX}, {dW}, {db}\n"
NUMERIC = (
    "def numerical_gradient(f, t, h=1e-6):\n"
    "    grad, flat = torch.zeros_like(t), t.view(-1)\n"
    "    for i in range(flat.numel()):\n"
    "{body}"
    "    return grad\n"
)

WRONG = [
    # 1. sigmoid and log: composed from existing operations, overwriting grad, a wrong derivative, torch on floats
    # (each code defines both functions, the other one right, so that it fails for its own bug)
    dict(exercise="1. sigmoid and log for Value",
         code="def value_sigmoid(v):\n    return 1 / (1 + (-v).exp())\n" + LOG.format(op="+=", derivative="(1 / v.data)"),
         expect="Rule: value_sigmoid must return ONE new Value made from v"),
    dict(exercise="1. sigmoid and log for Value", code=SIGMOID.format(op="=") + LOG.format(op="+=", derivative="(1 / v.data)"),   # passes single uses, not shared ones
         expect="not yet"),
    dict(exercise="1. sigmoid and log for Value", code=SIGMOID.format(op="+=") + LOG.format(op="=", derivative="(1 / v.data)"),
         expect="not yet"),   # overwriting in log only: passes single uses and sigmoid(x) + log(x), not x * log(x)
    dict(exercise="1. sigmoid and log for Value", code=SIGMOID.format(op="+=") + LOG.format(op="+=", derivative="math.log(v.data)"),
         expect="not yet"),
    dict(exercise="1. sigmoid and log for Value",
         code="def value_sigmoid(v):\n"
              "    out = Value(torch.special.expit(torch.tensor(v.data)).item(), (v,), 'sigmoid')\n"
              "    def _backward():\n"
              "        v.grad += out.data * (1 - out.data) * out.grad\n"
              "    out._backward = _backward\n"
              "    return out\n" + LOG.format(op="+=", derivative="(1 / v.data)"),
         expect="Rule: this exercise asks you not to use torch.special.expit"),
    dict(exercise="1. sigmoid and log for Value",
         code=SIGMOID.format(op="+=") + "def value_log(v):\n    return Value(torch.log(torch.tensor(v.data)).item(), (v,), 'log')\n",
         expect="Rule: this exercise asks you not to use torch.log"),
    # 2. linear_backward: transposed dW, db averaged instead of summed, autograd
    dict(exercise="2. linear_backward", code=LINEAR.format(dX="grad_out @ W.T", dW="grad_out.T @ X", db="grad_out.sum(0)"),
         expect="Rule: dW must have the shape of what it is the gradient of"),
    dict(exercise="2. linear_backward", code=LINEAR.format(dX="grad_out @ W.T", dW="X.T @ grad_out", db="grad_out.mean(0)"),
         expect="not yet"),
    dict(exercise="2. linear_backward", code=LINEAR.format(dX="W @ grad_out.T", dW="X.T @ grad_out", db="grad_out.sum(0)"),
         expect="not yet"),
    dict(exercise="2. linear_backward",
         code="def linear_backward(X, W, b, grad_out):\n"
              "    X, W, b = (t.requires_grad_() for t in (X, W, b))\n"
              "    ((X @ W + b) * grad_out).sum().backward()\n"
              "    return X.grad, W.grad, b.grad\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.backward"),
    # 3. mse_sigmoid_grad: no 1/n, no sigmoid derivative, autograd
    dict(exercise="3. mse_sigmoid_grad",
         code="def mse_sigmoid_grad(z, y):\n    s = torch.sigmoid(z)\n    return 2 * (s - y) * s * (1 - s)\n",
         expect="not yet"),
    dict(exercise="3. mse_sigmoid_grad",
         code="def mse_sigmoid_grad(z, y):\n    return 2 * (torch.sigmoid(z) - y) / z.numel()\n",
         expect="not yet"),
    dict(exercise="3. mse_sigmoid_grad",   # n = len(z): right for a vector, wrong for a (4, 3) batch
         code="def mse_sigmoid_grad(z, y):\n    s = torch.sigmoid(z)\n    return 2 * (s - y) / len(z) * s * (1 - s)\n",
         expect="not yet"),
    dict(exercise="3. mse_sigmoid_grad",
         code="def mse_sigmoid_grad(z, y):\n"
              "    return torch.func.grad(lambda z: ((torch.sigmoid(z) - y) ** 2).mean())(z)\n",
         expect="Rule: this exercise asks you not to use torch.autograd.grad"),
    dict(exercise="3. mse_sigmoid_grad",
         code="def mse_sigmoid_grad(z, y):\n"
              "    z = z.clone().requires_grad_()\n"
              "    return torch.autograd.grad(((torch.sigmoid(z) - y) ** 2).mean(), z)[0]\n",
         expect="Rule: this exercise asks you not to use torch.autograd.grad"),
    # 4. numerical_gradient: forward differences, t left changed, autograd
    dict(exercise="4. gradient check of a 1-D convolution",
         code="def numerical_gradient(f, t, h=1e-6):\n"
              "    grad, flat, base = torch.zeros_like(t), t.view(-1), f().item()\n"
              "    for i in range(flat.numel()):\n"
              "        old = flat[i].item()\n"
              "        flat[i] = old + h\n"
              "        grad.view(-1)[i] = (f().item() - base) / h   # forward difference: one call per entry\n"
              "        flat[i] = old\n"
              "    return grad\n",
         expect="Rule: use central differences"),
    dict(exercise="4. gradient check of a 1-D convolution",   # two calls per entry, but a forward difference
         code=NUMERIC.format(body="        old = flat[i].item()\n"
                                  "        base = f().item()\n"
                                  "        flat[i] = old + h\n"
                                  "        grad.view(-1)[i] = (f().item() - base) / h\n"
                                  "        flat[i] = old\n"),
         expect="not yet"),
    dict(exercise="4. gradient check of a 1-D convolution",
         code=NUMERIC.format(body="        old = flat[i].item()\n"
                                  "        flat[i] = old + h\n"
                                  "        up = f().item()\n"
                                  "        flat[i] = old - h\n"
                                  "        grad.view(-1)[i] = (up - f().item()) / (2 * h)\n"),
         expect="Rule: put every entry back after nudging it"),
    dict(exercise="4. gradient check of a 1-D convolution",
         code="def numerical_gradient(f, t, h=1e-6):\n"
              "    t.requires_grad_()\n"
              "    f().backward()\n"
              "    grad = t.grad.clone()\n"
              "    t.grad = None\n"
              "    t.requires_grad_(False)\n"
              "    return grad\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.backward"),
]
