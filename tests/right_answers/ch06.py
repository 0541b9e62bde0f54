"""Right answers to chapter 06's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    # 1. a 1-D grid sliced per sample, the target computed on the fly
    dict(exercise="06.1",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.n = n\n        self.x = torch.linspace(-1, 1, n)\n"
              "    def __len__(self):\n        return self.n\n"
              "    def __getitem__(self, i):\n        x = self.x[i:i + 1]\n        return x, x * x\n"),
    dict(exercise="06.1",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1.0, 1.0, steps=n)[:, None]\n"
              "        self.y = self.x.pow(2)\n"
              "    def __len__(self):\n        return self.x.shape[0]\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.y[i]\n"),
    # 2. p.grad = None instead of zero_grad; model.zero_grad(); the dataset's length; the model's own device
    dict(exercise="06.2",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    model.train()\n"
              "    total = 0.0\n"
              "    for X, y in loader:\n"
              "        X, y = X.to(device), y.to(device)\n"
              "        for p in model.parameters():\n"
              "            p.grad = None\n"
              "        loss = loss_fn(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        total += loss.item() * X.shape[0]\n"
              "    return total / len(loader.dataset)\n"),
    dict(exercise="06.2",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    where = next(model.parameters()).device\n"
              "    model.train()\n"
              "    losses, sizes = [], []\n"
              "    for batch in loader:\n"
              "        X, y = (t.to(where, non_blocking=True) for t in batch)\n"
              "        model.zero_grad()\n"
              "        y_hat = model(X)\n"
              "        loss = loss_fn(y_hat, y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss.detach() * len(y))\n"
              "        sizes.append(len(y))\n"
              "    return torch.stack(losses).sum() / sum(sizes)\n"),
    dict(exercise="06.2",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    model.train()\n"
              "    total, seen = 0.0, 0\n"
              "    for X, y in loader:\n"
              "        X, y = X.to(device=device), y.to(device=device)\n"
              "        optimizer.zero_grad(set_to_none=False)\n"
              "        loss = loss_fn(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        total, seen = total + loss.item() * len(y), seen + len(y)\n"
              "    return total / seen\n"),
    # 3. inference_mode, train(False), a tensor count
    dict(exercise="06.3",
         code="def accuracy_by_hand(model, loader):\n"
              "    model.train(False)\n"
              "    correct, seen = torch.tensor(0), 0\n"
              "    with torch.inference_mode():\n"
              "        for X, y in loader:\n"
              "            X, y = X.to(device), y.to(device)\n"
              "            correct = correct + (model(X).max(dim=1).indices == y).sum().cpu()\n"
              "            seen += y.numel()\n"
              "    return correct.item() / seen\n"),
    # 4. var_mean, the population std by hand, correction=0
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    var, mu = torch.var_mean(X_train, dim=0, unbiased=False)\n"
              "    sigma = var.sqrt()\n"
              "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n"),
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    mu = X_train.sum(dim=0) / len(X_train)\n"
              "    sigma = ((X_train - mu) ** 2).mean(dim=0).sqrt()\n"
              "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n"),
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    mu, sigma = X_train.mean(0, keepdim=True), X_train.std(0, correction=0, keepdim=True)\n"
              "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n"),
    # 5. torch.load with its safe default (torch >= 2.6), a file object, map_location, a str path
    dict(exercise="06.5",
         code="def save_and_reload(model, make_model, folder):\n"
              "    torch.save(model.state_dict(), folder / 'model.pt')\n"
              "    fresh = make_model()\n"
              "    fresh.load_state_dict(torch.load(folder / 'model.pt'))\n"
              "    return fresh\n"),
    dict(exercise="06.5",
         code="def save_and_reload(model, make_model, folder):\n"
              "    path = str(folder) + '/model.pt'\n"
              "    with open(path, 'wb') as f:\n"
              "        torch.save(model.state_dict(), f)\n"
              "    fresh = make_model()\n"
              "    state = torch.load(path, map_location=device, weights_only=True)\n"
              "    fresh.load_state_dict(state)\n"
              "    return fresh\n"),
]
RIGHT += [
    dict(exercise="06.2",                                # counts the samples with a first pass over the loader
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    n = sum(len(y) for _, y in loader)\n"
              "    model.train()\n"
              "    total = 0.0\n"
              "    for X, y in loader:\n"
              "        X, y = X.to(device), y.to(device)\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        total += loss.item() * len(y) / n\n"
              "    return total\n"),
]
RIGHT += [
    dict(exercise="06.3",                                # gradients switched off and on again by hand
         code="def accuracy_by_hand(model, loader):\n"
              "    model.eval()\n"
              "    torch.set_grad_enabled(False)\n"
              "    hits = [((model(X.to(device)).argmax(1) == y.to(device)).sum().item(), len(y)) for X, y in loader]\n"
              "    torch.set_grad_enabled(True)\n"
              "    return sum(h for h, _ in hits) / sum(n for _, n in hits)\n"),
    # issue-22 review (ex): device stand-in, fixed cases
    dict(exercise="06.3", code="def accuracy_by_hand(model, loader):\n    model.eval(); right = n = 0\n    with torch.no_grad():\n        for X, y in loader:\n            X, y = X.to(device), y.to(device)\n            right += (model(X).argmax(1).cpu() == y.cpu()).sum().item(); n += len(y)\n    return right / n\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='06.1', code='class SquaresDataset(torch.utils.data.Dataset):\n    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n).reshape(-1, 1)\n    def __len__(self): return len(self.x)\n    def __getitem__(self, i): return self.x[i], self.x[i] ** 2\n'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train()\n    total, seen = 0.0, 0\n    for X, y in loader:\n        X, y = X.to(device), y.to(device)\n        for p in model.parameters(): p.grad = None\n        loss = loss_fn(model(X), y)\n        loss.backward()\n        optimizer.step()\n        total += loss.item() * len(y)\n        seen += len(y)\n    return total / seen\n'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train()\n    total, seen = 0.0, 0\n    for X, y in loader:\n        X, y = X.to(device), y.to(device)\n        model.zero_grad()\n        loss = loss_fn(model(X), y)\n        loss.backward()\n        optimizer.step()\n        total += loss.item() * len(y)\n        seen += len(y)\n    return total / seen\n'),
    dict(exercise='06.3', code='def accuracy_by_hand(model, loader):\n    model.eval()\n    correct, seen = 0, 0\n    with torch.no_grad():\n        for X, y in loader:\n            correct += (model(X.to(device)).argmax(1).cpu() == y.cpu()).sum().item()\n            seen += len(y)\n    return correct / seen\n'),
    dict(exercise='06.3', code='def accuracy_by_hand(model, loader):\n    model.eval()\n    correct, seen = 0, 0\n    with torch.no_grad():\n        for X, y in loader:\n            X, y = X.to(device), y.to(device)\n            correct += (model(X).argmax(dim=1) == y).sum().item()\n            seen += len(y)\n    return correct / seen\n'),
    dict(exercise='06.4', code='def standardize(X_train, X_other):\n    m = X_train.mean(0); s = X_train.var(0, unbiased=False).sqrt()\n    return (X_train - m) / s, (X_other - m) / s\n'),
]
