"""Wrong methods for chapter 08's exercises: each must fail its check with a message that names the rule."""

WRONG = [
    # 1. critical learning rate: a rounded guess, the wrong eigenvalue, the wrong formula, a tensor
    dict(exercise="1. critical learning rate on Rosenbrock", code="critical_lr = 0.002\n", expect="Rule: critical_lr is 2 / lambda_max"),
    dict(exercise="1. critical learning rate on Rosenbrock",
         code="H = torch.autograd.functional.hessian(lambda p: rosenbrock(p[0], p[1]), torch.tensor([1.0, 1.0], dtype=torch.float64))\n"
              "critical_lr = 2 / torch.linalg.eigvalsh(H).min().item()\n",
         expect="use the largest eigenvalue"),
    dict(exercise="1. critical learning rate on Rosenbrock",
         code="H = torch.autograd.functional.hessian(lambda p: rosenbrock(p[0], p[1]), torch.tensor([1.0, 1.0], dtype=torch.float64))\n"
              "critical_lr = 1 / torch.linalg.eigvalsh(H).max().item()\n",
         expect="Rule: critical_lr is 2 / lambda_max"),
    dict(exercise="1. critical learning rate on Rosenbrock",
         code="H = torch.autograd.functional.hessian(lambda p: rosenbrock(p[0], p[1]), torch.tensor([-1.5, 2.0], dtype=torch.float64))\n"
              "critical_lr = 2 / torch.linalg.eigvalsh(H).max().item()\n",
         expect="at the minimum (1, 1)"),
    dict(exercise="1. critical learning rate on Rosenbrock",
         code="H = torch.autograd.functional.hessian(lambda p: rosenbrock(p[0], p[1]), torch.tensor([1.0, 1.0], dtype=torch.float64))\n"
              "critical_lr = 2 / torch.linalg.eigvalsh(H).max()\n",
         expect="one Python number"),
    # 2. textbook momentum: PyTorch's form (same steps at a fixed lr), wrong sign, not in place, no state
    dict(exercise="2. textbook momentum",
         code="def textbook_momentum_update(p, g, state, t, lr, mu=0.9):\n"
              "    state['v'] = mu * state.get('v', 0.0) + g\n"
              "    p -= lr * state['v']\n",
         expect="the textbook velocity is v = mu * v - lr * g"),
    dict(exercise="2. textbook momentum",
         code="def textbook_momentum_update(p, g, state, t, lr, mu=0.9):\n"
              "    state['v'] = mu * state.get('v', 0.0) - g\n"
              "    p += lr * state['v']\n",
         expect="the textbook velocity is v = mu * v - lr * g"),
    dict(exercise="2. textbook momentum",
         code="def textbook_momentum_update(p, g, state, t, lr, mu=0.9):\n"
              "    state['v'] = mu * state.get('v', 0.0) + lr * g\n"
              "    p -= state['v']\n",
         expect="the textbook velocity is v = mu * v - lr * g"),
    dict(exercise="2. textbook momentum",
         code="def textbook_momentum_update(p, g, state, t, lr, mu=0.9):\n"
              "    state['v'] = mu * state.get('v', 0.0) - lr * g\n"
              "    p = p + state['v']\n",
         expect="change p in place"),
    dict(exercise="2. textbook momentum",
         code="def textbook_momentum_update(p, g, state, t, lr, mu=0.9):\n"
              "    state['velocity'] = mu * state.get('velocity', 0.0) - lr * g\n"
              "    p += state['velocity']\n",
         expect='keep the velocity in state["v"]'),
    # 3. rotated bowl: not rotated, no 1/sqrt(2), u and v swapped, Python floats only
    dict(exercise="3. rotated bowl", code="def rotated_bowl(x, y):\n    return bowl(x, y)\n",
         expect="Rule: rotated_bowl(x, y) is bowl(u, v)"),
    dict(exercise="3. rotated bowl", code="def rotated_bowl(x, y):\n    return bowl(x - y, x + y)\n",
         expect="Rule: rotated_bowl(x, y) is bowl(u, v)"),
    dict(exercise="3. rotated bowl",
         code="def rotated_bowl(x, y):\n    c = 1 / math.sqrt(2)\n    return bowl(c * (x + y), c * (x - y))\n",
         expect="Rule: rotated_bowl(x, y) is bowl(u, v)"),
    dict(exercise="3. rotated bowl",
         code="def rotated_bowl(x, y):\n    c = 1 / math.sqrt(2)\n    return bowl(c * (float(x[0]) - float(y[0])), c * (float(x[0]) + float(y[0])))\n",
         expect="Rule: rotated_bowl(x, y) is bowl(u, v)"),
    # 4. Adam's learning rate: the default, far too large, not a number
    dict(exercise="4. Adam on Rosenbrock", code="adam_lr = 0.1\n", expect="Adam must stay below 1e-2 from step 350 on"),
    dict(exercise="4. Adam on Rosenbrock", code="adam_lr = 10.0\n", expect="Adam must stay below 1e-2 from step 350 on"),
    dict(exercise="4. Adam on Rosenbrock", code="adam_lr = '1.0'\n", expect="one positive Python number"),
]
