"""Chapter 06's exercises: a Dataset, one training epoch, the evaluation loop, standardizing, save and reload.

Every check builds its own data and models at check time (sizes drawn anew, batch sizes that do not
divide the data) and judges the loops by their effect: the weights after your epoch must equal those
after the five steps per batch from the same start, batches that were never moved to the model's
device refuse to be computed with (on a CPU too), and the reloaded model must hold the numbers of the
file, loaded with ``weights_only`` in force.
"""

import contextlib
import sys
import tempfile
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader

from dlstudy.device import get_device
from dlstudy.exercises.effects import LIBRARIES, chapter_functions, host_loader, refuse_calls
from dlstudy.exercises.inputs import draw_int, generator, sizes
from dlstudy.exercises.registry import Rule, exercise, expect
from dlstudy.exercises.rules import reference
from dlstudy.exercises.watching import explained, watched

__all__ = []

TRAINING_MODULES = ("dlstudy.train", "dlstudy.callbacks", "dlstudy.lr_finder", "dlstudy.metrics")


# ---------------------------------------------------------------- 06.1 SquaresDataset

@exercise("06.1", title=("Your own Dataset", "나만의 Dataset"),
          hints=[("A Dataset needs three things: data prepared in __init__, its length, and one sample by index.",
                  "Dataset에는 세 가지가 필요해요: __init__에서 준비한 데이터, 길이, 그리고 인덱스로 꺼내는 샘플 하나."),
                 ("In __init__ store the n points from torch.linspace as a column of shape (n, 1); __len__ returns "
                  "n; __getitem__ returns the point at that index and its square.",
                  "__init__에서 torch.linspace로 만든 n개의 점을 (n, 1) 모양의 열로 저장하세요. __len__은 n을 "
                  "돌려주고, __getitem__은 그 인덱스의 점과 그 제곱을 돌려줘요.")],
          no_rule_because="a Dataset is plain Python: any way to hold the points is right; the check builds it "
                          "for sizes drawn at check time and reads every sample")
def _squares(SquaresDataset):
    g = generator()
    for n in sizes(g, 2, 41, count=3):
        ds = SquaresDataset(n)
        expect(len(ds) == n, "len(SquaresDataset({n})) must be {n}, not {got}.", "len(SquaresDataset({n}))은 "
               "{got}이 아니라 {n}이어야 해요.", n=n, got=len(ds))
        samples = [ds[i] for i in range(n)]
        for x, t in samples:
            expect(torch.is_tensor(x) and torch.is_tensor(t), "each sample is a pair of tensors (x, x**2).",
                   "각 샘플은 텐서 두 개의 쌍 (x, x**2)이에요.")
            expect(tuple(x.shape) == (1,) and tuple(t.shape) == (1,),
                   "x and its target must each have shape (1,), not {a} and {b}.",
                   "x와 목표값은 각각 (1,) 모양이어야 해요. 지금은 {a}와 {b}예요.",
                   a=tuple(x.shape), b=tuple(t.shape))
            expect(x.dtype == torch.float32 and t.dtype == torch.float32, "use float32 tensors, not {d}.",
                   "{d}가 아니라 float32 텐서를 쓰세요.", d=x.dtype if x.dtype != torch.float32 else t.dtype)
        xs = torch.cat([x for x, _ in samples]).cpu()
        expect(torch.allclose(xs, torch.linspace(-1, 1, n), atol=1e-6),
               "the {n} points go evenly from -1 to 1 (torch.linspace(-1, 1, n)), in order; SquaresDataset({n}) "
               "gave {got}.", "{n}개의 점은 -1부터 1까지 순서대로 고르게 놓여요 (torch.linspace(-1, 1, n)). "
               "SquaresDataset({n})은 {got}을(를) 줬어요.", n=n, got=[round(v, 3) for v in xs.tolist()[:6]])
        targets = torch.cat([t for _, t in samples]).cpu()
        expect(torch.allclose(targets, xs ** 2, atol=1e-6), "the target of x is x squared.",
               "x의 목표값은 x의 제곱이에요.")
        batch_size = next(b for b in range(3, n + 3) if n % b)   # the last batch is smaller
        batches = list(DataLoader(ds, batch_size=batch_size))
        Xb, tb = batches[-1]
        last = n - (len(batches) - 1) * batch_size
        expect(tuple(Xb.shape) == (last, 1) and tuple(tb.shape) == (last, 1),
               "a DataLoader batch of {b} samples must have shape ({b}, 1), not {s}.",
               "샘플 {b}개짜리 DataLoader 배치의 모양은 {s}가 아니라 ({b}, 1)이어야 해요.", b=last, s=tuple(Xb.shape))


