"""Wrong ways to solve chapter 01's exercises; each must fail its check, naming the rule it breaks."""

WRONG = [
    # 1. derivative_at: the exercise asks for autograd
    dict(exercise="1. derivative_at",
         code="def derivative_at(fn, x0, h=1e-6):\n"
              "    x = torch.tensor(float(x0), dtype=torch.float64)\n"
              "    return ((fn(x + h) - fn(x - h)) / (2 * h)).item()\n",              # a finite difference
         expect="Rule: use autograd"),
    dict(exercise="1. derivative_at",
         code="def derivative_at(fn, x0):\n"
              "    x = torch.tensor(float(x0), requires_grad=True)\n"
              "    fn(x).backward()\n    return x.grad\n",                               # a tensor, not a float
         expect="not yet"),
    # 2. central_difference: the exercise forbids autograd
    dict(exercise="2. central_difference",
         code="def central_difference(fn, x0, h=1e-6):\n"
              "    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)\n"
              "    fn(x).backward()\n    return x.grad.item()\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.backward"),
    dict(exercise="2. central_difference",
         code="def central_difference(fn, x0, h=1e-6):\n"
              "    x = torch.tensor(float(x0))\n"                                       # float32
              "    return ((fn(x + h) - fn(x - h)) / (2 * h)).item()\n",
         expect="not yet"),
    # 3. sigmoid_neuron_grads: the chain rule by hand, no autograd
    dict(exercise="3. sigmoid_neuron_grads",
         code="def sigmoid_neuron_grads(w, b, x, y):\n    return _autograd_sigmoid_grads(w, b, x, y)\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.backward"),
    dict(exercise="3. sigmoid_neuron_grads",
         code="def sigmoid_neuron_grads(w, b, x, y):\n"
              "    a = 1 / (1 + math.exp(-(w * x + b)))\n"
              "    return 2 * (a - y) * x, 2 * (a - y)\n",                              # forgot sigma'
         expect="not yet"),
    # 4. chunked_gradient: one backward per chunk, reset first
    dict(exercise="4. chunked_gradient",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    w.grad = None\n    ((X @ w - y) ** 2).sum().backward()\n    return w.grad.clone()\n",   # no chunks
         expect="Rule: call backward() once per chunk"),
    dict(exercise="4. chunked_gradient",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    return (2 * X.T @ (X @ w - y)).detach()\n",                          # by formula
         expect="Rule: call backward() once per chunk"),
    dict(exercise="4. chunked_gradient",
         code="def chunked_gradient(w, X, y, num_chunks):\n"
              "    for X_c, y_c in zip(X.chunk(num_chunks), y.chunk(num_chunks)):\n"
              "        ((X_c @ w - y_c) ** 2).sum().backward()\n"
              "    return w.grad.clone()\n",                                            # never resets
         expect="not yet"),
    # 5. fit_line: gradient descent with autograd
    dict(exercise="5. fit_line",
         code="def fit_line(X, y, lr=0.5, num_steps=100):\n"
              "    A = torch.cat([X, torch.ones_like(X)], dim=1)\n"
              "    w, b = torch.linalg.lstsq(A, y).solution.flatten().tolist()\n"
              "    return w, b\n",                                                      # closed form
         expect="Rule: train by gradient descent with autograd"),
    dict(exercise="5. fit_line",
         code="def fit_line(X, y, lr=0.5, num_steps=100):\n"
              "    w = torch.zeros(1, requires_grad=True)\n    b = torch.zeros(1, requires_grad=True)\n"
              "    for _ in range(num_steps):\n"
              "        ((X * w + b - y) ** 2).mean().backward()\n"
              "        with torch.no_grad():\n"
              "            w -= lr * w.grad\n            b -= lr * b.grad\n"
              "    return w.item(), b.item()\n",                                        # never zeroes the grads
         expect="not yet"),
    dict(exercise="5. fit_line",
         code="def fit_line(X, y, lr=0.5, num_steps=100):\n    return -3.0, 0.5\n",        # the old check's line
         expect="Rule: train by gradient descent with autograd"),
]
