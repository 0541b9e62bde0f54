"""Right answers to chapter 07's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="07.1",
         code="def to_nchw(images):\n"
              "    return torch.tensor(np.transpose(images, (0, 3, 1, 2))).float().div(255)\n"),
    dict(exercise="07.1",
         code="def to_nchw(images):\n    return torch.as_tensor(images).movedim(-1, 1).to(torch.float32) / 255.0\n"),
    dict(exercise="07.2",
         code="import math\n\n\ndef conv_output_size(n, k, p=0, s=1):\n    return math.floor((n + 2 * p - k) / s) + 1\n"),
    dict(exercise="07.2",                               # counting the kernel's positions
         code="def conv_output_size(n, k, p=0, s=1):\n    return len(range(0, n + 2 * p - k + 1, s))\n"),
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n    return x.unfold(0, 2, 2).unfold(1, 2, 2).amax(dim=(-1, -2))\n"),
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n"
              "    return torch.maximum(torch.maximum(x[0::2, 0::2], x[0::2, 1::2]),\n"
              "                         torch.maximum(x[1::2, 0::2], x[1::2, 1::2]))\n"),
    dict(exercise="07.3",
         code="def max_pool_2x2(x):\n"
              "    H, W = x.shape\n"
              "    blocks = x.reshape(H // 2, 2, W // 2, 2).permute(0, 2, 1, 3).reshape(H // 2, W // 2, 4)\n"
              "    return blocks.max(dim=-1).values\n"),
    dict(exercise="07.4", code="def box_kernel(k):\n    return torch.ones(k, k) / k**2\n"),
    dict(exercise="07.4", code="def box_kernel(k):\n    return torch.full((k, k), 1.0 / (k * k), dtype=torch.float32)\n"),
]
RIGHT += [
    dict(exercise="07.3",                               # im2col, then one reduction
         code="def max_pool_2x2(x):\n"
              "    H, W = x.shape\n"
              "    cols = F.unfold(x[None, None], kernel_size=2, stride=2)       # (1, 4, blocks)\n"
              "    return cols.amax(dim=1).reshape(H // 2, W // 2)\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='07.1', code='def to_nchw(images): return torch.tensor(images, dtype=torch.float32).permute(0, 3, 1, 2) / 255\n'),
    dict(exercise='07.1', code='def to_nchw(images): return torch.from_numpy(images.transpose(0, 3, 1, 2) / 255.0).float()\n'),
    dict(exercise='07.2', code='import math\ndef conv_output_size(n, k, p, s): return math.floor((n + 2 * p - k) / s) + 1\n'),
    dict(exercise='07.2', code='def conv_output_size(n, k, p, s): return int((n + 2 * p - k) / s + 1)\n'),
    dict(exercise='07.2', code='def conv_output_size(n, k, p, s): return len(range(0, n + 2 * p - k + 1, s))\n'),
    dict(exercise='07.3', code='def max_pool_2x2(x): return x.unfold(0, 2, 2).unfold(1, 2, 2).amax(dim=(-1, -2))\n'),
    dict(exercise='07.3', code='def max_pool_2x2(x):\n    H, W = x.shape\n    return x.view(H // 2, 2, W // 2, 2).amax(dim=(1, 3))\n'),
    dict(exercise='07.4', code='def box_kernel(k): return torch.ones(k, k) / k ** 2\n'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
RIGHT += [
    dict(exercise='07.4',  # B: the default dtype, float32
         code='def box_kernel(k):\n    return torch.full((k, k), k ** -2.0)\n'),
    dict(exercise='07.3',  # E: clamp with a tensor bound
         code='def max_pool_2x2(x):\n    a = torch.clamp(x[0::2], min=x[1::2])\n    return torch.clamp(a[:, 0::2], min=a[:, 1::2])\n'),
    dict(exercise='07.3',  # E: top-1 of each block (was listed as wrong)
         code='def max_pool_2x2(x):\n    return x.unfold(0, 2, 2).unfold(1, 2, 2).flatten(-2).topk(1).values[..., 0]\n'),
    dict(exercise='07.3',  # E: where with ge
         code='def max_pool_2x2(x):\n    a = torch.where(x[0::2] >= x[1::2], x[0::2], x[1::2])\n    return torch.where(a[:, 0::2] >= a[:, 1::2], a[:, 0::2], a[:, 1::2])\n'),
    dict(exercise='07.3',  # E: the 4th smallest of 4
         code='def max_pool_2x2(x):\n    H, W = x.shape\n    blocks = x.reshape(H // 2, 2, W // 2, 2).permute(0, 2, 1, 3).reshape(H // 2, W // 2, 4)\n    return blocks.kthvalue(4, dim=-1).values\n'),
    dict(exercise='07.3',  # E: two reductions
         code='def max_pool_2x2(x):\n    H, W = x.shape\n    return x.reshape(H // 2, 2, W // 2, 2).amax(3).amax(1)\n'),
]

# issue-22 review 2: the reviewer's own cases (/work/notes/review22_v2.md), kept as regression rows
RIGHT += [
    dict(exercise='07.3',  # review 2: R fmax
         code='def max_pool_2x2(x):\n    a = torch.fmax(x[0::2], x[1::2])\n    return torch.fmax(a[:, 0::2], a[:, 1::2])\n'),
    dict(exercise='07.3',  # review 2: R sort last
         code='def max_pool_2x2(x):\n    H, W = x.shape\n    b = x.reshape(H // 2, 2, W // 2, 2).transpose(1, 2).reshape(H // 2, W // 2, 4)\n    return b.sort(dim=-1).values[..., -1]\n'),
    dict(exercise='07.3',  # review 2: R where pairwise max
         code='def max_pool_2x2(x):\n    a = torch.where(x[0::2] > x[1::2], x[0::2], x[1::2])\n    return torch.where(a[:, 0::2] > a[:, 1::2], a[:, 0::2], a[:, 1::2])\n'),
    dict(exercise='07.3',  # review 2: neg min neg
         code='def max_pool_2x2(x):\n    H, W = x.shape\n    return -(-x).reshape(H // 2, 2, W // 2, 2).amin(dim=(1, 3))\n'),
]