# ---------------------------------------------------------------- shared: data and models for 06.2 and 06.3

def _classification_data(g, n, d, classes):
    X = torch.randn(n, d, generator=g) * (1 + torch.rand(d, generator=g)) + torch.randn(d, generator=g)
    y = torch.randint(0, classes, (n,), generator=g)
    return X, y


def _model(g, d, hidden, classes, dropout, device):
    seed = int(torch.randint(0, 2 ** 31, (), generator=g))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layers = [nn.Linear(d, hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(hidden, classes)]
        return nn.Sequential(*layers).to(device)


def _clone(model, lr, momentum):
    twin = _model_like(model)
    return twin, torch.optim.SGD(twin.parameters(), lr=lr, momentum=momentum)


def _model_like(model):
    import copy
    return copy.deepcopy(model)


@contextlib.contextmanager
def _same_randomness(seed, device):
    """Dropout draws the same masks in every run that starts here (CPU and the model's device)."""
    devices = [device] if torch.device(device).type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


@reference
def _reference_epoch(model, loader, loss_fn, optimizer, device, train_mode=True, clear=True, weighted=True):
    """One epoch of the five steps (or one of the usual mistakes, for the diagnosis); the mean loss per sample."""
    model.train(train_mode)
    total, seen, means = 0.0, 0, []
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        if clear:
            optimizer.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        total, seen = total + loss.item() * len(y), seen + len(y)
        means.append(loss.item())
    return total / seen if weighted else sum(means) / len(means)


def _weights(model):
    return torch.cat([p.detach().reshape(-1).cpu() for p in model.parameters()])


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) or \
        (torch.is_tensor(value) and value.numel() == 1)


@exercise("06.2", title=("One training epoch", "한 에폭 학습"),
          hints=[("Start from the training loop of section 5, without the outer loop over epochs.",
                  "5절의 학습 루프에서 에폭을 도는 바깥 루프만 빼고 시작하세요."),
                 ("Switch to training mode; for every batch: move it to the device, clear the gradients, forward, "
                  "loss, backward, step; add the batch's loss times its size and count the samples; return their "
                  "ratio.", "학습 모드로 바꾸고, 배치마다 장치로 옮기기, 기울기 지우기, 순전파, 손실, 역전파, "
                  "스텝을 하세요. 배치 손실에 배치 크기를 곱해 더하고 샘플 수를 세어, 그 비율을 돌려주세요.")],
          no_rule_because="a training loop may run any operation; the check compares its effect (the weights "
                          "after the epoch, the returned loss) with the five steps per batch from the same start, "
                          "hands out batches that refuse to be used before they are moved to the device, and "
                          "switches off dlstudy's training functions and the chapter's train_by_hand",
          changes=(0, 3))
def _epoch(train_one_epoch):
    g, device = generator(), get_device()
    refused = chapter_functions(train_one_epoch, "train_by_hand", "evaluate_by_hand")
    for n in sizes(g, 37, 80, count=2):
        d, classes, hidden = draw_int(g, 3, 9), draw_int(g, 2, 4), draw_int(g, 5, 24)
        X, y = _classification_data(g, n, d, classes)
        batch_size = next(b for b in range(draw_int(g, 6, 14), n) if n % b)   # the last batch is smaller
        lr, momentum = 0.05 + 0.1 * float(torch.rand((), generator=g)), 0.5
        model = _model(g, d, hidden, classes, dropout=0.4, device=device)
        twin, twin_opt = _clone(model, lr, momentum)
        optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
        order = torch.randperm(n, generator=g).tolist()     # shuffled, the same order in every pass
        dropout_seed = int(torch.randint(0, 2 ** 31, (), generator=g))
        model.eval()   # your function must switch to training mode itself
        with _same_randomness(dropout_seed, device), refuse_calls(
                TRAINING_MODULES, refused, why=("write the loop yourself instead of calling fit or train_by_hand",
                                                "fit이나 train_by_hand를 부르지 말고 루프를 직접 쓰세요")):
            loader, loss_fn = host_loader(X, y, batch_size, device, order=order), nn.CrossEntropyLoss()
            with watched(model, optimizer, loss_fn) as watch:
                loss = train_one_epoch(model, loader, loss_fn, optimizer)
        with explained(watch):
            _judge_epoch(model, loss, X, y, g, n, batch_size, order, lr, momentum, twin, dropout_seed, device)


