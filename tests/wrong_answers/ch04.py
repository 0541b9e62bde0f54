"""Wrong ways to solve chapter 04's exercises; each must fail its check, naming the rule or the failing case."""

# the wrong answers of exercise 2 replace ols_fit, so those of exercise 4 bring their own least squares
OLS = ("def _ols(F, y):\n"
       "    theta = torch.linalg.lstsq(torch.cat([F, torch.ones(len(F), 1)], dim=1), y).solution\n"
       "    return theta[:-1], theta[-1].item()\n")

WRONG = [
    # 04.1 huber_per_sample
    dict(exercise="04.1", code="def huber_per_sample(y_hat, y, delta=1.0):\n"
                              "    return nn.HuberLoss(reduction='none', delta=delta)(y_hat, y)\n",
         expect="operation 'huber_loss'"),
    dict(exercise="04.1", code="import torch.nn.functional as F\n"
                              "def huber_per_sample(y_hat, y, delta=1.0):\n"
                              "    return F.smooth_l1_loss(y_hat, y, reduction='none', beta=delta) * delta\n",
         expect="operation 'smooth_l1_loss'"),
    dict(exercise="04.1", code="def huber_per_sample(y_hat, y, delta=1.0):\n    r = (y_hat - y).abs()\n"
                              "    return torch.where(r <= delta, 0.5 * r ** 2, delta * (r - 0.5 * delta)).mean()\n",
         expect="operation 'mean'"),                                            # the cost, not per sample
    dict(exercise="04.1", code="def huber_per_sample(y_hat, y, delta=1.0):\n    r = (y_hat - y).abs()\n"
                              "    return torch.where(r <= delta, r ** 2, delta * (r - 0.5 * delta))\n",  # no 0.5
         expect="your losses differ"),
    dict(exercise="04.1", code="def huber_per_sample(y_hat, y, delta=1.0):\n    r = (y_hat - y).abs()\n"
                              "    return torch.where(r <= 1.0, 0.5 * r ** 2, 1.0 * (r - 0.5))\n",      # delta fixed
         expect="your losses differ"),
    dict(exercise="04.1", code="def huber_per_sample(y_hat, y, delta=1.0):\n    r = y_hat - y\n"
                              "    return torch.where(r <= delta, 0.5 * r ** 2, delta * (r - 0.5 * delta))\n",  # no abs
         expect="your losses differ"),
    dict(exercise="04.1", code="def huber_by_hand(y_hat, y, delta=1.0):\n    r = (y_hat - y).abs()\n"
                              "    return torch.where(r <= delta, 0.5 * r ** 2, delta * (r - 0.5 * delta))\n"
                              "def huber_per_sample(y_hat, y, delta=1.0):\n    return huber_by_hand(y_hat, y, delta)\n",
         expect="switches off"),                                               # the chapter's helper
    dict(exercise="04.1", code="def huber_per_sample(y_hat, y, delta=1.0):\n"
                              "    return (y_hat - y).abs().reshape(len(y), -1)[:, 0]\n",                # shape
         expect="one loss per sample"),
    # 04.2 ols_fit
    dict(exercise="04.2", code="def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)\n"
                              "    theta = torch.linalg.inv(A.T @ A) @ A.T @ y\n"
                              "    return theta[:-1], theta[-1].item()\n",                              # inverse
         expect="torch.linalg.lstsq"),
    dict(exercise="04.2", code="def ols_fit(X, y):\n    theta = torch.linalg.lstsq(X, y).solution\n    return theta, 0.0\n",
         expect="column of ones"),                                             # no bias column
    dict(exercise="04.2", code="import numpy as np\n"
                              "def ols_fit(X, y):\n    A = np.c_[X.numpy(), np.ones(len(X))]\n"
                              "    theta = np.linalg.lstsq(A, y.numpy(), rcond=None)[0]\n"
                              "    return torch.tensor(theta[:-1], dtype=torch.float32), float(theta[-1])\n",
         expect="torch alone|switches off"),
    dict(exercise="04.2", code="from sklearn.linear_model import LinearRegression\n"
                              "def ols_fit(X, y):\n    m = LinearRegression().fit(X, y)\n"
                              "    return torch.tensor(m.coef_.T, dtype=torch.float32), float(m.intercept_[0])\n",
         expect="torch alone|switches off"),
    dict(exercise="04.2", code="def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)\n"
                              "    theta = torch.linalg.lstsq(A, y).solution\n    return theta[:-1].flatten(), theta[-1].item()\n",
         expect="shape ("),                                                    # w of shape (d,)
    dict(exercise="04.2", code="def ols_fit(X, y):\n    A = torch.cat([X[:, :1], torch.ones(len(X), 1)], dim=1)\n"
                              "    theta = torch.linalg.lstsq(A, y).solution\n    return theta[:-1], theta[-1].item()\n",
         expect="not yet"),                                                    # one feature hard-coded
    dict(exercise="04.2", code="def ols_fit(X, y):\n    A = torch.cat([torch.ones(len(X), 1), X], dim=1)\n"
                              "    theta = torch.linalg.lstsq(A, y).solution\n    return theta[:-1], theta[-1].item()\n",
         expect="not yet"),                                                    # the ones column first, split wrong
    dict(exercise="04.2", code="def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)\n"
                              "    theta = torch.linalg.pinv(A) @ y\n    return theta[:-1], theta[-1].item()\n",
         expect="torch.linalg.lstsq"),
    # 04.3 gd_step
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n"
                              "    w, b = w.clone().requires_grad_(), torch.as_tensor(b).clone().requires_grad_()\n"
                              "    torch.mean((X @ w + b - y) ** 2).backward()\n"
                              "    return (w - lr * w.grad).detach(), (b - lr * b.grad).detach()\n",
         expect="without autograd"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n    error = X @ w + b - y\n"
                              "    return w - lr * X.T @ error / len(X), b - lr * error.mean()\n",          # factor 2
         expect="one step is"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n"
                              "    loss = lambda w, b: ((X @ w + b - y) ** 2).mean()\n"
                              "    gw = torch.func.jacfwd(loss)(w, b)\n    gb = torch.func.jacfwd(loss, argnums=1)(w, b)\n"
                              "    return w - lr * gw, b - lr * gb\n",
         expect="forward-mode autograd"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n"
                              "    loss = lambda w, b: ((X @ w + b - y) ** 2).mean()\n"
                              "    gw, gb = torch.func.grad(loss, argnums=(0, 1))(w, b)\n"
                              "    return w - lr * gw, b - lr * gb\n",
         expect="Rule:"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n    error = X @ w + b - y\n"
                              "    return w - lr * 2 * (X * error).mean(), b - lr * 2 * error.mean()\n",   # one number for w
         expect="one step is"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n    error = X @ w + b - y\n"
                              "    return w - lr * 2 * X.T @ error / len(X), b - lr * 2 * error.sum()\n",  # sum for b
         expect="one step is"),
    # 04.4 fit_cubic
    dict(exercise="04.4", code="def fit_cubic(X, y):\n    return torch.tensor([[1.0], [0.0], [-0.5]]), 2.0\n",
         expect="least-squares"),                                              # the true curve, not a fit
    dict(exercise="04.4", code=OLS + "X_cubic_test, y_cubic_test = make_polynomial(100, coeffs=(2.0, 1.0, 0.0, -0.5), "
                                     "noise=0.5, seed=6)\n"
                                     "def fit_cubic(X, y):\n    return _ols(poly_features(X_cubic_test, 3), y_cubic_test)\n",
         expect="least-squares"),
    dict(exercise="04.4", code=OLS + "def fit_cubic(X, y):\n    return _ols(poly_features(X, 1), y)\n",      # a line
         expect="(3, 1)"),
    dict(exercise="04.4", code=OLS + "_w, _b = _ols(poly_features(X_cubic, 3), y_cubic)\n"
                                     "def fit_cubic(X, y):\n    return _w, _b\n",                         # ignores its data
         expect="least-squares"),
    dict(exercise="04.4", code="import numpy as np\n"
                              "def fit_cubic(X, y):\n    c = np.polyfit(X[:, 0].numpy(), y[:, 0].numpy(), 3)\n"
                              "    return torch.tensor(c[:3][::-1].copy(), dtype=torch.float32).reshape(3, 1), float(c[3])\n",
         expect="torch alone|switches off"),
    dict(exercise="04.4", code="def fit_polynomial(x, y, degree):\n"
                              "    A = torch.cat([torch.ones_like(x), poly_features(x, degree)], dim=1)\n"
                              "    return torch.linalg.lstsq(A, y).solution\n"
                              "def fit_cubic(X, y):\n    c = fit_polynomial(X, y, 3)\n    return c[1:], c[0].item()\n",
         expect="switches off"),                                               # the chapter's helper
    dict(exercise="04.4", code=OLS + "def fit_cubic(X, y):\n"
                                     "    return _ols(torch.cat([X, X ** 2, X ** 3, X ** 4], dim=1), y)\n",   # quartic
         expect="(3, 1)"),
    dict(exercise="04.4", code=OLS + "def fit_cubic(X, y):\n"                                                  # no bias
                                     "    w = torch.linalg.lstsq(poly_features(X, 3), y).solution\n    return w, 0.0\n",
         expect="least-squares"),
    # 04.5 good_lr
    dict(exercise="04.5", code="good_lr = 0.5\n", expect="diverges"),
    dict(exercise="04.5", code="good_lr = 0.001\n", expect="too small"),
    dict(exercise="04.5", code="good_lr = 0.33\n", expect="diverges"),
    dict(exercise="04.5", code="good_lr = '0.2'\n", expect="positive number"),
    # issue-22 review: classes fixed in the framework (inputs kept, dtype kept, fixed inputs, method)
    dict(exercise="04.2", code="def ols_fit(X, y):\n    w = torch.zeros(X.shape[1], 1); b = torch.zeros(())\n    for _ in range(300):\n        e = X @ w + b - y\n        w = w - 0.1 * 2 * X.T @ e / len(X); b = b - 0.1 * 2 * e.mean()\n    return w, b.item()\n", expect="lstsq"),
    dict(exercise="04.2", code="from dlstudy.exercises.ch04 import _least_squares\ndef ols_fit(X, y):\n    w, b = _least_squares(X, y)\n    return w.float(), b\n", expect="reference"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n    e = X @ w + b - y\n    w -= lr * 2 * X.T @ e / len(X)\n    return w, b - lr * 2 * e.mean()\n", expect="in place"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n    e = X @ w + b - y\n    return w - lr * 2 * X.T @ e / len(X), b - lr * 2 * e / len(X)\n", expect="tensor of shape ()"),
    dict(exercise="04.3", code="def gd_step(w, b, X, y, lr):\n    e = X.double() @ w.double() + b - y\n    return w - lr * 2 * X.T.double() @ e / len(X), b - lr * 2 * e.mean()\n", expect="dtype"),
    # issue 22, second adversarial review (ex2): held-out answers of every pattern class
    dict(exercise='04.1', code="import torch.nn.functional as F\ndef huber_per_sample(y_hat, y, delta=1.0): return F.smooth_l1_loss(y_hat, y, reduction='none', beta=delta) * delta\n",
         expect='Your code ran the operation'),
    dict(exercise='04.1', code='def huber_per_sample(y_hat, y, delta=1.0):\n    r = (y_hat - y).abs()\n    return torch.where(r <= delta, 0.5 * r ** 2, delta * (r - 0.5 * delta)).mean()\n',
         expect='Your code ran the operation'),
    dict(exercise='04.1', code='def huber_per_sample(y_hat, y, delta=1.0):\n    r = (y_hat - y).abs()\n    return torch.where(r <= delta, r ** 2, delta * (r - 0.5 * delta))\n',
         expect='For y_hat of shape'),
    dict(exercise='04.1', code='def huber_per_sample(y_hat, y, delta=1.0):\n    r = (y_hat - y).abs()\n    return torch.where(r <= 1.0, 0.5 * r ** 2, r - 0.5)\n',
         expect='For y_hat of shape'),
    dict(exercise='04.1', code="def huber_per_sample(y_hat, y, delta=1.0): return nn.HuberLoss(reduction='none', delta=delta)(y_hat, y)\n",
         expect='Your code ran the operation'),
    dict(exercise='04.2', code='def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], 1)\n    t = torch.linalg.solve(A.T @ A, A.T @ y)\n    return t[:-1], t[-1].item()\n',
         expect='Your code ran the operation'),
    dict(exercise='04.2', code='def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], 1)\n    t = torch.linalg.pinv(A) @ y\n    return t[:-1], t[-1].item()\n',
         expect='Your code ran the operation'),
    dict(exercise='04.2', code='def ols_fit(X, y):\n    t = torch.linalg.lstsq(X, y).solution\n    return t, 0.0\n',
         expect='For X of shape'),
    dict(exercise='04.2', code='import numpy as np\ndef ols_fit(X, y):\n    A = np.c_[X.numpy(), np.ones(len(X))]\n    t = np.linalg.lstsq(A, y.numpy(), rcond=None)[0]\n    return torch.tensor(t[:-1]), float(t[-1])\n',
         expect='This exercise is solved with torch alone (solve'),
    dict(exercise='04.2', code='def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], 1)\n    torch.linalg.lstsq(A, y)\n    t = torch.linalg.pinv(A) @ y\n    return t[:-1], t[-1].item()\n',
         expect='Your code ran the operation'),
    dict(exercise='04.2', code='def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], 1)\n    _ = torch.linalg.lstsq(A[:2, :1], y[:2])\n    t = torch.cholesky_solve(A.T @ y, torch.linalg.cholesky(A.T @ A))\n    return t[:-1], t[-1].item()\n',
         expect='Your code ran the operation'),
    dict(exercise='04.3', code='import torch.nn.functional as F\ndef gd_step(w, b, X, y, lr):\n    gw, gb = torch.func.grad(lambda w, b: F.mse_loss(X @ w + b, y), argnums=(0, 1))(w, b)\n    return w - lr * gw, b - lr * gb\n',
         expect='Your code ran the operation|torch.func'),
    dict(exercise='04.3', code='def gd_step(w, b, X, y, lr):\n    e = X @ w + b - y\n    return w - lr * X.T @ e / len(X), b - lr * e.mean()\n',
         expect='For w of shape'),
    dict(exercise='04.3', code='def gd_step(w, b, X, y, lr):\n    e = X @ w + b - y\n    w -= lr * 2 * X.T @ e / len(X)\n    b -= lr * 2 * e.mean()\n    return w, b\n',
         expect='Leave your inputs as they are: your code changed'),
    dict(exercise='04.3', code='def gd_step(w, b, X, y, lr):\n    e = X @ w + b - y\n    return w - lr * 2 * X.T @ e / len(X), b - lr * 2 * e / len(X)\n',
         expect='The new b must be one number, like b; for w of|The new b (a scalar tensor'),
    dict(exercise='04.3', code='def gd_step(w, b, X, y, lr):\n    f = lambda w: ((X @ w + b - y) ** 2).mean()\n    gw = torch.cat([torch.func.jvp(f, (w,), (torch.eye(len(w))[i].reshape(w.shape),))[1].reshape(1) for i in range(len(w))]).reshape(w.shape)\n    gb = torch.func.jvp(lambda b: ((X @ w + b - y) ** 2).mean(), (b,), (torch.ones_like(b),))[1]\n    return w - lr * gw, b - lr * gb\n',
         expect='This exercise computes the gradient without'),
    dict(exercise='04.4', code='import numpy as np\ndef fit_cubic(x, y):\n    c = np.polyfit(x[:, 0].numpy(), y[:, 0].numpy(), 3)\n    return torch.tensor(c[:3][::-1].copy()).reshape(3, 1).float(), float(c[3])\n',
         expect='This exercise is solved with torch alone (fit x,'),
    dict(exercise='04.4', code='def fit_cubic(x, y):\n    A = torch.cat([x, x ** 2, torch.ones_like(x)], 1)\n    t = torch.linalg.lstsq(A, y).solution\n    return torch.cat([t[:2], torch.zeros(1, 1)]), t[-1].item()\n',
         expect='For X of shape'),
    dict(exercise='04.4', code='def fit_cubic(x, y):\n    A = torch.cat([x, x ** 2, x ** 3, torch.ones_like(x)], 1)\n    t = torch.linalg.pinv(A) @ y\n    return t[:3], t[3].item()\n',
         expect='Your code ran the operation'),
    dict(exercise='04.4', code='def fit_cubic(x, y):\n    A = torch.cat([x, x ** 2, x ** 3, torch.ones_like(x)], 1)\n    t = torch.zeros(4, 1)\n    for _ in range(3000):\n        t = t - 0.01 * 2 * A.T @ (A @ t - y) / len(x)\n    return t[:3], t[3].item()\n',
         expect='Solve with torch.linalg.lstsq: for X of shape'),
    dict(exercise='04.5', code='good_lr = 0.3\n',
         expect='not yet'),
    dict(exercise='04.5', code="good_lr = '0.2'\n",
         expect='good_lr must be a positive number; yours is'),
    dict(exercise='04.5', code='good_lr = torch.tensor(0.2)\n',
         expect='good_lr must be a positive number; yours is'),
]

