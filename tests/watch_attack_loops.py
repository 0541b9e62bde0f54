"""Loops written to attack the fixes of review 3's classes in other styles (not in tests/watch_review3_loops.py).

Same format: name, expected (must be reported), also_ok (true consequences), code (defines model, optimizer,
loss_fn, train()) run after watch_review3_loops.PRELUDE.
"""
from tests.watch_review3_loops import L

ATTACK = [
    # ---- A: noisy batch losses with a good lr stay silent; a far too large lr is reported ----------------------
    L("atk_ok_outlier_batches_regression_sgd", set(), '''
        torch.manual_seed(501)
        X, y = regression(n=480, d=5)
        y[::37] += 25.0                          # a few outliers: single batches cost 10x more
        model = nn.Sequential(nn.Linear(5, 32), nn.Tanh(), nn.Linear(32, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(4):
                for i in range(0, 480, 12):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+12]), y[i:i+12]).backward()
                    optimizer.step()
        '''),
    L("atk_ok_adam_1e-2_small_net_classes", set(), '''
        torch.manual_seed(502)
        X, y = blobs(n=384, d=6, C=3)
        model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(6):
                for xb, yb in DataLoader(TensorDataset(X, y), batch_size=16):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("atk_lr_high_adam_3_while_loop", {"lr_high"}, '''
        torch.manual_seed(503)
        X, y = blobs(n=512, d=8, C=4)
        model = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=3.0)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            step = 0
            while step < 150:
                i = (step * 32) % 512
                loss = loss_fn(model(X[i:i+32]), y[i:i+32])
                optimizer.zero_grad(); loss.backward(); optimizer.step()
                step += 1
        ''', {"dead_relu", "chance_loss"}),
    L("atk_lr_high_sgd_momentum_regression", {"lr_high"}, '''
        torch.manual_seed(504)
        X, y = regression(n=400, d=6)
        model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                perm = torch.randperm(400)
                for idx in perm.split(25):
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        ''', {"dead_relu"}),
    L("atk_lr_low_rmsprop_1e-8", {"lr_low"}, '''
        torch.manual_seed(505)
        X, y = wine(); X = standardize(X)
        model = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3))
        optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-8)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(20):
                for idx in torch.randperm(178).split(16):      # wine is sorted by class: shuffle
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        ''', {"chance_loss"}),
    # ---- B: NaN / Inf in a batch that is never probed --------------------------------------------------------
    L("atk_inf_after_log_of_zero_unshuffled", {"nonfinite_input"}, '''
        torch.manual_seed(506)
        X, y = regression(n=400, d=4)
        X = X.abs()
        X[150, 2] = 0.0
        X = torch.log(X)                         # log(0) = -inf in one row of batch 9
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(3):
                for xb, yb in DataLoader(TensorDataset(X, y), batch_size=16):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("atk_nan_label_classification_float_targets", {"nonfinite_input"}, '''
        torch.manual_seed(507)
        X, y = moons(n=400)
        y = y.reshape(-1, 1).clone()
        y[230, 0] = float("nan")                 # batch 11 of 20: never a probe in the first epoch
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 400, 20):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+20]), y[i:i+20]).backward()
                    optimizer.step()
        '''),
    # ---- C: dead units behind functional activations; lr_low only with gradients -----------------------------
    L("atk_dead_torch_relu_kaiming_negative_bias", {"dead_relu"}, '''
        torch.manual_seed(508)
        X, y = iris(); X = standardize(X)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.hidden = nn.Linear(4, 64)
                self.out = nn.Linear(64, 3)
                with torch.no_grad():
                    self.hidden.bias.fill_(-15.0)
            def forward(self, x):
                return self.out(torch.relu(self.hidden(x)))
        model = Net()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(10):
                perm = torch.randperm(150)
                for idx in perm.split(15):
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        ''', {"chance_loss"}),
    L("atk_dead_functional_relu_two_hidden", {"dead_relu"}, '''
        torch.manual_seed(509)
        X, y = blobs(n=320, d=8, C=4)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.a, self.b, self.c = nn.Linear(8, 32), nn.Linear(32, 32), nn.Linear(32, 4)
                nn.init.constant_(self.b.bias, -30.0)
            def forward(self, x):
                return self.c(F.relu(self.b(F.relu(self.a(x)))))
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(4):
                for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"chance_loss"}),
    L("atk_ok_functional_relu_healthy", set(), '''
        torch.manual_seed(510)
        X, y = blobs(n=320, d=8, C=4)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.a, self.b = nn.Linear(8, 32), nn.Linear(32, 4)
            def forward(self, x):
                return self.b(F.relu(self.a(x)))
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("atk_ok_embedding_rows_without_gradient", set(), '''
        torch.manual_seed(511)
        tokens = torch.randint(0, 40, (400, 6))       # a vocabulary of 500: most rows never get a gradient
        y = (tokens[:, 0] % 2)
        class Bag(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb, self.fc = nn.Embedding(500, 16), nn.Linear(16, 2)
            def forward(self, t):
                return self.fc(self.emb(t).mean(1))
        model = Bag()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(4):
                for i in range(0, 400, 25):
                    optimizer.zero_grad()
                    loss_fn(model(tokens[i:i+25]), y[i:i+25]).backward()
                    optimizer.step()
        '''),
    # ---- D: eval mode left on while training ----------------------------------------------------------------
    L("atk_eval_in_helper_batchnorm_4_epochs", {"eval_mode"}, '''
        torch.manual_seed(512)
        X, y = blobs(n=512, d=8, C=4)
        Xv, yv = blobs(n=128, d=8, C=4, seed=3)
        model = nn.Sequential(nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def evaluate():
            model.eval()
            with torch.no_grad():
                return (model(Xv).argmax(1) == yv).float().mean().item()
        def train():
            model.train()
            for epoch in range(4):
                for i in range(0, 512, 16):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+16]), y[i:i+16]).backward()
                    optimizer.step()
                evaluate()
        '''),
    L("atk_ok_eval_then_train_each_epoch", set(), '''
        torch.manual_seed(513)
        X, y = blobs(n=512, d=8, C=4)
        Xv, yv = blobs(n=128, d=8, C=4, seed=3)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Dropout(0.4), nn.Linear(32, 4))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(4):
                model.train()
                for i in range(0, 512, 16):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+16]), y[i:i+16]).backward()
                    optimizer.step()
                model.eval()
                with torch.no_grad():
                    loss_fn(model(Xv), yv).item()
        '''),
    # ---- E / F: feature scales and constant columns of a table ----------------------------------------------
    L("atk_scale_two_features_in_millimetres_vs_km", {"input_scale"}, '''
        torch.manual_seed(514)
        X, y = blobs(n=400, d=6, C=3)
        X = X.clone(); X[:, 0] *= 1e-3; X[:, 3] *= 2e-3
        model = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(4):
                for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"lr_high"}),
    L("atk_ok_one_hot_plus_standardized", set(), '''
        torch.manual_seed(515)
        Xn, y = blobs(n=400, d=4, C=3)
        cat = F.one_hot(torch.randint(0, 5, (400,)), 5).float()
        X = torch.cat([Xn, cat], 1)
        model = nn.Sequential(nn.Linear(9, 32), nn.ReLU(), nn.Linear(32, 3))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(4):
                for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("atk_constant_std_zero_division_fixed_to_zero", {"constant_input"}, '''
        torch.manual_seed(516)
        X, y = wine()
        X[:, 5] = 2.0                            # a column that was constant in the raw data
        std = X.std(0); std[std == 0] = 1.0
        X = (X - X.mean(0)) / std                # standardized: that column is now 0 everywhere
        model = nn.Sequential(nn.Linear(13, 32), nn.ReLU(), nn.Linear(32, 3))
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(15):
                perm = torch.randperm(178)
                for idx in perm.split(16):
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        '''),
    L("atk_ok_flattened_digits_scaled", set(), '''
        torch.manual_seed(517)
        X, y = digits(); X = X / 16
        model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    # ---- G / H / I ---------------------------------------------------------------------------------------------
    L("atk_graph_cut_by_from_numpy", {"no_grad_params"}, '''
        torch.manual_seed(518)
        X, y = iris(); X = standardize(X)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.fc1, self.fc2 = nn.Linear(4, 16), nn.Linear(16, 3)
            def forward(self, x):
                out = self.fc2(F.relu(self.fc1(x)))
                return torch.from_numpy(out.detach().numpy().copy()).requires_grad_()
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for idx in torch.randperm(150).split(10):       # iris is sorted by class: shuffle
                    optimizer.zero_grad()
                    loss_fn(model(X[idx]), y[idx]).backward()
                    optimizer.step()
        '''),
    L("atk_vanishing_modulelist_reversed_registration", {"vanishing"}, '''
        torch.manual_seed(519)
        X, y = blobs(n=320, d=8, C=4)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.out = nn.Linear(32, 4)
                self.layers = nn.ModuleList([nn.Linear(32, 32) for _ in range(9)])
                self.inp = nn.Linear(8, 32)
            def forward(self, x):
                h = torch.sigmoid(self.inp(x))
                for layer in self.layers:
                    h = torch.sigmoid(layer(h))
                return self.out(h)
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 320, 32):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+32]), y[i:i+32]).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_low"}),
    L("atk_ok_manual_update_with_zero_", set(), '''
        torch.manual_seed(520)
        X, y = regression(n=300, d=4)
        model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 1))
        optimizer = None
        loss_fn = nn.MSELoss()
        def train():
            for epoch in range(5):
                for i in range(0, 300, 20):
                    loss = loss_fn(model(X[i:i+20]), y[i:i+20])
                    loss.backward()
                    with torch.no_grad():
                        for p in model.parameters():
                            p.add_(p.grad, alpha=-0.05)
                            p.grad.zero_()
        '''),
    # ---- K: short correct BCEWithLogits runs -------------------------------------------------------------------
    L("atk_ok_bce_logits_one_epoch_small_init", set(), '''
        torch.manual_seed(521)
        X, y = moons(n=320)
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))
        with torch.no_grad():
            model[2].weight.mul_(0.05); model[2].bias.fill_(0.5)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for i in range(0, 320, 16):
                optimizer.zero_grad()
                loss_fn(model(X[i:i+16]), y[i:i+16].reshape(-1, 1)).backward()
                optimizer.step()
        '''),
    L("atk_sigmoid_before_bce_logits_long", {"softmax"}, '''
        torch.manual_seed(522)
        X, y = moons(n=400)
        model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1), nn.Sigmoid())
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.BCEWithLogitsLoss()
        def train():
            for epoch in range(4):
                for xb, yb in DataLoader(TensorDataset(X, y.reshape(-1, 1)), batch_size=20, shuffle=True):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"chance_loss", "lr_low", "vanishing"}),
    # ---- message: the order count covers every step that found no gradient ---------------------------------
    L("atk_order_step_then_backward_adam", {"order"}, '''
        torch.manual_seed(523)
        X, y = blobs(n=256, d=8, C=4)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(3):
                for i in range(0, 256, 16):
                    optimizer.zero_grad()
                    loss = loss_fn(model(X[i:i+16]), y[i:i+16])
                    optimizer.step()
                    loss.backward()
        ''', {"zero_grad"}),
    # ---- more after the first round: a zero-initialized head, dead conv channels behind F.relu -----------------
    L("atk_ok_zero_init_output_layer", set(), '''
        torch.manual_seed(524)
        X, y = blobs(n=512, d=8, C=4)
        model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 4))
        nn.init.zeros_(model[2].weight); nn.init.zeros_(model[2].bias)     # a zero head: ratios start huge
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(4):
                for xb, yb in DataLoader(TensorDataset(X, y), batch_size=32, shuffle=True):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        '''),
    L("atk_dead_conv_channels_functional_relu", {"dead_relu"}, '''
        torch.manual_seed(525)
        X, y = digits(); X = (X / 16).reshape(-1, 1, 8, 8)
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv, self.fc = nn.Conv2d(1, 8, 3, padding=1), nn.Linear(8 * 16, 10)
                nn.init.constant_(self.conv.bias, -20.0)
            def forward(self, x):
                return self.fc(F.max_pool2d(F.relu(self.conv(x)), 2).flatten(1))
        model = Net()
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(2):
                for xb, yb in DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True):
                    optimizer.zero_grad()
                    loss_fn(model(xb), yb).backward()
                    optimizer.step()
        ''', {"chance_loss"}),
    L("atk_ok_tanh_mlp_unshuffled_hard_and_easy_batches", set(), '''
        torch.manual_seed(526)
        X, y = blobs(n=480, d=8, C=4, sep=1.0)
        order = (X.norm(dim=1)).argsort()            # samples near the origin (hard) first, far ones (easy) last
        X, y = X[order], y[order]                    # and never shuffled: batch losses differ by block
        model = nn.Sequential(nn.Linear(8, 32), nn.Tanh(), nn.Linear(32, 4))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        loss_fn = nn.CrossEntropyLoss()
        def train():
            for epoch in range(5):
                for i in range(0, 480, 16):
                    optimizer.zero_grad()
                    loss_fn(model(X[i:i+16]), y[i:i+16]).backward()
                    optimizer.step()
        '''),
]
