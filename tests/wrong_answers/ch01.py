"""Wrong ways to solve chapter 01's exercises; each must fail its check, naming the rule or the failing case."""

WRONG = [
    # 01.1 derivative_at: autograd's gradient
    dict(exercise="01.1",
         code="def derivative_at(fn, x0, h=1e-6):\n"
              "    x = torch.tensor(float(x0), dtype=torch.float64)\n"
              "    return ((fn(x + h) - fn(x - h)) / (2 * h)).item()\n",              # a finite difference
         expect="not what backward() reports"),
    dict(exercise="01.1",
         code="def derivative_at(fn, x0):\n"
              "    x = torch.tensor(float(x0), requires_grad=True)\n"
              "    fn(x).backward()\n    return x.grad\n",                               # a tensor, not a float
         expect="Python float"),
    dict(exercise="01.1",                                                            # forward mode
         code="def derivative_at(fn, x0):\n"
              "    x = torch.tensor(float(x0))\n"
              "    return torch.func.jvp(fn, (x,), (torch.ones(()),))[1].item()\n",
         expect="not yet"),
    dict(exercise="01.1",                                                            # dual numbers by hand
         code="import torch.autograd.forward_ad as fwAD\n"
              "def derivative_at(fn, x0):\n"
              "    with fwAD.dual_level():\n"
              "        x = fwAD.make_dual(torch.tensor(float(x0)), torch.ones(()))\n"
              "        return fwAD.unpack_dual(fn(x)).tangent.item()\n",
         expect="not yet"),
    dict(exercise="01.1",                                                            # a dummy backward, then a formula
         code="def derivative_at(fn, x0, h=1e-5):\n"
              "    z = torch.tensor(1.0, requires_grad=True)\n    (z * 2).backward()\n"
              "    x = torch.tensor(float(x0), dtype=torch.float64)\n"
              "    return ((fn(x + h) - fn(x - h)) / (2 * h)).item()\n",
         expect="not what backward() reports"),
    # 01.2 central_difference: no autograd, float64, the h given
    dict(exercise="01.2",
         code="def central_difference(fn, x0, h=1e-6):\n"
              "    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)\n"
              "    fn(x).backward()\n    return x.grad.item()\n",
         expect="without autograd"),
    dict(exercise="01.2",
         code="def central_difference(fn, x0, h=1e-6):\n"
              "    x = torch.tensor(float(x0))\n"                                       # float32
              "    return ((fn(x + h) - fn(x - h)) / (2 * h)).item()\n",
         expect="float64 central difference"),
    dict(exercise="01.2",
         code="def central_difference(fn, x0, h=1e-6):\n"
              "    x = torch.tensor(float(x0), dtype=torch.float64)\n"
              "    return ((fn(x + 1e-6) - fn(x - 1e-6)) / 2e-6).item()\n",            # ignores h
         expect="float64 central difference"),
    dict(exercise="01.2",
         code="def central_difference(fn, x0, h=1e-6):\n"
              "    x = torch.tensor(float(x0), dtype=torch.float64)\n"
              "    return ((fn(x + h) - fn(x)) / h).item()\n",                          # one-sided
         expect="float64 central difference"),
    dict(exercise="01.2",
         code="def central_difference(fn, x0, h=1e-6):\n"
              "    x = torch.tensor(float(x0), dtype=torch.float64)\n"
              "    return torch.func.jvp(fn, (x,), (torch.ones((), dtype=torch.float64),))[1].item()\n",
         expect="forward-mode autograd"),
    # 01.3 sigmoid_neuron_grads: the chain rule by hand, no autograd
    dict(exercise="01.3",
         code="def sigmoid_neuron_grads(w, b, x, y):\n"
              "    w, b = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)\n"
              "    ((torch.sigmoid(w * x + b) - y) ** 2).backward()\n"
              "    return w.grad.item(), b.grad.item()\n",
         expect="without autograd"),
    dict(exercise="01.3",
         code="def sigmoid_neuron_grads(w, b, x, y):\n"
              "    a = 1 / (1 + math.exp(-(w * x + b)))\n"
              "    return 2 * (a - y) * x, 2 * (a - y)\n",                              # forgot sigma'
         expect="autograd gives"),
    dict(exercise="01.3",                                                            # finite differences
         code="def sigmoid_neuron_grads(w, b, x, y, h=1e-6):\n"
              "    L = lambda w, b: (1 / (1 + math.exp(-(w * x + b))) - y) ** 2\n"
              "    return (L(w + h, b) - L(w - h, b)) / (2 * h), (L(w, b + h) - L(w, b - h)) / (2 * h)\n",
         expect="chain rule is exact"),
    dict(exercise="01.3",                                                            # forward mode
         code="def sigmoid_neuron_grads(w, b, x, y):\n"
              "    loss = lambda w, b: (torch.sigmoid(w * x + b) - y) ** 2\n"
              "    w, b = torch.tensor(w, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)\n"
              "    dw = torch.func.jvp(lambda w: loss(w, b), (w,), (torch.ones_like(w),))[1]\n"
              "    db = torch.func.jvp(lambda b: loss(w, b), (b,), (torch.ones_like(b),))[1]\n"
              "    return dw.item(), db.item()\n",
         expect="forward-mode autograd"),
    dict(exercise="01.3",                                                            # torch.func.grad
         code="def sigmoid_neuron_grads(w, b, x, y):\n"
              "    loss = lambda w, b: (torch.sigmoid(w * x + b) - y) ** 2\n"
              "    g = torch.func.grad(loss, argnums=(0, 1))(torch.tensor(w, dtype=torch.float64),\n"
              "                                              torch.tensor(b, dtype=torch.float64))\n"
              "    return g[0].item(), g[1].item()\n",
         expect="without autograd"),
    dict(exercise="01.3",                                                            # a grad_fn called directly
         code="def sigmoid_neuron_grads(w, b, x, y):\n"
              "    u = torch.tensor(w * x + b, dtype=torch.float64, requires_grad=True)\n"
              "    a = torch.sigmoid(u)\n"
              "    da_du = a.grad_fn(torch.ones_like(a)).item()\n"
              "    dL_du = 2 * (a.item() - y) * da_du\n"
              "    return dL_du * x, dL_du\n",
         expect="without autograd"),
    # 01.4 chunked_gradient: one backward per chunk, reset first
    dict(exercise="01.4",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    w.grad = None\n    ((X @ w - y) ** 2).sum().backward()\n    return w.grad.clone()\n",   # no chunks
         expect="once per chunk"),
    dict(exercise="01.4",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    return (2 * X.T @ (X @ w - y)).detach()\n",                          # by formula
         expect="once per chunk"),
    dict(exercise="01.4",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    for X_c, y_c in zip(X.chunk(num_chunks), y.chunk(num_chunks)):\n"
              "        ((X_c @ w - y_c) ** 2).sum().backward()\n"
              "    return w.grad.clone()\n",                                            # never resets
         expect="w.grad first"),
    dict(exercise="01.4",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    w.grad = None\n"
              "    for X_c, y_c in zip(X.split(num_chunks), y.split(num_chunks)):\n"     # a chunk size, not a count
              "        ((X_c @ w - y_c) ** 2).sum().backward()\n"
              "    return w.grad.clone()\n",
         expect="once per chunk"),
    dict(exercise="01.4",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    w.grad = None\n"
              "    for X_c, y_c in zip(X.chunk(num_chunks), y.chunk(num_chunks)):\n"
              "        ((X_c @ w - y_c) ** 2).sum().backward()\n"
              "    return w.grad\n",                                                   # not a copy
         expect="not w.grad itself"),
    dict(exercise="01.4",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    w.grad = None\n"
              "    for X_c, y_c in zip(X.chunk(3), y.chunk(3)):\n"                       # 3 hard-coded
              "        ((X_c @ w - y_c) ** 2).sum().backward()\n"
              "    return w.grad.clone()\n",
         expect="once per chunk"),
    dict(exercise="01.4",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    w.grad = None\n"
              "    for X_c, y_c in zip(X.chunk(num_chunks), y.chunk(num_chunks)):\n"
              "        ((X_c @ w - y_c) ** 2).mean().backward()\n"                       # mean, not sum
              "    return w.grad.clone()\n",
         expect="running sums"),
    # 01.5 fit_line: gradient descent with autograd
    dict(exercise="01.5",
         code="def fit_line(X, y, lr=0.5, num_steps=100):\n"
              "    A = torch.cat([X, torch.ones_like(X)], dim=1)\n"
              "    w, b = torch.linalg.lstsq(A, y).solution.flatten().tolist()\n"
              "    return w, b\n",                                                      # closed form
         expect="with autograd"),
    dict(exercise="01.5",
         code="def fit_line(X, y, lr=0.5, num_steps=100):\n"
              "    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n"
              "    for _ in range(num_steps):\n"
              "        ((X * w + b - y) ** 2).mean().backward()\n"
              "        with torch.no_grad():\n"
              "            w -= lr * w.grad\n            b -= lr * b.grad\n"
              "    return w.item(), b.item()\n",                                        # never zeroes the grads
         expect="gradients reset every step"),
    dict(exercise="01.5",
         code="def fit_line(X, y, lr=0.5, num_steps=100):\n    return -3.0, 0.5\n",        # the old check's line
         expect="with autograd"),
    dict(exercise="01.5",
         code="def fit_line(X, y, lr=0.5, num_steps=100):\n"
              "    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n"
              "    for _ in range(100):\n"                                              # num_steps ignored
              "        ((X * w + b - y) ** 2).mean().backward()\n"
              "        with torch.no_grad():\n"
              "            w -= lr * w.grad\n            b -= lr * b.grad\n"
              "        w.grad.zero_()\n        b.grad.zero_()\n"
              "    return w.item(), b.item()\n",
         expect="gradients reset every step"),
    dict(exercise="01.5",
         code="def fit_line(X, y, lr=0.5, num_steps=100):\n"
              "    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n"
              "    optimizer = torch.optim.Adam([w, b], lr=lr)\n"                        # another optimizer
              "    for _ in range(num_steps):\n"
              "        optimizer.zero_grad()\n        ((X * w + b - y) ** 2).mean().backward()\n        optimizer.step()\n"
              "    return w.item(), b.item()\n",
         expect="torch.optim"),
    dict(exercise="01.5",                                                            # by-hand gradients, dummy backward
         code="def fit_line(X, y, lr=0.5, num_steps=100):\n"
              "    w, b = torch.zeros(1), torch.zeros(1)\n"
              "    for _ in range(num_steps):\n"
              "        err = X * w + b - y\n"
              "        w, b = w - lr * 2 * (err * X).mean(), b - lr * 2 * err.mean()\n"
              "    return w.item(), b.item()\n",
         expect="with autograd"),
]

