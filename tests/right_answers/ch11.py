"""Right answers to chapter 11's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="11.1",
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    if step >= warmup_steps:\n"
              "        done = (step - warmup_steps) / (total_steps - warmup_steps)\n"
              "        return peak_lr * (1 + math.cos(math.pi * done)) / 2\n"
              "    return peak_lr / 100 + (peak_lr - peak_lr / 100) * step / warmup_steps\n"),
    dict(exercise="11.2",                                # p.grad = None, the module loss, the verdict after training
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    optimizer = torch.optim.Adam(model.parameters(), lr)\n"
              "    loss_fn = nn.CrossEntropyLoss()\n"
              "    for _ in range(steps):\n"
              "        for p in model.parameters():\n"
              "            p.grad = None\n"
              "        loss = loss_fn(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "    with torch.no_grad():\n"
              "        return loss_fn(model(X), y).item() < 0.05\n"),
    dict(exercise="11.2",
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
              "    for _ in range(steps):\n"
              "        loss = nn.functional.cross_entropy(model(X), y)\n"
              "        model.zero_grad()\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "    return bool(loss.item() < 0.05)\n"),
    dict(exercise="11.3", code="broken_layer, symptom = 3, 'dead'\n"),
    dict(exercise="11.4",
         code="def smooth_losses(losses, beta=0.98):\n"
              "    avg, out = 0.0, []\n"
              "    for i in range(len(losses)):\n"
              "        avg = avg * beta + losses[i] * (1 - beta)\n"
              "        out.append(avg / (1 - beta ** (i + 1)))\n"
              "    return out\n"),
    # issue-22 review (ex): device stand-in, fixed cases
    dict(exercise="11.3", code="broken_layer, symptom = '3', 'Dead'\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='11.1', code='import math\ndef cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n    if step < warmup_steps: return peak_lr * (0.01 + 0.99 * step / warmup_steps)\n    return peak_lr * (1 + math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps))) / 2\n'),
    dict(exercise='11.1', code='import math\ndef cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n    if step <= warmup_steps: return peak_lr * (0.01 + 0.99 * step / warmup_steps)\n    return peak_lr * (1 + math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps))) / 2\n'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model()\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps):\n        optimizer.zero_grad()\n        loss = F.cross_entropy(model(X), y)\n        loss.backward()\n        optimizer.step()\n    return loss.item() < 0.05\n'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model()\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps):\n        optimizer.zero_grad()\n        loss = F.cross_entropy(model(X), y)\n        loss.backward()\n        optimizer.step()\n    return bool(loss < 0.05)\n'),
    dict(exercise='11.4', code='def smooth_losses(losses, beta=0.98):\n    out, avg = [], 0.0\n    for i, l in enumerate(losses):\n        avg = beta * avg + (1 - beta) * l\n        out.append(avg / (1 - beta ** (i + 1)))\n    return out\n'),
]
