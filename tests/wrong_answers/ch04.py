"""Wrong ways to solve chapter 04's exercises; each must fail its check with a message naming the rule."""

# the wrong answers of exercise 2 replace ols_fit, so those of exercise 4 bring their own least squares
OLS = ("def _ols(F, y):\n"
       "    theta = torch.linalg.lstsq(torch.cat([F, torch.ones(len(F), 1)], dim=1), y).solution\n"
       "    return theta[:-1], theta[-1].item()\n")

WRONG = [
    dict(exercise="1. huber_per_sample",
         code="def huber_per_sample(y_hat, y, delta=1.0):\n"
              "    return nn.HuberLoss(reduction='none', delta=delta)(y_hat, y)\n",      # the library, not the formula
         expect="Rule: this exercise asks you not to use torch.nn.HuberLoss"),
    dict(exercise="1. huber_per_sample",
         code="def huber_per_sample(y_hat, y, delta=1.0):\n"
              "    return F.smooth_l1_loss(y_hat, y, reduction='none', beta=delta) * delta\n"
              "import torch.nn.functional as F\n",
         expect="not to use torch.nn.functional.smooth_l1_loss"),
    dict(exercise="1. huber_per_sample",
         code="def huber_per_sample(y_hat, y, delta=1.0):\n"
              "    r = (y_hat - y).abs()\n"
              "    return torch.where(r <= delta, 0.5 * r ** 2, delta * (r - 0.5 * delta)).mean()\n",   # the cost
         expect="return one loss per sample"),
    dict(exercise="1. huber_per_sample",
         code="def huber_per_sample(y_hat, y, delta=1.0):\n"
              "    r = (y_hat - y).abs()\n"
              "    return torch.where(r <= delta, r ** 2, delta * (r - 0.5 * delta))\n",   # MSE branch without 0.5
         expect="your losses differ from nn.HuberLoss"),
    dict(exercise="2. ols_fit",
         code="def ols_fit(X, y):\n"
              "    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)\n"
              "    theta = torch.linalg.inv(A.T @ A) @ A.T @ y\n"                          # inverse, not lstsq
              "    return theta[:-1], theta[-1].item()\n",
         expect="solve the least-squares problem with torch.linalg.lstsq"),
    dict(exercise="2. ols_fit",
         code="def ols_fit(X, y):\n"
              "    theta = torch.linalg.lstsq(X, y).solution\n"                            # no column of ones
              "    return theta, 0.0\n",
         expect="append a column of ones"),
    dict(exercise="3. gd_step",
         code="def gd_step(w, b, X, y, lr):\n"
              "    w, b = w.clone().requires_grad_(), torch.as_tensor(b).clone().requires_grad_()\n"
              "    torch.mean((X @ w + b - y) ** 2).backward()\n"                          # autograd
              "    return (w - lr * w.grad).detach(), (b - lr * b.grad).detach()\n",
         expect="Rule: this exercise asks you not to use torch.Tensor.backward"),
    dict(exercise="3. gd_step",
         code="def gd_step(w, b, X, y, lr):\n"
              "    error = X @ w + b - y\n"
              "    return w - lr * X.T @ error / len(X), b - lr * error.mean()\n",        # the factor 2 forgotten
         expect="one step is w - lr * (2/N)"),
    dict(exercise="4. cubic fit",
         code="def fit_cubic(X, y):\n"
              "    return torch.tensor([[1.0], [0.0], [-0.5]]), 2.0\n",                    # the true curve, not a fit
         expect="fit by least squares on the training points you are given"),
    dict(exercise="4. cubic fit",
         code=OLS + "X_cubic_test, y_cubic_test = make_polynomial(100, coeffs=(2.0, 1.0, 0.0, -0.5), noise=0.5, seed=6)\n"
              "def fit_cubic(X, y):\n"                                                   # fits the test points
              "    return _ols(poly_features(X_cubic_test, 3), y_cubic_test)\n",
         expect="fit by least squares on the training points you are given"),
    dict(exercise="4. cubic fit",
         code=OLS + "def fit_cubic(X, y):\n"
              "    return _ols(poly_features(X, 1), y)\n",                               # a line
         expect="fit a degree-3 polynomial"),
    dict(exercise="4. cubic fit",
         code=OLS + "_w, _b = _ols(poly_features(X_cubic, 3), y_cubic)\n"
              "def fit_cubic(X, y):\n"                                                   # ignores its data
              "    return _w, _b\n",
         expect="fit_cubic must fit the data it is given"),
    dict(exercise="5. good_lr", code="good_lr = 0.5\n", expect="diverges: stay below the critical learning rate"),
    dict(exercise="5. good_lr", code="good_lr = 0.001\n", expect="is too small"),
]