WRONG += [
    dict(exercise="01.3",                                                            # symbolic differentiation
         code="import sympy\n"
              "def sigmoid_neuron_grads(w, b, x, y):\n"
              "    W, B = sympy.symbols('W B')\n"
              "    L = (1 / (1 + sympy.exp(-(W * x + B))) - y) ** 2\n"
              "    return float(sympy.diff(L, W).subs({W: w, B: b})), float(sympy.diff(L, B).subs({W: w, B: b}))\n",
         expect="switches off"),
    dict(exercise="01.5",                                                            # dlstudy's own training loop
         code="from dlstudy.train import fit\n"
              "def fit_line(X, y, lr=0.5, num_steps=100):\n"
              "    model = torch.nn.Linear(1, 1)\n"
              "    with torch.no_grad():\n        model.weight.zero_()\n        model.bias.zero_()\n"
              "    fit(model, (X, y), torch.nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=lr), num_steps, progress=False)\n"
              "    return model.weight.item(), model.bias.item()\n",
         expect="switches off"),
]

WRONG += [
    dict(exercise="01.3",                                # the check's own reference (the old check cell's helper)
         code="from dlstudy.exercises import ch01\n"
              "def sigmoid_neuron_grads(w, b, x, y):\n    return ch01.sigmoid_neuron_grads(w, b, x, y)\n",
         expect="reference solution"),
    # issue-22 review: classes fixed in the framework (inputs kept, dtype kept, fixed inputs, method)
    dict(exercise="01.1", code="def derivative_at(fn, x0):\n    x = torch.tensor(x0, requires_grad=True)\n    fn(x).backward()\n    return x.grad.item()\n", expect="floating point"),
    dict(exercise="01.3", code="import cmath\ndef sigmoid_neuron_grads(w, b, x, y):\n    L = lambda w, b: (1 / (1 + cmath.exp(-(w * x + b))) - y) ** 2\n    h = 1e-30\n    return (L(complex(w, h), b).imag / h, L(w, complex(b, h)).imag / h)\n", expect="complex"),
    dict(exercise="01.3", code="import cmath\ndef sigmoid_neuron_grads(w, b, x, y):\n    L = lambda w, b: (1 / (1 + cmath.exp(-(w * x + b))) - y) ** 2\n    return (L(w + 1e-30j, b).imag / 1e-30, L(w, b + 1e-30j).imag / 1e-30)\n", expect="complex"),
    dict(exercise="01.4", code="def chunked_gradient(w, X, y, num_chunks):\n    w.grad.zero_()\n    for Xc, yc in zip(X.chunk(num_chunks), y.chunk(num_chunks)):\n        ((Xc @ w - yc) ** 2).sum().backward()\n    return w.grad.clone()\n", expect="NoneType"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='01.1', code='def derivative_at(fn, x0):\n    x = torch.tensor(float(x0), dtype=torch.float64)\n    return ((fn(x + 1e-6) - fn(x - 1e-6)) / 2e-6).item()\n',
         expect='Use autograd: for fn(t)'),
    dict(exercise='01.1', code='def derivative_at(fn, x0):\n    x = torch.tensor(float(x0), requires_grad=True)\n    fn(x).backward()\n    return x.grad\n',
         expect='Return a Python float (.item()); for fn(t)'),
    dict(exercise='01.1', code='def derivative_at(fn, x0):\n    x = torch.tensor(x0, requires_grad=True)\n    fn(x).backward()\n    return x.grad.item()\n',
         expect='Your code raised RuntimeError: Only Tensors of'),
    dict(exercise='01.2', code='def central_difference(fn, x0, h=1e-6):\n    x = torch.tensor(float(x0), dtype=torch.float64)\n    return ((fn(x + h) - fn(x)) / h).item()\n',
         expect='not yet'),
    dict(exercise='01.2', code='def central_difference(fn, x0, h=1e-6):\n    x = torch.tensor(float(x0))\n    return ((fn(x + h) - fn(x - h)) / (2 * h)).item()\n',
         expect='not yet'),
    dict(exercise='01.2', code='def central_difference(fn, x0, h=1e-6):\n    x = torch.tensor(float(x0), dtype=torch.float64)\n    return ((fn(x + 1e-6) - fn(x - 1e-6)) / 2e-6).item()\n',
         expect='not yet'),
    dict(exercise='01.2', code='def central_difference(fn, x0, h=1e-6): return torch.autograd.functional.jacobian(fn, torch.tensor(float(x0), dtype=torch.float64)).item()\n',
         expect='This exercise computes the gradient without'),
    dict(exercise='01.2', code='def central_difference(fn, x0, h=1e-6): return torch.func.vjp(fn, torch.tensor(float(x0), dtype=torch.float64))[1](torch.tensor(1.0, dtype=torch.float64))[0].item()\n',
         expect='This exercise computes the gradient without'),
    dict(exercise='01.3', code='import math\ndef sigmoid_neuron_grads(w, b, x, y):\n    h = 1e-30\n    def L(w, b):\n        return (1 / (1 + math.e ** (-(w * x + b))) - y) ** 2\n    return L(complex(float(w), h), float(b)).imag / h, L(float(w), complex(float(b), h)).imag / h\n',
         expect='Your code computed with complex numbers (apply'),
    dict(exercise='01.3', code='import math\ndef sigmoid_neuron_grads(w, b, x, y):\n    h = 1e-30\n    L = lambda w, b: (1 / (1 + math.e ** (-(w * x + b))) - y) ** 2\n    return L(float(w) + h * 1j, float(b)).imag / h, L(float(w), float(b) + h * 1j).imag / h\n',
         expect='Your code computed with complex numbers (apply'),
    dict(exercise='01.3', code='import cmath\ndef sigmoid_neuron_grads(w, b, x, y):\n    h = 1e-30\n    L = lambda w, b: (1 / (1 + cmath.exp(-(w * x + b))) - y) ** 2\n    return L(float(w) + h * 1j, float(b)).imag / h, L(float(w), float(b) + h * 1j).imag / h\n',
         expect='Your code computed with complex numbers (apply'),
    dict(exercise='01.3', code='def sigmoid_neuron_grads(w, b, x, y):\n    h = 1e-30\n    L = lambda w, b: (torch.sigmoid(w * x + b) - y) ** 2\n    W = torch.tensor(float(w), dtype=torch.complex128)\n    return (L(W + h * 1j, float(b)).imag / h).item(), (L(float(w), torch.tensor(float(b), dtype=torch.complex128) + h * 1j).imag / h).item()\n',
         expect='Your code computed with complex numbers (apply'),
    dict(exercise='01.3', code='import math\ndef sigmoid_neuron_grads(w, b, x, y):\n    s = 1 / (1 + math.exp(-(w * x + b)))\n    g = (s - y) * s * (1 - s)\n    return g * x, g\n',
         expect='not yet'),
    dict(exercise='01.3', code='def sigmoid_neuron_grads(w, b, x, y):\n    f = lambda p: (torch.sigmoid(p[0] * x + p[1]) - y) ** 2\n    g = torch.func.grad(f)(torch.tensor([float(w), float(b)], dtype=torch.float64))\n    return g[0].item(), g[1].item()\n',
         expect='This exercise computes the gradient without'),
    dict(exercise='01.4', code='def chunked_gradient(w, X, y, num_chunks):\n    w.grad = None\n    for Xc, yc in zip(X.tensor_split(num_chunks), y.tensor_split(num_chunks)):\n        ((Xc @ w - yc) ** 2).sum().backward()\n    return w.grad.clone()\n',
         expect='Call backward() once per chunk, on a loss of w:'),
    dict(exercise='01.4', code='def chunked_gradient(w, X, y, num_chunks):\n    w.grad = None\n    ((X @ w - y) ** 2).sum().backward()\n    return w.grad.clone()\n',
         expect='Call backward() once per chunk, on a loss of w:'),
    dict(exercise='01.4', code='def chunked_gradient(w, X, y, num_chunks):\n    w.grad = None\n    for Xc, yc in zip(X.chunk(num_chunks), y.chunk(num_chunks)):\n        ((Xc @ w - yc) ** 2).mean().backward()\n    return w.grad.clone()\n',
         expect='Reset w.grad first, then let each chunk of'),
    dict(exercise='01.4', code='def chunked_gradient(w, X, y, num_chunks):\n    w.grad = None\n    for Xc, yc in zip(X.chunk(num_chunks), y.chunk(num_chunks)):\n        (w.sum() * 0).backward()\n    return 2 * X.T @ (X @ w.detach() - y)\n',
         expect='Reset w.grad first, then let each chunk of'),
    dict(exercise='01.5', code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True); b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        ((X * w + b - y) ** 2).mean().backward()\n        with torch.no_grad():\n            w -= lr * w.grad; b -= lr * b.grad\n    return w.item(), b.item()\n',
         expect='For X of shape'),
    dict(exercise='01.5', code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True); b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps + 1):\n        ((X * w + b - y) ** 2).mean().backward()\n        with torch.no_grad():\n            w -= lr * w.grad; b -= lr * b.grad\n        w.grad = None; b.grad = None\n    return w.item(), b.item()\n',
         expect='For X of shape'),
    dict(exercise='01.5', code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True); b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        ((X * w + b - y) ** 2).sum().backward()\n        with torch.no_grad():\n            w -= lr * w.grad; b -= lr * b.grad\n        w.grad = None; b.grad = None\n    return w.item(), b.item()\n',
         expect='For X of shape'),
    dict(exercise='01.5', code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = b = 0.0\n    t = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        (t * 1).sum().backward()\n        e = X[:, 0] * w + b - y[:, 0]\n        w, b = w - lr * (2 * (e * X[:, 0]).mean()).item(), b - lr * (2 * e.mean()).item()\n    return float(w), float(b)\n',
         expect='Train by gradient descent with autograd: your w'),
    dict(exercise='01.5', code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True); b = torch.zeros(1, requires_grad=True)\n    opt = torch.optim.Adam([w, b], lr=lr)\n    for _ in range(num_steps):\n        opt.zero_grad(); ((X * w + b - y) ** 2).mean().backward(); opt.step()\n    return w.item(), b.item()\n',
         expect='torch.optim'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
