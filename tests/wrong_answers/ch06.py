"""Wrong methods for chapter 06's exercises: each must fail its check with a message that names the rule."""

EPOCH = (
    "def train_one_epoch(model, loader, loss_fn, optimizer):\n"
    "{train}"
    "    total, seen = 0.0, 0\n"
    "    for X, y in loader:\n"
    "{move}"
    "{clear}"
    "        loss = loss_fn(model(X), y)\n"
    "        loss.backward()\n"
    "{step}"
    "        total += loss.item() * len(y)\n"
    "        seen += len(y)\n"
    "    return total / seen\n"
)
RIGHT_EPOCH = dict(train="    model.train()\n", move="        X, y = X.to(device), y.to(device)\n",
                   clear="        optimizer.zero_grad()\n", step="        optimizer.step()\n")
ACCURACY = (
    "def accuracy_by_hand(model, loader):\n"
    "{mode}"
    "    correct, seen = 0, 0\n"
    "    with {context}:\n"
    "        for X, y in loader:\n"
    "{move}"
    "            correct += (model(X).argmax(dim=1) == y).sum().item()\n"
    "            seen += len(y)\n"
    "    return correct / seen\n"
)
RIGHT_ACCURACY = dict(mode="    model.eval()\n", context="torch.no_grad()", move="            X, y = X.to(device), y.to(device)\n")
CHAPTER_LOOPS = (   # the chapter's own loops, as section 5 defines them
    "def evaluate_by_hand(model, loader, loss_fn):\n"
    "    model.eval()\n"
    "    total_loss, correct, seen = 0.0, 0, 0\n"
    "    with torch.no_grad():\n"
    "        for X, y in loader:\n"
    "            X, y = X.to(device), y.to(device)\n"
    "            y_hat = model(X)\n"
    "            total_loss += loss_fn(y_hat, y).item() * len(y)\n"
    "            correct += (y_hat.argmax(dim=1) == y).sum().item()\n"
    "            seen += len(y)\n"
    "    return total_loss / seen, correct / seen\n\n\n"
    "def train_by_hand(model, train_loader, val_loader, loss_fn, optimizer, num_epochs):\n"
    "    record = {'train_loss': [], 'val_loss': [], 'val_acc': []}\n"
    "    for epoch in range(num_epochs):\n"
    "        model.train()\n"
    "        total_loss, seen = 0.0, 0\n"
    "        for X, y in train_loader:\n"
    "            X, y = X.to(device), y.to(device)\n"
    "            optimizer.zero_grad()\n"
    "            loss = loss_fn(model(X), y)\n"
    "            loss.backward()\n"
    "            optimizer.step()\n"
    "            total_loss += loss.item() * len(y)\n"
    "            seen += len(y)\n"
    "        record['train_loss'].append(total_loss / seen)\n"
    "    return record\n\n\n"
)
SAVE = (
    "def save_and_reload(model, make_model, folder):\n"
    "    path = folder / 'model.pt'\n"
    "    torch.save(model.state_dict(), path)\n"
    "    fresh = make_model()\n"
    "{load}"
    "    return fresh\n"
)

