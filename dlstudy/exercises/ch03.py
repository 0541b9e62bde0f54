"""Chapter 03's exercises: a NAND perceptron, the perceptron rule, XOR from perceptrons, a module, the four-step loop."""

import copy

import torch
from torch import nn

from dlstudy.exercises.inputs import describe, draw_int, generator, randn, sizes
from dlstudy.exercises.registry import Rule, expect, exercise
from dlstudy.exercises.rules import RuleBroken, reference
from dlstudy.exercises.watching import explained, watched
from dlstudy.lang import tr

__all__ = []

X4 = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])


def step(z):
    """1 where z >= 0, else 0 (the chapter's step)."""
    return (z >= 0).float()


@exercise("03.1", title=("A NAND perceptron by hand", "손으로 만드는 NAND 퍼셉트론"),
          no_rule_because="the answer is two weights and a bias; the check computes the perceptron's table itself",
          hints=[("NAND is AND with the answer flipped: where AND's z is positive, NAND's z must be negative.",
                  "NAND는 AND의 답을 뒤집은 거예요. AND의 z가 양수인 곳에서 NAND의 z는 음수여야 해요."),
                 ("Take AND's weights and bias from section 1 and multiply all three numbers by -1.",
                  "1절의 AND 가중치와 편향을 가져와 세 수 모두에 -1을 곱하세요.")])
def _test_nand(w_nand, b_nand):
    if w_nand is None or b_nand is None:
        raise NotImplementedError
    w = torch.as_tensor(w_nand, dtype=torch.float32).detach().cpu()
    expect(w.shape == (2,), "w_nand holds two weights, shape (2,); yours has shape {shape}.",
           "w_nand에는 가중치 두 개, 모양 (2,)가 들어가요. 결과의 모양: {shape}.", shape=tuple(w.shape))
    b = float(b_nand)
    table = step(X4 @ w + b)
    expect(table.tolist() == [1.0, 1.0, 1.0, 0.0], "The table step(X4 @ w_nand + b_nand) must be NAND's [1, 1, 1, 0] "
           "(step(0) = 1); yours is {got}.", "step(X4 @ w_nand + b_nand)는 NAND 표 [1, 1, 1, 0]이어야 해요 "
           "(step(0) = 1). 결과: {got}.", got=table.tolist())


@reference
def perceptron_step(w, b, x, y, lr=1.0):
    """w + lr (y − ŷ) x and b + lr (y − ŷ), with ŷ = step(w·x + b)."""
    error = y - step(x @ w + b)
    return w + lr * error * x, b + lr * error


@exercise("03.2", keeps_dtype=True, title=("One step of the perceptron rule", "퍼셉트론 규칙 한 단계"),
          no_rule_because="the rule is a formula; the new (w, b) are compared with it on fresh examples, right and "
                          "wrong predictions and z exactly 0 included",
          refuse=("perceptron_rule",),
          hints=[("First predict with the current w and b; how much w and b change depends on how wrong that "
                  "prediction was.", "먼저 지금의 w와 b로 예측하세요. w와 b가 얼마나 바뀌는지는 그 예측이 얼마나 "
                  "틀렸는지에 달려 있어요."),
                 ("Compute y_hat with step, then the error y - y_hat (it is -1, 0 or 1); return w plus lr times error "
                  "times x, and b plus lr times error.", "step으로 y_hat을 구한 뒤 오차 y - y_hat(-1, 0, 1 중 하나)을 "
                  "구하세요. w + lr × 오차 × x와 b + lr × 오차를 돌려주세요.")])