def _judge_epoch(model, loss, X, y, g, n, batch_size, order, lr, momentum, twin, dropout_seed, device):
    case = f"{n} samples in batches of {batch_size}"

    def run(**mistake):
        copy, copy_opt = _clone(twin, lr, momentum)
        plain = DataLoader(torch.utils.data.TensorDataset(X, y), batch_size=batch_size, sampler=order,
                           generator=torch.Generator())
        with _same_randomness(dropout_seed, device):
            mean = _reference_epoch(copy, plain, nn.CrossEntropyLoss(), copy_opt, device, **mistake)
        return mean, _weights(copy)

    expected_loss, expected_weights = run()
    mine = _weights(model)
    if not torch.allclose(mine, expected_weights, atol=1e-5):
        expect(not torch.allclose(mine, run(train_mode=False)[1], atol=1e-5),
               "put the model in training mode with model.train() before the batches: dropout must be on while "
               "training (the check hands you the model in evaluation mode).",
               "배치를 돌기 전에 model.train()으로 학습 모드로 바꾸세요. 학습할 때는 드롭아웃이 켜져 있어야 해요 "
               "(검사는 모델을 평가 모드로 넘겨줘요).")
        expect(not torch.allclose(mine, run(clear=False)[1], atol=1e-5),
               "clear the gradients before every backward (optimizer.zero_grad(), or p.grad = None): they add "
               "up otherwise.", "backward 전마다 기울기를 지우세요 (optimizer.zero_grad() 또는 p.grad = None). "
               "안 그러면 기울기가 계속 더해져요.")
        expect(False, "after your epoch the weights differ from one epoch of the five steps per batch ({case}): "
               "for every batch exactly one zero_grad, forward, loss, backward and optimizer.step(), in that "
               "order.", "에폭이 끝난 뒤 가중치가 배치마다 다섯 단계를 한 번씩 한 결과와 달라요 ({case}). 배치마다 "
               "zero_grad, 순전파, 손실, backward, optimizer.step()을 이 순서로 정확히 한 번씩 하세요.", case=case)
    expect(model.training, "leave the model in training mode: call model.train() at the start of the epoch.",
           "모델을 학습 모드로 두세요. 에폭을 시작할 때 model.train()을 부르세요.")
    expect(_number(loss), "return the epoch's mean loss as one number, not {kind}.",
           "에폭의 평균 손실을 숫자 하나로 돌려주세요. {kind}이(가) 아니에요.", kind=type(loss).__name__)
    loss = float(loss)
    if abs(loss - expected_loss) > 1e-5 * max(1.0, abs(expected_loss)):
        unweighted = run(weighted=False)[0]
        expect(abs(loss - unweighted) > 1e-6, "weight each batch's mean loss by its number of samples, then "
               "divide by all samples: the last batch is smaller ({case}).", "배치의 평균 손실에 그 배치의 샘플 "
               "수를 곱해 더한 뒤 전체 샘플 수로 나누세요. 마지막 배치는 더 작아요 ({case}).", case=case)
        expect(False, "your epoch loss {mine:.5f} should be {want:.5f}: the mean loss per sample over the "
               "epoch ({case}).", "에폭 손실 {mine:.5f}은(는) {want:.5f}이어야 해요: 에폭 전체의 샘플당 평균 "
               "손실이에요 ({case}).", mine=loss, want=expected_loss, case=case)


# ---------------------------------------------------------------- 06.3 accuracy_by_hand

@reference
def _reference_accuracy(model, X, y):
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(dim=1) == y).sum().item() / len(y)


