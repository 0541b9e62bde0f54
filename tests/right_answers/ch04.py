"""Right answers to chapter 04's exercises, written otherwise than the worked solutions: each must pass its check."""

RIGHT = [
    dict(exercise="04.1", code="def huber_per_sample(y_hat, y, delta=1.0):\n"
                              "    r = (y_hat - y).abs()\n    q = torch.clamp(r, max=delta)\n"
                              "    return 0.5 * q ** 2 + delta * (r - q)\n"),
    dict(exercise="04.1", code="def huber_per_sample(y_hat, y, delta=1.0):\n    r = y_hat - y\n"
                              "    small = r.abs() <= delta\n"
                              "    return torch.where(small, r * r / 2, delta * r.abs() - delta * delta / 2)\n"),
    dict(exercise="04.1", code="def huber_per_sample(y_hat, y, delta=1.0):\n    r = (y_hat - y).abs()\n"
                              "    return 0.5 * r.clamp(max=delta) ** 2 + delta * torch.relu(r - delta)\n"),
    dict(exercise="04.2", code="def ols_fit(X, y):\n"
                              "    A = torch.cat([X, torch.ones_like(X[:, :1])], dim=1)\n"
                              "    sol = torch.linalg.lstsq(A, y).solution\n    return sol[:-1], float(sol[-1, 0])\n"),
    dict(exercise="04.2", code="def ols_fit(X, y):\n"
                              "    A = torch.cat([X.double(), torch.ones(len(X), 1, dtype=torch.float64)], dim=1)\n"
                              "    sol = torch.linalg.lstsq(A, y.double()).solution.float()\n"
                              "    return sol[:X.shape[1]], sol[X.shape[1]].item()\n"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n    N = X.shape[0]\n    r = X @ w + b - y\n"
                              "    return w - lr * (2 / N) * (X.T @ r), b - lr * (2 / N) * r.sum()\n"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n    r = torch.addmm(b.expand(len(X), 1), X, w) - y\n"
                              "    return w - lr * 2 * torch.mm(X.t(), r) / len(X), b - lr * 2 * r.mean()\n"),
    dict(exercise="04.4", code="def fit_cubic(X, y):\n    return ols_fit(torch.cat([X, X ** 2, X ** 3], dim=1), y)\n"),
    dict(exercise="04.4", code="def fit_cubic(X, y):\n"
                              "    A = torch.cat([poly_features(X, 3), torch.ones(len(X), 1)], dim=1)\n"
                              "    theta = torch.linalg.lstsq(A, y).solution\n    return theta[:3], theta[3].item()\n"),
    dict(exercise="04.5", code="good_lr = 0.2\n"),
    dict(exercise="04.5", code="good_lr = 0.1\n"),
]

RIGHT += [
    dict(exercise="04.4", code="def fit_cubic(X, y):\n"                               # Vandermonde features
                              "    V = torch.linalg.vander(X[:, 0], N=4)\n"
                              "    theta = torch.linalg.lstsq(V, y).solution\n"
                              "    return theta[1:], theta[0].item()\n"),
]

RIGHT += [
    dict(exercise="04.2", code="import torch.nn.functional as F\n"
                              "def ols_fit(X, y):\n    A = F.pad(X, (0, 1), value=1.0)\n"
                              "    theta = torch.linalg.lstsq(A, y).solution\n    return theta[:-1], theta[-1].item()\n"),
    # issue-22 review: classes fixed in the framework (inputs kept, dtype kept, fixed inputs, method)
    dict(exercise="04.4", code="def fit_cubic(x, y):\n    V = torch.linalg.vander(x[:, 0], N=4)\n    th = torch.linalg.lstsq(V, y).solution\n    return th[1:], th[0].item()\n"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='04.1', code='def huber_per_sample(y_hat, y, delta=1.0):\n    r = (y_hat - y).abs()\n    q = r.clamp(max=delta)\n    return 0.5 * q ** 2 + delta * (r - q)\n'),
    dict(exercise='04.2', code='import torch.nn.functional as F\ndef ols_fit(X, y):\n    t = torch.linalg.lstsq(F.pad(X, (0, 1), value=1.0), y).solution\n    return t[:-1], t[-1].item()\n'),
    dict(exercise='04.3', code='def gd_step(w, b, X, y, lr):\n    e = X @ w + b - y\n    n = X.shape[0]\n    return w - lr * (2 / n) * (X.T @ e), b - lr * (2 / n) * e.sum()\n'),
    dict(exercise='04.4', code='def fit_cubic(x, y):\n    A = torch.linalg.vander(x[:, 0], N=4)\n    t = torch.linalg.lstsq(A, y).solution\n    return t[1:], t[0].item()\n'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
RIGHT += [
    dict(exercise='04.3',  # B: a full sum keeps b's shape ()
         code='def gd_step(w, b, X, y, lr):\n    err = X @ w + b - y\n    return w - lr * 2 * X.T @ err / len(X), b - lr * 2 * err.sum() / len(X)\n'),
    dict(exercise='04.2',  # B: float() of a one-element tensor
         code='def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)\n    th = torch.linalg.lstsq(A, y).solution\n    return th[:-1], float(th[-1])\n'),
]
