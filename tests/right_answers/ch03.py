"""Right answers to chapter 03's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="03.1", code="w_nand = [-2.0, -2.0]\nb_nand = 3\n"),
    dict(exercise="03.1", code="w_nand = torch.tensor([-0.5, -0.7], device=device)\nb_nand = torch.tensor(1.0)\n"),
    dict(exercise="03.2", code="def perceptron_step(w, b, x, y, lr=1.0):\n"
                              "    y_hat = 1.0 if float(w @ x + b) >= 0 else 0.0\n"
                              "    delta = lr * (y - y_hat)\n    return w + delta * x, b + delta\n"),
    dict(exercise="03.2", code="def perceptron_step(w, b, x, y, lr=1.0):\n"
                              "    error = y - torch.heaviside(x @ w + b, torch.tensor(1.0))\n"
                              "    return w.add(x, alpha=float(lr * error)), b + lr * error\n"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n"
                              "    h_or = step(X[:, 0] + X[:, 1] - 0.5)\n    h_nand = step(-X[:, 0] - X[:, 1] + 1.5)\n"
                              "    return step(h_or + h_nand - 1.5)\n"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n"
                              "    W1 = torch.tensor([[1.0, 1.0], [-1.0, -1.0]], device=X.device)\n"
                              "    b1 = torch.tensor([-0.5, 1.5], device=X.device)\n"
                              "    H = step(X @ W1.T + b1)\n"
                              "    return step(H @ torch.tensor([1.0, 1.0], device=X.device) - 1.5)\n"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n"                          # OR minus AND: two step units
                              "    s = X.sum(dim=1)\n    return step(s - 0.5) - step(s - 1.5)\n"),
    dict(exercise="03.3", code="def xor_by_hand(X):\n"                          # a step of its own
                              "    H = lambda z: torch.heaviside(z, torch.ones_like(z))\n"
                              "    return H(H(X.sum(1) - 0.5) + H(1.5 - X.sum(1)) - 1.5)\n"),
    dict(exercise="03.4", code="import torch.nn.functional as F\n"
                              "class TwoLayerNet(nn.Module):\n"
                              "    def __init__(self, hidden_size):\n        super().__init__()\n"
                              "        self.layers = nn.Sequential(nn.Linear(2, hidden_size), nn.ReLU(), nn.Linear(hidden_size, 1))\n"
                              "    def forward(self, x):\n        return self.layers(x)\n"),
    dict(exercise="03.4", code="import torch.nn.functional as F\n"
                              "class TwoLayerNet(nn.Module):\n"
                              "    def __init__(self, hidden_size):\n        super().__init__()\n"
                              "        self.fc1, self.fc2 = nn.Linear(2, hidden_size), nn.Linear(hidden_size, 1)\n"
                              "    def forward(self, x):\n        return self.fc2(F.relu(self.fc1(x)))\n"),
    dict(exercise="03.5", code="def train_xor(net, X, y, lr=1.0, num_epochs=300):\n"       # p.grad = None
                              "    optimizer, loss_fn, losses = torch.optim.SGD(net.parameters(), lr=lr), nn.BCEWithLogitsLoss(), []\n"
                              "    for _ in range(num_epochs):\n"
                              "        for p in net.parameters():\n            p.grad = None\n"
                              "        loss = loss_fn(net(X), y)\n        loss.backward()\n        optimizer.step()\n"
                              "        losses.append(float(loss))\n"
                              "    return losses\n"),
    dict(exercise="03.5", code="def train_xor(net, X, y, lr=1.0, num_epochs=300):\n"       # zero_grad on the model
                              "    optimizer = torch.optim.SGD(net.parameters(), lr=lr)\n    losses = []\n"
                              "    for _ in range(num_epochs):\n"
                              "        net.zero_grad()\n"
                              "        loss = torch.nn.functional.binary_cross_entropy_with_logits(net(X), y)\n"
                              "        loss.backward()\n        optimizer.step()\n        losses.append(loss.item())\n"
                              "    return losses\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='03.1', code='w_nand, b_nand = torch.tensor([-2.0, -2.0]), 3.0\n'),
    dict(exercise='03.2', code='def perceptron_step(w, b, x, y, lr=1.0):\n    y_hat = torch.where(x @ w + b >= 0, 1.0, 0.0)\n    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)\n'),
    dict(exercise='03.3', code='def xor_by_hand(X):\n    h1 = torch.heaviside(X @ torch.tensor([1.0, 1.0]) - 0.5, torch.tensor(1.0))\n    h2 = torch.heaviside(X @ torch.tensor([-1.0, -1.0]) + 1.5, torch.tensor(1.0))\n    return torch.heaviside(h1 + h2 - 1.5, torch.tensor(1.0))\n'),
    dict(exercise='03.3', code='def xor_by_hand(X):\n    H = step(X @ torch.tensor([[1.0, -1.0], [1.0, -1.0]]) + torch.tensor([-0.5, 1.5]))\n    return step(H @ torch.tensor([1.0, 1.0]) - 1.5)\n'),
    dict(exercise='03.4', code='class TwoLayerNet(nn.Module):\n    def __init__(self, hidden_size):\n        super().__init__()\n        self.net = nn.Sequential(nn.Linear(2, hidden_size), nn.ReLU(), nn.Linear(hidden_size, 1))\n    def forward(self, x): return self.net(x)\n'),
    dict(exercise='03.5', code='import torch.nn.functional as F\ndef train_xor(net, X, y, lr=1.0, num_epochs=300):\n    opt = torch.optim.SGD(net.parameters(), lr=lr); losses = []\n    for _ in range(num_epochs):\n        opt.zero_grad(set_to_none=True)\n        loss = F.binary_cross_entropy_with_logits(net(X), y)\n        loss.backward(); opt.step(); losses.append(float(loss))\n    return losses\n'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
RIGHT += [
    dict(exercise='03.5',  # C: the functional form, train mode said out loud
         code='import torch.nn.functional as F\ndef train_xor(net, X, y, lr=1.0, num_epochs=300):\n    net.train()\n    optimizer, losses = torch.optim.SGD(net.parameters(), lr=lr), []\n    for _ in range(num_epochs):\n        loss = F.binary_cross_entropy_with_logits(net(X), y)\n        optimizer.zero_grad()\n        loss.backward()\n        optimizer.step()\n        losses.append(loss.item())\n    return losses\n'),
    dict(exercise='03.5',  # C: zero_grad(set_to_none=False), float(loss)
         code='def train_xor(net, X, y, lr=1.0, num_epochs=300):\n    optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.0)\n    loss_fn, losses = nn.BCEWithLogitsLoss(reduction="mean"), []\n    for epoch in range(num_epochs):\n        optimizer.zero_grad(set_to_none=False)\n        loss = loss_fn(net(X), y)\n        loss.backward()\n        optimizer.step()\n        losses += [float(loss)]\n    return losses\n'),
]