WRONG = [
    # 1. SquaresDataset: scalar samples, float64, random points, the wrong target, n hard-coded, an off-by-one grid
    dict(exercise="06.1",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n)\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n",
         expect="must each have shape (1,)"),
    dict(exercise="06.1",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n, dtype=torch.float64).reshape(-1, 1)\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n",
         expect="float32 tensors"),
    dict(exercise="06.1",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.rand(n, 1) * 2 - 1\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n",
         expect="evenly from -1 to 1"),
    dict(exercise="06.1",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n).reshape(-1, 1)\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i]\n",
         expect="target of x is x squared"),
    dict(exercise="06.1",                                           # n hard-coded to the example's 11
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, 11).reshape(-1, 1)\n"
              "    def __len__(self):\n        return 11\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n",
         expect="len(SquaresDataset("),
    dict(exercise="06.1",                                           # n + 1 points, the last one dropped
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n + 1)[:-1].reshape(-1, 1)\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n",
         expect="evenly from -1 to 1"),
    dict(exercise="06.1",                                           # a (1, 1) sample: batches of (b, 1, 1)
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n).reshape(-1, 1, 1)\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return self.x[i], self.x[i] ** 2\n",
         expect="must each have shape (1,)"),
    # 2. train_one_epoch: no train(), no zero_grad, unweighted mean of batch losses, no step
    dict(exercise="06.2", code=EPOCH.format(**{**RIGHT_EPOCH, "train": ""}), expect="model.train()"),
    dict(exercise="06.2", code=EPOCH.format(**{**RIGHT_EPOCH, "clear": ""}), expect="the gradients before every backward"),
    dict(exercise="06.2",
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
         expect="each batch's mean loss by its number of samples"),
    dict(exercise="06.2", code=EPOCH.format(**{**RIGHT_EPOCH, "step": ""}), expect="five steps per batch"),
    # fit does the epoch for you: the loop is not yours
    dict(exercise="06.2",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    history = fit(model, loader, loss_fn, optimizer, 1, progress=False)\n"
              "    model.train()\n"
              "    return history['train_loss'][0]\n",
         expect="which this exercise switches off"),
    # batches never moved to the device (they would crash on a GPU), or moved only in dtype, or only X
    dict(exercise="06.2", code=EPOCH.format(**{**RIGHT_EPOCH, "move": ""}), expect="to the model's device before"),
    dict(exercise="06.2", code=EPOCH.format(**{**RIGHT_EPOCH, "move": "        X = X.to(device)\n"}),
         expect="to the model's device before"),
    dict(exercise="06.2", code=EPOCH.format(**{**RIGHT_EPOCH, "move": "        X, y = X.to(torch.float32), y.long()\n"}),
         expect="to the model's device before"),
    # a dummy extra optimizer.step(), a step before backward, zero_grad after backward
    dict(exercise="06.2", code=EPOCH.format(**{**RIGHT_EPOCH, "step": "        optimizer.step()\n        optimizer.step()\n"}),
         expect="five steps per batch"),
    dict(exercise="06.2",
         code=EPOCH.format(**{**RIGHT_EPOCH, "clear": "", "step": "        optimizer.zero_grad()\n        optimizer.step()\n"}),
         expect="five steps per batch"),
    # the chapter's train_by_hand does the epoch
    dict(exercise="06.2",
         code=CHAPTER_LOOPS + "def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    return train_by_hand(model, loader, [], loss_fn, optimizer, 1)['train_loss'][0]\n",
         expect="called train_by_hand"),
    # the loss of the last batch only
    dict(exercise="06.2",
         code="def train_one_epoch(model, loader, loss_fn, optimizer):\n"
              "    model.train()\n"
              "    for X, y in loader:\n"
              "        X, y = X.to(device), y.to(device)\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(model(X), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "    return loss.item()\n",
         expect="epoch loss"),
    # 3. accuracy_by_hand: no eval(), no no_grad(), the mean of the batch accuracies
    dict(exercise="06.3", code=ACCURACY.format(**{**RIGHT_ACCURACY, "mode": ""}), expect="model.eval()"),
    dict(exercise="06.3", code=ACCURACY.format(**{**RIGHT_ACCURACY, "context": "torch.enable_grad()"}),
         expect="torch.no_grad()"),
    dict(exercise="06.3",
         code="def accuracy_by_hand(model, loader):\n"
              "    model.eval()\n"
              "    scores = []\n"
              "    with torch.no_grad():\n"
              "        for X, y in loader:\n"
              "            X, y = X.to(device), y.to(device)\n"
              "            scores.append((model(X).argmax(dim=1) == y).float().mean().item())\n"
              "    return sum(scores) / len(scores)\n",
         expect="correct / seen over the whole loader"),
    # evaluate, predict, dlstudy's accuracy and the chapter's evaluate_by_hand do the steps for you
    dict(exercise="06.3",
         code="def accuracy_by_hand(model, loader):\n"
              "    return evaluate(model, loader, metrics={'acc': accuracy})['acc']\n",
         expect="which this exercise switches off"),
    dict(exercise="06.3",
         code="def accuracy_by_hand(model, loader):\n"
              "    correct = seen = 0\n"
              "    for X, y in loader:\n"
              "        correct += (predict(model, X.to(device)).argmax(dim=1) == y.to(device)).sum().item()\n"
              "        seen += len(y)\n"
              "    return correct / seen\n",
         expect="predict (from dlstudy.train)"),
    dict(exercise="06.3",
         code="def accuracy_by_hand(model, loader):\n"
              "    model.eval()\n"
              "    total = seen = 0\n"
              "    with torch.no_grad():\n"
              "        for X, y in loader:\n"
              "            X, y = X.to(device), y.to(device)\n"
              "            total += accuracy(model(X), y) * len(y)\n"
              "            seen += len(y)\n"
              "    return total / seen\n",
         expect="accuracy (from dlstudy.metrics)"),
    dict(exercise="06.3",
         code=CHAPTER_LOOPS + "def accuracy_by_hand(model, loader):\n"
              "    return evaluate_by_hand(model, loader, nn.CrossEntropyLoss())[1]\n",
         expect="called evaluate_by_hand"),
    dict(exercise="06.3", code=ACCURACY.format(**{**RIGHT_ACCURACY, "move": ""}), expect="to the model's device before"),
    # 4. standardize: leakage, the unbiased std, the library's Standardizer, X_train left unscaled
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    both = torch.cat([X_train, X_other])\n"
              "    mu, sigma = both.mean(dim=0), both.std(dim=0, unbiased=False)\n"
              "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n",
         expect="statistics must come from X_train only"),
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    mu, sigma = X_train.mean(dim=0), X_train.std(dim=0)\n"
              "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n",
         expect="unbiased=False"),
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    scaler = Standardizer().fit(X_train)\n"
              "    return scaler.transform(X_train), scaler.transform(X_other)\n",
         expect="Rule:"),
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    mu, sigma = X_train.mean(dim=0), X_train.std(dim=0, unbiased=False)\n"
              "    return X_train, (X_other - mu) / sigma\n",
         expect="X_train too"),
    # scikit-learn's StandardScaler, batch norm as a shortcut, in place, X_other with its own statistics
    dict(exercise="06.4",
         code="from sklearn.preprocessing import StandardScaler\n\n\n"
              "def standardize(X_train, X_other):\n"
              "    scaler = StandardScaler().fit(X_train)\n"
              "    return (torch.as_tensor(scaler.transform(X_train), dtype=torch.float32),\n"
              "            torch.as_tensor(scaler.transform(X_other), dtype=torch.float32))\n",
         expect="Rule:"),
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    mu, var = X_train.mean(dim=0), X_train.var(dim=0, unbiased=False)\n"
              "    norm = lambda X: torch.nn.functional.batch_norm(X, mu, var, training=False, eps=0.0)\n"
              "    return norm(X_train), norm(X_other)\n",
         expect="which this exercise does not allow"),
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    mu, sigma = X_train.mean(dim=0), X_train.std(dim=0, unbiased=False)\n"
              "    X_train -= mu\n    X_train /= sigma\n    X_other -= mu\n    X_other /= sigma\n"
              "    return X_train, X_other\n",
         expect="in place"),
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    scale = lambda X: (X - X.mean(dim=0)) / X.std(dim=0, unbiased=False)\n"
              "    return scale(X_train), scale(X_other)\n",
         expect="not with its own"),
    # 5. save_and_reload: nothing saved, the whole model pickled, a copy instead of make_model(), nothing loaded
    dict(exercise="06.5",
         code="import copy\n\n"
              "def save_and_reload(model, make_model, folder):\n    return copy.deepcopy(model)\n",
         expect="state dict to folder / 'model.pt'"),
    dict(exercise="06.5",
         code="def save_and_reload(model, make_model, folder):\n"
              "    torch.save(model, folder / 'model.pt')\n"
              "    return torch.load(folder / 'model.pt', weights_only=False)\n",
         expect="not the whole model object"),
    dict(exercise="06.5",
         code="import copy\n\n"
              "def save_and_reload(model, make_model, folder):\n"
              "    torch.save(model.state_dict(), folder / 'model.pt')\n"
              "    return copy.deepcopy(model)\n",
         expect="fresh model that make_model() built"),
    dict(exercise="06.5", code=SAVE.format(load=""), expect="numbers from the file you saved"),
    # loaded unsafely, not loaded at all (the numbers copied from the model in memory), a dummy load
    dict(exercise="06.5",
         code=SAVE.format(load="    fresh.load_state_dict(torch.load(path, weights_only=False))\n"),
         expect="weights_only=True"),
    dict(exercise="06.5", code=SAVE.format(load="    fresh.load_state_dict(model.state_dict())\n"),
         expect="numbers from the file you saved"),
    dict(exercise="06.5",
         code=SAVE.format(load="    torch.load(path, weights_only=True)\n    fresh.load_state_dict(model.state_dict())\n"),
         expect="numbers from the file you saved"),
    dict(exercise="06.5",                                           # a pickle module makes torch.load unsafe again
         code="import pickle\n\n" + SAVE.format(load="    fresh.load_state_dict(torch.load(path, pickle_module=pickle))\n"),
         expect="weights_only=True"),
    dict(exercise="06.5",                                           # one safe load, then an unsafe one
         code=SAVE.format(load="    torch.load(path, weights_only=True)\n"
                               "    fresh.load_state_dict(torch.load(path, weights_only=False))\n"),
         expect="weights_only=True"),
]
WRONG += [
    # 4. float64 out of float32 in
    dict(exercise="06.4",
         code="def standardize(X_train, X_other):\n"
              "    X_train, X_other = X_train.double(), X_other.double()\n"
              "    mu, sigma = X_train.mean(dim=0), X_train.std(dim=0, unbiased=False)\n"
              "    return (X_train - mu) / sigma, (X_other - mu) / sigma\n",
         expect="must keep the dtype"),
]
WRONG += [
    # 1. a sample made of Python lists
    dict(exercise="06.1",
         code="class SquaresDataset(Dataset):\n"
              "    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n).tolist()\n"
              "    def __len__(self):\n        return len(self.x)\n"
              "    def __getitem__(self, i):\n        return [self.x[i]], [self.x[i] ** 2]\n",
         expect="pair of tensors"),
    # 3. a percentage instead of a fraction
    dict(exercise="06.3", code=ACCURACY.format(**RIGHT_ACCURACY).replace("return correct / seen", "return 100 * correct / seen"),
         expect="should be"),
    # 5. another file name
    dict(exercise="06.5", code=SAVE.format(load="    fresh.load_state_dict(torch.load(path, weights_only=True))\n")
         .replace("folder / 'model.pt'", "folder / 'weights.pt'"),
         expect="state dict to folder / 'model.pt'"),
    # issue-22 review (ex): device stand-in, fixed cases
    dict(exercise="06.2", code="def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train(); total, seen = 0.0, 0\n    for X, y in loader:\n        X, y = X.cpu(), y.cpu()\n        optimizer.zero_grad(); loss = loss_fn(model(X), y); loss.backward(); optimizer.step()\n        total += loss.item() * len(y); seen += len(y)\n    return total / seen\n", expect="hard-code the CPU"),
    dict(exercise="06.3", code="def accuracy_by_hand(model, loader):\n    model.eval(); right = n = 0\n    with torch.no_grad():\n        for X, y in loader:\n            X, y = X.cpu(), y.cpu()\n            right += (model(X).argmax(1) == y).sum().item(); n += len(y)\n    return right / n\n", expect="hard-code the CPU"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='06.1', code='class SquaresDataset(torch.utils.data.Dataset):\n    def __init__(self, n):\n        self.x = (torch.arange(n) / (n - 1) * 2 - 1).reshape(-1, 1)\n    def __len__(self): return len(self.x)\n    def __getitem__(self, i): return self.x[i], self.x[i] ** 2 + 0.01\n',
         expect='The target of x is x squared.'),
    dict(exercise='06.1', code='class SquaresDataset(torch.utils.data.Dataset):\n    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n, dtype=torch.float64).reshape(-1, 1)\n    def __len__(self): return len(self.x)\n    def __getitem__(self, i): return self.x[i], self.x[i] ** 2\n',
         expect='not yet'),
    dict(exercise='06.1', code='class SquaresDataset(torch.utils.data.Dataset):\n    def __init__(self, n):\n        self.x = torch.linspace(-1, 1, n).reshape(-1, 1)\n    def __len__(self): return len(self.x) - 1\n    def __getitem__(self, i): return self.x[i], self.x[i] ** 2\n',
         expect='not yet'),
    dict(exercise='06.2', code="from dlstudy.train import fit\ndef train_one_epoch(model, loader, loss_fn, optimizer):\n    h = fit(model, loader, loss_fn, optimizer, num_epochs=1, device=device)\n    return h['train_loss'][-1] if isinstance(h, dict) else h.train_loss[-1]\n",
         expect='Your code called fit (from dlstudy.train), which'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train()\n    total, seen = 0.0, 0\n    for X, y in loader:\n        optimizer.zero_grad()\n        loss = loss_fn(model(X), y)\n        loss.backward()\n        optimizer.step()\n        total += loss.item() * len(y)\n        seen += len(y)\n    return total / seen\n',
         expect='Move every batch to the'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train()\n    total, seen = 0.0, 0\n    for X, y in loader:\n        X = X.to(device)\n        optimizer.zero_grad()\n        loss = loss_fn(model(X), y)\n        loss.backward()\n        optimizer.step()\n        total += loss.item() * len(y)\n        seen += len(y)\n    return total / seen\n',
         expect='Move every batch to the'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train()\n    total, seen = 0.0, 0\n    for X, y in loader:\n        X, y = X.cpu(), y.cpu()\n        optimizer.zero_grad()\n        loss = loss_fn(model(X), y)\n        loss.backward()\n        optimizer.step()\n        total += loss.item() * len(y)\n        seen += len(y)\n    return total / seen\n',
         expect='Do not hard-code the CPU: move tensors with'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    total, seen = 0.0, 0\n    for X, y in loader:\n        X, y = X.to(device), y.to(device)\n        optimizer.zero_grad()\n        loss = loss_fn(model(X), y)\n        loss.backward()\n        optimizer.step()\n        total += loss.item() * len(y)\n        seen += len(y)\n    return total / seen\n',
         expect='Put the model in training mode with'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train()\n    total, seen = 0.0, 0\n    for X, y in loader:\n        X, y = X.to(device), y.to(device)\n        loss = loss_fn(model(X), y)\n        loss.backward()\n        optimizer.step()\n        total += loss.item() * len(y)\n        seen += len(y)\n    return total / seen\n',
         expect='Clear the gradients before every backward'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train(); total = seen = 0\n    for X, y in loader:\n        X, y = X.to(device), y.to(device)\n        loss = loss_fn(model(X), y)\n        loss.backward(); optimizer.zero_grad(); optimizer.step()\n        total += loss.item() * len(y); seen += len(y)\n    return total / seen\n',
         expect='After your epoch the weights differ from one'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train(); losses = []\n    for X, y in loader:\n        X, y = X.to(device), y.to(device)\n        optimizer.zero_grad(); loss = loss_fn(model(X), y); loss.backward(); optimizer.step()\n        losses.append(loss.item())\n    return sum(losses) / len(losses)\n',
         expect='not yet'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train(); total = 0\n    for X, y in loader:\n        X, y = X.to(device), y.to(device)\n        optimizer.zero_grad(); loss = loss_fn(model(X), y); loss.backward(); optimizer.step()\n        total += loss.item() * loader.batch_size\n    return total / len(loader.dataset)\n',
         expect='Your epoch loss'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.train()\n    total, seen = 0.0, 0\n    for X, y in loader:\n        X, y = X.to(device), y.to(device)\n        optimizer.zero_grad()\n        loss = loss_fn(torch.softmax(model(X), 1), y)\n        loss.backward()\n        optimizer.step()\n        total += loss.item() * len(y)\n        seen += len(y)\n    return total / seen\n',
         expect='After your epoch the weights differ from one'),
    dict(exercise='06.2', code='def train_one_epoch(model, loader, loss_fn, optimizer):\n    model.eval()\n    total, seen = 0.0, 0\n    for X, y in loader:\n        X, y = X.to(device), y.to(device)\n        optimizer.zero_grad()\n        loss = loss_fn(model(X), y)\n        loss.backward()\n        optimizer.step()\n        total += loss.item() * len(y)\n        seen += len(y)\n    return total / seen\n',
         expect='Put the model in training mode with'),
    dict(exercise='06.3', code='def accuracy_by_hand(model, loader):\n    model.eval()\n    correct, seen = 0, 0\n    with torch.no_grad():\n        for X, y in loader:\n            correct += (model(X.to(device)).argmax(1) == y.cpu()).sum().item()\n            seen += len(y)\n    return correct / seen\n',
         expect='Do not hard-code the CPU: move tensors with'),
    dict(exercise='06.3', code='def accuracy_by_hand(model, loader):\n    model.eval()\n    correct, seen = 0, 0\n    with torch.no_grad():\n        for X, y in loader:\n            correct += (model(X.to(device)).argmax(1) == y).sum().item()\n            seen += len(y)\n    return correct / seen\n',
         expect='Move every batch to the'),
    dict(exercise='06.3', code="def accuracy_by_hand(model, loader):\n    model.eval()\n    correct, seen = 0, 0\n    with torch.no_grad():\n        for X, y in loader:\n            correct += (model(X.to(device)).argmax(1) == y.to('cpu')).sum().item()\n            seen += len(y)\n    return correct / seen\n",
         expect='not yet'),
    dict(exercise='06.3', code='def accuracy_by_hand(model, loader):\n    model.eval()\n    correct, seen = 0, 0\n    with torch.no_grad():\n        for X, y in loader:\n            correct += (model(X.to(device)).argmax(1).cpu() == y.to(device)).sum().item()\n            seen += len(y)\n    return correct / seen\n',
         expect='Do not hard-code the CPU: move tensors with'),
    dict(exercise='06.3', code='def accuracy_by_hand(model, loader):\n    model.eval()\n    correct, seen = 0, 0\n    with torch.no_grad():\n        for X, y in loader:\n            X, y = X.to(device), y.to(device)\n            correct += (model(X).argmax(0)[:len(y)] == y).sum().item()\n            seen += len(y)\n    return correct / seen\n',
         expect='Your code raised RuntimeError: The size of'),
    dict(exercise='06.3', code='def accuracy_by_hand(model, loader):\n    model.eval(); accs = []\n    with torch.no_grad():\n        for X, y in loader:\n            X, y = X.to(device), y.to(device)\n            accs.append((model(X).argmax(1) == y).float().mean().item())\n    return sum(accs) / len(accs)\n',
         expect='not yet'),
    dict(exercise='06.4', code='from sklearn.preprocessing import StandardScaler\ndef standardize(X_train, X_other):\n    sc = StandardScaler().fit([[float(v) for v in r] for r in X_train])\n    f = lambda X: torch.tensor(sc.transform([[float(v) for v in r] for r in X]), dtype=X.dtype)\n    return f(X_train), f(X_other)\n',
         expect='Your code called StandardScaler (from'),
    dict(exercise='06.4', code='import torch.nn.functional as F\ndef standardize(X_train, X_other):\n    m = X_train.mean(0); v = X_train.var(0, unbiased=False)\n    return F.batch_norm(X_train, m, v, training=False, eps=0.0), F.batch_norm(X_other, m, v, training=False, eps=0.0)\n',
         expect='Your code ran the operation'),
    dict(exercise='06.4', code='def standardize(X_train, X_other):\n    f = lambda X: (X - X.mean(0)) / X.std(0, unbiased=False)\n    return f(X_train), f(X_other)\n',
         expect='Scale X_other with the statistics of X_train,'),
    dict(exercise='06.4', code='def standardize(X_train, X_other):\n    X_train, X_other = X_train.double(), X_other.double()\n    m = X_train.mean(0); s = X_train.std(0, unbiased=False)\n    return (X_train - m) / s, (X_other - m) / s\n',
         expect='X_other_scaled must keep the dtype of X_other,'),
]
