"""Wrong ways to solve chapter 03's exercises; each must fail its check with a message naming the rule."""

WRONG = [
    dict(exercise="1. NAND perceptron",
         code="w_nand = torch.tensor([1.0, 1.0], device=device)\nb_nand = -1.5\n",   # AND, not NAND
         expect="must be the NAND table"),
    dict(exercise="2. perceptron_step",
         code="def perceptron_step(w, b, x, y, lr=1.0):\n"
              "    error = step(x @ w + b) - y\n"                                   # the sign flipped
              "    return w + lr * error * x, b + lr * error\n",
         expect="a wrong answer must move w"),
    dict(exercise="2. perceptron_step",
         code="def perceptron_step(w, b, x, y, lr=1.0):\n"
              "    error = y - step(x @ w + b)\n"                                   # lr forgotten
              "    return w + error * x, b + error\n",
         expect="scale the change by the learning rate"),
    dict(exercise="2. perceptron_step",
         code="def perceptron_step(w, b, x, y, lr=1.0):\n"
              "    error = y - step(x @ w + b)\n"                                   # changes the caller's tensors
              "    w += lr * error * x\n"
              "    b += lr * error\n"
              "    return w, b\n",
         expect="do not change the w and b you were given"),
    dict(exercise="3. xor_by_hand",
         code="def xor_by_hand(X):\n    return (X[:, 0] != X[:, 1]).float()\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.__ne__"),
    dict(exercise="3. xor_by_hand",
         code="def xor_by_hand(X):\n    return torch.logical_xor(X[:, 0], X[:, 1]).float()\n",
         expect="Rule: this exercise asks you not to use torch.logical_xor"),
    dict(exercise="3. xor_by_hand",
         code="def xor_by_hand(X):\n    return X.sum(dim=1) % 2\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.__mod__"),
    dict(exercise="3. xor_by_hand",
         code="def xor_by_hand(X):\n    s = X.sum(dim=1)\n    return s * (2 - s)\n",        # algebra, no perceptron
         expect="build XOR from step perceptrons"),
    dict(exercise="4. TwoLayerNet",
         code="class TwoLayerNet(nn.Module):\n"
              "    def __init__(self, hidden_size):\n"
              "        super().__init__()\n"
              "        self.hidden = nn.Linear(2, hidden_size)\n"
              "        self.output = nn.Linear(hidden_size, 1)\n\n"
              "    def forward(self, x):\n"
              "        return self.output(self.hidden(x))\n",                       # no activation: linear
         expect="apply torch.relu between the two layers"),
    dict(exercise="4. TwoLayerNet",
         code="class TwoLayerNet(nn.Module):\n"
              "    def __init__(self, hidden_size):\n"
              "        super().__init__()\n"
              "        self.hidden = nn.Linear(2, hidden_size)\n"
              "        self.output = nn.Linear(hidden_size, 1)\n\n"
              "    def forward(self, x):\n"
              "        return self.output(torch.tanh(self.hidden(x)))\n",           # another activation
         expect="then torch.relu, then the output layer"),
    dict(exercise="4. TwoLayerNet",
         code="class TwoLayerNet(nn.Module):\n"
              "    def __init__(self, hidden_size):\n"
              "        super().__init__()\n"
              "        self.hidden = nn.Linear(2, hidden_size)\n"
              "        self.output = nn.Linear(hidden_size, 1)\n\n"
              "    def forward(self, x):\n"
              "        return torch.relu(self.output(self.hidden(x)))\n",           # ReLU in the wrong place
         expect="then torch.relu, then the output layer"),
    dict(exercise="4. TwoLayerNet",
         code="class TwoLayerNet(nn.Module):\n"
              "    def __init__(self, hidden_size):\n"
              "        super().__init__()\n"
              "        self.hidden_size = hidden_size\n\n"
              "    def forward(self, x):\n"                                      # layers made in forward
              "        h = torch.relu(nn.Linear(2, self.hidden_size).to(x.device)(x))\n"
              "        return nn.Linear(self.hidden_size, 1).to(x.device)(h)\n",
         expect="13 parameters"),
    dict(exercise="5. train_xor",
         code="def train_xor(net, X, y, lr=1.0, num_epochs=300):\n"
              "    optimizer = torch.optim.SGD(net.parameters(), lr=lr)\n"
              "    loss_fn = nn.BCEWithLogitsLoss()\n"
              "    losses = []\n"
              "    for epoch in range(num_epochs):\n"
              "        loss = loss_fn(net(X), y)\n"
              "        loss.backward()\n"                                          # no zero_grad
              "        optimizer.step()\n"
              "        losses.append(loss.item())\n"
              "    return losses\n",
         expect="call optimizer.zero_grad() in every epoch"),
    dict(exercise="5. train_xor",
         code="def train_xor(net, X, y, lr=1.0, num_epochs=300):\n"
              "    optimizer = torch.optim.Adam(net.parameters(), lr=0.05)\n"        # another optimizer
              "    loss_fn = nn.BCEWithLogitsLoss()\n"
              "    losses = []\n"
              "    for epoch in range(num_epochs):\n"
              "        loss = loss_fn(net(X), y)\n"
              "        optimizer.zero_grad()\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss.item())\n"
              "    return losses\n",
         expect="use torch.optim.SGD"),
    dict(exercise="5. train_xor",
         code="def train_xor(net, X, y, lr=1.0, num_epochs=300):\n"
              "    optimizer = torch.optim.SGD(net.parameters(), lr=lr)\n"
              "    loss_fn = nn.MSELoss()\n"                                         # another loss
              "    losses = []\n"
              "    for epoch in range(num_epochs):\n"
              "        loss = loss_fn(net(X), y)\n"
              "        optimizer.zero_grad()\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss.item())\n"
              "    return losses\n",
         expect="nn.BCEWithLogitsLoss()"),
    dict(exercise="5. train_xor",
         code="def train_xor(net, X, y, lr=1.0, num_epochs=300):\n"
              "    optimizer = torch.optim.SGD(net.parameters(), lr=lr)\n"
              "    loss_fn = nn.BCEWithLogitsLoss()\n"
              "    losses = []\n"
              "    for epoch in range(num_epochs):\n"
              "        optimizer.zero_grad()\n"
              "        loss_fn(net(X), y).backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss_fn(net(X), y).item())\n"                   # the loss after the step
              "    return losses\n",
         expect="record the loss of the forward pass"),
]