WRONG += [
    dict(exercise='01.5',  # B: tensors, not floats
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        ((X * w + b - y) ** 2).mean().backward()\n        with torch.no_grad():\n            w -= lr * w.grad\n            b -= lr * b.grad\n        w.grad.zero_(); b.grad.zero_()\n    return w.detach(), b.detach()\n',
         expect='Python float'),
    dict(exercise='01.5',  # C: .data updates, no no_grad
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        ((X * w + b - y) ** 2).mean().backward()\n        w.data.sub_(lr * w.grad)\n        b.data.sub_(lr * b.grad)\n        w.grad = None; b.grad = None\n    return w.item(), b.item()\n',
         expect='tensor.data'),
    dict(exercise='01.5',  # C: .data assigned
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        ((X * w + b - y) ** 2).mean().backward()\n        w.data = w.data - lr * w.grad.data\n        b.data = b.data - lr * b.grad.data\n        w.grad.zero_(); b.grad.zero_()\n    return w.item(), b.item()\n',
         expect='tensor.data'),
    dict(exercise='01.5',  # C: an optimizer under another name
         code='from torch import optim\ndef fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    opt = optim.SGD([w, b], lr)\n    for _ in range(num_steps):\n        opt.zero_grad()\n        torch.nn.functional.mse_loss(X * w + b, y).backward()\n        opt.step()\n    return w.item(), b.item()\n',
         expect='torch.optim'),
    dict(exercise='01.5',  # D: a backward on a dummy tensor, formula updates
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w, b = torch.zeros(1), torch.zeros(1)\n    for _ in range(num_steps):\n        torch.ones(1, requires_grad=True).sum().backward()\n        r = X * w + b - y\n        w = w - lr * 2 * (r * X).mean()\n        b = b - lr * 2 * r.mean()\n    return w.item(), b.item()\n',
         expect='backward() stored|computed from the gradients backward() produced'),
    dict(exercise='01.5',  # D: backward's gradient overwritten by a formula
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        loss = ((X * w + b - y) ** 2).mean()\n        loss.backward()\n        with torch.no_grad():\n            r = X * w + b - y\n            w.grad = 2 * (r * X).mean().reshape(1)\n            b.grad = 2 * r.mean().reshape(1)\n            w -= lr * w.grad\n            b -= lr * b.grad\n        w.grad = None; b.grad = None\n    return w.item(), b.item()\n',
         expect='backward() stored|computed from the gradients backward() produced'),
    dict(exercise='01.5',  # D: backward after the update, its gradient thrown away
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        with torch.no_grad():\n            r = X * w + b - y\n            w -= lr * 2 * (r * X).mean()\n            b -= lr * 2 * r.mean()\n        ((X * w + b - y) ** 2).mean().backward()\n        w.grad.zero_(); b.grad.zero_()\n    return w.item(), b.item()\n',
         expect='backward() stored|computed from the gradients backward() produced'),
    dict(exercise='01.5',  # D: backward on a detached copy of the loss
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        loss = ((X * w + b - y) ** 2).mean()\n        loss.detach().requires_grad_().backward()\n        with torch.no_grad():\n            r = X * w + b - y\n            w -= lr * (2 * r * X).mean()\n            b -= lr * (2 * r).mean()\n    return w.item(), b.item()\n',
         expect='backward() stored|computed from the gradients backward() produced'),
    dict(exercise='01.5',  # D: backward called, gradient recomputed by hand
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        loss = ((X * w + b - y) ** 2).mean()\n        loss.backward()\n        with torch.no_grad():\n            g = torch.cat([(2 * (X * w + b - y) * X).mean().reshape(1), (2 * (X * w + b - y)).mean().reshape(1)])\n            w -= lr * g[:1]\n            b -= lr * g[1:]\n        w.grad = None; b.grad = None\n    return w.item(), b.item()\n',
         expect='backward() stored|computed from the gradients backward() produced'),
    dict(exercise='01.1',  # msg: jacfwd names forward mode, not an internal error
         code='def derivative_at(fn, x0):\n    return torch.func.jacfwd(fn)(torch.tensor(float(x0))).item()\n',
         expect='forward-mode autograd'),
    dict(exercise='01.1',  # msg: jacobian forward-mode
         code='def derivative_at(fn, x0):\n    x = torch.tensor(float(x0))\n    return torch.autograd.functional.jacobian(fn, x, strategy="forward-mode", vectorize=True).item()\n',
         expect='forward-mode autograd'),
]

