"""Right answers to chapter 00's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="00.1", code="def safe_numpy(t):\n    return t.numpy(force=True).copy()\n"),
    dict(exercise="00.1", code="def safe_numpy(t):\n    return t.detach().cpu().clone().numpy()\n"),
    dict(exercise="00.1", code="def safe_numpy(t):\n    return np.array(t.detach().cpu())\n"),
    dict(exercise="00.1", code="def safe_numpy(t):\n    return t.detach().to('cpu').numpy().copy()\n"),
    dict(exercise="00.2", code="def to_model_input(array, device):\n    return torch.from_numpy(array).float().to(device)\n"),
    dict(exercise="00.2",
         code="def to_model_input(array, device):\n    return torch.as_tensor(array, dtype=torch.float32, device=device)\n"),
    dict(exercise="00.2",
         code="def to_model_input(array, device):\n    return torch.from_numpy(array.astype(np.float32)).to(device)\n"),
    dict(exercise="00.3", code="def standardize(X):\n    print(X[:2], X.shape)\n"
                              "    return (X - X.mean(dim=0)) / X.std(dim=0, correction=0)\n"),
    dict(exercise="00.3", code="def standardize(X):\n    mu = X.mean(0)\n    return (X - mu) / ((X - mu) ** 2).mean(0).sqrt()\n"),
    dict(exercise="00.3", code="def standardize(X):\n    var, mean = torch.var_mean(X, dim=0, correction=0)\n"
                              "    return (X - mean) * var.rsqrt()\n"),
    dict(exercise="00.3", code="def standardize(X):\n    return (X - X.mean(dim=0, keepdim=True)) / X.std(dim=0, "
                              "unbiased=False, keepdim=True)\n"),
    dict(exercise="00.3", code="def standardize(X):\n    centred = X - X.mean(0)\n"
                              "    return centred / X.std(0, correction=0).clamp_min(1e-12)\n"),
    dict(exercise="00.4", code="def pairwise_sq_dists(A, B):\n"
                              "    return (A ** 2).sum(1)[:, None] - 2 * A @ B.T + (B ** 2).sum(1)[None, :]\n"),
    dict(exercise="00.4", code="def pairwise_sq_dists(A, B):\n    diff = A.unsqueeze(1) - B.unsqueeze(0)\n"
                              "    return (diff * diff).sum(-1)\n"),
    dict(exercise="00.4", code="def pairwise_sq_dists(A, B):\n"
                              "    return torch.sqrt(((A[:, None] - B[None]) ** 2).sum(-1)) ** 2\n"),
    dict(exercise="00.5", code="def forward_like_model(model, X):\n    w = next(iter(model.parameters()))\n"
                              "    return model(X.to(w))\n"),
    dict(exercise="00.5", code="def forward_like_model(model, X):\n    p = list(model.parameters())[0]\n"
                              "    return model(X.to(p.device).to(p.dtype))\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='00.1', code='import numpy as np\ndef safe_numpy(t): return np.array(t.detach().cpu())\n'),
    dict(exercise='00.1', code='def safe_numpy(t): return t.detach().clone().cpu().numpy()\n'),
    dict(exercise='00.1', code='def safe_numpy(t): return t.numpy(force=True).copy()\n'),
    dict(exercise='00.2', code='def to_model_input(array, device): return torch.from_numpy(array.copy()).float().to(device)\n'),
    dict(exercise='00.2', code='def to_model_input(array, device): return torch.as_tensor(array, dtype=torch.float32).clone().to(device)\n'),
    dict(exercise='00.2', code='def to_model_input(array, device): return torch.from_numpy(array).to(device=device, dtype=torch.float32)\n'),
    dict(exercise='00.2', code='def to_model_input(array, device): return torch.as_tensor(array, dtype=torch.float32, device=device)\n'),
    dict(exercise='00.3', code='def standardize(X):\n    m = X.mean(0, keepdim=True)\n    return (X - m) / ((X - m) ** 2).mean(0).sqrt()\n'),
    dict(exercise='00.3', code='def standardize(X):\n    s, m = torch.std_mean(X, dim=0, correction=0)\n    return (X - m) / s\n'),
    dict(exercise='00.4', code='def pairwise_sq_dists(A, B): return (A ** 2).sum(1)[:, None] - 2 * A @ B.T + (B ** 2).sum(1)[None, :]\n'),
    dict(exercise='00.4', code='def pairwise_sq_dists(A, B): return (A.unsqueeze(1) - B.unsqueeze(0)).pow(2).sum(-1)\n'),
    dict(exercise='00.5', code='def forward_like_model(model, X): return model(X.to(next(model.parameters())))\n'),
    dict(exercise='00.5', code='def forward_like_model(model, X):\n    p = next(model.parameters())\n    return model(X.to(p.device).to(p.dtype))\n'),
]

# issue-22 review 2 (found while re-running it): the loop check counts computing operations only, so einsum,
# whose views and permutes differ between D = 1 and D > 1, passes whatever sizes are drawn
RIGHT += [
    dict(exercise="00.4",  # F: einsum over the broadcast differences
         code='def pairwise_sq_dists(A, B):\n    D = A[:, None] - B[None]\n    return torch.einsum("nmd,nmd->nm", D, D)\n'),
]