@exercise("06.3", title=("The evaluation loop", "평가 루프"),
          hints=[("Follow the four evaluation steps of section 5: mode, no gradients, predicted class, count.",
                  "5절의 평가 네 단계를 따라가세요: 모드, 기울기 끄기, 예측 클래스, 세기."),
                 ("Switch to evaluation mode, switch off gradients, and for every batch take the index of the "
                  "largest output as the prediction; count the correct ones and all samples; return correct over "
                  "seen.", "평가 모드로 바꾸고 기울기를 끈 뒤, 배치마다 가장 큰 출력의 인덱스를 예측으로 삼으세요. "
                  "맞힌 수와 전체 샘플 수를 세어 맞힌 수 / 전체 수를 돌려주세요.")],
          no_rule_because="an evaluation loop may run any operation; the check compares the accuracy with the "
                          "right one on data drawn at check time, watches dropout and gradients at every forward "
                          "pass, hands out batches that must be moved to the device, and switches off dlstudy's "
                          "evaluate / predict / accuracy and the chapter's evaluate_by_hand")
def _accuracy(accuracy_by_hand):
    g, device = generator(), get_device()
    refused = chapter_functions(accuracy_by_hand, "evaluate_by_hand", "train_by_hand")
    for n in sizes(g, 31, 90, count=2):
        d, classes, hidden = draw_int(g, 3, 9), draw_int(g, 3, 5), draw_int(g, 8, 24)
        X, y = _classification_data(g, n, d, classes)
        model = _model(g, d, hidden, classes, dropout=0.9, device=device)
        expected = _reference_accuracy(model, X.to(device), y.to(device))
        batch_size = next(b for b in range(draw_int(g, 6, 14), n) if n % b)
        seen = []   # (dropout on, gradients on) at every forward pass of a dropout layer
        hooks = [m.register_forward_hook(lambda m, i, o: seen.append((m.training, torch.is_grad_enabled())))
                 for m in model.modules() if isinstance(m, nn.Dropout)]
        model.train()
        try:
            with refuse_calls(TRAINING_MODULES, refused, why=("write the four steps yourself instead of calling "
                                                              "evaluate, predict or accuracy",
                                                              "evaluate, predict, accuracy를 부르지 말고 네 단계를 "
                                                              "직접 쓰세요")):
                result = accuracy_by_hand(model, host_loader(X, y, batch_size, device))
        finally:
            for hook in hooks:
                hook.remove()
        expect(seen, "run the model on every batch of the loader.", "로더의 모든 배치에 모델을 실행하세요.")
        expect(not any(on for on, _ in seen), "switch to evaluation mode with model.eval() before the forward "
               "passes (dropout is still on).", "순전파 전에 model.eval()로 평가 모드로 바꾸세요 (드롭아웃이 아직 "
               "켜져 있어요).")
        expect(not any(grad for _, grad in seen), "evaluate inside torch.no_grad(): no gradients are needed to "
               "measure.", "torch.no_grad() 안에서 평가하세요. 측정에는 기울기가 필요 없어요.")
        expect(_number(result), "return the accuracy as one number, not {kind}.",
               "정확도를 숫자 하나로 돌려주세요. {kind}이(가) 아니에요.", kind=type(result).__name__)
        expect(abs(float(result) - expected) < 1e-9,
               "your accuracy {mine:.4f} should be {want:.4f} ({n} samples in batches of {b}): predicted class = "
               "argmax over dim 1, then correct / seen over the whole loader.",
               "정확도 {mine:.4f}은(는) {want:.4f}이어야 해요 (샘플 {n}개, 배치 크기 {b}). 예측 클래스는 dim 1의 "
               "argmax이고, 로더 전체에서 맞힌 수 / 전체 수예요.", mine=float(result), want=expected, n=n,
               b=batch_size)


# ---------------------------------------------------------------- 06.4 standardize

_STANDARDIZE_OPS = {"mean", "sum", "std", "var", "std_mean", "var_mean", "sub", "add", "div", "mul", "sqrt", "rsqrt",
                    "pow", "reciprocal", "neg", "where", "clamp", "eq", "ne", "abs", "maximum", "lt", "gt", "le",
                    "ge", "masked_fill"}


@exercise("06.4", title=("Standardize without leaking", "누수 없이 표준화하기"),
          hints=[("The statistics are learned numbers, like weights: from which split may they come?",
                  "통계량도 가중치처럼 학습한 숫자예요. 어느 분할에서 와야 할까요?"),
                 ("Compute the mean and the standard deviation (dividing by N) of each column of X_train only, "
                  "then subtract that mean from both inputs and divide both by that standard deviation.",
                  "X_train의 각 열에서만 평균과 표준편차(N으로 나누는)를 구한 뒤, 두 입력 모두에서 그 평균을 빼고 "
                  "그 표준편차로 나누세요.")],
          rule=Rule(why=("compute the mean and the standard deviation with torch yourself",
                         "평균과 표준편차를 torch로 직접 구하세요"),
                    allow=frozenset(_STANDARDIZE_OPS), torch_only=True))
