"""Wrong methods for chapter 07's exercises: each must fail its check with a message that names the rule."""

WRONG = [
    # 1. to_nchw: reshape instead of permute, no scaling, float64, a NumPy array
    dict(exercise="1. to_nchw",
         code="def to_nchw(images):\n"
              "    n, h, w, c = images.shape\n"
              "    return torch.tensor(images).reshape(n, c, h, w).float() / 255\n",
         expect="move the channel axis with permute"),
    dict(exercise="1. to_nchw",
         code="def to_nchw(images):\n    return torch.tensor(images).permute(0, 3, 1, 2).float()\n",
         expect="divide by 255"),
    dict(exercise="1. to_nchw",
         code="def to_nchw(images):\n    return torch.tensor(images).permute(0, 3, 1, 2).double() / 255\n",
         expect="return float32 pixels"),
    dict(exercise="1. to_nchw",
         code="def to_nchw(images):\n    return np.transpose(images, (0, 3, 1, 2)).astype(np.float32) / 255\n",
         expect="return a torch tensor"),
    # 2. conv_output_size: measured with a real layer, rounded up, a float
    dict(exercise="2. conv_output_size",
         code="def conv_output_size(n, k, p=0, s=1):\n"
              "    return nn.Conv2d(1, 1, k, padding=p, stride=s)(torch.zeros(1, 1, n, n)).shape[-1]\n",
         expect="not by running a convolution"),
    dict(exercise="2. conv_output_size",
         code="def conv_output_size(n, k, p=0, s=1):\n    return -(-(n + 2 * p - k) // s) + 1\n",
         expect="rounds down"),
    dict(exercise="2. conv_output_size",
         code="def conv_output_size(n, k, p=0, s=1):\n    return (n + 2 * p - k) / s + 1\n",
         expect="returns a whole number"),
    # 3. max_pool_2x2: Python loops (over blocks, over row pairs), F.max_pool2d, nn.MaxPool2d, NumPy, wrong reshape
    dict(exercise="3. max_pool_2x2",
         code="def max_pool_2x2(x):\n"
              "    H, W = x.shape\n"
              "    out = torch.zeros(H // 2, W // 2)\n"
              "    for i in range(H // 2):\n"
              "        for j in range(W // 2):\n"
              "            out[i, j] = x[2 * i:2 * i + 2, 2 * j:2 * j + 2].max()\n"
              "    return out\n",
         expect="no Python loops"),
    dict(exercise="3. max_pool_2x2",
         code="def max_pool_2x2(x):\n"
              "    return torch.stack([x[i:i + 2].reshape(2, -1, 2).amax(dim=(0, 2)) for i in range(0, x.shape[0], 2)])\n",
         expect="no Python loops"),
    dict(exercise="3. max_pool_2x2",
         code="def max_pool_2x2(x):\n    return F.max_pool2d(x[None, None], 2)[0, 0]\n",
         expect="not to use torch.nn.functional.max_pool2d"),
    dict(exercise="3. max_pool_2x2",
         code="def max_pool_2x2(x):\n    return nn.MaxPool2d(2)(x[None, None])[0, 0]\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.max_pool2d"),
    dict(exercise="3. max_pool_2x2",
         code="def max_pool_2x2(x):\n"
              "    a = x.numpy()\n"
              "    H, W = a.shape\n"
              "    return torch.from_numpy(a.reshape(H // 2, 2, W // 2, 2).max(axis=(1, 3)))\n",
         expect="not to use torch.Tensor.numpy"),
    dict(exercise="3. max_pool_2x2",
         code="def max_pool_2x2(x):\n"
              "    H, W = x.shape\n"
              "    return x.reshape(2, H // 2, 2, W // 2).amax(dim=(0, 2))\n",
         expect="the maximum of one 2x2 block"),
    dict(exercise="3. max_pool_2x2",                                # another pooling function of the library
         code="def max_pool_2x2(x):\n"
              "    H, W = x.shape\n"
              "    return F.adaptive_max_pool2d(x[None, None], (H // 2, W // 2))[0, 0]\n",
         expect="not to use torch.nn.functional.adaptive_max_pool2d"),
    dict(exercise="3. max_pool_2x2",
         code="def max_pool_2x2(x):\n    return nn.MaxPool3d((1, 2, 2))(x[None, None, None])[0, 0, 0]\n",
         expect="not to use torch.nn.functional.max_pool3d"),
    # 4. box_kernel: weights that do not add up to 1, a flat vector
    dict(exercise="4. box_kernel", code="def box_kernel(k):\n    return torch.ones(k, k)\n", expect="add up to 1"),
    dict(exercise="4. box_kernel", code="def box_kernel(k):\n    return torch.full((k, k), 1 / k)\n", expect="add up to 1"),
    dict(exercise="4. box_kernel", code="def box_kernel(k):\n    return torch.full((k * k,), 1 / k**2)\n",
         expect="must be a 3x3 tensor"),
    # 5. SmallCNN: an MLP, too many parameters, the wrong output shape
    dict(exercise="5. SmallCNN",
         code="class SmallCNN(nn.Module):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        self.net = nn.Sequential(nn.Flatten(), nn.Linear(64, 24), nn.ReLU(), nn.Linear(24, 10))\n\n"
              "    def forward(self, x):\n"
              "        return self.net(x)\n",
         expect="use at least one nn.Conv2d"),
    dict(exercise="5. SmallCNN",                                    # a conv layer that is defined but never used
         code="class SmallCNN(nn.Module):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        self.conv = nn.Conv2d(1, 1, 1)\n"
              "        self.net = nn.Sequential(nn.Flatten(), nn.Linear(64, 24), nn.ReLU(), nn.Linear(24, 10))\n\n"
              "    def forward(self, x):\n"
              "        return self.net(x)\n",
         expect="your forward must run the images through your nn.Conv2d"),
    dict(exercise="5. SmallCNN",
         code="class SmallCNN(nn.Module):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        self.net = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.Conv2d(16, 32, 3, padding=1),\n"
              "                                 nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(512, 10))\n\n"
              "    def forward(self, x):\n"
              "        return self.net(x)\n",
         expect="fewer than 2,000 parameters"),
    dict(exercise="5. SmallCNN",
         code="class SmallCNN(nn.Module):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        self.conv = nn.Conv2d(1, 10, 8)\n\n"
              "    def forward(self, x):\n"
              "        return self.conv(x)\n",
         expect="must give (64, 10) scores"),
]
