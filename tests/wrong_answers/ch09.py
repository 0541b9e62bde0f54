"""Wrong methods for chapter 09's exercises: each must fail its check with a message that names the rule."""

STOP = (
    "def early_stopping_epochs(val_losses, patience):\n"
    "    best, best_epoch, wait = float('inf'), None, 0\n"
    "    for epoch, loss in enumerate(val_losses, start={start}):\n"
    "        if loss {better} best:\n            best, best_epoch, wait = loss, epoch, 0\n"
    "        else:\n            wait += 1\n            if wait {reached} patience:\n                return best_epoch, epoch\n"
    "    return best_epoch, len(val_losses){last}\n"
)
RIGHT_STOP = dict(start=1, better="<", reached="==", last="")
INIT = (
    "def init_deep(model, nonlinearity):\n"
    "    for m in {modules}:\n        if isinstance(m, nn.Linear):\n"
    "            if nonlinearity == 'tanh':\n                {tanh}\n"
    "            else:\n                {relu}\n"
    "{bias}"
)
RIGHT_INIT = dict(modules="model.modules()", tanh="nn.init.xavier_normal_(m.weight)",
                  relu="nn.init.kaiming_normal_(m.weight, nonlinearity='relu')", bias="            nn.init.zeros_(m.bias)\n")

