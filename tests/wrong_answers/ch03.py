"""Wrong ways to solve chapter 03's exercises; each must fail its check, naming the rule or the failing case."""

NET = ("class TwoLayerNet(nn.Module):\n"
       "    def __init__(self, hidden_size):\n"
       "        super().__init__()\n"
       "{init}"
       "    def forward(self, x):\n"
       "{forward}")
LOOP = ("def train_xor(net, X, y, lr=1.0, num_epochs=300):\n"
        "    optimizer = {optimizer}\n"
        "    loss_fn = {loss}\n"
        "    losses = []\n"
        "    for epoch in range(num_epochs):\n"
        "{body}"
        "    return losses\n")
STEPS = ("        loss = loss_fn(net(X), y)\n        optimizer.zero_grad()\n        loss.backward()\n"
         "        optimizer.step()\n        losses.append(loss.item())\n")
LAYERS = "        self.hidden = nn.Linear(2, hidden_size)\n        self.output = nn.Linear(hidden_size, 1)\n"
SGD, BCE = "torch.optim.SGD(net.parameters(), lr=lr)", "nn.BCEWithLogitsLoss()"

WRONG = [
    # 03.1 NAND
    dict(exercise="03.1", code="w_nand = torch.tensor([1.0, 1.0], device=device)\nb_nand = -1.5\n",   # AND, not NAND
         expect="must be NAND's"),
    dict(exercise="03.1", code="w_nand = torch.tensor([-1.0, -1.0])\nb_nand = 2.0\n",                # z = 0 at (1, 1)
         expect="must be NAND's"),
    dict(exercise="03.1", code="w_nand = torch.tensor([-1.0, -1.0, 1.0])\nb_nand = 1.5\n",
         expect="two weights"),
    # 03.2 perceptron_step
    dict(exercise="03.2",
         code="def perceptron_step(w, b, x, y, lr=1.0):\n"
              "    error = step(x @ w + b) - y\n"                                   # the sign flipped
              "    return w + lr * error * x, b + lr * error\n",
         expect="the rule gives"),
    dict(exercise="03.2",
         code="def perceptron_step(w, b, x, y, lr=1.0):\n"
              "    error = y - step(x @ w + b)\n"                                   # lr forgotten
              "    return w + error * x, b + error\n",
         expect="the rule gives"),
    dict(exercise="03.2",
         code="def perceptron_step(w, b, x, y, lr=1.0):\n"
              "    error = y - step(x @ w + b)\n"                                   # changes the caller's tensors
              "    w += lr * error * x\n"
              "    b += lr * error\n"
              "    return w, b\n",
         expect="changed its argument w in place"),
    dict(exercise="03.2",                                                     # step(0) taken as 0
         code="def perceptron_step(w, b, x, y, lr=1.0):\n"
              "    error = y - (x @ w + b > 0).float()\n"
              "    return w + lr * error * x, b + lr * error\n",
         expect="the rule gives"),
    dict(exercise="03.2",                                                     # bias not updated
         code="def perceptron_step(w, b, x, y, lr=1.0):\n"
              "    error = y - step(x @ w + b)\n"
              "    return w + lr * error * x, b\n",
         expect="the rule gives"),
    dict(exercise="03.2",                                                     # the chapter's whole training loop
         code="def perceptron_rule(X, y, lr=1.0, max_epochs=20):\n"
              "    w, b = torch.zeros(X.shape[1]), torch.zeros(())\n"
              "    for x_i, y_i in zip(X, y):\n"
              "        e = y_i - step(x_i @ w + b)\n        w, b = w + lr * e * x_i, b + lr * e\n"
              "    return w, b\n"
              "def perceptron_step(w, b, x, y, lr=1.0):\n"
              "    w2, b2 = perceptron_rule(x[None], y[None], lr, 1) if False else (None, None)\n"
              "    return perceptron_rule(x[None], torch.atleast_1d(y), lr)\n",
         expect="not yet"),
    # 03.3 xor_by_hand
    dict(exercise="03.3", code="def xor_by_hand(X):\n    return (X[:, 0] != X[:, 1]).float()\n",
         expect="operation 'ne'"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n    return torch.logical_xor(X[:, 0], X[:, 1]).float()\n",
         expect="operation 'logical_xor'"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n    return X.sum(dim=1) % 2\n",
         expect="operation 'remainder'"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n    s = X.sum(dim=1)\n    return s * (2 - s)\n",   # algebra
         expect="multiplied two tensors"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n    return (X[:, 0] - X[:, 1]).abs()\n",
         expect="operation 'abs'"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n    return (X.sum(dim=1) == 1).float()\n",
         expect="operation 'eq'"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n    return (X[:, 0] - X[:, 1]) ** 2\n",
         expect="operation 'pow'"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n    return torch.bitwise_xor(X[:, 0].long(), X[:, 1].long()).float()\n",
         expect="operation 'bitwise_xor'"),
    dict(exercise="03.3",                                                     # an AND written as a product
         code="def xor_by_hand(X):\n"
              "    return step(X @ torch.tensor([1.0, 1.0]) - 0.5) * step(X @ torch.tensor([-1.0, -1.0]) + 1.5)\n",
         expect="multiplied two tensors"),
    dict(exercise="03.3",                                                     # only the four corners
         code="def xor_by_hand(X):\n    return torch.tensor([0.0, 1.0, 1.0, 0.0], device=X.device)\n",
         expect="not yet"),
    dict(exercise="03.3",                                                     # one perceptron
         code="def xor_by_hand(X):\n    return step(X @ torch.tensor([1.0, 1.0]) - 0.5)\n",
         expect="one step unit cannot"),
    dict(exercise="03.3",                                                     # an (N, 1) column
         code="def xor_by_hand(X):\n"
              "    h = torch.stack([step(X @ torch.tensor([1.0, 1.0]) - 0.5), step(X @ torch.tensor([-1.0, -1.0]) + 1.5)], 1)\n"
              "    return step(h @ torch.tensor([[1.0], [1.0]]) - 1.5)\n",
         expect="shape (N,)"),
    dict(exercise="03.3", code="import numpy as np\n"
              "def xor_by_hand(X):\n    return torch.from_numpy(np.logical_xor(X[:, 0].numpy(), X[:, 1].numpy())).float()\n",
         expect="torch alone|switches off"),
    # 03.4 TwoLayerNet
    dict(exercise="03.4", code=NET.format(init=LAYERS, forward="        return self.output(self.hidden(x))\n"),
         expect="then torch.relu, then the output layer"),                   # no activation: linear
    dict(exercise="03.4", code=NET.format(init=LAYERS, forward="        return self.output(torch.tanh(self.hidden(x)))\n"),
         expect="then torch.relu, then the output layer"),                   # another activation
    dict(exercise="03.4", code=NET.format(init=LAYERS, forward="        return torch.relu(self.output(self.hidden(x)))\n"),
         expect="then torch.relu, then the output layer"),                   # ReLU in the wrong place
    dict(exercise="03.4", code=NET.format(
        init="        self.hidden_size = hidden_size\n",
        forward="        h = torch.relu(nn.Linear(2, self.hidden_size).to(x.device)(x))\n"
                "        return nn.Linear(self.hidden_size, 1).to(x.device)(h)\n"),
         expect="parameters"),                                               # layers made in forward
    dict(exercise="03.4", code=NET.format(                                    # nn.Linear(2, 3) hard-coded
        init="        self.hidden = nn.Linear(2, 3)\n        self.output = nn.Linear(3, 1)\n",
        forward="        return self.output(torch.relu(self.hidden(x)))\n"),
         expect="parameters"),
    dict(exercise="03.4", code=NET.format(                                    # a leaky ReLU
        init=LAYERS, forward="        return self.output(torch.nn.functional.leaky_relu(self.hidden(x), 0.1))\n"),
         expect="then torch.relu, then the output layer"),
    dict(exercise="03.4", code=NET.format(                                    # returns (N,)
        init=LAYERS, forward="        return self.output(torch.relu(self.hidden(x))).squeeze(1)\n"),
         expect="shape (N, 1)"),
    dict(exercise="03.4", code=NET.format(                                    # no bias in the output layer
        init="        self.hidden = nn.Linear(2, hidden_size)\n        self.output = nn.Linear(hidden_size, 1, bias=False)\n",
        forward="        return self.output(torch.relu(self.hidden(x)))\n"),
         expect="parameters"),
    # 03.5 train_xor
    dict(exercise="03.5", code=LOOP.format(optimizer=SGD, loss=BCE,                                  # no zero_grad
                                           body=STEPS.replace("        optimizer.zero_grad()\n", "")),
         expect="your losses differ"),
    dict(exercise="03.5", code=LOOP.format(optimizer="torch.optim.Adam(net.parameters(), lr=0.05)", loss=BCE, body=STEPS),
         expect="plain torch.optim.SGD"),
    dict(exercise="03.5", code=LOOP.format(optimizer="torch.optim.AdamW(net.parameters(), lr=lr)", loss=BCE, body=STEPS),
         expect="plain torch.optim.SGD"),
    dict(exercise="03.5", code=LOOP.format(optimizer=SGD, loss="nn.MSELoss()", body=STEPS),       # another loss
         expect="nn.BCEWithLogitsLoss on the net's raw outputs"),
    dict(exercise="03.5", code=LOOP.format(optimizer=SGD, loss=BCE, body=(                         # loss after the step
        "        optimizer.zero_grad()\n        loss_fn(net(X), y).backward()\n        optimizer.step()\n"
        "        losses.append(loss_fn(net(X), y).item())\n")),
         expect="your losses differ"),
    dict(exercise="03.5", code=LOOP.format(optimizer="torch.optim.SGD(net.parameters(), lr=1.0)", loss=BCE, body=STEPS),
         expect="your losses differ"),                                      # lr hard-coded
    dict(exercise="03.5", code=LOOP.format(optimizer="torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)", loss=BCE,
                                           body=STEPS), expect="your losses differ"),
    dict(exercise="03.5", code=LOOP.format(optimizer=SGD, loss=BCE,                                  # a dummy zero_grad
                                           body=STEPS.replace("        optimizer.zero_grad()\n", "")
                                           .replace("        optimizer.step()\n", "        optimizer.step()\n"
                                                    "        torch.optim.SGD([torch.zeros(1, requires_grad=True)]).zero_grad()\n")),
         expect="your losses differ"),
    dict(exercise="03.5", code=LOOP.format(optimizer=SGD, loss=BCE,                                  # trains a copy
                                           body="        pass\n").replace(
                                               "    losses = []\n",
                                               "    import copy\n    net = copy.deepcopy(net)\n    optimizer = "
                                               "torch.optim.SGD(net.parameters(), lr=lr)\n    losses = []\n").replace(
                                               "        pass\n", STEPS),
         expect="in place"),
    dict(exercise="03.5", code="def train(net, X, y, lr=1.0, num_epochs=300):\n"                   # the chapter's train
                              + LOOP.format(optimizer=SGD, loss=BCE, body=STEPS).split("\n", 1)[1]
                              + "def train_xor(net, X, y, lr=1.0, num_epochs=300):\n"
                                "    return train(net, X, y, lr=lr, num_epochs=num_epochs)\n",
         expect="switches off"),
    dict(exercise="03.5", code=LOOP.format(optimizer=SGD, loss=BCE, body=STEPS.replace(             # a tensor, not a float
        "losses.append(loss.item())", "losses.append(loss.detach())")),
         expect="list of"),
]

