"""Right answers to chapter 02's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="02.1", code="def sigmoid_derivative(x):\n    return torch.sigmoid(x) * torch.sigmoid(-x)\n"),
    dict(exercise="02.1", code="def sigmoid_derivative(x):\n    s = torch.sigmoid(x)\n"      # a debugging print
                              "    print('x', x.shape, x, 's', s)\n    return s * (1 - s)\n"),
    dict(exercise="02.1", code="def sigmoid_derivative(x):\n    s = torch.special.expit(x)\n    return s - s ** 2\n"),
    dict(exercise="02.1", code="def sigmoid(x):\n    return 1 / (1 + torch.exp(-x))\n"
                              "def sigmoid_derivative(x):\n    return sigmoid(x) * (1 - sigmoid(x))\n"),
    dict(exercise="02.1", code="def sigmoid_derivative(x):\n"                              # stable: sigma'(x) = sigma'(|x|)
                              "    e = torch.exp(-x.abs())\n    return e / (1 + e) ** 2\n"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return 2 * torch.special.expit(2 * x) - 1\n"),
    dict(exercise="02.2", code="def sigmoid(x):\n    return 1 / (1 + torch.exp(-x))\n"        # the chapter's own sigmoid
                              "def tanh_from_sigmoid(x):\n    return 2 * sigmoid(2 * x) - 1\n"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return torch.sigmoid(2 * x) - torch.sigmoid(-2 * x)\n"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return F.sigmoid(x + x).mul(2).sub(1)\n"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return nn.Sigmoid()(2 * x) * 2 - 1\n"),
    dict(exercise="02.3", code="def merge_linear(lin1, lin2):\n"
                              "    merged = nn.Linear(lin1.in_features, lin2.out_features)\n"
                              "    merged.weight = nn.Parameter((lin2.weight @ lin1.weight).detach())\n"
                              "    merged.bias = nn.Parameter(lin2(lin1.bias).detach())\n"
                              "    return merged\n"),
    dict(exercise="02.3", code="def merge_linear(lin1, lin2):\n"
                              "    merged = nn.Linear(lin1.in_features, lin2.out_features)\n"
                              "    with torch.no_grad():\n"
                              "        merged.weight[:] = lin2.weight.mm(lin1.weight)\n"
                              "        merged.bias[:] = F.linear(lin1.bias, lin2.weight, lin2.bias)\n"
                              "    return merged\n"),
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return torch.where(x <= 0, slope * x, x)\n"),
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return x.where(x > 0, x * slope)\n"),
    dict(exercise="02.5", code="def dead_units(layer, X):\n    return torch.all(layer(X) <= 0, dim=0)\n"),
    dict(exercise="02.5", code="def dead_units(layer, X):\n"
                              "    with torch.no_grad():\n        return layer(X).max(dim=0).values <= 0\n"),
    dict(exercise="02.5", code="def dead_units(layer, X):\n"
                              "    return ~(torch.relu(X @ layer.weight.T + layer.bias) > 0).any(0)\n"),
    # issue-22 review: classes fixed in the framework (inputs kept, dtype kept, fixed inputs, method)
    dict(exercise="02.1", code="def sigmoid_derivative(x):\n    return torch.sigmoid(x) * torch.sigmoid(-x)  # float32 and float64 alike\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='02.1', code='def sigmoid_derivative(x):\n    e = torch.exp(-x.abs())\n    return e / (1 + e) ** 2\n'),
    dict(exercise='02.1', code='import math\ndef sigmoid_derivative(x):\n    out = torch.empty_like(x)\n    for i, v in enumerate(x.reshape(-1)):\n        s = 1 / (1 + math.exp(-float(v))) if float(v) > -700 else 0.0\n        out.view(-1)[i] = s * (1 - s)\n    return out\n'),
    dict(exercise='02.2', code='def tanh_from_sigmoid(x): return 2 / (1 + torch.exp(-2 * x)) - 1\n'),
    dict(exercise='02.3', code='def merge_linear(lin1, lin2):\n    m = nn.Linear(lin1.in_features, lin2.out_features)\n    m.weight = nn.Parameter((lin2.weight @ lin1.weight).detach().clone())\n    m.bias = nn.Parameter((lin2.weight @ lin1.bias + lin2.bias).detach().clone())\n    return m\n'),
    dict(exercise='02.4', code='def my_leaky_relu(x, slope): return torch.where(x > 0, x, x * slope)\n'),
    dict(exercise='02.5', code='def dead_units(layer, X):\n    with torch.no_grad():\n        return torch.relu(layer(X)).sum(0) == 0\n'),
    dict(exercise='02.5', code='def dead_units(layer, X):\n    with torch.no_grad():\n        return layer(X).max(dim=0).values <= 0\n'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
RIGHT += [
    dict(exercise='02.4',  # A: -x >= 0 puts 0 in the slope branch, like x > 0 false
         code='def my_leaky_relu(x, slope):\n    return torch.where(-x >= 0, slope * x, x)\n'),
    dict(exercise='02.4',  # A: method spelling of the worked solution
         code='def my_leaky_relu(x, slope):\n    return torch.where(x.gt(0), x, x * slope)\n'),
    dict(exercise='02.3',  # B/C: load_state_dict copies without .data
         code='def merge_linear(lin1, lin2):\n    m = nn.Linear(lin1.in_features, lin2.out_features)\n    m.load_state_dict({"weight": lin2.weight @ lin1.weight, "bias": lin2.weight @ lin1.bias + lin2.bias})\n    return m\n'),
]
