"""Wrong ways to solve chapter 00's exercises; each must fail its check, naming the rule or the failing case."""

WRONG = [
    # 00.1 safe_numpy
    dict(exercise="00.1", code="def safe_numpy(t):\n    return t.detach().numpy().copy()\n",   # works on the CPU only
         expect="Use Tensor.cpu()"),
    dict(exercise="00.1", code="def safe_numpy(t):\n    return t.detach().cpu().numpy()\n",     # shares memory
         expect="shares t's memory"),
    dict(exercise="00.1", code="def safe_numpy(t):\n    return t.numpy()\n",                    # requires grad
         expect="not yet"),
    dict(exercise="00.1", code="def safe_numpy(t):\n    return np.asarray(t.detach())\n",       # np.asarray: no copy, no cpu
         expect="not yet"),
    dict(exercise="00.1", code="def safe_numpy(t):\n    return np.array(t.tolist())\n",         # float64 for float32 t
         expect="t's dtype"),
    dict(exercise="00.1", code="def safe_numpy(t):\n    return t.numpy(force=True)\n",          # force alone still shares
         expect="shares t's memory"),
    # 00.2 to_model_input
    dict(exercise="00.2", code="def to_model_input(array, device):\n    return torch.from_numpy(array).float()\n",
         expect="the tensor on the device you are given"),
    dict(exercise="00.2", code="def to_model_input(array, device):\n    return torch.from_numpy(array).to(device)\n",
         expect="float32"),
    dict(exercise="00.2", code="def to_model_input(array, device):\n    return torch.as_tensor(array, device=device)\n",
         expect="float32"),
    dict(exercise="00.2", code="def to_model_input(array, device):\n"                        # the global device
                              "    return torch.tensor(array, dtype=torch.float32, device=globals()['device'])\n",
         expect="the tensor on the device you are given"),
    # 00.3 standardize
    dict(exercise="00.3",
         code="def standardize(X):\n    return torch.stack([(X[:, j] - X[:, j].mean()) / X[:, j].std(correction=0)\n"
              "                        for j in range(X.shape[1])], dim=1)\n",                  # a loop over columns
         expect="not a Python loop"),
    dict(exercise="00.3", code="def standardize(X):\n    return (X - X.mean(dim=0)) / X.std(dim=0)\n",   # divides by N - 1
         expect="correction=0"),
    dict(exercise="00.3", code="import torch.nn.functional as F\n"
                              "def standardize(X):\n    return F.batch_norm(X, None, None, training=True, eps=1e-12)\n",
         expect="which this exercise does not allow"),
    dict(exercise="00.3", code="import torch.nn.functional as F\n"
                              "def standardize(X):\n    return F.batch_norm(X, None, None, training=True, eps=0.0)\n",
         expect="not yet"),
    dict(exercise="00.3", code="from sklearn.preprocessing import StandardScaler\n"
              "def standardize(X):\n    return torch.tensor(StandardScaler().fit_transform(X), dtype=torch.float32)\n",
         expect="solved with torch alone|switches off"),
    dict(exercise="00.3", code="from sklearn.preprocessing import StandardScaler\n"
              "def standardize(X):\n    return torch.tensor(StandardScaler().fit_transform(X.tolist()), dtype=torch.float32)\n",
         expect="tensor.tolist()|switches off"),
    dict(exercise="00.3", code="from scipy.stats import zscore\n"
                              "def standardize(X):\n    return torch.from_numpy(zscore(X.numpy(), axis=0))\n",
         expect="tensor.numpy()|switches off"),
    dict(exercise="00.3", code="def standardize(X):\n    return (X - X.mean()) / X.std(correction=0)\n",   # one mean for all
         expect="(X − mean) / std"),
    dict(exercise="00.3", code="def standardize(X):\n"                                         # rows, not columns
                              "    return (X - X.mean(dim=1, keepdim=True)) / X.std(dim=1, keepdim=True, correction=0)\n",
         expect="(X − mean) / std"),
    dict(exercise="00.3", code="import torch.nn.functional as F\n"
                              "def standardize(X):\n    return F.layer_norm(X.T, (X.shape[0],), eps=0.0).T\n",
         expect="which this exercise does not allow"),
    # 00.4 pairwise_sq_dists
    dict(exercise="00.4", code="def pairwise_sq_dists(A, B):\n    return torch.cdist(A, B) ** 2\n",
         expect="which this exercise does not allow"),
    dict(exercise="00.4",
         code="def pairwise_sq_dists(A, B):\n    return torch.stack([((A - b) ** 2).sum(dim=1) for b in B], dim=1)\n",
         expect="not a Python loop"),
    dict(exercise="00.4",
         code="def pairwise_sq_dists(A, B):\n    return torch.stack([((a - B) ** 2).sum(dim=1) for a in A])\n",
         expect="not a Python loop"),
    dict(exercise="00.4", code="import torch.nn.functional as F\n"
              "def pairwise_sq_dists(A, B):\n    return F.pairwise_distance(A[:, None, :], B[None, :, :]) ** 2\n",
         expect="which this exercise does not allow"),
    dict(exercise="00.4",
         code="def pairwise_sq_dists(A, B):\n    return ((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=1)\n",  # wrong dim
         expect="(N, M) matrix"),
    dict(exercise="00.4",                                                   # distances, not squared
         code="def pairwise_sq_dists(A, B):\n    return ((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=2).sqrt()\n",
         expect="squared distances"),
    dict(exercise="00.4",                                                   # a norm: not the asked method
         code="def pairwise_sq_dists(A, B):\n    return (A[:, None, :] - B[None, :, :]).norm(dim=2) ** 2\n",
         expect="which this exercise does not allow"),
    dict(exercise="00.4",                                                   # forgot the square
         code="def pairwise_sq_dists(A, B):\n    return (A[:, None, :] - B[None, :, :]).abs().sum(dim=2)\n",
         expect="squared distances"),
    dict(exercise="00.4", code="from scipy.spatial.distance import cdist\n"
              "def pairwise_sq_dists(A, B):\n    return torch.tensor(cdist(A, B, 'sqeuclidean'), dtype=torch.float32)\n",
         expect="solved with torch alone|switches off"),
    # 00.5 forward_like_model
    dict(exercise="00.5",
         code="def forward_like_model(model, X):\n    return model(X.to(next(model.parameters()).dtype))\n",  # dtype only
         expect="device and the dtype of the model's own weights"),
    dict(exercise="00.5", code="def forward_like_model(model, X):\n    return model(X.to(device))\n",   # global device
         expect="device and the dtype"),
    dict(exercise="00.5", code="def forward_like_model(model, X):\n"
                              "    return model(X.to(next(model.parameters()).device))\n",            # device only
         expect="device and the dtype"),
    dict(exercise="00.5", code="def forward_like_model(model, X):\n"                                  # only models with .weight
                              "    return model(X.to(model.weight.device, model.weight.dtype))\n",
         expect="not yet"),
    dict(exercise="00.5", code="def forward_like_model(model, X):\n    return model(X.double())\n",   # dtype hard-coded
         expect="device and the dtype"),
    dict(exercise="00.5", code="def forward_like_model(model, X):\n"                                  # moves the model
                              "    return model.to(X.device, X.dtype)(X)\n",
         expect="not yet"),
    # issue-22 review: classes fixed in the framework (inputs kept, dtype kept, fixed inputs, method)
    dict(exercise="00.3", code="def standardize(X):\n    X -= X.mean(0)\n    X /= X.std(0, correction=0)\n    return X\n", expect="in place"),
    dict(exercise="00.3", code="def standardize(X):\n    X = X.double()\n    return (X - X.mean(0)) / X.std(0, correction=0)\n", expect="dtype"),
    dict(exercise="00.4", code="def pairwise_sq_dists(A, B):\n    return ((A[:, None].double() - B[None].double()) ** 2).sum(2)\n", expect="dtype"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='00.1', code='def safe_numpy(t): return t.numpy(force=True)\n',
         expect='Changing your array changed t (a'),
    dict(exercise='00.1', code='import numpy as np\ndef safe_numpy(t): return np.array(t.detach().cpu().tolist())\n',
         expect='not yet'),
    dict(exercise='00.1', code='def safe_numpy(t): return t.detach().cpu().numpy()[...]\n',
         expect='Changing your array changed t (a'),
    dict(exercise='00.2', code='def to_model_input(array, dev): return torch.tensor(array, dtype=torch.float32, device=device)\n',
         expect='Put the tensor on the device you are given: for'),
    dict(exercise='00.2', code='def to_model_input(array, device): return torch.tensor(array, device=device)\n',
         expect='not yet'),
    dict(exercise='00.3', code='import torch.nn.functional as F\ndef standardize(X): return F.batch_norm(X, None, None, training=True, eps=0.0)\n',
         expect='Your code raised ValueError: batch_norm eps must'),
    dict(exercise='00.3', code='import torch.nn.functional as F\ndef standardize(X): return F.layer_norm(X.T, (X.shape[0],), eps=0.0).T\n',
         expect='Your code ran the operation'),
    dict(exercise='00.3', code='def standardize(X): return (X - X.mean(1, keepdim=True)) / X.std(1, correction=0, keepdim=True)\n',
         expect='For X of shape'),
    dict(exercise='00.3', code='def standardize(X): return (X - X.mean()) / X.std(correction=0)\n',
         expect='For X of shape'),
    dict(exercise='00.3', code='def standardize(X):\n    cols = [X[:, j] for j in range(X.shape[1])]\n    return torch.stack([(c - c.mean()) / c.std(correction=0) for c in cols], 1)\n',
         expect='Use broadcasting, not a Python loop: your code'),
    dict(exercise='00.3', code='import statistics\ndef standardize(X):\n    out = X.clone()\n    for j in range(X.shape[1]):\n        col = [float(v) for v in X[:, j]]\n        m, s = statistics.fmean(col), statistics.pstdev(col)\n        out[:, j] = (X[:, j] - m) / s\n    return out\n',
         expect='Use broadcasting, not a Python loop: your code'),
    dict(exercise='00.4', code='def pairwise_sq_dists(A, B): return torch.cdist(A, B) ** 2\n',
         expect='Your code ran the operation'),
    dict(exercise='00.4', code='import torch.nn.functional as F\ndef pairwise_sq_dists(A, B): return F.pairwise_distance(A[:, None], B[None], eps=0) ** 2\n',
         expect='Your code ran the operation'),
    dict(exercise='00.4', code='def pairwise_sq_dists(A, B): return ((A[:, None] - B[None]) ** 2).sum(-1).sqrt()\n',
         expect='For A of shape'),
    dict(exercise='00.4', code='def pairwise_sq_dists(A, B): return torch.stack([((B - A[i]) ** 2).sum(1) for i in range(len(A))])\n',
         expect='Use broadcasting, not a Python loop: your code'),
    dict(exercise='00.4', code='def pairwise_sq_dists(A, B): return ((B[:, None] - A[None]) ** 2).sum(-1)\n',
         expect='Return the (N, M) matrix; for A of shape'),
    dict(exercise='00.5', code='def forward_like_model(model, X):\n    p = next(model.parameters())\n    return model(X.to(device=device, dtype=p.dtype))\n',
         expect='Give X the device and the dtype of the'),
    dict(exercise='00.5', code='def forward_like_model(model, X):\n    p = next(model.parameters())\n    return model(X.to(p.dtype))\n',
         expect='Give X the device and the dtype of the'),
    dict(exercise='00.5', code='def forward_like_model(model, X):\n    p = next(model.parameters())\n    return model(X.to(p.device).float())\n',
         expect='Give X the device and the dtype of the'),
    dict(exercise='00.5', code='def forward_like_model(model, X):\n    p = list(model.parameters())[-1]\n    return model(X.to(p.device))\n',
         expect='Give X the device and the dtype of the'),
]
