"""Chapter 07's exercises: NHWC to NCHW, the output-size formula, max pooling without loops, a box kernel, a small CNN.

Inputs are drawn at check time (non-square images, odd and even sizes, ties); the pooling and the
output size run under an allowed-operations rule, so a pooling function of the library, a real
convolution (on any device, ``meta`` included) or the chapter's ``output_size`` cannot do the work.
"""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from dlstudy.data import TensorLoader, load_digits, train_val_test_split
from dlstudy.device import get_device
from dlstudy.exercises.effects import chapter_functions, refuse_calls
from dlstudy.exercises.inputs import draw_int, generator, sizes
from dlstudy.exercises.registry import Rule, exercise, expect
from dlstudy.exercises.returned import returned
from dlstudy.exercises.rules import ELEMENTWISE, REDUCTIONS, computing, reference
from dlstudy.lang import tr

__all__ = []


@exercise("07.1", title=("From NumPy images to (N, C, H, W)", "NumPy 이미지를 (N, C, H, W)로"),
          hints=[("Two things change: the order of the axes, and the type and range of the values.",
                  "두 가지가 바뀌어요: 축의 순서, 그리고 값의 자료형과 범위."),
                 ("Make a tensor, move the last axis (C) to position 1 with permute (never reshape), then convert "
                  "to float and divide by 255.", "텐서로 만든 뒤 permute로 마지막 축(C)을 1번 자리로 옮기고 "
                  "(reshape는 안 돼요), float으로 바꿔 255로 나누세요.")],
          no_rule_because="the input is a NumPy array, so any route from it to the right tensor is right; the check "
                          "compares every pixel on non-square images drawn at check time")
def _nchw(to_nchw):
    g = generator()
    for (h, w), c, (low, high) in [(sizes(g, 3, 12), 3, (0, 256)), (sizes(g, 2, 9), draw_int(g, 1, 4), (20, 200))]:
        n = draw_int(g, 1, 4)                              # a dark image too: 255, not its brightest pixel, is white
        images = torch.randint(low, high, (n, h, w, c), generator=g, dtype=torch.uint8).numpy()
        before = images.copy()
        out = to_nchw(images)
        expect(np.array_equal(images, before), "leave the images unchanged.", "이미지는 그대로 두세요.")
        expect(torch.is_tensor(out), "return a torch tensor, not {kind}.", "{kind}이(가) 아니라 torch 텐서를 "
               "돌려주세요.", kind=type(out).__name__)
        expect(tuple(out.shape) == (n, c, h, w), "(N, H, W, C) = {a} must become (N, C, H, W) = {b}, got {s}.",
               "(N, H, W, C) = {a}는 (N, C, H, W) = {b}가 되어야 해요. 지금은 {s}예요.", a=(n, h, w, c),
               b=(n, c, h, w), s=tuple(out.shape))
        expect(out.dtype == torch.float32, "return float32 pixels, not {d}.", "{d}가 아니라 float32 픽셀을 "
               "돌려주세요.", d=out.dtype)
        out = out.detach().cpu()
        expected = torch.from_numpy(before).permute(0, 3, 1, 2).float() / 255
        expect(float(out.min()) >= 0 and float(out.max()) <= 1 and not torch.allclose(out, expected * 255),
               "scale the pixels from 0-255 to [0, 1]: divide by 255.", "픽셀을 0-255에서 [0, 1]로 바꾸세요: "
               "255로 나누세요.")
        same_range = abs(float(out.amax() - expected.amax())) < 1e-6 and abs(float(out.amin() - expected.amin())) < 1e-6
        expect(same_range,
               "divide by 255, the brightest value a uint8 pixel can have, not by the image's own range: these "
               "pixels go from {low} to {high}.", "이미지 자체의 범위가 아니라 uint8 픽셀이 가질 수 있는 가장 큰 값인 "
               "255로 나누세요: 이 픽셀들은 {low}부터 {high}까지예요.", low=int(before.min()), high=int(before.max()))
        expect(torch.allclose(out, expected, atol=1e-6), "right shape, wrong pixels (images of shape {a}): move "
               "the channel axis with permute; reshape keeps the memory order and scrambles the pixels.",
               "모양은 맞지만 픽셀이 틀려요 ({a} 모양의 이미지). permute로 채널 축을 옮기세요. reshape는 메모리 "
               "순서를 그대로 두어 픽셀을 뒤섞어요.", a=(n, h, w, c))


