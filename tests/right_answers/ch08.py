"""Right answers to chapter 08's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="08.1",                               # the Hessian by hand, in float32
         code="H = torch.tensor([[2 + 1200 * 1.0 ** 2 - 400 * 1.0, -400 * 1.0], [-400 * 1.0, 200.0]])\n"
              "critical_lr = 2 / torch.linalg.eigvalsh(H)[-1].item()\n"),
    dict(exercise="08.1",
         code="H = torch.func.hessian(lambda p: rosenbrock(p[0], p[1]))(torch.ones(2, dtype=torch.float64))\n"
              "critical_lr = float(2 / torch.linalg.eigvals(H).real.max())\n"),
    dict(exercise="08.2",
         code="def textbook_momentum_update(p, g, state, t, lr, mu=0.9):\n"
              "    v = state.setdefault('v', torch.zeros_like(p))\n"
              "    v.mul_(mu).sub_(lr * g)\n"
              "    p.add_(v)\n"),
    dict(exercise="08.2",
         code="def textbook_momentum_update(p, g, state, t, lr, mu=0.9):\n"
              "    state['v'] = mu * state['v'] - lr * g if t > 1 else -lr * g\n"
              "    p.copy_(p + state['v'])\n"),
    dict(exercise="08.3",
         code="def rotated_bowl(x, y):\n    u, v = (x - y) / 2 ** 0.5, (x + y) / 2 ** 0.5\n    return 0.1 * u ** 2 + 2 * v ** 2\n"),
    dict(exercise="08.3",                               # the sign of u does not matter: it is squared
         code="def rotated_bowl(x, y):\n    c = math.sqrt(0.5)\n    return bowl(c * (y - x), c * (y + x))\n"),
    dict(exercise="08.4", code="adam_lr = 0.8\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='08.1', code='H = torch.tensor([[802.0, -400.0], [-400.0, 200.0]], dtype=torch.float64)\ncritical_lr = 2 / torch.linalg.eigvalsh(H).max().item()\n'),
    dict(exercise='08.1', code='H = torch.autograd.functional.hessian(lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2, torch.tensor([1.0, 1.0]))\ncritical_lr = 2 / torch.linalg.eigvalsh(H).max().item()\n'),
    dict(exercise='08.2', code="def textbook_momentum_update(p, grad, state, t, lr=0.01, mu=0.9):\n    v = state.setdefault('v', torch.zeros_like(p))\n    v.mul_(mu).sub_(lr * grad)\n    p.add_(v)\n"),
    dict(exercise='08.3', code='def rotated_bowl(x, y):\n    c = 2 ** -0.5\n    return bowl(c * (x - y), c * (x + y))\n'),
    dict(exercise='08.4', code='adam_lr = 1.0\n'),
]