WRONG += [
    dict(exercise="03.5",                                                            # dlstudy's fit
         code="from dlstudy.train import fit\n"
              "def train_xor(net, X, y, lr=1.0, num_epochs=300):\n"
              "    history = fit(net, (X, y), nn.BCEWithLogitsLoss(), torch.optim.SGD(net.parameters(), lr=lr),\n"
              "                  num_epochs, progress=False)\n"
              "    return list(history['train_loss'])\n",
         expect="switches off"),
    # issue-22 review: classes fixed in the framework (inputs kept, dtype kept, fixed inputs, method)
    dict(exercise="03.2", code="def perceptron_step(w, b, x, y, lr=1.0):\n    y_hat = step(x @ w + b)\n    return (w + lr * (y - y_hat) * x).double(), b + lr * (y - y_hat)\n", expect="dtype"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n    step(X[:, 0]); step(X[:, 1]); step(X[:, 0] + X[:, 1])\n    table = torch.tensor([[0.0, 1.0], [1.0, 0.0]])\n    return table[X[:, 0].long(), X[:, 1].long()]\n", expect="not computed from the steps"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='03.1', code='w_nand, b_nand = torch.tensor([1.0, 1.0]), -1.5\n',
         expect='not yet'),
    dict(exercise='03.1', code='w_nand, b_nand = [-1.0, -1.0], 2.0\n',
         expect='not yet'),
    dict(exercise='03.2', code='def perceptron_step(w, b, x, y, lr=1.0):\n    y_hat = (x @ w + b > 0).float()\n    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)\n',
         expect='For w of shape'),
    dict(exercise='03.2', code='def perceptron_step(w, b, x, y, lr=1.0):\n    y_hat = (x @ w + b >= 0).float()\n    return w - lr * (y - y_hat) * x, b - lr * (y - y_hat)\n',
         expect='For w of shape'),
    dict(exercise='03.2', code='def perceptron_step(w, b, x, y, lr=1.0):\n    e = y - (x @ w + b >= 0).float()\n    w += lr * e * x\n    b += lr * e\n    return w, b\n',
         expect='Leave your inputs as they are: your code changed'),
    dict(exercise='03.2', code='def perceptron_step(w, b, x, y, lr=1.0):\n    e = y - (x @ w + b >= 0).float()\n    return w + e * x, b + e\n',
         expect='For w of shape'),
    dict(exercise='03.2', code='def perceptron_step(w, b, x, y, lr=1.0):\n    e = y - torch.sigmoid(x @ w + b)\n    return w + lr * e * x, b + lr * e\n',
         expect='For w of shape'),
    dict(exercise='03.3', code='def xor_by_hand(X): return (X.sum(1) == 1).float()\n',
         expect='Your code ran the operation'),
    dict(exercise='03.3', code='def xor_by_hand(X): return (X[:, 0] - X[:, 1]).abs()\n',
         expect='Your code ran the operation'),
    dict(exercise='03.3', code='def xor_by_hand(X): return X.sum(1) % 2\n',
         expect='Your code ran the operation'),
    dict(exercise='03.3', code='def xor_by_hand(X): return (X[:, 0] != X[:, 1]).float()\n',
         expect='Your code ran the operation'),
    dict(exercise='03.3', code='def xor_by_hand(X):\n    h1 = step(X[:, 0] - 0.5); h2 = step(X[:, 1] - 0.5)\n    return step((h1 - h2) * (h1 - h2) - 0.5)\n',
         expect='A perceptron multiplies its inputs by weights'),
    dict(exercise='03.3', code='def xor_by_hand(X): return torch.bitwise_xor(X[:, 0].long(), X[:, 1].long()).float()\n',
         expect='Your code ran the operation'),
    dict(exercise='03.4', code='class TwoLayerNet(nn.Module):\n    def __init__(self, h):\n        super().__init__()\n        self.a = nn.Linear(2, h); self.b = nn.Linear(h, 1)\n    def forward(self, x): return self.b(torch.tanh(self.a(x)))\n',
         expect='Forward must apply the hidden layer, then'),
    dict(exercise='03.4', code='class TwoLayerNet(nn.Module):\n    def __init__(self, h):\n        super().__init__()\n        self.a = nn.Linear(2, h); self.b = nn.Linear(h, 1)\n    def forward(self, x): return torch.sigmoid(self.b(torch.relu(self.a(x))))\n',
         expect='Forward must apply the hidden layer, then'),
    dict(exercise='03.4', code='class TwoLayerNet(nn.Module):\n    def __init__(self, h):\n        super().__init__()\n        self.a = nn.Linear(2, h); self.b = nn.Linear(h, 1, bias=False); self.c = nn.Parameter(torch.zeros(1))\n    def forward(self, x): return self.b(torch.relu(self.a(x)))\n',
         expect='Both layers have a bias'),
    dict(exercise='03.5', code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    opt = torch.optim.SGD(net.parameters(), lr=lr); lf = nn.BCEWithLogitsLoss(); losses = []\n    for _ in range(num_epochs):\n        opt.zero_grad(); lf(net(X), y).backward(); opt.step()\n        losses.append(lf(net(X), y).item())\n    return losses\n',
         expect='not yet'),
    dict(exercise='03.5', code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    opt = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9); lf = nn.BCEWithLogitsLoss(); losses = []\n    for _ in range(num_epochs):\n        opt.zero_grad(); loss = lf(net(X), y); loss.backward(); opt.step(); losses.append(loss.item())\n    return losses\n',
         expect='not yet'),
    dict(exercise='03.5', code='import copy\ndef train_xor(net, X, y, lr=1.0, num_epochs=300):\n    net = copy.deepcopy(net)\n    opt = torch.optim.SGD(net.parameters(), lr=lr); lf = nn.BCEWithLogitsLoss(); losses = []\n    for _ in range(num_epochs):\n        opt.zero_grad(); loss = lf(net(X), y); loss.backward(); opt.step(); losses.append(loss.item())\n    return losses\n',
         expect='Train the net you are given, in place: after'),
    dict(exercise='03.5', code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    opt = torch.optim.SGD(net.parameters(), lr=lr); lf = nn.BCEWithLogitsLoss(); losses = []\n    for _ in range(num_epochs):\n        loss = lf(net(X), y); loss.backward(); opt.step(); losses.append(loss.item())\n    return losses\n',
         expect='not yet'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
WRONG += [
    dict(exercise='03.5',  # C: BCELoss on a sigmoid, not BCEWithLogitsLoss
         code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    optimizer, losses = torch.optim.SGD(net.parameters(), lr=lr), []\n    for _ in range(num_epochs):\n        loss = nn.BCELoss()(net(X).sigmoid(), y)\n        optimizer.zero_grad(); loss.backward(); optimizer.step()\n        losses.append(loss.item())\n    return losses\n',
         expect="'sigmoid'"),
    dict(exercise='03.5',  # C: BCE by hand through softplus
         code='import torch.nn.functional as F\ndef train_xor(net, X, y, lr=1.0, num_epochs=300):\n    optimizer, losses = torch.optim.SGD(net.parameters(), lr=lr), []\n    for _ in range(num_epochs):\n        z = net(X)\n        loss = (y * F.softplus(-z) + (1 - y) * F.softplus(z)).mean()\n        optimizer.zero_grad(); loss.backward(); optimizer.step()\n        losses.append(loss.item())\n    return losses\n',
         expect='does not allow'),
    dict(exercise='03.5',  # C: eval mode while training, train mode restored at the end
         code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    optimizer, loss_fn, losses = torch.optim.SGD(net.parameters(), lr=lr), nn.BCEWithLogitsLoss(), []\n    net.eval()\n    for _ in range(num_epochs):\n        loss = loss_fn(net(X), y)\n        optimizer.zero_grad(); loss.backward(); optimizer.step()\n        losses.append(loss.item())\n    net.train()\n    return losses\n',
         expect='training mode'),
    dict(exercise='03.5',  # C: train(False) is eval mode
         code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    optimizer, loss_fn, losses = torch.optim.SGD(net.parameters(), lr=lr), nn.BCEWithLogitsLoss(), []\n    net.train(False)\n    for _ in range(num_epochs):\n        loss = loss_fn(net(X), y)\n        optimizer.zero_grad(); loss.backward(); optimizer.step()\n        losses.append(loss.item())\n    return losses\n',
         expect='training mode'),
]

# issue-22 review 2: the reviewer's own cases (/work/notes/review22_v2.md), kept as regression rows
WRONG += [
    dict(exercise='03.5',  # review 2: BCELoss on sigmoid
         code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    opt = torch.optim.SGD(net.parameters(), lr=lr)\n    loss_fn = nn.BCELoss()\n    losses = []\n    for _ in range(num_epochs):\n        opt.zero_grad()\n        loss = loss_fn(torch.sigmoid(net(X)), y)\n        loss.backward()\n        opt.step()\n        losses.append(loss.item())\n    return losses\n',
         expect="'sigmoid'"),
    dict(exercise='03.5',  # review 2: eval mode (no dropout in net)
         code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    opt = torch.optim.SGD(net.parameters(), lr=lr)\n    loss_fn = nn.BCEWithLogitsLoss()\n    net.eval()\n    losses = []\n    for _ in range(num_epochs):\n        opt.zero_grad()\n        loss = loss_fn(net(X), y)\n        loss.backward()\n        opt.step()\n        losses.append(loss.item())\n    return losses\n',
         expect='training mode'),
    dict(exercise='03.5',  # review 2: hand BCE via logsigmoid
         code='import torch.nn.functional as F\ndef train_xor(net, X, y, lr=1.0, num_epochs=300):\n    opt = torch.optim.SGD(net.parameters(), lr=lr)\n    losses = []\n    for _ in range(num_epochs):\n        opt.zero_grad()\n        z = net(X)\n        loss = -(y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)).mean()\n        loss.backward()\n        opt.step()\n        losses.append(loss.item())\n    return losses\n',
         expect='log_sigmoid'),

]

# ex2's right answers that the merged 03.5 refuses: the statement asks for plain torch.optim.SGD and the loss on logits
WRONG += [
    dict(exercise='03.5', code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    lf = nn.BCEWithLogitsLoss(); losses = []\n    for _ in range(num_epochs):\n        loss = lf(net(X), y)\n        net.zero_grad(); loss.backward()\n        with torch.no_grad():\n            for p in net.parameters(): p -= lr * p.grad\n        losses.append(loss.item())\n    return losses\n',
         expect='which this exercise does not allow'),
    dict(exercise='03.5', code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    opt = torch.optim.SGD(net.parameters(), lr=lr); lf = nn.BCELoss(); losses = []\n    for _ in range(num_epochs):\n        opt.zero_grad(); loss = lf(torch.sigmoid(net(X)), y); loss.backward(); opt.step(); losses.append(loss.item())\n    return losses\n',
         expect='which this exercise does not allow'),
]