@reference
def _output_size(n, k, p, s):
    return (n + 2 * p - k) // s + 1


@exercise("07.2", title=("The output-size formula", "출력 크기 공식"),
          hints=[("Count the positions the kernel can take along one row of the padded image.",
                  "패딩을 더한 이미지의 한 줄에서 커널이 놓일 수 있는 자리를 세어 보세요."),
                 ("Add the padding on both sides, subtract the kernel size, divide by the stride rounding down "
                  "(integer division), then add one for the first position.",
                  "양쪽 패딩을 더하고 커널 크기를 뺀 뒤, 스트라이드로 나누어 내림하고(정수 나눗셈), 첫 자리를 위해 "
                  "1을 더하세요.")],
          rule=Rule(why=("compute the size with the formula, not by running a convolution",
                         "합성곱을 실행하지 말고 공식으로 크기를 구하세요"), allow=frozenset(), python_ok=frozenset({"floor", "trunc"})))
def _size(conv_output_size):
    g = generator()
    cases = []
    while len(cases) < 150:
        n, k, p, s = draw_int(g, 1, 64), draw_int(g, 1, 7), draw_int(g, 0, 3), draw_int(g, 1, 4)
        if n + 2 * p >= k:
            cases.append((n, k, p, s))
    with refuse_calls(functions=chapter_functions(conv_output_size, "output_size"),
                      why=("write the formula yourself instead of calling the chapter's output_size",
                           "챕터의 output_size를 부르지 말고 공식을 직접 쓰세요")):
        answers = [conv_output_size(n, k, p, s) for n, k, p, s in cases]
    for (n, k, p, s), answer in zip(cases, answers):
        real = _output_size(n, k, p, s)
        expect(isinstance(answer, int) and not isinstance(answer, bool), "return a whole Python number (int), not "
               "{kind} (n={n}, k={k}, p={p}, s={s}): the formula rounds down with //.",
               "{kind}이(가) 아니라 파이썬 정수(int)를 돌려주세요 (n={n}, k={k}, p={p}, s={s}). 공식은 //로 "
               "내림해요.", kind=type(answer).__name__, n=n, k=k, p=p, s=s)
        expect(answer == real, "for n={n}, k={k}, p={p}, s={s} a real nn.Conv2d gives {real}, your function {mine} "
               "(the formula rounds down).", "n={n}, k={k}, p={p}, s={s}이면 실제 nn.Conv2d는 {real}, 함수는 {mine}"
               "이에요 (공식은 내림해요).", n=n, k=k, p=p, s=s, real=real, mine=answer)


@exercise("07.3", keeps_dtype=True, title=("Max pooling without loops", "반복문 없는 최대 풀링"),
          hints=[("Reshape so that the four values of each 2x2 block sit on axes of their own.",
                  "각 2x2 블록의 네 값이 자기만의 축에 오도록 모양을 바꿔 보세요."),
                 ("Reshape (H, W) to (H/2, 2, W/2, 2): the block index and the position inside the block get "
                  "separate axes; then take the maximum over the two size-2 axes in one reduction.",
                  "(H, W)를 (H/2, 2, W/2, 2)로 바꾸면 블록 번호와 블록 안의 위치가 다른 축에 놓여요. 그다음 크기가 "
                  "2인 두 축에 대해 한 번에 최댓값을 구하세요.")],
          rule=Rule(why=("no Python loops and none of PyTorch's pooling functions: reshape, slice, compare and reduce "
                         "in torch", "파이썬 반복문과 PyTorch의 풀링 함수 없이: torch로 모양 바꾸기, 슬라이싱, 비교, 축소"),
                    allow=ELEMENTWISE | REDUCTIONS | {"unfold", "im2col"}, torch_only=True),
          refuse=("pool2d_by_hand",))