# issue-22 review 2 (classes A-E): deciding inputs, promised return types, the method, backward's gradient,
# every max pooling; each row names the class it tests
WRONG += [
    dict(exercise='04.3',  # B: new b of shape (1,), not b's shape ()
         code='def gd_step(w, b, X, y, lr):\n    err = X @ w + b - y\n    return w - lr * 2 * X.T @ err / len(X), (b - lr * 2 * err.mean()).reshape(1)\n',
         expect='tensor of shape ()'),
    dict(exercise='04.3',  # B: new b of shape (1, 1) by keepdim
         code='def gd_step(w, b, X, y, lr):\n    err = X @ w + b - y\n    return w - lr * 2 * X.T @ err / len(X), b - lr * 2 * err.mean(dim=0, keepdim=True)\n',
         expect='tensor of shape ()'),
    dict(exercise='04.2',  # B: b a 0-d tensor, not a float
         code='def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)\n    th = torch.linalg.lstsq(A, y).solution\n    return th[:-1], th[-1, 0]\n',
         expect='Python float'),
    dict(exercise='04.2',  # B: w of shape (d,), not (d, 1)
         code='def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], dim=1)\n    th = torch.linalg.lstsq(A, y).solution\n    return th[:-1].squeeze(1), th[-1].item()\n',
         expect='shape ('),
]