def _test_perceptron_step(answer):
    g = generator()
    d = draw_int(g, 2, 5)
    seen = set()
    for attempt in range(40):
        w = torch.randint(-2, 3, (d,), generator=g).float()
        x = torch.randint(0, 3, (d,), generator=g).float()
        b = torch.tensor(float(-(x @ w).item()) + 0.0 if attempt % 3 == 0 else float(draw_int(g, -2, 2)))  # z = 0 often
        y = torch.tensor(float(draw_int(g, 0, 1)))
        lr = [0.5, 0.25, 1.5][draw_int(g, 0, 2)]          # never 1: a forgotten lr shows on every wrong prediction
        kind = (int(step(x @ w + b).item()), int(y.item()), bool((x @ w + b).item() == 0))
        if kind in seen and attempt >= 6:
            continue
        seen.add(kind)
        before = (w.clone(), b.clone())
        got = answer(w, b, x, y, lr)
        case = describe(w=w, x=x) + f", b = {b.item()}, y = {y.item()}, lr = {lr} (z = w·x + b = " \
                                    f"{(x @ w + b).item()})"
        expect(isinstance(got, (tuple, list)) and len(got) == 2, "return the pair (new_w, new_b); for {case} yours is "
               "{kind}.", "(new_w, new_b) 쌍을 돌려주세요. {case}에서 결과: {kind}.", case=case, kind=type(got).__name__)
        expect(torch.equal(w, before[0]) and torch.equal(b, before[1]), "return new tensors; do not change the w and b "
               "you were given ({case}).", "새 텐서를 돌려주세요. 받은 w와 b를 바꾸지 마세요 ({case}).", case=case)
        new_w, new_b = perceptron_step(w, b, x, y, lr)
        got_w, got_b = torch.as_tensor(got[0]).float(), torch.as_tensor(got[1]).float()
        expect(got_w.shape == new_w.shape and torch.allclose(got_w, new_w) and torch.allclose(got_b.reshape(()), new_b),
               "for {case} the rule gives w = {w_}, b = {b_}; yours gives w = {gw}, b = {gb} (ŷ = step(z) is 1 when "
               "z >= 0).", "{case}에서 규칙은 w = {w_}, b = {b_}인데 결과는 w = {gw}, b = {gb}예요 (z >= 0이면 "
               "ŷ = step(z) = 1).", case=case, w_=new_w.tolist(), b_=new_b.item(), gw=got_w.tolist(),
               gb=got_b.reshape(-1).tolist())


_LINEAR = frozenset({"mm", "add", "sub", "mul", "div", "neg", "sum", "ge", "gt", "le", "lt", "heaviside"})


def _weights_only(name, func, args):
    """Multiplications combine a tensor with a weight (a number), never two data tensors."""
    tensors = [a for a in args[:2] if isinstance(a, torch.Tensor) and a.numel() > 1]
    if name in ("mul", "div") and len(tensors) == 2 and tensors[0].numel() == tensors[1].numel():
        raise RuleBroken(tr("a perceptron multiplies its inputs by weights (numbers) and adds them; your code "
                            "multiplied two tensors element by element (a product of inputs is not a perceptron).",
                            "퍼셉트론은 입력에 가중치(수)를 곱해 더해요. 코드가 두 텐서를 원소별로 곱했어요 (입력끼리의 "
                            "곱은 퍼셉트론이 아니에요)."))


@reference
def xor_by_hand(X):
    """AND(OR(x1, x2), NAND(x1, x2))."""
    h_or = step(X @ torch.tensor([1.0, 1.0]) - 0.5)
    h_nand = step(X @ torch.tensor([-1.0, -1.0]) + 1.5)
    return step(h_or + h_nand - 1.5)


@exercise("03.3", title=("XOR from three perceptrons", "퍼셉트론 세 개로 만드는 XOR"),
          rule=Rule(why=("build XOR from step perceptrons: weighted sums, a bias and step",
                         "계단 함수 퍼셉트론으로 XOR를 만드세요: 가중합, 편향, step"), torch_only=True,
                    allow=_LINEAR, check_op=_weights_only, derive_from=frozenset({"ge", "gt", "le", "lt", "heaviside"})),
          hints=[("XOR is 1 when at least one input is 1 (OR) but not both (NAND), and each of those is one perceptron.",
                  "XOR는 입력 중 하나 이상이 1이고(OR) 둘 다 1은 아닐 때(NAND) 1이에요. 각각이 퍼셉트론 하나예요."),
                 ("Hidden layer: an OR unit and a NAND unit, each a step of a weighted sum of the inputs plus a bias. "
                  "Output: an AND unit, a step of a weighted sum of the two hidden outputs. Section 6.1 has the weights.",
                  "은닉층: OR 유닛과 NAND 유닛, 각각 입력의 가중합에 편향을 더한 값의 step이에요. 출력: AND 유닛, 두 은닉 "
                  "출력의 가중합의 step이에요. 가중치는 6.1절에 있어요.")])