def _pool(max_pool_2x2):
    g = generator()
    h1, w1 = (2 * v for v in sizes(g, 1, 9))
    h2, w2 = 2 * draw_int(g, 60, 110), 2 * draw_int(g, 60, 160)
    cases = [torch.randn(h1, w1, generator=g), torch.randint(-3, 4, (w1, h1), generator=g).double(),
             torch.randn(h2, w2, generator=g)]
    for x in cases:
        before = x.clone()
        out = max_pool_2x2(x)
        ops = computing(max_pool_2x2.ops)
        H, W = x.shape
        expect(len(ops) < 25, "no Python loops: your function ran {count} computing torch operations for {blocks} "
               "blocks of a {H}x{W} input; without loops it needs a few.", "파이썬 반복문은 쓰지 마세요: {H}x{W} 입력의 블록 "
               "{blocks}개에 계산하는 torch 연산을 {count}번 실행했어요. 반복문이 없으면 몇 번이면 돼요.", count=len(ops),
               blocks=(H // 2) * (W // 2), H=H, W=W)
        expect(torch.equal(x, before), "leave x unchanged.", "x는 그대로 두세요.")
        expected = F.max_pool2d(x[None, None], 2)[0, 0]
        expect(torch.is_tensor(out) and out.shape == expected.shape, "a {H}x{W} input gives shape {want}, not {got}.",
               "{H}x{W} 입력은 {want} 모양이 돼요. {got}이(가) 아니에요.", H=H, W=W, want=tuple(expected.shape),
               got=tuple(out.shape) if torch.is_tensor(out) else type(out).__name__)
        expect(torch.equal(out, expected), "each output value is the maximum of one 2x2 block (input {H}x{W}): the "
               "four values of block (i, j) are rows 2i, 2i+1 and columns 2j, 2j+1.", "출력의 각 값은 2x2 블록 "
               "하나의 최댓값이에요 (입력 {H}x{W}). 블록 (i, j)의 네 값은 2i, 2i+1행과 2j, 2j+1열이에요.", H=H, W=W)


@exercise("07.4", title=("A blur is an average pooling", "흐림은 평균 풀링이에요"),
          hints=[("Convolution multiplies each pixel under the kernel by its weight and adds up: which weights turn "
                  "that sum into a mean?", "합성곱은 커널 아래 픽셀마다 가중치를 곱해 더해요. 어떤 가중치여야 그 "
                  "합이 평균이 될까요?"),
                 ("All k x k weights are equal to 1 / k squared: build a k x k tensor filled with that value.",
                  "k x k개의 가중치가 모두 1 / k²이에요. 그 값으로 채운 k x k 텐서를 만드세요.")],
          no_rule_because="a constant kernel can be built in many ways; the check compares its values for sizes "
                          "drawn at check time and blurs a random image with it")
def _box(box_kernel):
    g = generator()
    image = torch.rand(1, 1, draw_int(g, 15, 30), draw_int(g, 31, 45), generator=g)
    for k in sizes(g, 1, 9, count=3):
        kernel = box_kernel(k)
        returned(kernel, f"box_kernel({k})", tr("k = {k} (float32 like the images and the layers' weights)",
                                                "k = {k} (이미지, 층의 가중치처럼 float32)").format(k=k),
                 shape=(k, k), dtype=torch.float32)
        kernel = kernel.detach().cpu().float()
        expect(torch.allclose(kernel, torch.full((k, k), 1 / k ** 2), rtol=1e-5, atol=0),
               "a mean gives every pixel the same weight and the weights add up to 1: all {kk} equal to 1/{kk}.",
               "평균은 모든 픽셀에 같은 가중치를 주고 가중치의 합은 1이에요: {kk}개 모두 1/{kk}.", kk=k * k)
        if k % 2:
            blurred = F.conv2d(image, kernel[None, None], padding=(k - 1) // 2)
            expect(torch.allclose(blurred, F.avg_pool2d(image, k, stride=1, padding=(k - 1) // 2), atol=1e-5),
                   "the blur must equal F.avg_pool2d with stride 1.", "흐림은 stride 1인 F.avg_pool2d와 같아야 해요.")


_DIGITS = {}


def _digits():
    if not _DIGITS:
        digits = load_digits(as_images=True)
        split = train_val_test_split(digits.X, digits.y, val_size=0.15, test_size=0.15, seed=0)
        _DIGITS.update(train=split.train, test=split.test)
    return _DIGITS["train"], _DIGITS["test"]


def _count(module):
    return sum(p.numel() for p in module.parameters())


@exercise("07.5", title=("A CNN under 2,000 parameters", "파라미터 2,000개 미만의 CNN"),
          hints=[("Plan with the parameter formula C_out (C_in k² + 1): the last Linear layer is usually the "
                  "expensive part, so shrink the maps before it.", "파라미터 공식 C_out (C_in k² + 1)로 계획하세요. "
                  "보통 마지막 Linear 층이 가장 비싸니, 그 앞에서 맵을 줄이세요."),
                 ("Two small conv layers, each followed by ReLU and 2x2 max pooling, shrink the 8x8 maps to 2x2; "
                  "then Flatten and one Linear layer to the 10 classes. Choose a few filters per layer, count the "
                  "parameters of each layer with the formula, and keep the sum under 2,000.",
                  "작은 합성곱 층 두 개 뒤에 각각 ReLU와 2x2 최대 풀링을 두면 8x8 맵이 2x2가 돼요. 그다음 Flatten과 "
                  "10개 클래스로 가는 Linear 층 하나. 층마다 필터를 몇 개만 고르고, 공식으로 층별 파라미터를 세어 "
                  "합이 2,000 미만이 되게 하세요.")],
          no_rule_because="an architecture, not a computation: the check counts the parameters, proves the output "
                          "depends on the conv layers, and trains the model itself")
def _small(SmallCNN):
    (X_train, y_train), (X_test, y_test) = _digits()
    device = get_device()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        net = SmallCNN().to(device)
    params = _count(net)
    convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    expect(convs, "a CNN: use at least one nn.Conv2d layer.", "CNN이에요: nn.Conv2d 층을 하나 이상 쓰세요.")
    expect(params < 2000, "fewer than 2,000 parameters; yours has {p:,}.", "파라미터는 2,000개 미만이어야 해요. "
           "지금은 {p:,}개예요.", p=params)
    g = generator()
    for batch in sizes(g, 1, 70, count=2):
        X = X_train[:batch].to(device)
        out = net(X)
        expect(tuple(out.shape) == (batch, 10), "a batch of shape ({b}, 1, 8, 8) must give ({b}, 10) scores, not "
               "{s}.", "({b}, 1, 8, 8) 모양의 배치는 ({b}, 10) 점수가 되어야 해요. {s}가 아니에요.", b=batch,
               s=tuple(out.shape))
    net.zero_grad()
    net(X_train[:64].to(device)).square().sum().backward()
    used = any(c.weight.grad is not None and c.weight.grad.abs().sum() > 0 for c in convs)
    net.zero_grad(set_to_none=True)
    expect(used, "a CNN: your forward must run the images through your nn.Conv2d layer(s), and the scores must "
           "depend on them.", "CNN이에요: forward에서 이미지를 nn.Conv2d 층에 통과시켜야 하고, 점수가 그 층에 "
           "따라 달라져야 해요.")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
        loss_fn = nn.CrossEntropyLoss()
        for _ in range(20):
            net.train()
            for X, y in TensorLoader(X_train, y_train, 64, device=device):
                optimizer.zero_grad()
                loss_fn(net(X), y).backward()
                optimizer.step()
    net.eval()
    with torch.no_grad():
        acc = (net(X_test.to(device)).argmax(dim=1).cpu() == y_test).float().mean().item()
    expect(acc >= 0.94, "reach a test accuracy of at least 0.94 after training; yours reached {a:.3f}.",
           "학습 뒤 테스트 정확도가 0.94 이상이어야 해요. 지금은 {a:.3f}예요.", a=acc)