WRONG = [
    # 1. soft-thresholding: PyTorch's function, its module, the chapter's function, crossing 0, no stop at 0, dtype
    dict(exercise="09.1", code="def my_soft_threshold(w, t):\n    return F.softshrink(w, t)\n",
         expect="which this exercise does not allow"),
    dict(exercise="09.1", code="def my_soft_threshold(w, t):\n    return torch.nn.Softshrink(t)(w)\n",
         expect="which this exercise does not allow"),
    dict(exercise="09.1",
         code="def soft_threshold(w, t):\n    return torch.sign(w) * torch.clamp(w.abs() - t, min=0.0)\n\n\n"
              "def my_soft_threshold(w, t):\n    return soft_threshold(w, t)\n",
         expect="called soft_threshold"),
    dict(exercise="09.1", code="def my_soft_threshold(w, t):\n    return w - t * torch.sign(w)\n",
         expect="stop at exactly 0"),
    dict(exercise="09.1", code="def my_soft_threshold(w, t):\n    return torch.where(w.abs() > t, w, torch.zeros_like(w))\n",
         expect="t towards 0"),
    dict(exercise="09.1",
         code="def my_soft_threshold(w, t):\n    return torch.sign(w).float() * torch.clamp(w.abs() - t, min=0.0).float()\n",
         expect="same shape and dtype"),
    dict(exercise="09.1",                               # PyTorch's function, imported under its own name
         code="from torch.nn.functional import softshrink\n\n\n"
              "def my_soft_threshold(w, t):\n    return softshrink(w, t)\n",
         expect="which this exercise does not allow"),
    # hardshrink as a shortcut, w changed in place, NumPy
    dict(exercise="09.1",
         code="def my_soft_threshold(w, t):\n    kept = F.hardshrink(w, t)\n    return kept - t * torch.sign(kept)\n",
         expect="which this exercise does not allow"),
    dict(exercise="09.1",
         code="def my_soft_threshold(w, t):\n    w.copy_(torch.sign(w) * torch.clamp(w.abs() - t, min=0.0))\n    return w\n",
         expect="in place"),
    dict(exercise="09.1",
         code="import numpy as np\n\n\ndef my_soft_threshold(w, t):\n"
              "    a = np.asarray(w)\n    return torch.as_tensor(np.sign(a) * np.maximum(np.abs(a) - t, 0))\n",
         expect="NumPy|switches off"),
    # 2. inverted dropout: nn.Dropout / F.dropout, no rescaling, 1/p, keep probability p, one mask for all,
    #    a fixed pattern, rescaling at evaluation, in place
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    return F.dropout(x, p, training=training)\n",
         expect="called torch's dropout"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    drop = nn.Dropout(p)\n    drop.train(training)\n    return drop(x)\n",
         expect="called torch's dropout"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    return x * (torch.rand_like(x) >= p) if training else x\n",
         expect="kept ones by 1 / (1 - p)"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    return x * (torch.rand_like(x) < p) / p if training else x\n",
         expect="kept ones by 1 / (1 - p)"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    return x * (torch.rand(1) >= p) / (1 - p) if training else x\n",
         expect="not yet"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    if not training:\n        return x\n"
              "    keep = torch.ones_like(x)\n    keep.view(-1)[::4] = 0\n    return x * keep / (1 - p)\n",
         expect="not yet"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    keep = (torch.rand_like(x) >= p).float()\n"
              "    return x * keep / (1 - p) if training else x * (1 - p)\n",
         expect="return x unchanged"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    if training:\n        x *= (torch.rand_like(x) >= p).float() / (1 - p)\n    return x\n",
         expect="in place"),
    dict(exercise="09.2",                               # the ATen kernel behind F.dropout
         code="def my_dropout(x, p, training=True):\n    return torch.native_dropout(x, p, training)[0]\n",
         expect="called torch's"),
    dict(exercise="09.2",                               # F.dropout imported under its own name
         code="from torch.nn.functional import dropout\n\n\n"
              "def my_dropout(x, p, training=True):\n    return dropout(x, p, training)\n",
         expect="called torch's dropout"),
    # dropout1d / dropout2d (whole channels), the chapter's dropout_by_hand, a channel-wise mask, one mask reused
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    return F.dropout1d(x, p, training)\n",
         expect="called torch's dropout1d"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    return F.dropout2d(x[..., None], p, training)[..., 0]\n",
         expect="called torch's dropout2d"),
    dict(exercise="09.2",
         code="def dropout_by_hand(x, p):\n"
              "    mask = torch.empty_like(x).bernoulli_(1 - p)\n"
              "    return x * mask / (1 - p)\n\n\n"
              "def my_dropout(x, p, training=True):\n    return dropout_by_hand(x, p) if training else x\n",
         expect="called dropout_by_hand"),
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    if not training:\n        return x\n"
              "    keep = (torch.rand(*x.shape[:-1], 1) >= p).float()\n    return x * keep / (1 - p)\n",
         expect="not yet"),
    dict(exercise="09.2",
         code="_masks = {}\n\n\ndef my_dropout(x, p, training=True):\n    if not training:\n        return x\n"
              "    mask = _masks.setdefault(x.shape, (torch.rand_like(x) >= p).float())\n    return x * mask / (1 - p)\n",
         expect="new random mask at every call"),
    # 3. early stopping: "worse than the previous epoch" instead of "no new best", ties as improvements,
    #    off by one, epochs from 0
    dict(exercise="09.3",
         code="def early_stopping_epochs(val_losses, patience):\n"
              "    best, best_epoch, wait = float('inf'), None, 0\n"
              "    for epoch, loss in enumerate(val_losses, start=1):\n"
              "        if loss < best:\n            best, best_epoch = loss, epoch\n"
              "        if epoch > 1 and loss >= val_losses[epoch - 2]:\n            wait += 1\n"
              "        else:\n            wait = 0\n"
              "        if wait == patience:\n            return best_epoch, epoch\n"
              "    return best_epoch, len(val_losses)\n",
         expect="a new best must be strictly lower"),
    dict(exercise="09.3", code=STOP.format(**{**RIGHT_STOP, "better": "<="}), expect="equal loss is no improvement"),
    dict(exercise="09.3", code=STOP.format(**{**RIGHT_STOP, "reached": ">"}), expect="epochs in a row"),
    dict(exercise="09.3", code=STOP.format(**{**RIGHT_STOP, "start": 0, "last": " - 1"}), expect="epochs from 1"),
    # dlstudy's EarlyStopping driven by hand (the reference the old check cell defined), the two examples hard-coded
    dict(exercise="09.3",
         code="def early_stopping_epochs(val_losses, patience):\n"
              "    from types import SimpleNamespace\n"
              "    from dlstudy.train import History\n"
              "    callback, state = EarlyStopping(patience=patience, restore_best=False), SimpleNamespace(history=History(), stop=False)\n"
              "    callback.on_train_begin(state)\n"
              "    for epoch, loss in enumerate(val_losses, start=1):\n"
              "        state.history.append({'epoch': epoch, 'val_loss': loss})\n"
              "        callback.on_epoch_end(state)\n"
              "        if state.stop:\n            break\n"
              "    return callback.best_epoch, len(state.history)\n",
         expect="from dlstudy."),
    dict(exercise="09.3",
         code="def early_stopping_epochs(val_losses, patience):\n"
              "    return (4, 6) if len(val_losses) == 7 else (3, 3)\n",
         expect="not yet"),
    dict(exercise="09.3", code=STOP.format(**{**RIGHT_STOP, "reached": "== 1 +"}), expect="epochs in a row"),
    # 4. initialization: Kaiming for both, uniform instead of normal, Kaiming with fan_out, only the first layer,
    #    biases left as they were, a std from the width of the chapter's deep net, the chapter's init_weights
    dict(exercise="09.4", code=INIT.format(**{**RIGHT_INIT, "tanh": RIGHT_INIT["relu"]}), expect="Xavier normal for tanh"),
    dict(exercise="09.4",
         code=INIT.format(**{**RIGHT_INIT, "tanh": "nn.init.xavier_uniform_(m.weight)",
                             "relu": "nn.init.kaiming_uniform_(m.weight, nonlinearity='relu')"}),
         expect="from a normal distribution"),
    dict(exercise="09.4",
         code=INIT.format(**{**RIGHT_INIT, "relu": "nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')"}),
         expect="Kaiming normal for ReLU: std sqrt(2 / fan_in)"),
    dict(exercise="09.4",
         code="def init_deep(model, nonlinearity):\n    first = model[0]\n"
              "    (nn.init.xavier_normal_ if nonlinearity == 'tanh' else nn.init.kaiming_normal_)(first.weight)\n"
              "    nn.init.zeros_(first.bias)\n",
         expect="layer 2 ("),
    dict(exercise="09.4", code=INIT.format(**{**RIGHT_INIT, "bias": ""}), expect="every bias to 0"),
    dict(exercise="09.4",
         code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n"
              "            std = (2 / (256 + 256)) ** 0.5 if nonlinearity == 'tanh' else (2 / 256) ** 0.5\n"
              "            nn.init.normal_(m.weight, 0.0, std)\n            nn.init.zeros_(m.bias)\n",
         expect="has std"),
    dict(exercise="09.4",                               # the chapter's init_weights does it all
         code="def init_weights(model, nonlinearity='relu'):\n"
              "    for m in model.modules():\n        if isinstance(m, nn.Linear):\n"
              "            if nonlinearity == 'relu':\n                nn.init.kaiming_normal_(m.weight, nonlinearity='relu')\n"
              "            else:\n                nn.init.xavier_normal_(m.weight)\n"
              "            nn.init.zeros_(m.bias)\n\n\n"
              "def init_deep(model, nonlinearity):\n    init_weights(model, nonlinearity)\n",
         expect="called init_weights"),
    # only the top-level layers (a nested Sequential is missed), Xavier with tanh's gain
    dict(exercise="09.4", code=INIT.format(**{**RIGHT_INIT, "modules": "model.children()"}), expect="has std"),
    dict(exercise="09.4",
         code=INIT.format(**{**RIGHT_INIT, "tanh": "nn.init.xavier_normal_(m.weight, gain=nn.init.calculate_gain('tanh'))"}),
         expect="Xavier normal for tanh"),
]
WRONG += [
    # 2. p taken as the probability to keep (the same as dropping only at p = 0.5)
    dict(exercise="09.2",
         code="def my_dropout(x, p, training=True):\n    return x * (torch.rand_like(x) < p) / (1 - p) if training else x\n",
         expect="not yet"),
]
WRONG += [
    # 2. dropout through torch.ops and torch._VF (on the CPU they reach ATen as a bernoulli mask, like a hand-drawn one)
    dict(exercise="09.2", code="def my_dropout(x, p, training=True):\n    return torch.ops.aten.dropout(x, p, training)\n",
         expect="called torch's dropout"),
    dict(exercise="09.2", code="def my_dropout(x, p, training=True):\n    return torch._VF.dropout(x, p, training)\n",
         expect="called torch's dropout"),
    # issue-22 review (ex): device stand-in, fixed cases
    dict(exercise="09.2", code="def my_dropout(x, p, training=True):\n    if not training:\n        return x\n    return x * (torch.rand(x.shape) >= p) / (1 - p)\n", expect="on x's device"),
    dict(exercise="09.3", code="def early_stopping_epochs(val_losses, patience):\n    best, be, wait = float('inf'), None, 0\n    for e, l in enumerate(val_losses, 1):\n        if l < best - 1e-3:\n            best, be, wait = l, e, 0\n        else:\n            wait += 1\n            if wait == patience:\n                return be, e\n    return be, len(val_losses)\n", expect="strictly lower"),
    # issue-22 review (ex): device stand-in, fixed cases
    dict(exercise="09.2", code="def my_dropout(x, p, training=True):\n    if not training:\n        return x\n    keep = torch.distributions.Bernoulli(probs=torch.tensor(1 - p)).sample(x.shape)\n    return x * keep / (1 - p)\n", expect="on x's device"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='09.1', code='import torch.nn.functional as F\ndef my_soft_threshold(w, t): return F.softshrink(w, t)\n',
         expect='Your code ran the operation'),
    dict(exercise='09.1', code='import torch.nn.functional as F\ndef my_soft_threshold(w, t): return F.hardshrink(w, t)\n',
         expect='Your code ran the operation'),
    dict(exercise='09.1', code='def my_soft_threshold(w, t): return torch.clamp(w.abs() - t, min=0)\n',
         expect='Move every entry t towards'),
    dict(exercise='09.1', code='def my_soft_threshold(w, t):\n    w.copy_(torch.sign(w) * torch.clamp(w.abs() - t, min=0))\n    return w\n',
         expect='Leave your inputs as they are: your code changed'),
    dict(exercise='09.1', code='def my_soft_threshold(w, t): return torch.sign(w).float() * torch.clamp(w.abs().float() - t, min=0)\n',
         expect='Return a tensor of the same shape and dtype as w'),
    dict(exercise='09.2', code='import torch.nn.functional as F\ndef my_dropout(x, p, training=True): return F.alpha_dropout(x, p, training)\n',
         expect='Your code called'),
    dict(exercise='09.2', code='def my_dropout(x, p, training=True):\n    if not training: return x\n    return x * (torch.rand_like(x) >= p)\n',
         expect='Zero the dropped values and scale the kept ones'),
    dict(exercise='09.2', code='def my_dropout(x, p, training=True):\n    if not training: return x\n    return x * (torch.rand_like(x) < p) / (1 - p)\n',
         expect='Drop each value with probability p: you dropped'),
    dict(exercise='09.2', code='_g = torch.Generator().manual_seed(0)\ndef my_dropout(x, p, training=True):\n    if not training: return x\n    g = torch.Generator().manual_seed(0)\n    return x * (torch.rand(x.shape, generator=g) >= p).to(x.device) / (1 - p)\n',
         expect='Drop each value independently of every other'),
    dict(exercise='09.2', code='def my_dropout(x, p, training=True):\n    if not training: return x * (1 - p)\n    return x * (torch.rand_like(x) >= p) / (1 - p)\n',
         expect='In evaluation mode'),
    dict(exercise='09.2', code="import numpy as np\ndef my_dropout(x, p, training=True):\n    if not training: return x\n    return x * torch.from_numpy((np.random.rand(*x.shape) >= p).astype('float32')) / (1 - p)\n",
         expect='Make the mask on'),
    dict(exercise='09.2', code='def my_dropout(x, p, training=True):\n    if not training: return x\n    m = (torch.rand(x.shape[0], x.shape[1], 1, device=x.device) >= p)\n    return x * m / (1 - p)\n',
         expect='Drop each value with probability p: you dropped'),
    dict(exercise='09.3', code="def early_stopping_epochs(val_losses, patience):\n    best, be, w = float('inf'), 0, 0\n    for e, l in enumerate(val_losses, 1):\n        if l <= best: best, be, w = l, e, 0\n        else:\n            w += 1\n            if w >= patience: return be, e\n    return be, len(val_losses)\n",
         expect='An equal loss is no improvement: a new best must'),
    dict(exercise='09.3', code="def early_stopping_epochs(val_losses, patience):\n    best_epoch, w, prev = 1, 0, float('inf')\n    for e, l in enumerate(val_losses, 1):\n        if l < prev: best_epoch, w = e, 0\n        else:\n            w += 1\n            if w >= patience: return best_epoch, e\n        prev = l\n    return best_epoch, len(val_losses)\n",
         expect='Stop after `patience` epochs in a row without a|strictly lower than every earlier loss'),
    dict(exercise='09.3', code="def early_stopping_epochs(val_losses, patience):\n    best, be, w = float('inf'), 0, 0\n    for e, l in enumerate(val_losses, 1):\n        if l < best: best, be, w = l, e, 0\n        else:\n            w += 1\n            if w > patience: return be, e\n    return be, len(val_losses)\n",
         expect='not yet'),
    dict(exercise='09.3', code="def early_stopping_epochs(val_losses, patience):\n    best, be, w = float('inf'), 0, 0\n    for e, l in enumerate(val_losses, 1):\n        if l < best - 1e-3: best, be, w = l, e, 0\n        else:\n            w += 1\n            if w >= patience: return be, e\n    return be, len(val_losses)\n",
         expect='Stop after `patience` epochs in a row without a'),
    dict(exercise='09.3', code="def early_stopping_epochs(val_losses, patience):\n    best, be, w = float('inf'), 0, 0\n    for e, l in enumerate(val_losses, 1):\n        if l < best: best, be, w = l, e, 0\n        else:\n            w += 1\n            if w >= patience: return [be, e]\n    return [be, len(val_losses)]\n",
         expect='Return a pair (best_epoch, stop_epoch), not'),
    dict(exercise='09.4', code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n            (nn.init.xavier_uniform_ if nonlinearity == 'tanh' else lambda w: nn.init.kaiming_uniform_(w, nonlinearity='relu'))(m.weight); nn.init.zeros_(m.bias)\n",
         expect='Xavier normal for tanh: std'),
    dict(exercise='09.4', code="def init_deep(model, nonlinearity):\n    for m in model.children():\n        if isinstance(m, nn.Linear):\n            if nonlinearity == 'tanh': nn.init.xavier_normal_(m.weight)\n            else: nn.init.kaiming_normal_(m.weight, nonlinearity='relu')\n            nn.init.zeros_(m.bias)\n",
         expect='Xavier normal for tanh: std'),
    dict(exercise='09.4', code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n            if nonlinearity == 'tanh': nn.init.xavier_normal_(m.weight)\n            else: nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')\n            nn.init.zeros_(m.bias)\n",
         expect='Kaiming normal for ReLU: std'),
    dict(exercise='09.4', code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n            if nonlinearity == 'tanh': nn.init.xavier_normal_(m.weight, gain=nn.init.calculate_gain('tanh'))\n            else: nn.init.kaiming_normal_(m.weight, nonlinearity='relu')\n            nn.init.zeros_(m.bias)\n",
         expect='Xavier normal for tanh: std'),
    dict(exercise='09.4', code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n            nn.init.kaiming_normal_(m.weight, nonlinearity='relu'); nn.init.zeros_(m.bias)\n",
         expect='Xavier normal for tanh: std'),
]
