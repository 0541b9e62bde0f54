"""Wrong methods for chapter 08's exercises: each must fail its check with a message that names the rule."""

HESSIAN = ("H = torch.autograd.functional.hessian(lambda p: rosenbrock(p[0], p[1]), "
           "torch.tensor({point}, dtype=torch.float64))\n")
MOMENTUM = "def textbook_momentum_update(p, g, state, t, lr, mu=0.9):\n{body}"

WRONG = [
    # 1. critical learning rate: a rounded guess, the wrong eigenvalue, the wrong formula, a tensor, the trace
    dict(exercise="08.1", code="critical_lr = 0.002\n", expect="critical_lr is 2 / lambda_max"),
    dict(exercise="08.1", code=HESSIAN.format(point="[1.0, 1.0]") + "critical_lr = 2 / torch.linalg.eigvalsh(H).min().item()\n",
         expect="use the largest eigenvalue"),
    dict(exercise="08.1", code=HESSIAN.format(point="[1.0, 1.0]") + "critical_lr = 1 / torch.linalg.eigvalsh(H).max().item()\n",
         expect="critical_lr is 2 / lambda_max"),
    dict(exercise="08.1", code=HESSIAN.format(point="[-1.5, 2.0]") + "critical_lr = 2 / torch.linalg.eigvalsh(H).max().item()\n",
         expect="at the minimum (1, 1)"),
    dict(exercise="08.1", code=HESSIAN.format(point="[1.0, 1.0]") + "critical_lr = 2 / torch.linalg.eigvalsh(H).max()\n",
         expect="one Python number"),
    dict(exercise="08.1",                               # the trace (the sum of the eigenvalues) is close, not equal
         code=HESSIAN.format(point="[1.0, 1.0]") + "critical_lr = 2 / H.trace().item()\n",
         expect="critical_lr is 2 / lambda_max"),
    dict(exercise="08.1", code="critical_lr = 2 / 1000\n", expect="critical_lr is 2 / lambda_max"),
    # 2. textbook momentum: PyTorch's form (same steps at a fixed lr), wrong sign, not in place, no state
    dict(exercise="08.2", code=MOMENTUM.format(body="    state['v'] = mu * state.get('v', 0.0) + g\n    p -= lr * state['v']\n"),
         expect="textbook velocity is v = mu * v - lr * g"),
    dict(exercise="08.2", code=MOMENTUM.format(body="    state['v'] = mu * state.get('v', 0.0) - g\n    p += lr * state['v']\n"),
         expect="textbook velocity is v = mu * v - lr * g"),
    dict(exercise="08.2", code=MOMENTUM.format(body="    state['v'] = mu * state.get('v', 0.0) + lr * g\n    p -= state['v']\n"),
         expect="textbook velocity is v = mu * v - lr * g"),
    dict(exercise="08.2", code=MOMENTUM.format(body="    state['v'] = mu * state.get('v', 0.0) - lr * g\n    p = p + state['v']\n"),
         expect="p in place"),
    dict(exercise="08.2",
         code=MOMENTUM.format(body="    state['velocity'] = mu * state.get('velocity', 0.0) - lr * g\n    p += state['velocity']\n"),
         expect='the velocity in state["v"]'),
    # mu hard-coded to its default, the first learning rate kept, the step before the velocity
    dict(exercise="08.2", code=MOMENTUM.format(body="    state['v'] = 0.9 * state.get('v', 0.0) - lr * g\n    p += state['v']\n"),
         expect="textbook velocity is v = mu * v - lr * g"),
    dict(exercise="08.2",
         code=MOMENTUM.format(body="    first = state.setdefault('lr', lr)\n"
                                   "    state['v'] = mu * state.get('v', 0.0) - first * g\n    p += state['v']\n"),
         expect="textbook velocity is v = mu * v - lr * g"),
    dict(exercise="08.2",
         code=MOMENTUM.format(body="    p += state.get('v', 0.0) if t > 1 else -lr * g\n"
                                   "    state['v'] = mu * state.get('v', 0.0) - lr * g\n"),
         expect="not yet"),
    # 3. rotated bowl: not rotated, no 1/sqrt(2), u and v swapped, Python floats only, an approximate 1/sqrt(2)
    dict(exercise="08.3", code="def rotated_bowl(x, y):\n    return bowl(x, y)\n", expect="rotated_bowl(x, y) is bowl(u, v)"),
    dict(exercise="08.3", code="def rotated_bowl(x, y):\n    return bowl(x - y, x + y)\n", expect="rotated_bowl(x, y) is bowl(u, v)"),
    dict(exercise="08.3",
         code="def rotated_bowl(x, y):\n    c = 1 / math.sqrt(2)\n    return bowl(c * (x + y), c * (x - y))\n",
         expect="rotated_bowl(x, y) is bowl(u, v)"),
    dict(exercise="08.3",
         code="def rotated_bowl(x, y):\n    c = 1 / math.sqrt(2)\n"
              "    return bowl(c * (float(x.flatten()[0]) - float(y.flatten()[0])), c * (float(x.flatten()[0]) + float(y.flatten()[0])))\n",
         expect="rotated_bowl(x, y) is bowl(u, v)"),
    dict(exercise="08.3", code="def rotated_bowl(x, y):\n    return bowl(0.7 * (x - y), 0.7 * (x + y))\n",
         expect="rotated_bowl(x, y) is bowl(u, v)"),
    # 4. Adam's learning rate: the default, far too large, not a number
    dict(exercise="08.4", code="adam_lr = 0.1\n", expect="must stay below 1e-2 from step 350 on"),
    dict(exercise="08.4", code="adam_lr = 10.0\n", expect="must stay below 1e-2 from step 350 on"),
    dict(exercise="08.4", code="adam_lr = '1.0'\n", expect="one positive Python number"),
    dict(exercise="08.4", code="adam_lr = -1.0\n", expect="one positive Python number"),
    dict(exercise="08.4", code="adam_lr = True\n", expect="one positive Python number"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='08.1', code='critical_lr = 1 / torch.linalg.eigvalsh(torch.tensor([[802.0, -400.0], [-400.0, 200.0]], dtype=torch.float64)).max().item()\n',
         expect='not yet'),
    dict(exercise='08.1', code='critical_lr = 2 / 802.0\n',
         expect='not yet'),
    dict(exercise='08.1', code='critical_lr = 2 / torch.linalg.eigvalsh(torch.tensor([[802.0, -400.0], [-400.0, 200.0]], dtype=torch.float64)).max()\n',
         expect='critical_lr must be one Python number (a'),
    dict(exercise='08.2', code="def textbook_momentum_update(p, grad, state, t, lr=0.01, mu=0.9):\n    v = state.get('v', torch.zeros_like(p))\n    v = mu * v + grad\n    state['v'] = v\n    p -= lr * v\n",
         expect='The textbook velocity is v'),
    dict(exercise='08.2', code="def textbook_momentum_update(p, grad, state, t, lr=0.01, mu=0.9):\n    v = mu * state.get('v', torch.zeros_like(p)) - lr * grad\n    state['v'] = v\n    p = p + v\n",
         expect='Change p in place (p'),
    dict(exercise='08.2', code="def textbook_momentum_update(p, grad, state, t, lr=0.01, mu=0.9):\n    v = 0.9 * state.get('v', torch.zeros_like(p)) - lr * grad\n    state['v'] = v\n    p += v\n",
         expect='The textbook velocity is v'),
    dict(exercise='08.2', code="def textbook_momentum_update(p, grad, state, t, lr=0.01, mu=0.9):\n    v = mu * state.get('v', torch.zeros_like(p)) - lr * grad\n    state['v'] = v\n    p += mu * v - lr * grad\n",
         expect='The textbook step is p'),
    dict(exercise='08.2', code="def textbook_momentum_update(p, grad, state, t, lr=0.01, mu=0.9):\n    q = torch.nn.Parameter(p.clone())\n    opt = state.setdefault('opt', torch.optim.SGD([q], lr=lr, momentum=mu))\n    q.grad = grad\n    opt.step()\n    state['v'] = q.detach() - p\n    p.copy_(q.detach())\n",
         expect='Change p in place (p'),
    dict(exercise='08.3', code='def rotated_bowl(x, y): return bowl(x - y, x + y)\n',
         expect='rotated_bowl(x, y) is bowl(u, v) with u'),
    dict(exercise='08.3', code='def rotated_bowl(x, y):\n    c = 2 ** -0.5\n    return bowl(c * (x + y), c * (x - y))\n',
         expect='rotated_bowl(x, y) is bowl(u, v) with u'),
    dict(exercise='08.3', code='def rotated_bowl(x, y):\n    c = torch.tensor(2 ** -0.5)\n    return bowl(c * (x - y), c * (x + y))\n',
         expect='rotated_bowl(x, y) is bowl(u, v) with u'),
    dict(exercise='08.4', code='adam_lr = 0.001\n',
         expect='not yet'),
    dict(exercise='08.4', code='adam_lr = torch.tensor(1.0)\n',
         expect='adam_lr is one positive Python number, not'),
]