def _test_xor_by_hand(answer):
    g = generator()
    for n in sizes(g, 5, 40):
        X = torch.cat([X4, torch.randint(0, 2, (n - 4, 2), generator=g).float()])[torch.randperm(n, generator=g)]
        got = answer(X.clone())
        comparisons = sum(name in ("ge", "gt", "le", "lt", "heaviside") for name in answer.ops)
        expect(comparisons >= 2, "build XOR from step perceptrons: one step unit cannot draw XOR's boundary; your code "
               "ran {k} step (comparison).", "계단 함수 퍼셉트론으로 XOR를 만드세요: step 유닛 하나로는 XOR의 경계를 "
               "그릴 수 없어요. 코드의 step(비교)은 {k}번이에요.", k=comparisons)
        expect(answer.recorder.derived(got), "build XOR from step perceptrons: your result is not computed from "
               "the steps your code ran (a lookup table, or steps whose outputs are not used?).", "계단 함수 "
               "퍼셉트론으로 XOR를 만드세요: 결과가 코드가 실행한 step에서 계산되지 않았어요 (조회 표이거나, step의 "
               "출력을 쓰지 않았나요?).")
        case = tr("X of shape {shape} with 0/1 rows", "행이 0/1인 모양 {shape}의 X").format(shape=(n, 2))
        expect(torch.is_tensor(got) and got.shape == (n,), "return one number per row, shape (N,); for {case} yours "
               "is {got}.", "행마다 수 하나, 모양 (N,)를 돌려주세요. {case}에서 결과: {got}.", case=case,
               got=tuple(got.shape) if torch.is_tensor(got) else type(got).__name__)
        expect(got.is_floating_point() and torch.equal(got.float(), xor_by_hand(X)),
               "for {case} your answer differs from XOR (1 where exactly one input is 1) on rows {rows}.",
               "{case}에서 행 {rows}의 답이 XOR(입력 중 정확히 하나만 1일 때 1)와 달라요.", case=case,
               rows=(got.float() != xor_by_hand(X)).nonzero().flatten().tolist()[:5] if got.is_floating_point()
               else "(not a float tensor)")


@exercise("03.4", title=("Your own nn.Module", "나만의 nn.Module"),
          no_rule_because="the answer is a class; its layers, parameter count and forward pass are compared for "
                          "several hidden sizes (1, odd, even)",
          hints=[("XORNet in section 6.2 has the same structure with another activation.",
                  "6.2절의 XORNet이 활성화 함수만 다르고 구조는 같아요."),
                 ("In __init__: super().__init__(), then store nn.Linear(2, hidden_size) and nn.Linear(hidden_size, 1) "
                  "as attributes. In forward: the hidden layer, torch.relu, the output layer.",
                  "__init__에서 super().__init__()을 부르고, nn.Linear(2, hidden_size)와 nn.Linear(hidden_size, 1)을 "
                  "속성으로 저장하세요. forward에서는 은닉층, torch.relu, 출력층 순서예요.")])