# issue-22 review 2: the reviewer's own cases (/work/notes/review22_v2.md), kept as regression rows
WRONG += [
    dict(exercise='04.2',  # review 2: b as tensor
         code='def ols_fit(X, y):\n    A = torch.cat([X, torch.ones(len(X), 1)], 1)\n    th = torch.linalg.lstsq(A, y).solution\n    return th[:-1], th[-1]\n',
         expect='Python float'),
    dict(exercise='04.3',  # review 2: b returned as float
         code='def gd_step(w, b, X, y, lr):\n    err = X @ w + b - y\n    return w - lr * 2 * X.T @ err / len(X), (b - lr * 2 * err.mean()).item()\n',
         expect='tensor of shape ()'),
    dict(exercise='04.3',  # review 2: grad_b as vector mean(0)
         code='def gd_step(w, b, X, y, lr):\n    err = X @ w + b - y\n    return w - lr * 2 * X.T @ err / len(X), b - lr * 2 * err.mean(0)\n',
         expect='tensor of shape ()'),
    dict(exercise='04.3',  # review 2: grad_b sum(0) shape (1,)
         code='def gd_step(w, b, X, y, lr):\n    err = X @ w + b - y\n    return w - lr * 2 * X.T @ err / len(X), b - lr * 2 * err.sum(0) / len(X)\n',
         expect='tensor of shape ()'),
]