def _standardize(standardize):
    g = generator()
    for n_train, n_other in [sizes(g, 20, 90), sizes(g, 5, 40)]:
        d = draw_int(g, 2, 7)
        scale = 10 ** (torch.rand(d, generator=g) * 3 - 1)               # columns from 0.1 to 100
        A = (torch.randn(n_train, d, generator=g) + 5 * torch.randn(d, generator=g)) * scale   # means off 0
        B = torch.randn(n_other, d, generator=g) * 3 - 20                # another split, another distribution
        A_in, B_in = A.clone(), B.clone()
        with refuse_calls(("dlstudy.data",) + LIBRARIES, why=("compute the statistics yourself",
                                                              "통계량을 직접 구하세요")):
            answer = standardize(A_in, B_in)
        expect(torch.equal(A_in, A) and torch.equal(B_in, B), "leave X_train and X_other unchanged: return new "
               "tensors (X - mean) / std instead of changing them in place.", "X_train과 X_other는 그대로 두세요. "
               "제자리에서 바꾸지 말고 새 텐서 (X - mean) / std를 돌려주세요.")
        expect(isinstance(answer, (tuple, list)) and len(answer) == 2, "return two tensors: (X_train_scaled, "
               "X_other_scaled).", "텐서 두 개를 돌려주세요: (X_train_scaled, X_other_scaled).")
        A_s, B_s = answer
        mu, sigma = A.mean(dim=0), A.std(dim=0, unbiased=False)
        case = f"X_train of shape {tuple(A.shape)}, X_other of shape {tuple(B.shape)}"
        for name, got, X in (("X_other", B_s, B), ("X_train", A_s, A)):
            expect(torch.is_tensor(got) and got.shape == X.shape, "{name}_scaled must have the shape of {name}, "
                   "{s}.", "{name}_scaled는 {name}와 같은 모양 {s}여야 해요.", name=name, s=tuple(X.shape))
            expect(got.dtype == X.dtype, "{name}_scaled must keep the dtype of {name}, {want}, not {got}.",
                   "{name}_scaled는 {name}의 dtype {want}을(를) 유지해야 해요. {got}이(가) 아니에요.", name=name,
                   want=X.dtype, got=got.dtype)
        if not torch.allclose(B_s, (B - mu) / sigma, rtol=1e-4, atol=1e-4):
            both = torch.cat([A, B])
            expect(not torch.allclose(B_s, (B - both.mean(0)) / both.std(0, unbiased=False), rtol=1e-4, atol=1e-4),
                   "data leakage: the statistics must come from X_train only, not from all the data.",
                   "데이터 누수예요: 통계량은 전체 데이터가 아니라 X_train에서만 구해야 해요.")
            expect(not torch.allclose(B_s, (B - mu) / A.std(dim=0), rtol=1e-4, atol=1e-4),
                   "use the standard deviation that divides by N (unbiased=False).",
                   "N으로 나누는 표준편차를 쓰세요 (unbiased=False).")
            expect(not torch.allclose(B_s, (B - B.mean(0)) / B.std(0, unbiased=False), rtol=1e-4, atol=1e-4),
                   "scale X_other with the statistics of X_train, not with its own.",
                   "X_other는 자기 통계량이 아니라 X_train의 통계량으로 바꾸세요.")
            expect(False, "scale X_other with the mean and standard deviation of each column of X_train: "
                   "(X - mean) / std ({case}).", "X_other를 X_train 각 열의 평균과 표준편차로 바꾸세요: "
                   "(X - mean) / std ({case}).", case=case)
        expect(torch.allclose(A_s, (A - mu) / sigma, rtol=1e-4, atol=1e-4), "scale X_train too, with its own mean "
               "and standard deviation.", "X_train도 자기 평균과 표준편차로 바꾸세요.")


# ---------------------------------------------------------------- 06.5 save_and_reload