def _test_two_layer_net(TwoLayerNet):
    g = generator()
    for hidden_size in [1] + sizes(g, 2, 9):
        net = TwoLayerNet(hidden_size)
        expect(isinstance(net, nn.Module), "TwoLayerNet(h) must be an nn.Module.", "TwoLayerNet(h)는 nn.Module이어야 해요.")
        count = sum(p.numel() for p in net.parameters())
        want = 4 * hidden_size + 1
        expect(count == want, "TwoLayerNet({h}) must have 2·{h} + {h} + {h} + 1 = {want} parameters; yours has {count}: "
               "create both layers in __init__ from hidden_size and store them as attributes.", "TwoLayerNet({h})의 "
               "파라미터는 2·{h} + {h} + {h} + 1 = {want}개여야 해요. 결과는 {count}개예요: 두 층을 __init__에서 "
               "hidden_size로 만들어 속성으로 저장하세요.", h=hidden_size, want=want, count=count)
        linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
        shapes = sorted((m.in_features, m.out_features) for m in linears)
        expect(shapes == sorted([(2, hidden_size), (hidden_size, 1)]), "TwoLayerNet({h}) must hold nn.Linear(2, {h}) "
               "and nn.Linear({h}, 1); yours holds {got}.", "TwoLayerNet({h})에는 nn.Linear(2, {h})와 "
               "nn.Linear({h}, 1)이 있어야 해요. 결과: {got}.", h=hidden_size, got=shapes)
        expect(all(m.bias is not None for m in linears), "both layers have a bias (nn.Linear's default): a layer "
               "without one cannot move its boundary away from the origin.", "두 층 모두 편향이 있어요 (nn.Linear의 "
               "기본값): 편향이 없는 층은 경계를 원점에서 옮길 수 없어요.")
        hidden = next(m for m in linears if (m.in_features, m.out_features) == (2, hidden_size))
        output = next(m for m in linears if m is not hidden)
        with torch.no_grad():
            for p in net.parameters():
                p.copy_(randn(g, *p.shape))
            for n in sizes(g, 1, 9):
                x = randn(g, n, 2, scale=3.0)
                out = net(x)
                expect(torch.is_tensor(out) and out.shape == (n, 1), "forward must return shape (N, 1); for a batch of "
                       "{n} yours returns {got}.", "forward는 모양 (N, 1)을 돌려줘야 해요. 배치 {n}개에서 결과: {got}.",
                       n=n, got=tuple(out.shape) if torch.is_tensor(out) else type(out).__name__)
                expect(torch.allclose(out, output(torch.relu(hidden(x))), atol=1e-5), "forward must apply the hidden "
                       "layer, then torch.relu, then the output layer; TwoLayerNet({h}) on {case} gives other values.",
                       "forward는 은닉층, torch.relu, 출력층 순서로 적용해야 해요. TwoLayerNet({h})가 {case}에서 다른 값을 "
                       "내요.", h=hidden_size, case=describe(x=x))


def _xor_data(g, n):
    """n points around the four corners of the unit square, labelled by XOR, as a float column."""
    corners = X4[torch.arange(n) % 4]
    X = corners + 0.15 * randn(g, n, 2)
    return X, corners.sum(dim=1, keepdim=True).eq(1).float()


