"""Wrong ways to solve chapter 02's exercises; each must fail its check, naming the rule it breaks."""

WRONG = [
    # 1. sigmoid_derivative: the formula, not autograd
    dict(exercise="1. sigmoid_derivative",
         code="def sigmoid_derivative(x):\n"
              "    x = x.detach().clone().requires_grad_(True)\n"
              "    torch.sigmoid(x).sum().backward()\n    return x.grad\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.backward"),
    dict(exercise="1. sigmoid_derivative",
         code="def sigmoid_derivative(x, h=1e-5):\n"
              "    return (torch.sigmoid(x + h) - torch.sigmoid(x - h)) / (2 * h)\n",      # finite difference
         expect="not yet"),
    dict(exercise="1. sigmoid_derivative",
         code="def sigmoid_derivative(x):\n    return torch.sigmoid(x) * (1 + torch.sigmoid(x))\n",
         expect="not yet"),
    # 2. tanh_from_sigmoid: no torch.tanh
    dict(exercise="2. tanh_from_sigmoid",
         code="def tanh_from_sigmoid(x):\n    return torch.tanh(x)\n",
         expect="Rule: this exercise asks you not to use torch.tanh"),
    dict(exercise="2. tanh_from_sigmoid",
         code="def tanh_from_sigmoid(x):\n    return x.tanh()\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.tanh"),
    dict(exercise="2. tanh_from_sigmoid",
         code="def tanh_from_sigmoid(x):\n    return nn.Tanh()(x)\n",
         expect="Rule: this exercise asks you not to use torch.tanh"),
    dict(exercise="2. tanh_from_sigmoid",
         code="def tanh_from_sigmoid(x):\n"
              "    return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))\n",   # not from the sigmoid
         expect="Rule: build tanh from torch.sigmoid"),
    dict(exercise="2. tanh_from_sigmoid",
         code="def tanh_from_sigmoid(x):\n    return 2 * torch.sigmoid(x) - 1\n",                # forgot the 2x
         expect="not yet"),
    # 3. merge_linear: one real layer with W2 W1 and W2 b1 + b2
    dict(exercise="3. merge_linear",
         code="class _Stack(nn.Linear):\n"
              "    def __init__(self, lin1, lin2):\n"
              "        super().__init__(lin1.in_features, lin2.out_features)\n"
              "        self.inner = nn.Sequential(lin1, lin2)\n"
              "    def forward(self, x):\n        return self.inner(x)\n"
              "def merge_linear(lin1, lin2):\n    return _Stack(lin1, lin2)\n",                 # looks like one layer
         expect="not yet"),
    dict(exercise="3. merge_linear",
         code="def merge_linear(lin1, lin2):\n"
              "    merged = nn.Linear(lin1.in_features, lin2.out_features)\n"
              "    with torch.no_grad():\n"
              "        merged.weight.copy_(lin2.weight @ lin1.weight)\n"
              "        merged.bias.copy_(lin1.bias @ lin2.weight.T)\n"                            # forgot + b2
              "    return merged\n",
         expect="not yet"),
    # 4. my_leaky_relu: with torch.where, not the library function
    dict(exercise="4. my_leaky_relu",
         code="def my_leaky_relu(x, slope):\n    return F.leaky_relu(x, slope)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.leaky_relu"),
    dict(exercise="4. my_leaky_relu",
         code="def my_leaky_relu(x, slope):\n    return nn.LeakyReLU(slope)(x)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.leaky_relu"),
    dict(exercise="4. my_leaky_relu",
         code="def my_leaky_relu(x, slope):\n    return torch.maximum(x, slope * x)\n",             # right only for slope <= 1
         expect="Rule: write it with torch.where"),
    dict(exercise="4. my_leaky_relu",
         code="def my_leaky_relu(x, slope):\n    return torch.relu(x) - slope * torch.relu(-x)\n",
         expect="Rule: write it with torch.where"),
    dict(exercise="4. my_leaky_relu",
         code="def my_leaky_relu(x, slope):\n    return torch.where(x > 0, x, slope)\n",            # slope, not slope * x
         expect="not yet"),
    # 5. dead_units: every row, not the sign of the bias
    dict(exercise="5. dead_units",
         code="def dead_units(layer, X):\n    return (layer.bias <= 0).detach()\n",
         expect="not yet"),
    dict(exercise="5. dead_units",
         code="def dead_units(layer, X):\n"
              "    with torch.no_grad():\n        return (layer(X) <= 0).any(dim=0)\n",            # any, not all
         expect="not yet"),
    dict(exercise="5. dead_units",
         code="def dead_units(layer, X):\n"
              "    with torch.no_grad():\n        return (layer(X) <= 0).all(dim=1)\n",            # wrong dim
         expect="not yet"),
]
