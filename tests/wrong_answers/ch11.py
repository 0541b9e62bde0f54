"""Wrong ways to solve chapter 11's exercises; each must fail its check, naming the rule it breaks."""

LOOP = (
    "def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
    "    model = make_model()\n"
    "    optimizer = {opt}\n"
    "    for _ in range(steps):\n"
    "        optimizer.zero_grad()\n"
    "        loss = nn.functional.cross_entropy(model(X), y)\n"
    "        loss.backward()\n"
    "        optimizer.step()\n"
    "{extra}"
    "    return loss.item() < 0.05\n"
)

WRONG = [
    # 1. cosine_with_warmup
    dict(exercise="11.1",                        # asks PyTorch's scheduler for the answer
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=peak_lr)\n"
              "    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, total_steps)\n"
              "    return peak_lr\n",
         expect="from torch.optim.lr_scheduler"),
    dict(exercise="11.1",                        # the chapter's helper does it all
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    return schedule_curve('warmup + cosine', peak_lr, total_steps,"
              " warmup=warmup_steps / total_steps)[step]\n",
         expect="from dlstudy.demos"),
    dict(exercise="11.1",                        # the scheduler, imported under its own name first
         code="from torch.optim.lr_scheduler import CosineAnnealingLR as Cosine\n\n\n"
              "def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=peak_lr)\n"
              "    Cosine(opt, total_steps)\n"
              "    return peak_lr\n",
         expect="from torch.optim.lr_scheduler"),
    dict(exercise="11.1",                        # warmup from 0 instead of from 1% of the peak
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    if step < warmup_steps:\n"
              "        return peak_lr * step / warmup_steps\n"
              "    progress = (step - warmup_steps) / (total_steps - warmup_steps)\n"
              "    return peak_lr * 0.5 * (1 + math.cos(math.pi * progress))\n",
         expect="0 is peak_lr / 100"),
    dict(exercise="11.1",                        # cosine over all the steps, not the rest
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    if step < warmup_steps:\n"
              "        return peak_lr * (0.01 + 0.99 * step / warmup_steps)\n"
              "    return peak_lr * 0.5 * (1 + math.cos(math.pi * step / total_steps))\n",
         expect="half a cosine from peak_lr to 0"),
    # 2. can_overfit
    dict(exercise="11.2",                               # never trains: judges the untrained model
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    return nn.functional.cross_entropy(model(X), y).item() < 0.05\n",
         expect="the model make_model() built with torch.optim.Adam"),
    dict(exercise="11.2",                               # lets dlstudy's fit run the loop
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    history = fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=lr),\n"
              "                  steps, progress=False)\n"
              "    return history['train_loss'][-1] < 0.05\n",
         expect="which this exercise switches off"),
    dict(exercise="11.2",                               # always says yes
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
              "    for _ in range(steps):\n"
              "        optimizer.zero_grad()\n"
              "        nn.functional.cross_entropy(model(X), y).backward()\n"
              "        optimizer.step()\n"
              "    return True\n",
         expect="so the answer is"),
    dict(exercise="11.2",                               # returns the loss, not a yes / no
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
              "    for _ in range(steps):\n"
              "        optimizer.zero_grad()\n"
              "        loss = nn.functional.cross_entropy(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "    return loss.item()\n",
         expect="True or False (e.g."),
    # 3. diagnosis
    dict(exercise="11.3", code="broken_layer, symptom = '1', 'dead'\n",
         expect="the dead-units panel"),
    dict(exercise="11.3", code="broken_layer, symptom = '3', 'saturated'\n",
         expect="ReLU cannot saturate"),
    dict(exercise="11.3", code="broken_layer, symptom = '2', 'dead'\n",   # a Linear layer, not an activation
         expect="broken_layer is the name of an activation layer"),
    # 4. smooth_losses
    dict(exercise="11.4",                             # the library's answer
         code="def smooth_losses(losses, beta=0.98):\n"
              "    from dlstudy.lr_finder import smooth\n"
              "    return smooth(losses, beta)\n",
         expect="from dlstudy.lr_finder"),
    dict(exercise="11.4",                             # the library's answer, imported first
         code="from dlstudy.lr_finder import smooth\n\n\n"
              "def smooth_losses(losses, beta=0.98):\n"
              "    return smooth(losses, beta)\n",
         expect="from dlstudy.lr_finder"),
    dict(exercise="11.4",                             # no bias correction
         code="def smooth_losses(losses, beta=0.98):\n"
              "    out, avg = [], 0.0\n"
              "    for loss in losses:\n"
              "        avg = beta * avg + (1 - beta) * loss\n"
              "        out.append(avg)\n"
              "    return out\n",
         expect="the first smoothed value equals the first loss"),
    dict(exercise="11.4",                             # corrects with the wrong power
         code="def smooth_losses(losses, beta=0.98):\n"
              "    out, avg = [], 0.0\n"
              "    for i, loss in enumerate(losses):\n"
              "        avg = beta * avg + (1 - beta) * loss\n"
              "        out.append(avg / (1 - beta ** (i + 2)))\n"
              "    return out\n",
         expect="the first smoothed value equals the first loss"),
    # 1. more schedulers, the peak one step late, the cosine one step early, a tensor instead of a float
    dict(exercise="11.1",
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=peak_lr)\n"
              "    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 1.0)\n"
              "    return peak_lr\n",
         expect="from torch.optim.lr_scheduler"),
    dict(exercise="11.1",
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    if step < warmup_steps:\n"
              "        return peak_lr * (0.01 + 0.99 * step / max(warmup_steps - 1, 1))\n"
              "    progress = (step - warmup_steps) / (total_steps - warmup_steps)\n"
              "    return peak_lr * 0.5 * (1 + math.cos(math.pi * progress))\n",
         expect="rise linearly"),
    dict(exercise="11.1",
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    if step < warmup_steps:\n"
              "        return peak_lr * (0.01 + 0.99 * step / warmup_steps)\n"
              "    progress = (step - warmup_steps + 1) / (total_steps - warmup_steps)\n"
              "    return peak_lr * 0.5 * (1 + math.cos(math.pi * progress))\n",
         expect="half a cosine from peak_lr to 0"),
    dict(exercise="11.1",
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    if step < warmup_steps:\n"
              "        return torch.tensor(peak_lr * (0.01 + 0.99 * step / warmup_steps))\n"
              "    progress = torch.tensor((step - warmup_steps) / (total_steps - warmup_steps))\n"
              "    return peak_lr * 0.5 * (1 + torch.cos(math.pi * progress))\n",
         expect="plain Python float"),
    # 2. AdamW counted as Adam, a dummy extra step, the default lr instead of the given one, the first loss
    dict(exercise="11.2", code=LOOP.format(opt="torch.optim.AdamW(model.parameters(), lr=lr)", extra=""),
         expect="AdamW also decays the weights"),
    dict(exercise="11.2", code=LOOP.format(opt="torch.optim.Adam(model.parameters(), lr=lr)", extra="        optimizer.step()\n"),
         expect="the model make_model() built with torch.optim.Adam"),
    dict(exercise="11.2", code=LOOP.format(opt="torch.optim.Adam(model.parameters())", extra=""),
         expect="the model make_model() built with torch.optim.Adam"),
    dict(exercise="11.2", code=LOOP.format(opt="torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)", extra=""),
         expect="the model make_model() built with torch.optim.Adam"),
    dict(exercise="11.2",
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
              "    losses = []\n"
              "    for _ in range(steps):\n"
              "        optimizer.zero_grad()\n"
              "        loss = nn.functional.cross_entropy(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss.item())\n"
              "    return losses[0] < 0.05\n",
         expect="so the answer is"),
    # 4. pandas' exponentially weighted mean, beta hard-coded
    dict(exercise="11.4",
         code="import pandas as pd\n\n\n"
              "def smooth_losses(losses, beta=0.98):\n"
              "    return pd.Series(losses).ewm(alpha=1 - beta, adjust=True).mean().tolist()\n",
         expect="from pandas"),
    dict(exercise="11.4",
         code="def smooth_losses(losses, beta=0.98):\n"
              "    out, avg = [], 0.0\n"
              "    for i, loss in enumerate(losses, start=1):\n"
              "        avg = 0.98 * avg + 0.02 * loss\n"
              "        out.append(avg / (1 - 0.98 ** i))\n"
              "    return out\n",
         expect="a_i = beta * a_(i-1)"),
]
WRONG += [
    # 4. the bias correction counted from 0
    dict(exercise="11.4",
         code="def smooth_losses(losses, beta=0.98):\n"
              "    out, avg = [], 0.0\n"
              "    for i, loss in enumerate(losses):\n"
              "        avg = beta * avg + (1 - beta) * loss\n"
              "        out.append(avg / (1 - beta ** i))\n"
              "    return out\n",
         expect="not yet"),
    # issue-22 review (ex): device stand-in, fixed cases
    dict(exercise="11.2", code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n    X, y = X.cpu(), y.cpu()\n    model = make_model(); opt = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps):\n        opt.zero_grad(); loss = nn.CrossEntropyLoss()(model(X), y); loss.backward(); opt.step()\n    return loss.item() < 0.05\n", expect="hard-code the CPU"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='11.1', code='import math\ndef cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n    if step < warmup_steps: return peak_lr * step / warmup_steps\n    return peak_lr * (1 + math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps))) / 2\n',
         expect='not yet'),
    dict(exercise='11.1', code='import math\ndef cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n    if step < warmup_steps: return peak_lr * (0.01 + 0.99 * step / warmup_steps)\n    return peak_lr * (1 + math.cos(math.pi * step / total_steps)) / 2\n',
         expect='After the warmup, half a cosine from peak_lr to'),
    dict(exercise='11.1', code="import math\ndef cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=peak_lr)\n    s = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: (0.01 + 0.99 * t / warmup_steps) if t < warmup_steps else (1 + math.cos(math.pi * (t - warmup_steps) / (total_steps - warmup_steps))) / 2)\n    for _ in range(step): opt.step(); s.step()\n    return opt.param_groups[0]['lr']\n",
         expect='Your code called LambdaLR (from'),
    dict(exercise='11.1', code='import math\ndef cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n    if step < warmup_steps: return peak_lr * (0.01 + 0.99 * step / warmup_steps)\n    return peak_lr * (1 + torch.cos(torch.tensor(math.pi * (step - warmup_steps) / (total_steps - warmup_steps)))) / 2\n',
         expect='Return a plain Python float for each step.'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model()\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps):\n        optimizer.zero_grad()\n        loss = F.cross_entropy(model(X), y)\n        loss.backward()\n        optimizer.step()\n    return loss.item() < 0.1\n',
         expect='The last loss is'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model()\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps):\n        optimizer.zero_grad()\n        loss = F.cross_entropy(model(X), y)\n        loss.backward()\n        optimizer.step()\n    return loss.item() < 0.5\n',
         expect='The last loss is'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model()\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps):\n        optimizer.zero_grad()\n        loss = F.cross_entropy(model(X), y)\n        loss.backward()\n        optimizer.step()\n    return loss.item() < 0.01\n',
         expect='The last loss is'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model()\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps + 1):\n        optimizer.zero_grad()\n        loss = F.cross_entropy(model(X), y)\n        loss.backward()\n        optimizer.step()\n    return loss.item() < 0.05\n',
         expect='Train the model make_model() built with'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model()\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps - 1):\n        optimizer.zero_grad()\n        loss = F.cross_entropy(model(X), y)\n        loss.backward()\n        optimizer.step()\n    return loss.item() < 0.05\n',
         expect='Train the model make_model() built with'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model()\n    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(100):\n        optimizer.zero_grad()\n        loss = F.cross_entropy(model(X), y)\n        loss.backward()\n        optimizer.step()\n    return loss.item() < 0.05\n',
         expect='Train the model make_model() built with'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model(); opt = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps):\n        opt.zero_grad(); loss = F.cross_entropy(model(X), y); loss.backward(); opt.step()\n        if loss.item() < 0.05: return True\n    return False\n',
         expect='Train the model make_model() built with'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model(); opt = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(steps):\n        loss = F.cross_entropy(model(X), y); loss.backward(); opt.step()\n    return loss.item() < 0.05\n',
         expect='Train the model make_model() built with'),
    dict(exercise='11.2', code='import torch.nn.functional as F\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model(); opt = torch.optim.SGD(model.parameters(), lr=lr)\n    for _ in range(steps):\n        opt.zero_grad(); loss = F.cross_entropy(model(X), y); loss.backward(); opt.step()\n    return loss.item() < 0.05\n',
         expect='Train the model make_model() built with'),
    dict(exercise='11.2', code="from dlstudy.train import fit\ndef can_overfit(make_model, X, y, steps=200, lr=0.01):\n    model = make_model(); opt = torch.optim.Adam(model.parameters(), lr=lr)\n    h = fit(model, (X, y), nn.CrossEntropyLoss(), opt, num_epochs=steps, batch_size=len(X))\n    return h['train_loss'][-1] < 0.05\n",
         expect='Your code called fit (from dlstudy.train), which'),
    dict(exercise='11.4', code='def smooth_losses(losses, beta=0.98):\n    out, avg = [], 0.0\n    for l in losses:\n        avg = beta * avg + (1 - beta) * l; out.append(avg)\n    return out\n',
         expect='With the bias correction the first smoothed'),
    dict(exercise='11.4', code='def smooth_losses(losses, beta=0.98):\n    out, avg = [], losses[0]\n    for i, l in enumerate(losses, 1):\n        avg = beta * avg + (1 - beta) * l; out.append(avg)\n    return out\n',
         expect='not yet'),
    dict(exercise='11.4', code='def smooth_losses(losses, beta=0.98):\n    out, avg = [], 0.0\n    for i, l in enumerate(losses, 1):\n        avg = beta * avg + (1 - beta) * l; out.append(avg / (1 - beta ** i))\n    return torch.tensor(out)\n',
         expect='Return a list with one value per loss.'),
    dict(exercise='11.4', code='import pandas as pd\ndef smooth_losses(losses, beta=0.98): return pd.Series(losses).ewm(alpha=1 - beta, adjust=True).mean().tolist()\n',
         expect='Your code called Series (from'),
]
