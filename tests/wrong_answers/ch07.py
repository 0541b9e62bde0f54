"""Wrong methods for chapter 07's exercises: each must fail its check with a message that names the rule."""

SMALL = (
    "class SmallCNN(nn.Module):\n"
    "    def __init__(self):\n"
    "        super().__init__()\n"
    "{init}"
    "    def forward(self, x):\n"
    "{forward}"
)

WRONG = [
    # 1. to_nchw: reshape instead of permute, no scaling, float64, a NumPy array
    dict(exercise="07.1",
         code="def to_nchw(images):\n"
              "    n, h, w, c = images.shape\n"
              "    return torch.tensor(images).reshape(n, c, h, w).float() / 255\n",
         expect="move the channel axis with permute"),
    dict(exercise="07.1",
         code="def to_nchw(images):\n    return torch.tensor(images).permute(0, 3, 1, 2).float()\n",
         expect="divide by 255"),
    dict(exercise="07.1",
         code="def to_nchw(images):\n    return torch.tensor(images).permute(0, 3, 1, 2).double() / 255\n",
         expect="float32 pixels"),
    dict(exercise="07.1",
         code="def to_nchw(images):\n    return np.transpose(images, (0, 3, 1, 2)).astype(np.float32) / 255\n",
         expect="a torch tensor, not"),
    # H and W swapped (square examples hide it), 256 instead of 255
    dict(exercise="07.1",
         code="def to_nchw(images):\n    return torch.tensor(images).permute(0, 3, 2, 1).float() / 255\n",
         expect="must become (N, C, H, W)"),
    dict(exercise="07.1",
         code="def to_nchw(images):\n    return torch.tensor(images).permute(0, 3, 1, 2).float() / 256\n",
         expect="by 255, the brightest value"),
    # 2. conv_output_size: measured with a real layer (also on the meta device), the chapter's output_size,
    #    rounded up, rounded to nearest, a float, the +1 or a padding side forgotten
    dict(exercise="07.2",
         code="def conv_output_size(n, k, p=0, s=1):\n"
              "    return nn.Conv2d(1, 1, k, padding=p, stride=s)(torch.zeros(1, 1, n, n)).shape[-1]\n",
         expect="which this exercise does not allow"),
    dict(exercise="07.2",
         code="def conv_output_size(n, k, p=0, s=1):\n"
              "    layer = nn.Conv2d(1, 1, k, padding=p, stride=s, device='meta')\n"
              "    return layer(torch.empty(1, 1, n, n, device='meta')).shape[-1]\n",
         expect="which this exercise does not allow"),
    dict(exercise="07.2",
         code="def output_size(n, k, p=0, s=1):\n    return (n + 2 * p - k) // s + 1\n\n\n"
              "def conv_output_size(n, k, p=0, s=1):\n    return output_size(n, k, p, s)\n",
         expect="called output_size"),
    dict(exercise="07.2",
         code="def conv_output_size(n, k, p=0, s=1):\n    return -(-(n + 2 * p - k) // s) + 1\n",
         expect="rounds down"),
    dict(exercise="07.2",
         code="def conv_output_size(n, k, p=0, s=1):\n    return round((n + 2 * p - k) / s) + 1\n",
         expect="rounds down"),
    dict(exercise="07.2",
         code="def conv_output_size(n, k, p=0, s=1):\n    return (n + 2 * p - k) / s + 1\n",
         expect="whole Python number"),
    dict(exercise="07.2",
         code="def conv_output_size(n, k, p=0, s=1):\n    return np.floor((n + 2 * p - k) / s) + 1\n",
         expect="whole Python number"),
    dict(exercise="07.2",
         code="def conv_output_size(n, k, p=0, s=1):\n    return (n + 2 * p - k) // s\n",
         expect="a real nn.Conv2d gives"),
    dict(exercise="07.2",
         code="def conv_output_size(n, k, p=0, s=1):\n    return (n + p - k) // s + 1\n",
         expect="a real nn.Conv2d gives"),
    # 3. max_pool_2x2: Python loops (over blocks, over row pairs), F.max_pool2d, nn.MaxPool2d, NumPy, wrong reshape
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n"
              "    H, W = x.shape\n"
              "    out = torch.zeros(H // 2, W // 2, dtype=x.dtype)\n"
              "    for i in range(H // 2):\n"
              "        for j in range(W // 2):\n"
              "            out[i, j] = x[2 * i:2 * i + 2, 2 * j:2 * j + 2].max()\n"
              "    return out\n",
         expect="Python loops"),
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n"
              "    return torch.stack([x[i:i + 2].reshape(2, -1, 2).amax(dim=(0, 2)) for i in range(0, x.shape[0], 2)])\n",
         expect="Python loops"),
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n    return F.max_pool2d(x[None, None], 2)[0, 0]\n",
         expect="which this exercise does not allow"),
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n    return nn.MaxPool2d(2)(x[None, None])[0, 0]\n",
         expect="which this exercise does not allow"),
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n"
              "    a = x.numpy()\n"
              "    H, W = a.shape\n"
              "    return torch.from_numpy(a.reshape(H // 2, 2, W // 2, 2).max(axis=(1, 3)))\n",
         expect="NumPy|switches off"),
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n"
              "    H, W = x.shape\n"
              "    return x.reshape(2, H // 2, 2, W // 2).amax(dim=(0, 2))\n",
         expect="the maximum of one 2x2 block"),
    dict(exercise="07.3",                                # another pooling function of the library
         code="def max_pool_2x2(x):\n"
              "    H, W = x.shape\n"
              "    return F.adaptive_max_pool2d(x[None, None], (H // 2, W // 2))[0, 0]\n",
         expect="which this exercise does not allow"),
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n    return nn.MaxPool3d((1, 2, 2))(x[None, None, None])[0, 0, 0]\n",
         expect="which this exercise does not allow"),
    dict(exercise="07.3",                                # a pooling function no forbid list named
         code="def max_pool_2x2(x):\n"
              "    H, W = x.shape\n"
              "    return F.fractional_max_pool2d(x[None, None], 2, output_size=(H // 2, W // 2))[0, 0]\n",
         expect="which this exercise does not allow"),
    dict(exercise="07.3",                                # an average, not a maximum
         code="def max_pool_2x2(x):\n    return x.unfold(0, 2, 2).unfold(1, 2, 2).mean(dim=(-1, -2))\n",
         expect="the maximum of one 2x2 block"),
    dict(exercise="07.3",                                # only the top-left value of each block
         code="def max_pool_2x2(x):\n    return x[::2, ::2].clone()\n",
         expect="the maximum of one 2x2 block"),
    dict(exercise="07.3",                                # the maximum over rows only
         code="def max_pool_2x2(x):\n    return torch.maximum(x[0::2, 0::2], x[1::2, 0::2])\n",
         expect="the maximum of one 2x2 block"),
    # 4. box_kernel: weights that do not add up to 1, a flat vector, k hard-coded, integers
    dict(exercise="07.4", code="def box_kernel(k):\n    return torch.ones(k, k)\n", expect="add up to 1"),
    dict(exercise="07.4", code="def box_kernel(k):\n    return torch.full((k, k), 1 / k)\n", expect="add up to 1"),
    dict(exercise="07.4", code="def box_kernel(k):\n    return torch.full((k * k,), 1 / k**2)\n", expect="must be a"),
    dict(exercise="07.4", code="def box_kernel(k):\n    return torch.full((3, 3), 1 / 9)\n", expect="must be a"),
    dict(exercise="07.4", code="def box_kernel(k):\n    return torch.ones(k, k, dtype=torch.int64) // (k * k)\n",
         expect="float32"),
    # 5. SmallCNN: an MLP, too many parameters, the wrong output shape
    dict(exercise="07.5",
         code=SMALL.format(init="        self.net = nn.Sequential(nn.Flatten(), nn.Linear(64, 24), nn.ReLU(), nn.Linear(24, 10))\n",
                           forward="        return self.net(x)\n"),
         expect="at least one nn.Conv2d"),
    dict(exercise="07.5",                                # a conv layer that is defined but never used
         code=SMALL.format(init="        self.conv = nn.Conv2d(1, 1, 1)\n"
                                "        self.net = nn.Sequential(nn.Flatten(), nn.Linear(64, 24), nn.ReLU(), nn.Linear(24, 10))\n",
                           forward="        return self.net(x)\n"),
         expect="must run the images through"),
    dict(exercise="07.5",                                # a conv layer that runs, but the scores ignore it
         code=SMALL.format(init="        self.conv = nn.Conv2d(1, 1, 1)\n"
                                "        self.net = nn.Sequential(nn.Flatten(), nn.Linear(64, 24), nn.ReLU(), nn.Linear(24, 10))\n",
                           forward="        self.conv(x)\n        return self.net(x)\n"),
         expect="must run the images through"),
    dict(exercise="07.5",
         code=SMALL.format(init="        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1),\n"
                                "                                 nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(512, 10))\n",
                           forward="        return self.net(x)\n"),
         expect="than 2,000 parameters"),
    dict(exercise="07.5",
         code=SMALL.format(init="        self.conv = nn.Conv2d(1, 10, 8)\n", forward="        return self.conv(x)\n"),
         expect="scores, not"),
    dict(exercise="07.5",                                # the batch size of the chapter's example hard-coded
         code=SMALL.format(init="        self.conv = nn.Conv2d(1, 4, 3, padding=1)\n        self.fc = nn.Linear(4 * 64, 10)\n",
                           forward="        return self.fc(torch.relu(self.conv(x)).reshape(64, -1))\n"),
         expect="not yet"),
]
WRONG += [
    # 1. scaled by the image's own brightest pixel or its range: right only when some pixel is 255 and another 0
    dict(exercise="07.1",
         code="def to_nchw(images):\n    x = torch.tensor(images).permute(0, 3, 1, 2).float()\n    return x / x.max()\n",
         expect="not by the image's own range"),
    dict(exercise="07.1",
         code="def to_nchw(images):\n    x = torch.tensor(images).permute(0, 3, 1, 2).float()\n"
              "    return (x - x.min()) / (x.max() - x.min())\n",
         expect="not by the image's own range"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='07.1', code='def to_nchw(images):\n    n, h, w, c = images.shape\n    return torch.from_numpy(images).float().reshape(n, c, h, w) / 255\n',
         expect='Right shape, wrong pixels (images of shape'),
    dict(exercise='07.1', code='def to_nchw(images):\n    t = torch.from_numpy(images).float().permute(0, 3, 1, 2)\n    return t / t.max()\n',
         expect='not yet'),
    dict(exercise='07.1', code='def to_nchw(images): return torch.from_numpy(images).permute(0, 3, 2, 1).float() / 255\n',
         expect='(N, H, W, C)'),
    dict(exercise='07.1', code='def to_nchw(images): return torch.from_numpy(images).permute(0, 3, 1, 2).float() / 256\n',
         expect='not yet'),
    dict(exercise='07.2', code='import math\ndef conv_output_size(n, k, p, s): return math.ceil((n + 2 * p - k) / s) + 1\n',
         expect='Your code ran the operation'),
    dict(exercise='07.2', code='def conv_output_size(n, k, p, s): return (n + p - k) // s + 1\n',
         expect='not yet'),
    dict(exercise='07.2', code="import torch.nn.functional as F\ndef conv_output_size(n, k, p, s): return F.conv1d(torch.empty(1, 1, n, device='meta'), torch.empty(1, 1, k, device='meta'), padding=p, stride=s).shape[-1]\n",
         expect='Your code ran the operation'),
    dict(exercise='07.3', code='import torch.nn.functional as F\ndef max_pool_2x2(x): return F.max_pool2d(x[None, None], 2)[0, 0]\n',
         expect='Your code ran the operation'),
    dict(exercise='07.3', code='import torch.nn.functional as F\ndef max_pool_2x2(x): return F.adaptive_max_pool2d(x[None, None], (x.shape[0] // 2, x.shape[1] // 2))[0, 0]\n',
         expect='Your code ran the operation'),
    dict(exercise='07.3', code='def max_pool_2x2(x):\n    H, W = x.shape\n    return x.reshape(H // 2, W // 2, 4).amax(-1)\n',
         expect='Each output value is the maximum of one'),
    dict(exercise='07.3', code='def max_pool_2x2(x):\n    H, W = x.shape\n    return x.view(H // 2, 2, W // 2, 2).mean(dim=(1, 3))\n',
         expect='Each output value is the maximum of one'),
    dict(exercise='07.3', code='def max_pool_2x2(x):\n    H, W = x.shape\n    return x.float().view(H // 2, 2, W // 2, 2).amax(dim=(1, 3))\n',
         expect='not yet'),
    dict(exercise='07.3', code="import torch.nn.functional as F\ndef max_pool_2x2(x): return F.lp_pool2d(x[None, None].abs(), float('inf'), 2)[0, 0]\n",
         expect='Your code ran the operation'),
    dict(exercise='07.4', code='def box_kernel(k): return torch.full((k, k), 1 / k)\n',
         expect='A mean gives every pixel the same weight and the'),
    dict(exercise='07.4', code='def box_kernel(k): return torch.ones(k, k, dtype=torch.long)\n',
         expect='Return floating-point weights, not|float32 (what the exercise promises)'),
    dict(exercise='07.4', code='def box_kernel(k): return torch.ones(1, 1, k, k) / k ** 2\n',
         expect='not yet'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
WRONG += [
    dict(exercise='07.4',  # B: a float16 kernel
         code='def box_kernel(k):\n    return torch.ones(k, k, dtype=torch.float16) / k ** 2\n',
         expect='float32'),
    dict(exercise='07.4',  # B: a float64 kernel
         code='def box_kernel(k):\n    return torch.full((k, k), 1 / k ** 2).double()\n',
         expect='float32'),
    dict(exercise='07.3',  # E: a pooling function with indices
         code='import torch.nn.functional as F\ndef max_pool_2x2(x):\n    return F.max_pool2d_with_indices(x[None, None], 2)[0][0, 0]\n',
         expect='which this exercise does not allow'),
    dict(exercise='07.3',  # E: pooling hidden behind negations
         code='import torch.nn.functional as F\ndef max_pool_2x2(x):\n    return -F.max_pool2d(-x[None, None], 2)[0, 0] * -1 * -1\n',
         expect='which this exercise does not allow'),
    dict(exercise='07.3',  # E: min pooling
         code='def max_pool_2x2(x):\n    H, W = x.shape\n    return x.reshape(H // 2, 2, W // 2, 2).amin(dim=(1, 3))\n',
         expect='the maximum of one 2x2 block'),
    dict(exercise='07.3',  # E: a comprehension over columns
         code='def max_pool_2x2(x):\n    H, W = x.shape\n    return torch.stack([x[:, 2 * j:2 * j + 2].reshape(H // 2, 4).amax(1) for j in range(W // 2)], dim=1)\n',
         expect='Python loops'),
    dict(exercise='07.3',  # E: a 3-D pooling function
         code='import torch.nn.functional as F\ndef max_pool_2x2(x):\n    return F.max_pool3d(x[None, None, None], (1, 2, 2))[0, 0, 0]\n',
         expect='which this exercise does not allow'),
    dict(exercise='07.3',  # msg: the chapter's helper is named
         code='def pool2d_by_hand(x, k=2, s=2, how="max"):\n    H, W = x.shape\n    out = torch.zeros((H - k) // s + 1, (W - k) // s + 1)\n    for i in range(out.shape[0]):\n        for j in range(out.shape[1]):\n            out[i, j] = x[i * s:i * s + k, j * s:j * s + k].max()\n    return out\ndef max_pool_2x2(x):\n    return pool2d_by_hand(x, 2)\n',
         expect='pool2d_by_hand'),
]

# issue-22 review 2: the reviewer's own cases (/work/notes/review22_v2.md), kept as regression rows
WRONG += [
    dict(exercise='07.4',  # review 2: float64
         code='def box_kernel(k):\n    return torch.full((k, k), 1 / k ** 2, dtype=torch.float64)\n',
         expect='float32'),
]