class _FileWatch:
    """Records every torch.load (its file and whether weights_only was in force) and changes the model in
    memory right after torch.save returns, so a model reloaded from memory instead of the file shows."""

    def __init__(self, model):
        self.model, self.loads, self.saved = model, [], False
        self._load, self._save = torch.serialization.load.__code__, torch.serialization.save.__code__

    def __call__(self, frame, event, arg):
        if event != "return":
            return
        if frame.f_code is self._load:
            self.loads.append((frame.f_locals.get("f"), bool(frame.f_locals.get("weights_only"))))
        elif frame.f_code is self._save and not self.saved:
            self.saved = True
            with torch.no_grad():
                for p in self.model.parameters():
                    p.add_(1.0)

    @contextlib.contextmanager
    def watching(self):
        before = sys.getprofile()
        sys.setprofile(self)
        try:
            yield self
        finally:
            sys.setprofile(before)


@exercise("06.5", title=("Save and reload", "저장하고 다시 불러오기"),
          hints=[("A state dict holds only numbers: you need an object of the right class to load them into.",
                  "state dict에는 숫자만 들어 있어요. 그 숫자를 넣을 알맞은 클래스의 객체가 필요해요."),
                 ("Save the model's state dict to the file with torch.save; build a fresh model with make_model(); "
                  "load the file safely (weights only) and copy it into the fresh model with load_state_dict; "
                  "return it.", "torch.save로 모델의 state dict를 파일에 저장하고, make_model()로 새 모델을 "
                  "만드세요. 파일을 안전하게(가중치만) 불러와 load_state_dict로 새 모델에 복사한 뒤 돌려주세요.")],
          no_rule_because="saving and loading is file handling: the check proves the numbers came from the file "
                          "(the model in memory changes right after it is saved) and that every torch.load ran "
                          "with weights_only in force (explicit, or torch's safe default)",
          changes=(0,))
def _reload(save_and_reload):
    g, device = generator(), get_device()
    d, hidden, classes = draw_int(g, 3, 12), draw_int(g, 4, 20), draw_int(g, 2, 5)
    model = _model(g, d, hidden, classes, dropout=0.2, device=device)
    saved_numbers = {k: v.clone() for k, v in model.state_dict().items()}
    made = []

    def make_model():
        made.append(_model(generator(), d, hidden, classes, dropout=0.2, device=device))
        return made[-1]

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.pt"
        with _FileWatch(model).watching() as watch:
            fresh = save_and_reload(model, make_model, Path(folder))
        expect(path.exists(), "save the state dict to folder / 'model.pt'.",
               "state dict를 folder / 'model.pt'에 저장하세요.")
        try:
            saved = torch.load(path, weights_only=True, map_location="cpu")
        except Exception:   # e.g. a pickled model object
            saved = None
    expect(isinstance(saved, dict) and set(saved) == set(saved_numbers), "save model.state_dict(), the learned "
           "numbers, not the whole model object.", "모델 객체 전체가 아니라 학습한 숫자인 model.state_dict()를 "
           "저장하세요.")
    expect(made and any(fresh is m for m in made), "return the fresh model that make_model() built, with the "
           "numbers loaded into it.", "make_model()이 만든 새 모델에 숫자를 불러와서 그 모델을 돌려주세요.")
    expect(fresh is not model, "return a new model, not the one you saved.", "저장한 모델이 아니라 새 모델을 "
           "돌려주세요.")
    reads = [safe for f, safe in watch.loads if f is not None and Path(str(f)).name == "model.pt"] or \
        [safe for _, safe in watch.loads]
    state = fresh.state_dict()
    same = all(torch.equal(state[k].cpu(), v.cpu()) for k, v in saved_numbers.items())
    expect(reads and same, "load the numbers from the file you saved, with torch.load and load_state_dict (not "
           "from the model in memory, which may have changed since you saved it).",
           "저장한 파일에서 torch.load와 load_state_dict로 숫자를 불러오세요 (메모리의 모델에서 가져오면 안 돼요. "
           "저장한 뒤에 바뀌었을 수 있어요).")
    expect(all(reads), "load safely: torch.load(path, weights_only=True) (or torch.load(path), whose default is "
           "weights_only=True), so the file cannot run code.", "안전하게 불러오세요: torch.load(path, "
           "weights_only=True) (또는 기본값이 weights_only=True인 torch.load(path)). 그래야 파일이 코드를 실행할 "
           "수 없어요.")
