"""Wrong ways to solve chapter 02's exercises; each must fail its check, naming the rule or the failing case."""

WRONG = [
    # 02.1 sigmoid_derivative: the formula, not autograd
    dict(exercise="02.1",
         code="def sigmoid_derivative(x):\n"
              "    x = x.detach().clone().requires_grad_(True)\n"
              "    torch.sigmoid(x).sum().backward()\n    return x.grad\n",
         expect="without autograd"),
    dict(exercise="02.1",
         code="def sigmoid_derivative(x, h=1e-5):\n"
              "    return (torch.sigmoid(x + h) - torch.sigmoid(x - h)) / (2 * h)\n",      # finite difference
         expect="off by up to"),
    dict(exercise="02.1",
         code="def sigmoid_derivative(x):\n    return torch.sigmoid(x) * (1 + torch.sigmoid(x))\n",
         expect="off by up to"),
    dict(exercise="02.1",                                                    # forward mode
         code="def sigmoid_derivative(x):\n"
              "    return torch.func.jvp(torch.sigmoid, (x,), (torch.ones_like(x),))[1]\n",
         expect="forward-mode autograd"),
    dict(exercise="02.1",
         code="def sigmoid_derivative(x):\n"
              "    return torch.autograd.functional.jacobian(lambda t: torch.sigmoid(t).sum(), x, "
              "strategy='forward-mode', vectorize=True)\n",
         expect="Rule:"),
    dict(exercise="02.1",                                                    # reverse mode through torch.func
         code="def sigmoid_derivative(x):\n    return torch.func.vmap(torch.func.grad(torch.sigmoid))(x.reshape(-1)).reshape(x.shape)\n",
         expect="Rule:"),
    dict(exercise="02.1",                                                    # a grad_fn called directly
         code="def sigmoid_derivative(x):\n"
              "    x = x.detach().clone().requires_grad_(True)\n    s = torch.sigmoid(x)\n"
              "    return s.grad_fn(torch.ones_like(s)).detach()\n",
         expect="without autograd"),
    dict(exercise="02.1",                                                    # autograd's formula called by name
         code="def sigmoid_derivative(x):\n"
              "    return torch.ops.aten.sigmoid_backward(torch.ones_like(x), torch.sigmoid(x))\n",
         expect="without autograd"),
    dict(exercise="02.1",
         code="import numpy as np\ndef sigmoid_derivative(x):\n"
              "    s = 1 / (1 + np.exp(-x.numpy()))\n    return torch.from_numpy(s * (1 - s))\n",
         expect="torch alone|switches off"),
    dict(exercise="02.1",                                                    # float32 inside: not exact
         code="def sigmoid_derivative(x):\n    s = torch.sigmoid(x.float())\n    return (s * (1 - s)).to(x.dtype)\n",
         expect="off by up to"),
    # 02.2 tanh_from_sigmoid: the sigmoid and arithmetic only
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return torch.tanh(x)\n",
         expect="operation 'tanh'"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return x.tanh()\n",
         expect="operation 'tanh'"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return nn.Tanh()(x)\n",
         expect="operation 'tanh'"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return getattr(torch.special, 'tanh', torch.tanh)(x)\n",
         expect="operation 'tanh'"),
    dict(exercise="02.2",
         code="def tanh_from_sigmoid(x):\n"
              "    return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))\n",   # not from the sigmoid
         expect="exponentials or sigmoids"),
    dict(exercise="02.2",                                                    # the chapter's tanh by hand
         code="def tanh(x):\n    return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))\n"
              "def tanh_from_sigmoid(x):\n    return tanh(x)\n",
         expect="switches off"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return 2 * torch.sigmoid(x) - 1\n",   # forgot the 2x
         expect="differ from tanh"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return torch.sinh(x) / torch.cosh(x)\n",
         expect="operation 'sinh'"),
    dict(exercise="02.2", code="import numpy as np\ndef tanh_from_sigmoid(x):\n    return torch.from_numpy(np.tanh(x.numpy()))\n",
         expect="torch alone|switches off"),
    # 02.3 merge_linear: one real layer with W2 W1 and W2 b1 + b2
    dict(exercise="02.3",
         code="class _Stack(nn.Linear):\n"
              "    def __init__(self, lin1, lin2):\n"
              "        super().__init__(lin1.in_features, lin2.out_features)\n"
              "        self.inner = nn.Sequential(lin1, lin2)\n"
              "    def forward(self, x):\n        return self.inner(x)\n"
              "def merge_linear(lin1, lin2):\n    return _Stack(lin1, lin2)\n",                 # looks like one layer
         expect="own its weight and bias"),
    dict(exercise="02.3",
         code="def merge_linear(lin1, lin2):\n"
              "    merged = nn.Linear(lin1.in_features, lin2.out_features)\n"
              "    with torch.no_grad():\n"
              "        merged.weight.copy_(lin2.weight @ lin1.weight)\n"
              "        merged.bias.copy_(lin1.bias @ lin2.weight.T)\n"                            # forgot + b2
              "    return merged\n",
         expect="outputs differ"),
    dict(exercise="02.3",                                                    # a (1, out) bias: broadcasting hides it
         code="def merge_linear(lin1, lin2):\n"
              "    merged = nn.Linear(lin1.in_features, lin2.out_features)\n"
              "    with torch.no_grad():\n"
              "        merged.weight.copy_(lin2.weight @ lin1.weight)\n"
              "    merged.bias = nn.Parameter((lin2.weight @ lin1.bias + lin2.bias).detach()[None, :])\n"
              "    return merged\n",
         expect="bias of shape"),
    dict(exercise="02.3",                                                    # W1 W2 transposed the wrong way
         code="def merge_linear(lin1, lin2):\n"
              "    merged = nn.Linear(lin1.in_features, lin2.out_features)\n"
              "    with torch.no_grad():\n"
              "        merged.weight.copy_((lin1.weight.T @ lin2.weight.T))\n"
              "        merged.bias.copy_(lin2.weight @ lin1.bias + lin2.bias)\n"
              "    return merged\n",
         expect="not yet"),
    dict(exercise="02.3",                                                    # changes lin1 in place
         code="def merge_linear(lin1, lin2):\n"
              "    with torch.no_grad():\n"
              "        lin1.bias.copy_(lin2.weight @ lin1.bias + lin2.bias) if lin1.out_features == lin2.out_features else None\n"
              "        W = lin2.weight @ lin1.weight\n"
              "    lin1.weight = nn.Parameter(W)\n    lin1.bias = nn.Parameter((lin2.weight @ lin1.bias + lin2.bias).detach())\n"
              "    lin1.out_features = lin2.out_features\n    return lin1\n",
         expect="in place"),
    dict(exercise="02.3",                                                    # hard-coded sizes
         code="def merge_linear(lin1, lin2):\n"
              "    merged = nn.Linear(5, 3)\n"
              "    with torch.no_grad():\n"
              "        merged.weight.copy_(lin2.weight @ lin1.weight)\n"
              "        merged.bias.copy_(lin2.weight @ lin1.bias + lin2.bias)\n"
              "    return merged\n",
         expect="not yet"),
    # 02.4 my_leaky_relu: with torch.where, not the library function
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return F.leaky_relu(x, slope)\n",
         expect="operation 'leaky_relu'"),
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return nn.LeakyReLU(slope)(x)\n",
         expect="operation 'leaky_relu'"),
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return torch.maximum(x, slope * x)\n",  # slope <= 1 only
         expect="operation 'maximum'"),
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return torch.relu(x) - slope * torch.relu(-x)\n",
         expect="operation 'relu'"),
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return torch.where(x > 0, x, slope)\n",  # slope, not slope * x
         expect="values differ"),
    dict(exercise="02.4",                                                    # the gradient cut in one branch
         code="def my_leaky_relu(x, slope):\n    return torch.where(x > 0, x.detach(), slope * x)\n",
         expect="gradient"),
    dict(exercise="02.4",
         code="def my_leaky_relu(x, slope):\n    return torch.where(x > 0, x, slope * x.detach())\n",
         expect="gradient"),
    dict(exercise="02.4",                                                    # the chapter's leaky_relu
         code="def leaky_relu(x, slope=0.01):\n    return torch.where(x > 0, x, slope * x)\n"
              "def my_leaky_relu(x, slope):\n    return leaky_relu(x, slope)\n",
         expect="switches off"),
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return F.prelu(x, torch.tensor([slope], dtype=x.dtype))\n",
         expect="prelu"),
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return torch.where(x > 0, x, 0.01 * x)\n",  # slope fixed
         expect="values differ"),
    # 02.5 dead_units: every row, not the sign of the bias
    dict(exercise="02.5", code="def dead_units(layer, X):\n    return (layer.bias <= 0).detach()\n",
         expect="your mask"),
    dict(exercise="02.5",
         code="def dead_units(layer, X):\n"
              "    with torch.no_grad():\n        return (layer(X) <= 0).any(dim=0)\n",            # any, not all
         expect="your mask"),
    dict(exercise="02.5",
         code="def dead_units(layer, X):\n"
              "    with torch.no_grad():\n        return (layer(X) <= 0).all(dim=1)\n",            # wrong dim
         expect="one entry per output unit"),
    dict(exercise="02.5",
         code="def dead_units(layer, X):\n"
              "    with torch.no_grad():\n        return (layer(X) < 0).all(dim=0)\n",             # a zero is dead too
         expect="exactly 0"),
    dict(exercise="02.5",
         code="def dead_units(layer, X):\n"
              "    with torch.no_grad():\n        return (torch.relu(layer(X)).mean(0) < 1e-3)\n",  # a tolerance
         expect="your mask"),
    dict(exercise="02.5",
         code="def dead_units(layer, X):\n"
              "    with torch.no_grad():\n        return (layer(X) <= 0).all(dim=0).int()\n",       # not boolean
         expect="boolean tensor"),
    # issue-22 review: classes fixed in the framework (inputs kept, dtype kept, fixed inputs, method)
    dict(exercise="02.1", code="def sigmoid_derivative(x):\n    s = x.sigmoid_()\n    return s * (1 - s)\n", expect="in place"),
    dict(exercise="02.1", code="def sigmoid_derivative(x):\n    return torch.exp(-x) / (1 + torch.exp(-x)) ** 2\n", expect="overflows"),
    dict(exercise="02.1", code="def sigmoid_derivative(x):\n    s = torch.sigmoid(x.double())\n    return s * (1 - s)\n", expect="dtype"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    e = torch.exp(-2 * x)\n    return (1 - e) / (1 + e)\n", expect="overflows"),
    dict(exercise="02.2", code="def tanh_from_sigmoid(x):\n    return (torch.exp(2 * x) - 1) / (torch.exp(2 * x) + 1)\n", expect="overflows"),
    dict(exercise="02.4", code="def my_leaky_relu(x, slope):\n    return torch.where(x > 0, x, slope * x).double()\n", expect="dtype"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='02.1', code='def sigmoid_derivative(x):\n    s = torch.sigmoid(x).float()\n    return s * (1 - s)\n',
         expect='not yet'),
    dict(exercise='02.1', code='def sigmoid_derivative(x): return (1 - torch.tanh(x / 2) ** 2) / 4\n',
         expect='Your code ran the operation'),
    dict(exercise='02.1', code='import torch.nn.functional as F\ndef sigmoid_derivative(x):\n    s = F.softplus(x)\n    return torch.exp(-s) * (1 - torch.exp(-s))\n',
         expect='Your code ran the operation'),
    dict(exercise='02.2', code='import math\ndef tanh_from_sigmoid(x):\n    flat = [math.tanh(float(v)) for v in x.reshape(-1)]\n    return torch.tensor(flat, dtype=x.dtype).reshape(x.shape)\n',
         expect='Your code ran the operation'),
    dict(exercise='02.2', code='import torch.nn.functional as F\ndef tanh_from_sigmoid(x): return F.hardtanh(2 * torch.sigmoid(2 * x) - 1)\n',
         expect='Your code ran the operation'),
    dict(exercise='02.2', code='def tanh_from_sigmoid(x): return torch.sinh(x) / torch.cosh(x)\n',
         expect='Your code ran the operation'),
    dict(exercise='02.2', code='def tanh_from_sigmoid(x): return 2 * torch.sigmoid(x * 2) - 1.0001\n',
         expect='Your values differ from tanh on x of shape ()'),
    dict(exercise='02.3', code='def merge_linear(lin1, lin2):\n    m = nn.Linear(lin1.in_features, lin2.out_features)\n    with torch.no_grad():\n        m.weight.copy_(lin2.weight @ lin1.weight); m.bias.copy_(lin1.bias.sum() + lin2.bias)\n    return m\n',
         expect='not yet'),
    dict(exercise='02.3', code='def merge_linear(lin1, lin2): return nn.Sequential(lin1, lin2)\n',
         expect='Return an nn.Linear; for|The merged layer must be nn.Linear('),
    dict(exercise='02.3', code='def merge_linear(lin1, lin2):\n    m = nn.Linear(lin1.in_features, lin2.out_features)\n    with torch.no_grad():\n        m.weight.copy_(lin2.weight @ lin1.weight)\n        lin2.bias += lin2.weight @ lin1.bias\n    m.bias = lin2.bias\n    return m\n',
         expect='Leave your inputs as they are: your code changed'),
    dict(exercise='02.4', code='import torch.nn.functional as F\ndef my_leaky_relu(x, slope): return F.leaky_relu(x, slope)\n',
         expect='Your code ran the operation'),
    dict(exercise='02.4', code='import torch.nn.functional as F\ndef my_leaky_relu(x, slope): return F.prelu(x.reshape(-1, 1), torch.tensor([slope], dtype=x.dtype)).reshape(x.shape)\n',
         expect='Your code ran the operation'),
    dict(exercise='02.4', code='def my_leaky_relu(x, slope): return torch.maximum(x, slope * x)\n',
         expect='Your code ran the operation'),
    dict(exercise='02.4', code='def my_leaky_relu(x, slope): return x.clamp(min=0) + slope * x.clamp(max=0)\n',
         expect='Your code ran the operation'),
    dict(exercise='02.4', code='import torch.nn.functional as F\ndef my_leaky_relu(x, slope): return F.rrelu(x, slope, slope, training=False)\n',
         expect='Your code ran the operation'),
    dict(exercise='02.4', code='def my_leaky_relu(x, slope): return torch.where(x > 0, x, (slope * x).detach())\n',
         expect='The gradient must be|At x = 0 exactly'),
    dict(exercise='02.5', code='def dead_units(layer, X):\n    with torch.no_grad():\n        return (layer(X) < 0).all(dim=0)\n',
         expect='not yet'),
    dict(exercise='02.5', code='def dead_units(layer, X):\n    with torch.no_grad():\n        return (layer(X) <= 0).any(dim=0)\n',
         expect='not yet'),
    dict(exercise='02.5', code='def dead_units(layer, X):\n    with torch.no_grad():\n        return layer(X).mean(0) <= 0\n',
         expect='not yet'),
    dict(exercise='02.5', code='def dead_units(layer, X):\n    return (layer.weight.sum(1) + layer.bias <= 0)\n',
         expect='not yet'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
WRONG += [
    dict(exercise='02.4',  # A: x >= 0 as a method keeps 0 in the x branch: gradient 1 at 0
         code='def my_leaky_relu(x, slope):\n    return x.where(x >= 0, slope * x)\n',
         expect='x = 0 exactly'),
    dict(exercise='02.4',  # A: x.lt(0) puts 0 in the x branch
         code='def my_leaky_relu(x, slope):\n    return torch.where(x.lt(0), x.mul(slope), x)\n',
         expect='x = 0 exactly'),
    dict(exercise='02.2',  # A: exp(-2x) overflows for very negative x: inf / inf
         code='def tanh_from_sigmoid(x):\n    e = torch.exp(-2 * x)\n    return (1 - e) / (1 + e)\n',
         expect='overflows'),
    dict(exercise='02.1',  # A: exp(x) overflows for large x
         code='def sigmoid_derivative(x):\n    e = torch.exp(x)\n    return e / (1 + e) ** 2\n',
         expect='overflows'),
    dict(exercise='02.3',  # B: out_features left at the hidden size, weight replaced
         code='def merge_linear(lin1, lin2):\n    m = nn.Linear(lin1.in_features, lin1.out_features)\n    with torch.no_grad():\n        m.weight = nn.Parameter(lin2.weight @ lin1.weight)\n        m.bias = nn.Parameter(lin2.weight @ lin1.bias + lin2.bias)\n    return m\n',
         expect='must be nn.Linear('),
    dict(exercise='02.3',  # C: .data, not no_grad
         code='def merge_linear(lin1, lin2):\n    m = nn.Linear(lin1.in_features, lin2.out_features)\n    m.weight.data.copy_(lin2.weight.data @ lin1.weight.data)\n    m.bias.data.copy_(lin2.weight.data @ lin1.bias.data + lin2.bias.data)\n    return m\n',
         expect='tensor.data'),
    dict(exercise='02.3',  # C: .data slices
         code='def merge_linear(lin1, lin2):\n    m = nn.Linear(lin1.in_features, lin2.out_features)\n    m.weight.data[:] = (lin2.weight @ lin1.weight).detach()\n    m.bias.data[:] = (lin2.weight @ lin1.bias + lin2.bias).detach()\n    return m\n',
         expect='tensor.data'),
]

# issue-22 review 2: the reviewer's own cases (/work/notes/review22_v2.md), kept as regression rows
WRONG += [
    dict(exercise='02.3',  # review 2: .data assignment without no_grad
         code='def merge_linear(lin1, lin2):\n    m = nn.Linear(lin1.in_features, lin2.out_features)\n    m.weight.data = lin2.weight.data @ lin1.weight.data\n    m.bias.data = lin2.weight.data @ lin1.bias.data + lin2.bias.data\n    return m\n',
         expect='tensor.data'),
    dict(exercise='02.3',  # review 2: in/out swapped
         code='def merge_linear(lin1, lin2):\n    m = nn.Linear(lin2.out_features, lin1.in_features)\n    with torch.no_grad():\n        m.weight = nn.Parameter(lin2.weight @ lin1.weight)\n        m.bias = nn.Parameter(lin2.weight @ lin1.bias + lin2.bias)\n    return m\n',
         expect='must be nn.Linear('),
    dict(exercise='02.4',  # review 2: where(x<0, slope*x, x) (grad at 0 = 1)
         code='def my_leaky_relu(x, slope):\n    return torch.where(x < 0, slope * x, x)\n',
         expect='x = 0 exactly'),
    dict(exercise='02.4',  # review 2: x >= 0 (grad at 0 = 1)
         code='def my_leaky_relu(x, slope):\n    return torch.where(x >= 0, x, slope * x)\n',
         expect='x = 0 exactly'),
]
