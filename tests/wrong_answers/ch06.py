"""Wrong methods for chapter 06's exercises: each must fail its check with a message that names the rule."""

WRONG = [
    # 1. SquaresDataset: scalar samples, float64, random points, the wrong target
    dict(exercise="1. SquaresDataset",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n)\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n",
         expect="must each have shape (1,)"),
    dict(exercise="1. SquaresDataset",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n, dtype=torch.float64).reshape(-1, 1)\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n",
         expect="use float32 tensors"),
    dict(exercise="1. SquaresDataset",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.rand(n, 1) * 2 - 1\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n",
         expect="evenly from -1 to 1"),
    dict(exercise="1. SquaresDataset",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n).reshape(-1, 1)\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i]\n",
         expect="the target of x is x squared"),
    # 2. train_one_epoch: no train(), no zero_grad, unweighted mean of batch losses, no step
    dict(exercise="2. train_one_epoch",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    total, seen = 0.0, 0\n"
              "    for X, y in loader:\n"
              "        X, y = X.to(device), y.to(device)\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        total += loss.item() * len(y)\n"
              "        seen += len(y)\n"
              "    return total / seen\n",
         expect="model.train()"),
    dict(exercise="2. train_one_epoch",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    model.train()\n"
              "    total, seen = 0.0, 0\n"
              "    for X, y in loader:\n"
              "        X, y = X.to(device), y.to(device)\n"
              "        loss = loss_fn(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        total += loss.item() * len(y)\n"
              "        seen += len(y)\n"
              "    return total / seen\n",
         expect="optimizer.zero_grad()"),
    dict(exercise="2. train_one_epoch",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    model.train()\n"
              "    losses = []\n"
              "    for X, y in loader:\n"
              "        X, y = X.to(device), y.to(device)\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss.item())\n"
              "    return sum(losses) / len(losses)\n",
         expect="weight each batch's mean loss by its number of samples"),
    dict(exercise="2. train_one_epoch",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    model.train()\n"
              "    total, seen = 0.0, 0\n"
              "    for X, y in loader:\n"
              "        X, y = X.to(device), y.to(device)\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(model(X), y)\n"
              "        loss.backward()\n"
              "        total += loss.item() * len(y)\n"
              "        seen += len(y)\n"
              "    return total / seen\n",
         expect="run backward and the optimizer step once per batch"),
    # fit does the epoch for you: the loop is not yours
    dict(exercise="2. train_one_epoch",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    history = fit(model, loader, loss_fn, optimizer, 1, progress=False)\n"
              "    model.train()\n"
              "    return history['train_loss'][0]\n",
         expect="write the loop yourself instead of calling fit"),
    # 3. accuracy_by_hand: no eval(), no no_grad(), the mean of the batch accuracies
    dict(exercise="3. accuracy_by_hand",
         code="def accuracy_by_hand(model, loader):\n"
              "    correct, seen = 0, 0\n"
              "    with torch.no_grad():\n"
              "        for X, y in loader:\n"
              "            X, y = X.to(device), y.to(device)\n"
              "            correct += (model(X).argmax(dim=1) == y).sum().item()\n"
              "            seen += len(y)\n"
              "    return correct / seen\n",
         expect="model.eval()"),
    dict(exercise="3. accuracy_by_hand",
         code="def accuracy_by_hand(model, loader):\n"
              "    model.eval()\n"
              "    correct, seen = 0, 0\n"
              "    for X, y in loader:\n"
              "        X, y = X.to(device), y.to(device)\n"
              "        correct += (model(X).argmax(dim=1) == y).sum().item()\n"
              "        seen += len(y)\n"
              "    return correct / seen\n",
         expect="torch.no_grad()"),
    dict(exercise="3. accuracy_by_hand",
         code="def accuracy_by_hand(model, loader):\n"
              "    model.eval()\n"
              "    scores = []\n"
              "    with torch.no_grad():\n"
              "        for X, y in loader:\n"
              "            X, y = X.to(device), y.to(device)\n"
              "            scores.append((model(X).argmax(dim=1) == y).float().mean().item())\n"
              "    return sum(scores) / len(scores)\n",
         expect="correct / seen over the whole loader"),
    # evaluate and predict do the four steps for you
    dict(exercise="3. accuracy_by_hand",
         code="def accuracy_by_hand(model, loader):\n"
              "    return evaluate(model, loader, metrics={'acc': accuracy})['acc']\n",
         expect="instead of calling evaluate or predict"),
    dict(exercise="3. accuracy_by_hand",
         code="def accuracy_by_hand(model, loader):\n"
              "    correct = seen = 0\n"
              "    for X, y in loader:\n"
              "        correct += (predict(model, X.to(device)).argmax(dim=1).cpu() == y).sum().item()\n"
              "        seen += len(y)\n"
              "    return correct / seen\n",
         expect="instead of calling evaluate or predict"),
    # 4. standardize: leakage, the unbiased std, the library's Standardizer, X_train left unscaled
    dict(exercise="4. standardize",
         code="def standardize(X_train, X_other):\n"
              "    both = torch.cat([X_train, X_other])\n"
              "    mu, sigma = both.mean(dim=0), both.std(dim=0, unbiased=False)\n"
              "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n",
         expect="data leakage"),
    dict(exercise="4. standardize",
         code="def standardize(X_train, X_other):\n"
              "    mu, sigma = X_train.mean(dim=0), X_train.std(dim=0)\n"
              "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n",
         expect="unbiased=False"),
    dict(exercise="4. standardize",
         code="def standardize(X_train, X_other):\n"
              "    scaler = Standardizer().fit(X_train)\n"
              "    return scaler.transform(X_train), scaler.transform(X_other)\n",
         expect="not to use dlstudy.data.Standardizer.fit"),
    dict(exercise="4. standardize",
         code="def standardize(X_train, X_other):\n"
              "    mu, sigma = X_train.mean(dim=0), X_train.std(dim=0, unbiased=False)\n"
              "    return X_train, (X_other - mu) / sigma\n",
         expect="scale X_train too"),
    # 5. save_and_reload: nothing saved, the whole model pickled, a copy instead of make_model(), nothing loaded
    dict(exercise="5. save_and_reload",
         code="import copy\n\n"
              "def save_and_reload(model, make_model, folder):\n    return copy.deepcopy(model)\n",
         expect="save the state dict to folder / 'model.pt'"),
    dict(exercise="5. save_and_reload",
         code="def save_and_reload(model, make_model, folder):\n"
              "    torch.save(model, folder / 'model.pt')\n"
              "    return torch.load(folder / 'model.pt', weights_only=False)\n",
         expect="not the whole model object"),
    dict(exercise="5. save_and_reload",
         code="import copy\n\n"
              "def save_and_reload(model, make_model, folder):\n"
              "    torch.save(model.state_dict(), folder / 'model.pt')\n"
              "    return copy.deepcopy(model)\n",
         expect="return the fresh model that make_model() built"),
    dict(exercise="5. save_and_reload",
         code="def save_and_reload(model, make_model, folder):\n"
              "    torch.save(model.state_dict(), folder / 'model.pt')\n"
              "    return make_model()\n",
         expect="load the file with load_state_dict"),
    # the file saved, but loaded unsafely, or not loaded at all (the numbers copied from the model in memory)
    dict(exercise="5. save_and_reload",
         code="def save_and_reload(model, make_model, folder):\n"
              "    torch.save(model.state_dict(), folder / 'model.pt')\n"
              "    fresh = make_model()\n"
              "    fresh.load_state_dict(torch.load(folder / 'model.pt', weights_only=False))\n"
              "    return fresh\n",
         expect="pass weights_only=True to torch.load"),
    dict(exercise="5. save_and_reload",
         code="def save_and_reload(model, make_model, folder):\n"
              "    torch.save(model.state_dict(), folder / 'model.pt')\n"
              "    fresh = make_model()\n"
              "    fresh.load_state_dict(model.state_dict())\n"
              "    return fresh\n",
         expect="load the numbers from the file you saved"),
]
