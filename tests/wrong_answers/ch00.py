"""Wrong ways to solve chapter 00's exercises; each must fail its check, naming the rule it breaks."""

WRONG = [
    # 1. safe_numpy
    dict(exercise="1. safe_numpy",
         code="def safe_numpy(t):\n    return t.detach().numpy().copy()\n",   # works on the CPU only
         expect="Rule: a tensor on a GPU must be copied to the CPU"),
    dict(exercise="1. safe_numpy",
         code="def safe_numpy(t):\n    return t.detach().cpu().numpy()\n",     # shares memory on the CPU
         expect="not yet"),
    dict(exercise="1. safe_numpy",
         code="def safe_numpy(t):\n    return t.numpy()\n",                    # requires grad: refused
         expect="not yet"),
    # 2. to_model_input
    dict(exercise="2. to_model_input",
         code="def to_model_input(array, device):\n    return torch.from_numpy(array).float()\n",   # ignores device
         expect="Rule: put the tensor on the device you are given"),
    dict(exercise="2. to_model_input",
         code="def to_model_input(array, device):\n    return torch.from_numpy(array).to(device)\n",  # stays float64
         expect="not yet"),
    dict(exercise="2. to_model_input",
         code="def to_model_input(array, device):\n    return torch.as_tensor(array, device=device)\n",
         expect="not yet"),
    # 3. standardize
    dict(exercise="3. standardize",
         code="def standardize(X):\n    return torch.stack([(X[:, j] - X[:, j].mean()) / X[:, j].std(correction=0)\n"
              "                        for j in range(X.shape[1])], dim=1)\n",                  # a loop over columns
         expect="Rule: use broadcasting, not a Python loop"),
    dict(exercise="3. standardize",
         code="def standardize(X):\n    return (X - X.mean(dim=0)) / X.std(dim=0)\n",        # divides by N - 1
         expect="not yet"),
    dict(exercise="3. standardize",
         code="import torch.nn.functional as F\ndef standardize(X):\n    return F.batch_norm(X, None, None, training=True, eps=0.0)\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.batch_norm"),
    dict(exercise="3. standardize",
         code="from sklearn.preprocessing import StandardScaler\n"
              "def standardize(X):\n    return torch.tensor(StandardScaler().fit_transform(X), dtype=torch.float32)\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.numpy"),
    # 4. pairwise_sq_dists
    dict(exercise="4. pairwise_sq_dists",
         code="def pairwise_sq_dists(A, B):\n    return torch.cdist(A, B) ** 2\n",
         expect="Rule: this exercise asks you not to use torch.cdist"),
    dict(exercise="4. pairwise_sq_dists",
         code="def pairwise_sq_dists(A, B):\n    return torch.stack([((A - b) ** 2).sum(dim=1) for b in B], dim=1)\n",
         expect="Rule: use broadcasting, not a Python loop"),
    dict(exercise="4. pairwise_sq_dists",
         code="import torch.nn.functional as F\ndef pairwise_sq_dists(A, B):\n    return F.pairwise_distance(A[:, None, :], B[None, :, :]) ** 2\n",
         expect="Rule: this exercise asks you not to use torch.nn.functional.pairwise_distance"),
    dict(exercise="4. pairwise_sq_dists",
         code="def pairwise_sq_dists(A, B):\n    return ((A[:, None, :] - B[None, :, :]) ** 2).sum(dim=1)\n",  # wrong dim
         expect="not yet"),
    # 5. forward_like_model
    dict(exercise="5. forward_like_model",
         code="def forward_like_model(model, X):\n    return model(X.to(next(model.parameters()).dtype))\n",  # dtype only
         expect="Rule: give X the device and the dtype of the model's own weights"),
    dict(exercise="5. forward_like_model",
         code="def forward_like_model(model, X):\n    return model(X.to(device))\n",                          # global device
         expect="not yet"),
]
