"""Wrong ways to solve chapter 11's exercises; each must fail its check, naming the rule it breaks."""

WRONG = [
    # 1. cosine_with_warmup
    dict(exercise="1. cosine_with_warmup",                        # asks PyTorch's scheduler for the answer
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=peak_lr)\n"
              "    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, total_steps)\n"
              "    return peak_lr\n",
         expect="Rule: this exercise asks you not to use torch.optim.lr_scheduler.CosineAnnealingLR"),
    dict(exercise="1. cosine_with_warmup",                        # the chapter's helper does it all
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    return schedule_curve('warmup + cosine', peak_lr, total_steps,"
              " warmup=warmup_steps / total_steps)[step]\n",
         expect="Rule: this exercise asks you not to use dlstudy.demos.schedules.schedule_curve"),
    dict(exercise="1. cosine_with_warmup",                        # the scheduler, imported under its own name first
         code="from torch.optim.lr_scheduler import CosineAnnealingLR as Cosine\n\n\n"
              "def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=peak_lr)\n"
              "    Cosine(opt, total_steps)\n"
              "    return peak_lr\n",
         expect="Rule: this exercise asks you not to use torch.optim.lr_scheduler.CosineAnnealingLR"),
    dict(exercise="1. cosine_with_warmup",                        # warmup from 0 instead of from 1% of the peak
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    if step < warmup_steps:\n"
              "        return peak_lr * step / warmup_steps\n"
              "    progress = (step - warmup_steps) / (total_steps - warmup_steps)\n"
              "    return peak_lr * 0.5 * (1 + math.cos(math.pi * progress))\n",
         expect="Rule: step 0 is peak_lr / 100"),
    dict(exercise="1. cosine_with_warmup",                        # cosine over all the steps, not the rest
         code="def cosine_with_warmup(step, peak_lr, warmup_steps, total_steps):\n"
              "    if step < warmup_steps:\n"
              "        return peak_lr * (0.01 + 0.99 * step / warmup_steps)\n"
              "    return peak_lr * 0.5 * (1 + math.cos(math.pi * step / total_steps))\n",
         expect="Rule: after the warmup, half a cosine"),
    # 2. can_overfit
    dict(exercise="2. can_overfit",                               # never trains: judges the untrained model
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    return nn.functional.cross_entropy(model(X), y).item() < 0.05\n",
         expect="Rule: train for the given number of steps with Adam"),
    dict(exercise="2. can_overfit",                               # lets dlstudy's fit run the loop
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    history = fit(model, (X, y), nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=lr),\n"
              "                  steps, progress=False)\n"
              "    return history['train_loss'][-1] < 0.05\n",
         expect="Rule: this exercise asks you not to use dlstudy.train.fit"),
    dict(exercise="2. can_overfit",                               # always says yes
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
              "    for _ in range(steps):\n"
              "        optimizer.zero_grad()\n"
              "        nn.functional.cross_entropy(model(X), y).backward()\n"
              "        optimizer.step()\n"
              "    return True\n",
         expect="Rule: the buggy model cannot reach a loss below 0.05"),
    dict(exercise="2. can_overfit",                               # returns the loss, not a yes / no
         code="def can_overfit(make_model, X, y, steps=200, lr=1e-3):\n"
              "    model = make_model()\n"
              "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
              "    for _ in range(steps):\n"
              "        optimizer.zero_grad()\n"
              "        loss = nn.functional.cross_entropy(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "    return loss.item()\n",
         expect="Rule: return True or False"),
    # 3. diagnosis
    dict(exercise="3. diagnosis", code="broken_layer, symptom = '1', 'dead'\n",
         expect="Rule: look at the dead-units panel"),
    dict(exercise="3. diagnosis", code="broken_layer, symptom = '3', 'saturated'\n",
         expect="Rule: a ReLU cannot saturate"),
    dict(exercise="3. diagnosis", code="broken_layer, symptom = '2', 'dead'\n",   # a Linear layer, not an activation
         expect="Rule: broken_layer is the name of an activation layer"),
    # 4. smooth_losses
    dict(exercise="4. smooth_losses",                             # the library's answer
         code="def smooth_losses(losses, beta=0.98):\n"
              "    from dlstudy.lr_finder import smooth\n"
              "    return smooth(losses, beta)\n",
         expect="Rule: this exercise asks you not to use dlstudy.lr_finder.smooth"),
    dict(exercise="4. smooth_losses",                             # the library's answer, imported first
         code="from dlstudy.lr_finder import smooth\n\n\n"
              "def smooth_losses(losses, beta=0.98):\n"
              "    return smooth(losses, beta)\n",
         expect="Rule: this exercise asks you not to use dlstudy.lr_finder.smooth"),
    dict(exercise="4. smooth_losses",                             # no bias correction
         code="def smooth_losses(losses, beta=0.98):\n"
              "    out, avg = [], 0.0\n"
              "    for loss in losses:\n"
              "        avg = beta * avg + (1 - beta) * loss\n"
              "        out.append(avg)\n"
              "    return out\n",
         expect="Rule: with the bias correction the first smoothed value equals the first loss"),
    dict(exercise="4. smooth_losses",                             # corrects with the wrong power
         code="def smooth_losses(losses, beta=0.98):\n"
              "    out, avg = [], 0.0\n"
              "    for i, loss in enumerate(losses):\n"
              "        avg = beta * avg + (1 - beta) * loss\n"
              "        out.append(avg / (1 - beta ** (i + 2)))\n"
              "    return out\n",
         expect="Rule: with the bias correction"),
]
