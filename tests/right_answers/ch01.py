"""Right answers to chapter 01's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="01.1", code="def derivative_at(fn, x0):\n"
                              "    x = torch.tensor(float(x0), requires_grad=True)\n"
                              "    (grad,) = torch.autograd.grad(fn(x), x)\n    return grad.item()\n"),
    dict(exercise="01.1", code="def derivative_at(fn, x0):\n"
                              "    x = torch.tensor([float(x0)], dtype=torch.float64, requires_grad=True)\n"
                              "    fn(x).sum().backward()\n    return float(x.grad[0])\n"),
    dict(exercise="01.2", code="def central_difference(fn, x0, h=1e-6):\n"
                              "    left, right = fn(torch.tensor(x0 - h, dtype=torch.float64)), "
                              "fn(torch.tensor(x0 + h, dtype=torch.float64))\n"
                              "    return float((right - left) / (2 * h))\n"),
    dict(exercise="01.3", code="def sigmoid_neuron_grads(w, b, x, y):\n"
                              "    a = torch.sigmoid(torch.tensor(w * x + b, dtype=torch.float64)).item()\n"
                              "    g = 2 * (a - y) * a * (1 - a)\n    return g * x, g\n"),
    dict(exercise="01.3", code="def sigmoid_neuron_grads(w, b, x, y):\n"
                              "    e = math.exp(-(w * x + b))\n    a = 1 / (1 + e)\n"
                              "    dL_du = 2 * (a - y) * e / (1 + e) ** 2\n    return (x * dL_du, dL_du)\n"),
    dict(exercise="01.4", code="def chunked_gradient(w, X, y, num_chunks):\n"
                              "    if w.grad is not None:\n        w.grad.zero_()\n"
                              "    for X_c, y_c in zip(torch.chunk(X, num_chunks), torch.chunk(y, num_chunks)):\n"
                              "        loss = (X_c @ w - y_c).pow(2).sum()\n        loss.backward()\n"
                              "    return w.grad.detach().clone()\n"),
    dict(exercise="01.5", code="def fit_line(X, y, lr=0.5, num_steps=100):\n"          # p.grad = None
                              "    w = torch.zeros((), requires_grad=True)\n    b = torch.zeros((), requires_grad=True)\n"
                              "    for _ in range(num_steps):\n"
                              "        ((X * w + b - y) ** 2).mean().backward()\n"
                              "        with torch.no_grad():\n"
                              "            w.sub_(lr * w.grad)\n            b.sub_(lr * b.grad)\n"
                              "        w.grad = None\n        b.grad = None\n"
                              "    return float(w), float(b)\n"),
    # issue-22 review: classes fixed in the framework (inputs kept, dtype kept, fixed inputs, method)
    dict(exercise="01.4", code="def chunked_gradient(w, X, y, num_chunks):\n    w.grad = None\n    for Xc, yc in zip(X.chunk(num_chunks), y.chunk(num_chunks)):\n        ((Xc @ w - yc) ** 2).sum().backward()\n    return w.grad.clone()\n"),
    dict(exercise="01.3", code="import math\ndef sigmoid_neuron_grads(w, b, x, y):\n    a = 1 / (1 + math.exp(-(w * x + b)))\n    d = 2 * (a - y) * a * (1 - a)\n    return d * x, d\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='01.1', code='def derivative_at(fn, x0):\n    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)\n    return torch.autograd.grad(fn(x), x)[0].item()\n'),
    dict(exercise='01.1', code='def derivative_at(fn, x0): return torch.func.grad(fn)(torch.tensor(float(x0))).item()\n'),
    dict(exercise='01.2', code='def central_difference(fn, x0, h=1e-6):\n    x = torch.tensor(x0, dtype=torch.float64)\n    return (fn(x + h).item() - fn(x - h).item()) / (2 * h)\n'),
    dict(exercise='01.3', code='import math\ndef sigmoid_neuron_grads(w, b, x, y):\n    a_ = 1 / (1 + math.e ** (-(w * x + b)))\n    d = 2 * (a_ - y) * a_ * (1 - a_)\n    return d * x, d\n'),
    dict(exercise='01.3', code='import math\ndef sigmoid_neuron_grads(w, b, x, y):\n    s = 0.5 * (1 + math.tanh((w * x + b) / 2))\n    g = 2 * (s - y) * s * (1 - s)\n    return (g * x, g)\n'),
    dict(exercise='01.4', code='def chunked_gradient(w, X, y, num_chunks):\n    if w.grad is not None:\n        w.grad.zero_()\n    for Xc, yc in zip(torch.chunk(X, num_chunks), torch.chunk(y, num_chunks)):\n        ((Xc @ w - yc) ** 2).sum().backward()\n    return w.grad.detach().clone()\n'),
    dict(exercise='01.5', code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True); b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        ((X * w + b - y) ** 2).mean().backward()\n        with torch.no_grad():\n            w -= lr * w.grad; b -= lr * b.grad\n        w.grad = None; b.grad = None\n    return w.item(), b.item()\n'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
RIGHT += [
    dict(exercise='01.5',  # C/D: a loop over the parameters
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w, b = torch.zeros(1, requires_grad=True), torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        loss = ((X * w + b - y) ** 2).mean()\n        loss.backward()\n        with torch.no_grad():\n            for p in (w, b):\n                p -= lr * p.grad\n                p.grad.zero_()\n    return w.item(), b.item()\n'),
    dict(exercise='01.5',  # D: backward with an explicit gradient of 1
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        loss = torch.nn.functional.mse_loss(X * w + b, y)\n        loss.backward(gradient=torch.tensor(1.0))\n        with torch.no_grad():\n            w.sub_(lr * w.grad)\n            b.sub_(lr * b.grad)\n        w.grad = None\n        b.grad = None\n    return float(w), float(b)\n'),
    dict(exercise='01.5',  # D: torch.autograd.backward, add_ with alpha
         code='def fit_line(X, y, lr=0.5, num_steps=100):\n    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n    for _ in range(num_steps):\n        torch.autograd.backward(((X * w + b - y) ** 2).mean())\n        with torch.no_grad():\n            w.add_(w.grad, alpha=-lr)\n            b.add_(b.grad, alpha=-lr)\n            w.grad.zero_()\n            b.grad.zero_()\n    return w.item(), b.item()\n'),
]
