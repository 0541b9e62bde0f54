"""Right answers to chapter 09's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="09.1", code="def my_soft_threshold(w, t):\n    return torch.clamp(w - t, min=0) + torch.clamp(w + t, max=0)\n"),
    dict(exercise="09.1",
         code="def my_soft_threshold(w, t):\n    return torch.where(w.abs() > t, w - t * torch.sign(w), torch.zeros_like(w))\n"),
    dict(exercise="09.1", code="def my_soft_threshold(w, t):\n    return torch.relu(w.abs() - t) * w.sign()\n"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n"
              "    return x * torch.bernoulli(torch.full_like(x, 1 - p)) / (1 - p) if training else x\n"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    if not training:\n        return x\n"
              "    return torch.where(torch.rand(x.shape, device=x.device) < p, torch.zeros_like(x), x / (1 - p))\n"),
    dict(exercise="09.3",
         code="def early_stopping_epochs(val_losses, patience):\n"
              "    best_epoch = 1\n"
              "    for epoch in range(1, len(val_losses) + 1):\n"
              "        if val_losses[epoch - 1] < min(val_losses[:epoch - 1], default=float('inf')):\n"
              "            best_epoch = epoch\n"
              "        if epoch - best_epoch == patience:\n"
              "            return best_epoch, epoch\n"
              "    return best_epoch, len(val_losses)\n"),
    dict(exercise="09.4",
         code="def init_deep(model, nonlinearity):\n"
              "    for m in model.modules():\n"
              "        if isinstance(m, nn.Linear):\n"
              "            fan_out, fan_in = m.weight.shape\n"
              "            std = (2 / (fan_in + fan_out)) ** 0.5 if nonlinearity == 'tanh' else (2 / fan_in) ** 0.5\n"
              "            with torch.no_grad():\n"
              "                m.weight.normal_(0.0, std)\n"
              "                m.bias.zero_()\n"),
    dict(exercise="09.4",
         code="def init_deep(model, nonlinearity):\n"
              "    def one(m):\n"
              "        if type(m) is nn.Linear:\n"
              "            (nn.init.xavier_normal_ if nonlinearity == 'tanh' else nn.init.kaiming_normal_)(m.weight)\n"
              "            nn.init.constant_(m.bias, 0.0)\n"
              "    model.apply(one)\n"),
]
RIGHT += [
    dict(exercise="09.1",
         code="def my_soft_threshold(w, t):\n    return torch.sign(w) * torch.max(w.abs() - t, torch.zeros_like(w))\n"),
    dict(exercise="09.2",                               # a Bernoulli distribution draws the mask
         code="def my_dropout(x, p, training=True):\n"
              "    if not training:\n        return x\n"
              "    keep = torch.distributions.Bernoulli(probs=torch.full_like(x, 1 - p)).sample()\n"
              "    return x * keep / (1 - p)\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='09.1', code='def my_soft_threshold(w, t): return torch.relu(w - t) - torch.relu(-w - t)\n'),
    dict(exercise='09.1', code='def my_soft_threshold(w, t): return torch.where(w.abs() < t, torch.zeros_like(w), w - t * torch.sign(w))\n'),
    dict(exercise='09.2', code='def my_dropout(x, p, training=True):\n    if not training: return x\n    return x * torch.bernoulli(torch.full_like(x, 1 - p)) / (1 - p)\n'),
    dict(exercise='09.3', code='def early_stopping_epochs(val_losses, patience):\n    best_epoch = 1; wait = 0\n    for e in range(2, len(val_losses) + 1):\n        if val_losses[e - 1] < min(val_losses[:e - 1]): best_epoch, wait = e, 0\n        else:\n            wait += 1\n            if wait == patience: return best_epoch, e\n    return best_epoch, len(val_losses)\n'),
    dict(exercise='09.4', code="def init_deep(model, nonlinearity):\n    def f(m):\n        if isinstance(m, nn.Linear):\n            if nonlinearity == 'tanh': nn.init.xavier_normal_(m.weight)\n            else: nn.init.kaiming_normal_(m.weight, nonlinearity='relu')\n            nn.init.zeros_(m.bias)\n    model.apply(f)\n"),
]