# issue-22 review 2: the reviewer's own cases (/work/notes/review22_v2.md), kept as regression rows
WRONG += [
    dict(exercise='01.5',  # review 2: .data updates (no no_grad)
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        ((X * w + b - y) ** 2).mean().backward()\n        w.data -= lr * w.grad\n        b.data -= lr * b.grad\n        w.grad.zero_(); b.grad.zero_()\n    return w.item(), b.item()\n',
         expect='tensor.data'),
    dict(exercise='01.5',  # review 2: torch.optim.SGD (not by hand)
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    opt = torch.optim.SGD([w, b], lr=lr)\n    for _ in range(num_steps):\n        opt.zero_grad()\n        ((X * w + b - y) ** 2).mean().backward()\n        opt.step()\n    return w.item(), b.item()\n',
         expect='torch.optim'),
    dict(exercise='01.5',  # review 2: dummy backward + closed-form updates
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        loss = ((X * w + b - y) ** 2).mean()\n        loss.backward()\n        with torch.no_grad():\n            r = X * w + b - y\n            w -= lr * 2 * (r * X).mean()\n            b -= lr * 2 * r.mean()\n        w.grad = None; b.grad = None\n    return w.item(), b.item()\n',
         expect='backward() stored|computed from the gradients backward() produced'),
    dict(exercise='01.1',  # review 2: jvp forward mode
         code='def derivative_at(fn, x0):\n    x = torch.tensor(float(x0))\n    return torch.func.jvp(fn, (x,), (torch.ones(()),))[1].item()\n',
         expect='forward-mode autograd'),
]