@reference
def train_xor(net, X, y, lr=1.0, num_epochs=300):
    """The four-step loop with SGD and BCEWithLogitsLoss; the loss of every epoch."""
    optimizer, loss_fn = torch.optim.SGD(net.parameters(), lr=lr), nn.BCEWithLogitsLoss()
    losses = []
    for _ in range(num_epochs):
        loss = loss_fn(net(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


# What the four-step loop runs: the net's layers (dropout draws a mask: bernoulli, mul, div), the loss on logits,
# SGD's step (add, or its foreach / fused forms) and the profiler marks the optimizer sets.
_LOOP = frozenset({"mm", "tanh", "bernoulli", "native_dropout", "mul", "div", "add", "binary_cross_entropy_with_logits",
                   "foreach_add", "foreach_zero", "fused_sgd", "record_function_enter", "record_function_enter_new",
                   "record_function_exit"})


@exercise("03.5", changes=(0, "net"), title=("The four-step loop", "네 단계 학습 루프"),
          rule=Rule(why=("the loss is nn.BCEWithLogitsLoss on the net's raw outputs (logits), the step plain "
                         "torch.optim.SGD", "손실은 신경망의 원시 출력(로짓)에 대한 nn.BCEWithLogitsLoss, 갱신은 기본 "
                         "torch.optim.SGD예요"), allow=_LOOP),
          no_rule_because="judged by its effects: the losses and the trained weights must equal those of the "
                          "four-step loop with plain SGD and BCEWithLogitsLoss from the same start, for a fresh net "
                          "with dropout (so eval mode shows), data, lr and number of epochs (whether gradients are "
                          "cleared by zero_grad or p.grad = None); the rule allows only the loop's operations, so a "
                          "sigmoid with BCELoss or a hand-written loss is refused; the loop runs under dlstudy.watch, "
                          "whose findings the message names",
          refuse=("train", "dlstudy.train"),
          hints=[("Section 4.5's train function does exactly this. Write it again without looking.",
                  "4.5절의 train 함수가 바로 이 일을 해요. 보지 않고 다시 써 보세요."),
                 ("Create the optimizer and the loss function once, before the loop. In each epoch: forward, loss, "
                  "zero_grad, backward, step, then append the loss as a Python number to a list; return the list.",
                  "옵티마이저와 손실 함수는 루프 전에 한 번만 만드세요. 에폭마다 순전파, 손실, zero_grad, 역전파, step을 "
                  "하고 손실을 파이썬 수로 리스트에 덧붙인 뒤 리스트를 돌려주세요.")])
def _test_train_xor(answer):
    g = generator()
    hidden_size, n = draw_int(g, 2, 6), sizes(g, 8, 24)[0]
    X, y = _xor_data(g, n)
    lr, num_epochs = round(0.2 + 0.8 * torch.rand((), generator=g).item(), 2), draw_int(g, 4, 12)
    net = nn.Sequential(nn.Linear(2, hidden_size), nn.Tanh(), nn.Dropout(0.25), nn.Linear(hidden_size, 1))
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(randn(g, *p.shape))
    reference_net = copy.deepcopy(net)
    modes = []
    net.register_forward_pre_hook(lambda module, inputs: modes.append(module.training))
    seed = draw_int(g, 0, 2 ** 31)                          # the same dropout masks for your loop and the reference
    with watched(net) as watch, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        losses = answer(net, X.clone(), y.clone(), lr=lr, num_epochs=num_epochs)
    with explained(watch):
        _compare_training(net, reference_net, losses, modes, seed, (X, y, lr, num_epochs, hidden_size, n))


def _compare_training(net, reference_net, losses, modes, seed, setting):
    X, y, lr, num_epochs, hidden_size, n = setting
    case = tr("a 2-{h}-1 tanh net with dropout, {n} points, lr = {lr}, num_epochs = {k}", "드롭아웃이 있는 2-{h}-1 tanh "
              "신경망, 점 {n}개, lr = {lr}, num_epochs = {k}").format(h=hidden_size, n=n, lr=lr, k=num_epochs)
    expect(all(modes), "train in training mode: the net was in eval mode for {e} of its {c} forward passes, and "
           "eval mode switches dropout off (leave the net in net.train() mode while it learns).", "학습 모드에서 "
           "학습하세요: 순전파 {c}번 중 {e}번이 평가 모드였고, 평가 모드에서는 드롭아웃이 꺼져요 (학습하는 동안 "
           "신경망을 net.train() 모드로 두세요).", e=modes.count(False), c=len(modes))
    expect(isinstance(losses, list) and len(losses) == num_epochs and all(isinstance(v, float) for v in losses),
           "return a list of {k} floats, loss.item() of every epoch; for {case} yours is {got}.", "에폭마다 loss.item()을 "
           "모은 float {k}개의 리스트를 돌려주세요. {case}에서 결과: {got}.", k=num_epochs, case=case,
           got=f"{type(losses).__name__} of length {len(losses)}" if hasattr(losses, "__len__") else type(losses).__name__)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        expected = train_xor(reference_net, X, y, lr=lr, num_epochs=num_epochs)
    epoch = next((i for i, (a, b) in enumerate(zip(losses, expected)) if abs(a - b) >= 1e-5), None)
    if epoch is not None:
        _loss_mismatch(case, epoch, losses[epoch], expected[epoch])
    same = all(torch.allclose(p, q, atol=1e-5) for p, q in zip(net.parameters(), reference_net.parameters()))
    expect(same, "train the net you are given, in place: after training, its weights differ from the four-step "
           "loop's ({case}).", "받은 신경망을 그 자리에서 학습시키세요. 학습 뒤 가중치가 네 단계 루프의 결과와 달라요 "
           "({case}).", case=case)


def _loss_mismatch(case, epoch, got, want):
    expect(False, "for {case} your losses differ from the four-step loop's (plain SGD, BCEWithLogitsLoss, "
           "gradients cleared every epoch) from epoch {e} on: {a:.6f} instead of {b:.6f}.", "{case}에서 손실이 네 단계 "
           "루프(기본 SGD, BCEWithLogitsLoss, 에폭마다 기울기 초기화)와 에폭 {e}부터 달라요: {b:.6f} 대신 {a:.6f}.",
           case=case, e=epoch, a=got, b=want)
