"""Wrong methods for chapter 09's exercises: each must fail its check with a message that names the rule."""

WRONG = [
    # 1. soft-thresholding: PyTorch's function, its module, the chapter's function, crossing 0, no stop at 0, dtype
    dict(exercise="1. soft-thresholding", code="def my_soft_threshold(w, t):\n    return F.softshrink(w, t)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.softshrink"),
    dict(exercise="1. soft-thresholding", code="def my_soft_threshold(w, t):\n    return torch.nn.Softshrink(t)(w)\n",
         expect="Rule: this exercise asks you not to use"),
    dict(exercise="1. soft-thresholding",
         code="def soft_threshold(w, t):\n    return torch.sign(w) * torch.clamp(w.abs() - t, min=0.0)\n\n\n"
              "def my_soft_threshold(w, t):\n    return soft_threshold(w, t)\n",
         expect="not to use the chapter's soft_threshold"),
    dict(exercise="1. soft-thresholding", code="def my_soft_threshold(w, t):\n    return w - t * torch.sign(w)\n",
         expect="stop at exactly 0"),
    dict(exercise="1. soft-thresholding", code="def my_soft_threshold(w, t):\n    return torch.where(w.abs() > t, w, torch.zeros_like(w))\n",
         expect="move every entry t towards 0"),
    dict(exercise="1. soft-thresholding",
         code="def my_soft_threshold(w, t):\n    return torch.sign(w).float() * torch.clamp(w.abs() - t, min=0.0).float()\n",
         expect="same shape and dtype"),
    dict(exercise="1. soft-thresholding",                         # PyTorch's function, imported under its own name
         code="from torch.nn.functional import softshrink\n\n\n"
              "def my_soft_threshold(w, t):\n    return softshrink(w, t)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.softshrink"),
    # 2. inverted dropout: nn.Dropout / F.dropout, no rescaling, 1/p, keep probability p, one mask for all,
    #    a fixed pattern, rescaling at evaluation, in place
    dict(exercise="2. inverted dropout",
         code="def my_dropout(x, p, training=True):\n    return F.dropout(x, p, training=training)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.dropout"),
    dict(exercise="2. inverted dropout",
         code="def my_dropout(x, p, training=True):\n    drop = nn.Dropout(p)\n    drop.train(training)\n    return drop(x)\n",
         expect="Rule: this exercise asks you not to use"),
    dict(exercise="2. inverted dropout",
         code="def my_dropout(x, p, training=True):\n    return x * (torch.rand_like(x) >= p) if training else x\n",
         expect="scale the kept ones by 1 / (1 - p)"),
    dict(exercise="2. inverted dropout",
         code="def my_dropout(x, p, training=True):\n    return x * (torch.rand_like(x) < p) / p if training else x\n",
         expect="scale the kept ones by 1 / (1 - p)"),
    dict(exercise="2. inverted dropout",
         code="def my_dropout(x, p, training=True):\n    return x * (torch.rand(1) >= p) / (1 - p) if training else x\n",
         expect="Rule: drop each value with probability p"),
    dict(exercise="2. inverted dropout",
         code="def my_dropout(x, p, training=True):\n    if not training:\n        return x\n"
              "    keep = torch.ones_like(x)\n    keep[::4] = 0\n    return x * keep / (1 - p)\n",
         expect="drop each value independently, with a new random mask at every call"),
    dict(exercise="2. inverted dropout",
         code="def my_dropout(x, p, training=True):\n    keep = (torch.rand_like(x) >= p).float()\n"
              "    return x * keep / (1 - p) if training else x * (1 - p)\n",
         expect="in evaluation mode (training=False) return x unchanged"),
    dict(exercise="2. inverted dropout",
         code="def my_dropout(x, p, training=True):\n    if training:\n        x *= (torch.rand_like(x) >= p).float() / (1 - p)\n    return x\n",
         expect="leave x unchanged"),
    dict(exercise="2. inverted dropout",                          # the ATen kernel behind F.dropout
         code="def my_dropout(x, p, training=True):\n    return torch.native_dropout(x, p, training)[0]\n",
         expect="Rule: this exercise asks you not to use torch.native_dropout"),
    dict(exercise="2. inverted dropout",                          # F.dropout imported under its own name
         code="from torch.nn.functional import dropout\n\n\n"
              "def my_dropout(x, p, training=True):\n    return dropout(x, p, training)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.dropout"),
    # 3. early stopping: "worse than the previous epoch" instead of "no new best", ties as improvements,
    #    off by one, epochs from 0
    dict(exercise="3. early stopping epochs",
         code="def early_stopping_epochs(val_losses, patience):\n"
              "    best, best_epoch, wait = float('inf'), None, 0\n"
              "    for epoch, loss in enumerate(val_losses, start=1):\n"
              "        if loss < best:\n            best, best_epoch = loss, epoch\n"
              "        if epoch > 1 and loss >= val_losses[epoch - 2]:\n            wait += 1\n"
              "        else:\n            wait = 0\n"
              "        if wait == patience:\n            return best_epoch, epoch\n"
              "    return best_epoch, len(val_losses)\n",
         expect="Rule:"),
    dict(exercise="3. early stopping epochs",
         code="def early_stopping_epochs(val_losses, patience):\n"
              "    best, best_epoch, wait = float('inf'), None, 0\n"
              "    for epoch, loss in enumerate(val_losses, start=1):\n"
              "        if loss <= best:\n            best, best_epoch, wait = loss, epoch, 0\n"
              "        else:\n            wait += 1\n            if wait == patience:\n                return best_epoch, epoch\n"
              "    return best_epoch, len(val_losses)\n",
         expect="an equal loss is no improvement"),
    dict(exercise="3. early stopping epochs",
         code="def early_stopping_epochs(val_losses, patience):\n"
              "    best, best_epoch, wait = float('inf'), None, 0\n"
              "    for epoch, loss in enumerate(val_losses, start=1):\n"
              "        if loss < best:\n            best, best_epoch, wait = loss, epoch, 0\n"
              "        else:\n            wait += 1\n            if wait > patience:\n                return best_epoch, epoch\n"
              "    return best_epoch, len(val_losses)\n",
         expect="stop after `patience` epochs in a row"),
    dict(exercise="3. early stopping epochs",
         code="def early_stopping_epochs(val_losses, patience):\n"
              "    best, best_epoch, wait = float('inf'), None, 0\n"
              "    for epoch, loss in enumerate(val_losses):\n"
              "        if loss < best:\n            best, best_epoch, wait = loss, epoch, 0\n"
              "        else:\n            wait += 1\n            if wait == patience:\n                return best_epoch, epoch\n"
              "    return best_epoch, len(val_losses) - 1\n",
         expect="count epochs from 1"),
    # 4. initialization: Kaiming for both, uniform instead of normal, Kaiming with fan_out, only the first layer,
    #    biases left random, a std from the width of the check's deep net
    dict(exercise="4. deep initialization",
         code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n"
              "            nn.init.kaiming_normal_(m.weight, nonlinearity='relu')\n            nn.init.zeros_(m.bias)\n",
         expect="Xavier normal for tanh"),
    dict(exercise="4. deep initialization",
         code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n"
              "            if nonlinearity == 'tanh':\n                nn.init.xavier_uniform_(m.weight)\n"
              "            else:\n                nn.init.kaiming_uniform_(m.weight, nonlinearity='relu')\n"
              "            nn.init.zeros_(m.bias)\n",
         expect="from a normal distribution"),
    dict(exercise="4. deep initialization",
         code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n"
              "            if nonlinearity == 'tanh':\n                nn.init.xavier_normal_(m.weight)\n"
              "            else:\n                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')\n"
              "            nn.init.zeros_(m.bias)\n",
         expect="Kaiming normal for ReLU: std sqrt(2 / fan_in)"),
    dict(exercise="4. deep initialization",
         code="def init_deep(model, nonlinearity):\n    first = model[0]\n"
              "    (nn.init.xavier_normal_ if nonlinearity == 'tanh' else nn.init.kaiming_normal_)(first.weight)\n"
              "    nn.init.zeros_(first.bias)\n",
         expect="layer 2"),
    dict(exercise="4. deep initialization",
         code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n"
              "            if nonlinearity == 'tanh':\n                nn.init.xavier_normal_(m.weight)\n"
              "            else:\n                nn.init.kaiming_normal_(m.weight, nonlinearity='relu')\n",
         expect="set every bias to 0"),
    dict(exercise="4. deep initialization",
         code="def init_deep(model, nonlinearity):\n    for m in model.modules():\n        if isinstance(m, nn.Linear):\n"
              "            std = (2 / (256 + 256)) ** 0.5 if nonlinearity == 'tanh' else (2 / 256) ** 0.5\n"
              "            nn.init.normal_(m.weight, 0.0, std)\n            nn.init.zeros_(m.bias)\n",
         expect="Rule:"),
    dict(exercise="4. deep initialization",                       # the chapter's init_weights does it all
         code="def init_weights(model, nonlinearity='relu'):\n"
              "    for m in model.modules():\n        if isinstance(m, nn.Linear):\n"
              "            if nonlinearity == 'relu':\n                nn.init.kaiming_normal_(m.weight, nonlinearity='relu')\n"
              "            else:\n                nn.init.xavier_normal_(m.weight)\n"
              "            nn.init.zeros_(m.bias)\n\n\n"
              "def init_deep(model, nonlinearity):\n    init_weights(model, nonlinearity)\n",
         expect="Rule: this exercise asks you not to use the chapter's init_weights"),
]
