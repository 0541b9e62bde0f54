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
    dict(exercise="10.1",
         code="def value_sigmoid(v):\n    return 1 / (1 + (-v).exp())\n" + LOG.format(op="+=", derivative="(1 / v.data)"),
         expect="must return ONE new Value made from v"),
    dict(exercise="10.1", code=SIGMOID.format(op="=") + LOG.format(op="+=", derivative="(1 / v.data)"),   # passes single uses, not shared ones
         expect="not yet"),
    dict(exercise="10.1", code=SIGMOID.format(op="+=") + LOG.format(op="=", derivative="(1 / v.data)"),
         expect="not yet"),   # overwriting in log only: passes single uses and sigmoid(x) + log(x), not x * log(x)
    dict(exercise="10.1", code=SIGMOID.format(op="+=") + LOG.format(op="+=", derivative="math.log(v.data)"),
         expect="not yet"),
    dict(exercise="10.1",
         code="def value_sigmoid(v):\n"
              "    out = Value(torch.special.expit(torch.tensor(v.data)).item(), (v,), 'sigmoid')\n"
              "    def _backward():\n"
              "        v.grad += out.data * (1 - out.data) * out.grad\n"
              "    out._backward = _backward\n"
              "    return out\n" + LOG.format(op="+=", derivative="(1 / v.data)"),
         expect="which this exercise does not allow"),
    dict(exercise="10.1",
         code=SIGMOID.format(op="+=") + "def value_log(v):\n    return Value(torch.log(torch.tensor(v.data)).item(), (v,), 'log')\n",
         expect="which this exercise does not allow"),
    # 2. linear_backward: transposed dW, db averaged instead of summed, autograd
    dict(exercise="10.2", code=LINEAR.format(dX="grad_out @ W.T", dW="grad_out.T @ X", db="grad_out.sum(0)"),
         expect="not yet"),
    dict(exercise="10.2", code=LINEAR.format(dX="grad_out @ W.T", dW="X.T @ grad_out", db="grad_out.mean(0)"),
         expect="not yet"),
    dict(exercise="10.2", code=LINEAR.format(dX="W @ grad_out.T", dW="X.T @ grad_out", db="grad_out.sum(0)"),
         expect="not yet"),
    dict(exercise="10.2",
         code="def linear_backward(X, W, b, grad_out):\n"
              "    X, W, b = (t.requires_grad_() for t in (X, W, b))\n"
              "    ((X @ W + b) * grad_out).sum().backward()\n"
              "    return X.grad, W.grad, b.grad\n",
         expect="without autograd"),
    # 3. mse_sigmoid_grad: no 1/n, no sigmoid derivative, autograd
    dict(exercise="10.3",
         code="def mse_sigmoid_grad(z, y):\n    s = torch.sigmoid(z)\n    return 2 * (s - y) * s * (1 - s)\n",
         expect="not yet"),
    dict(exercise="10.3",
         code="def mse_sigmoid_grad(z, y):\n    return 2 * (torch.sigmoid(z) - y) / z.numel()\n",
         expect="not yet"),
    dict(exercise="10.3",   # n = len(z): right for a vector, wrong for a (4, 3) batch
         code="def mse_sigmoid_grad(z, y):\n    s = torch.sigmoid(z)\n    return 2 * (s - y) / len(z) * s * (1 - s)\n",
         expect="not yet"),
    dict(exercise="10.3",
         code="def mse_sigmoid_grad(z, y):\n"
              "    return torch.func.grad(lambda z: ((torch.sigmoid(z) - y) ** 2).mean())(z)\n",
         expect="Rule:"),
    dict(exercise="10.3",
         code="def mse_sigmoid_grad(z, y):\n"
              "    z = z.clone().requires_grad_()\n"
              "    return torch.autograd.grad(((torch.sigmoid(z) - y) ** 2).mean(), z)[0]\n",
         expect="without autograd"),
    # 4. numerical_gradient: forward differences, t left changed, autograd
    dict(exercise="10.4",
         code="def numerical_gradient(f, t, h=1e-6):\n"
              "    grad, flat, base = torch.zeros_like(t), t.view(-1), f().item()\n"
              "    for i in range(flat.numel()):\n"
              "        old = flat[i].item()\n"
              "        flat[i] = old + h\n"
              "        grad.view(-1)[i] = (f().item() - base) / h   # forward difference: one call per entry\n"
              "        flat[i] = old\n"
              "    return grad\n",
         expect="central differences, f() twice per entry"),
    dict(exercise="10.4",   # two calls per entry, but a forward difference
         code=NUMERIC.format(body="        old = flat[i].item()\n"
                                  "        base = f().item()\n"
                                  "        flat[i] = old + h\n"
                                  "        grad.view(-1)[i] = (f().item() - base) / h\n"
                                  "        flat[i] = old\n"),
         expect="not yet"),
    dict(exercise="10.4",
         code=NUMERIC.format(body="        old = flat[i].item()\n"
                                  "        flat[i] = old + h\n"
                                  "        up = f().item()\n"
                                  "        flat[i] = old - h\n"
                                  "        grad.view(-1)[i] = (up - f().item()) / (2 * h)\n"),
         expect="every entry back after nudging it"),
    dict(exercise="10.4",
         code="def numerical_gradient(f, t, h=1e-6):\n"
              "    t.requires_grad_()\n"
              "    f().backward()\n"
              "    grad = t.grad.clone()\n"
              "    t.grad = None\n"
              "    t.requires_grad_(False)\n"
              "    return grad\n",
         expect="without autograd"),
    # forward-mode autograd and vjp (no forbid list named them), NumPy
    dict(exercise="10.2",
         code="def linear_backward(X, W, b, grad_out):\n"
              "    _, pullback = torch.func.vjp(lambda X, W, b: X @ W + b, X, W, b)\n"
              "    return pullback(grad_out)\n",
         expect="without autograd"),
    dict(exercise="10.2",
         code="def linear_backward(X, W, b, grad_out):\n"
              "    J = torch.func.jacfwd(lambda W: X @ W + b)(W)              # (N, M, D, M)\n"
              "    dW = (J * grad_out[:, :, None, None]).sum(dim=(0, 1))\n"
              "    return grad_out @ W.T, dW, grad_out.sum(0)\n",
         expect="without autograd"),
    dict(exercise="10.2",
         code="def linear_backward(X, W, b, grad_out):\n"
              "    J = torch.autograd.functional.jacobian(lambda W: X @ W + b, W, strategy='forward-mode', vectorize=True)\n"
              "    return grad_out @ W.T, (J * grad_out[:, :, None, None]).sum(dim=(0, 1)), grad_out.sum(0)\n",
         expect="without autograd"),
    dict(exercise="10.2",
         code="def linear_backward(X, W, b, grad_out):\n"
              "    return grad_out @ W.T, torch.from_numpy(X.numpy().T @ grad_out.numpy()), grad_out.sum(0)\n",
         expect="NumPy|switches off"),
    dict(exercise="10.2", code=LINEAR.format(dX="grad_out @ W.T", dW="X.T @ grad_out", db="grad_out.sum()"),
         expect="must have the shape of what it is the gradient of"),
    dict(exercise="10.3",
         code="def mse_sigmoid_grad(z, y):\n"
              "    return torch.func.jacfwd(lambda z: ((torch.sigmoid(z) - y) ** 2).mean())(z)\n",
         expect="without autograd"),
    dict(exercise="10.3",
         code="def mse_sigmoid_grad(z, y):\n"
              "    f = lambda z: ((torch.sigmoid(z) - y) ** 2).mean()\n"
              "    return torch.autograd.functional.jacobian(f, z, strategy='forward-mode', vectorize=True)\n",
         expect="without autograd"),
    dict(exercise="10.3",                                 # autograd's own derivative formula, called directly
         code="def mse_sigmoid_grad(z, y):\n"
              "    s = torch.sigmoid(z)\n"
              "    return torch.ops.aten.sigmoid_backward(2 * (s - y) / z.numel(), s)\n",
         expect="without autograd"),
    dict(exercise="10.3",                                 # n = the last dimension: right only for a vector
         code="def mse_sigmoid_grad(z, y):\n    s = torch.sigmoid(z)\n    return 2 * (s - y) / z.shape[-1] * s * (1 - s)\n",
         expect="n is the number of entries"),
    dict(exercise="10.1",                                 # torch inside _backward: it runs under the rule too
         code="def value_sigmoid(v):\n"
              "    out = Value(1 / (1 + math.exp(-v.data)), (v,), 'sigmoid')\n"
              "    def _backward():\n"
              "        s = torch.sigmoid(torch.tensor(v.data)).item()\n"
              "        v.grad += s * (1 - s) * out.grad\n"
              "    out._backward = _backward\n"
              "    return out\n" + LOG.format(op="+=", derivative="(1 / v.data)"),
         expect="which this exercise does not allow"),
    dict(exercise="10.1",                                 # the local derivative without out.grad
         code=SIGMOID.replace(" * out.grad", "").format(op="+=") + LOG.format(op="+=", derivative="(1 / v.data)"),
         expect="add the local derivative times out.grad"),
    dict(exercise="10.4",                                 # the chapter's numerical_gradients
         code="def numerical_gradients(loss_fn, params, h=1e-6):\n"
              "    grads = []\n"
              "    for p in params:\n"
              "        grad, flat = torch.zeros_like(p), p.view(-1)\n"
              "        for i in range(flat.numel()):\n"
              "            old = flat[i].item()\n"
              "            flat[i] = old + h\n"
              "            up = loss_fn().item()\n"
              "            flat[i] = old - h\n"
              "            down = loss_fn().item()\n"
              "            flat[i] = old\n"
              "            grad.view(-1)[i] = (up - down) / (2 * h)\n"
              "        grads.append(grad)\n"
              "    return grads\n\n\n"
              "def numerical_gradient(f, t, h=1e-6):\n    return numerical_gradients(f, [t], h)[0]\n",
         expect="called numerical_gradients"),
    dict(exercise="10.4",                                 # h ignored
         code=NUMERIC.format(body="        old = flat[i].item()\n"
                                  "        flat[i] = old + 1e-6\n"
                                  "        up = f().item()\n"
                                  "        flat[i] = old - 1e-6\n"
                                  "        down = f().item()\n"
                                  "        flat[i] = old\n"
                                  "        grad.view(-1)[i] = (up - down) / 2e-6\n"),
         expect="the h you are given"),
    dict(exercise="10.4",                                 # SciPy's finite differences
         code="from scipy.optimize import approx_fprime\n\n\n"
              "def numerical_gradient(f, t, h=1e-6):\n"
              "    a = t.numpy()\n"
              "    def at(v):\n"
              "        a[:] = v.reshape(a.shape)\n"
              "        return f().item()\n"
              "    start = a.copy()\n"
              "    g = approx_fprime(start.ravel(), at, h)\n"
              "    a[:] = start\n"
              "    return torch.from_numpy(g.reshape(a.shape))\n",
         expect="NumPy|switches off"),
]
WRONG += [
    # 2. db summed over the wrong axis (right shape only when N == M)
    dict(exercise="10.2", code=LINEAR.format(dX="grad_out @ W.T", dW="X.T @ grad_out", db="grad_out.sum(1)"),
         expect="not yet"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='10.2', code='def linear_backward(X, W, b, grad_out):\n    _, f = torch.func.vjp(lambda X, W, b: X @ W + b, X, W, b)\n    return f(grad_out)\n',
         expect='This exercise computes the gradient without'),
    dict(exercise='10.2', code='def linear_backward(X, W, b, grad_out): return grad_out @ W.T, X.T @ grad_out, grad_out.mean(0)\n',
         expect='Your code ran the operation'),
    dict(exercise='10.2', code='def linear_backward(X, W, b, grad_out): return grad_out @ W.T, X.T @ grad_out, grad_out.sum(1)[:W.shape[1]]\n',
         expect='db is wrong for|db must have the shape'),
    dict(exercise='10.3', code='def mse_sigmoid_grad(z, y): return (torch.sigmoid(z) - y) / z.numel()\n',
         expect='dL/dz is wrong for z of shape'),
    dict(exercise='10.3', code='def mse_sigmoid_grad(z, y):\n    s = torch.sigmoid(z)\n    return 2 * (s - y) * s * (1 - s) / len(z)\n',
         expect='dL/dz is wrong for z of shape'),
    dict(exercise='10.3', code='def mse_sigmoid_grad(z, y):\n    s = torch.sigmoid(z)\n    return torch.ops.aten.sigmoid_backward(2 * (s - y) / z.numel(), s)\n',
         expect='This exercise computes the gradient without'),
    dict(exercise='10.3', code='def mse_sigmoid_grad(z, y):\n    h = 1e-30\n    zc = z.to(torch.complex128) + h * 1j\n    return ((1 / (1 + torch.exp(-zc)) - y) ** 2).imag / h / z.numel()\n',
         expect='Your code ran the operation'),
    dict(exercise='10.4', code='def numerical_gradient(f, t, h=1e-6):\n    g = torch.zeros_like(t); flat = t.reshape(-1)\n    for i in range(flat.numel()):\n        old = flat[i].item()\n        flat[i] = old + h; up = f().item()\n        flat[i] = old - h; down = f().item()\n        flat[i] = old\n        g.view(-1)[i] = (up - down) / (2 * h)\n    return g\n',
         expect='t can be a non-contiguous tensor (here a'),
    dict(exercise='10.4', code='def numerical_gradient(f, t, h=1e-6):\n    g = torch.zeros_like(t); flat = t.view(-1); base = f().item()\n    for i in range(flat.numel()):\n        old = flat[i].item()\n        flat[i] = old + h; up = f().item()\n        flat[i] = old\n        g.view(-1)[i] = (up - base) / h\n    return g\n',
         expect='Use central differences, f() twice per entry:'),
    dict(exercise='10.4', code='def numerical_gradient(f, t, h=1e-6):\n    g = torch.zeros_like(t); flat = t.view(-1)\n    for i in range(flat.numel()):\n        flat[i] += h; up = f().item()\n        flat[i] -= 2 * h; down = f().item()\n        flat[i] += h\n        g.view(-1)[i] = (up - down) / (2 * h)\n    return g\n',
         expect='Put every entry back after nudging it: t must'),
    dict(exercise='10.4', code='def numerical_gradient(f, t, h=1e-6):\n    g = torch.zeros(t.shape); flat = t.view(-1)\n    for i in range(flat.numel()):\n        old = flat[i].item()\n        flat[i] = old + h; up = f().item()\n        flat[i] = old - h; down = f().item()\n        flat[i] = old\n        g.view(-1)[i] = (up - down) / (2 * h)\n    return g\n',
         expect='not yet'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
WRONG += [
    dict(exercise='10.3',  # A: exp(-z) * s * s is inf * 0 for very negative z
         code='def mse_sigmoid_grad(z, y):\n    s = 1 / (1 + torch.exp(-z))\n    return 2 * (s - y) * torch.exp(-z) * s * s / z.numel()\n',
         expect='stay finite'),
    dict(exercise='10.3',  # A: e / (1 + e)^2 is inf / inf for large z
         code='def mse_sigmoid_grad(z, y):\n    s, e = torch.sigmoid(z), torch.exp(z)\n    return 2 * (s - y) * e / (1 + e) ** 2 / z.numel()\n',
         expect='stay finite'),
    dict(exercise='10.1',  # A: the sigmoid node read from a function attribute: the last node made
         code='def value_sigmoid(v):\n    out = Value(1 / (1 + math.exp(-v.data)), (v,), "sigmoid")\n    value_sigmoid.last = (v, out)\n    def _backward():\n        a, o = value_sigmoid.last\n        a.grad += o.data * (1 - o.data) * o.grad\n    out._backward = _backward\n    return out\ndef value_log(v):\n    out = Value(math.log(v.data), (v,), "log")\n    def _backward():\n        v.grad += out.grad / v.data\n    out._backward = _backward\n    return out\n',
         expect='its own input'),
    dict(exercise='10.1',  # A: the log node read from a global list: the last node made
         code='_nodes = []\ndef value_sigmoid(v):\n    out = Value(1 / (1 + math.exp(-v.data)), (v,), "sigmoid")\n    def _backward():\n        out_ = out\n        v.grad += out_.data * (1 - out_.data) * out_.grad\n    out._backward = _backward\n    return out\ndef value_log(v):\n    out = Value(math.log(v.data), (v,), "log")\n    _nodes.append((v, out))\n    def _backward():\n        a, o = _nodes[-1]\n        a.grad += o.grad / a.data\n    out._backward = _backward\n    return out\n',
         expect='its own input'),
    dict(exercise='10.3',  # msg: torch.func.grad named as autograd
         code='def mse_sigmoid_grad(z, y):\n    return torch.func.grad(lambda z: ((torch.sigmoid(z) - y) ** 2).mean())(z)\n',
         expect='torch.func took a derivative'),
    dict(exercise='10.3',  # msg: torch.func.vjp named as autograd
         code='def mse_sigmoid_grad(z, y):\n    _, pull = torch.func.vjp(lambda z: ((torch.sigmoid(z) - y) ** 2).mean(), z)\n    return pull(torch.ones((), dtype=z.dtype))[0]\n',
         expect='torch.func took a derivative'),
]

# issue-22 review 2: the reviewer's own cases (/work/notes/review22_v2.md), kept as regression rows
WRONG += [
    dict(exercise='10.3',  # review 2: exp overflow formula
         code='def mse_sigmoid_grad(z, y):\n    e = torch.exp(-z)\n    s = 1 / (1 + e)\n    return 2 * (s - y) * e / (1 + e) ** 2 / z.numel()\n',
         expect='stay finite'),
    dict(exercise='10.1',  # review 2: _backward bound late to last call (global)
         code='_last = {}\ndef value_sigmoid(v):\n    out = Value(1 / (1 + math.exp(-v.data)), (v,), "sigmoid")\n    _last["s"] = (v, out)\n    def _backward():\n        vv, oo = _last["s"]\n        vv.grad += oo.data * (1 - oo.data) * oo.grad\n    out._backward = _backward\n    return out\ndef value_log(v):\n    out = Value(math.log(v.data), (v,), "log")\n    def _backward():\n        v.grad += out.grad / v.data\n    out._backward = _backward\n    return out\n',
         expect='its own input'),
]
