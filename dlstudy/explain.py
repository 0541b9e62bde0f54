"""Errors that teach: turn the common raw PyTorch errors into advice in the course's words.

``explain(error)`` returns what happened, how to fix it and the chapter section that
teaches it, or ``None`` for an error it does not know. In a notebook, ``enable()`` once
adds that advice under every traceback; ``disable()`` takes it away again.

>>> import torch
>>> try:
...     torch.nn.Linear(16, 10)(torch.zeros(64, 256))
... except RuntimeError as error:
...     print(explain(error).splitlines()[-1])
See chapter 07, Common mistakes, 4 "The wrong in_features after Flatten".
"""

import re
import sys
import traceback
from collections import namedtuple

from dlstudy.contract import Instance, Optional, declare
from dlstudy.lang import tr

__all__ = ["explain", "enable", "disable", "RULES", "Advice"]

# Where the course teaches each fix: (chapter, "section" or "mistake", the heading or bold item as written).
SEE = {
    "forward": ("03", "section", "4.2 What breaks without `forward` or without `__init__`"),
    "super": ("03", "mistake", "1. Forgetting `super().__init__()`."),
    "layers": ("03", "mistake", "2. Creating layers in `forward`."),
    "bce_shape": ("03", "mistake", "3. Labels of shape `(N,)` for an output of shape `(N, 1)`."),
    "bce_dtype": ("03", "mistake", "4. Integer labels."),
    "numpy_grad": ("01", "mistake", "5. Calling `.numpy()` on a tensor that requires grad."),
    "numpy_gpu": ("00", "mistake", "2. `.numpy()` on a GPU tensor."),
    "devices": ("00", "mistake", "3. Model and data on different devices."),
    "float64": ("00", "mistake", "4. float64 data into a float32 model."),
    "labels": ("00", "mistake", "6. Class labels that are not integers."),
    "view": ("00", "mistake", "7. `view` on a tensor that is not contiguous."),
    "shapes": ("00", "section", "4. Shape, reshape and view"),
    "broadcast": ("00", "section", "5. Broadcasting"),
    "scalar": ("01", "section", "5. `backward()` needs a scalar"),
    "twice": ("01", "mistake", "3. Calling `backward()` twice on the same graph."),
    "inplace": ("01", "mistake", "4. Updating a parameter in place while autograd is recording."),
    "requires_grad": ("01", "mistake", "1. Forgetting `requires_grad=True`."),
    "int_grad": ("01", "mistake", "2. Asking for gradients of an integer tensor."),
    "cross_entropy": ("05", "section", "5. Multi-class classification: softmax and cross-entropy"),
    "bce_logits": ("05", "mistake", "1. `nn.BCELoss` on logits."),
    "label_range": ("05", "mistake", "3. Class labels that start at 1."),
    "channels": ("07", "mistake", "1. Forgetting the channel axis"),
    "uint8": ("07", "mistake", "3. Pixels still in `uint8`"),
    "in_features": ("07", "mistake", "4. The wrong `in_features` after `Flatten`"),
    "optimizer_params": ("08", "mistake", "1. Passing the model instead of its parameters."),
}

# what / fix: (English, Korean) pairs (or a function of the matched groups that returns the text).
Rule = namedtuple("Rule", "name patterns what fix see when", defaults=(None,))


def _matmul_fix(g):
    if g.get("b") is None:
        return tr("print the shapes of both sides; for A @ B the last axis of A must equal the first of B "
                  "(A of shape (n, k) times B of shape (k, m)). Fix the one that is wrong with reshape, or .T.",
                  "양쪽의 모양을 출력해 보세요. A @ B에서 A의 마지막 축은 B의 첫 축과 같아야 해요"
                  "(모양 (n, k)인 A 곱하기 모양 (k, m)인 B). 틀린 쪽을 reshape나 .T로 고치세요.")
    return tr(f"for an nn.Linear(in_features, out_features), in_features must be the number of values per sample: "
              f"nn.Linear({g['b']}, {g['d']}) here; or reshape the input to {g['c']} values per sample "
              "(x.flatten(1) turns images (N, C, H, W) into (N, C*H*W)).",
              f"nn.Linear(in_features, out_features)의 in_features는 샘플 하나의 값 개수여야 해요: 여기서는 "
              f"nn.Linear({g['b']}, {g['d']})예요. 아니면 입력을 샘플마다 값 {g['c']}개가 되게 reshape하세요"
              "(x.flatten(1)은 이미지 (N, C, H, W)를 (N, C*H*W)로 바꿔요).")


def _dtype_fix(g):
    given, weights = (g.get("a") or "").lower(), (g.get("b") or "").lower()
    if "double" in weights and "double" not in given:
        return tr("the model is float64 (it was made with .double()); the course works in float32: convert the "
                  "model back once, model = model.float() (or, to keep float64, X = X.double()).",
                  "모델이 float64예요(.double()로 만들었어요). 이 과정은 float32로 계산해요: 모델을 한 번 "
                  "model = model.float()로 되돌리세요(float64를 유지하려면 X = X.double()).")
    if "char" in given or "byte" in given:
        return tr("images arrive as uint8 (0-255): X = X.float() / 255, once, where the data enters torch.",
                  "이미지가 uint8(0-255)로 들어와요: 데이터가 torch에 들어오는 곳에서 한 번 X = X.float() / 255 하세요.")
    if "double" in given:
        return tr("convert the data once, where it enters torch: X = X.float(), or torch.tensor(array, "
                  "dtype=torch.float32) (NumPy and scikit-learn make float64).",
                  "데이터가 torch에 들어오는 곳에서 한 번 바꾸세요: X = X.float() 또는 torch.tensor(array, "
                  "dtype=torch.float32)(NumPy와 scikit-learn은 float64를 만들어요).")
    return tr("make the data float32, like the weights: X = X.float().",
              "데이터를 가중치처럼 float32로 만드세요: X = X.float().")


def _devices(g):
    first, second = g.get("a"), g.get("b")
    if first and second:
        return f" ({first} and {second})"
    return ""


RULES = [
    Rule("missing forward", [r'missing the required "forward" function'],
         ("the model has no forward method, so model(X) has nothing to run (check its spelling, "
          "and that it is indented inside the class).",
          "모델에 forward 메서드가 없어서 model(X)가 실행할 것이 없어요(철자와, 클래스 안에 들여쓰기되어 있는지 확인하세요)."),
         ("define `def forward(self, x): return ...` inside the class, at the same indentation as `__init__`.",
          "클래스 안에 `__init__`과 같은 들여쓰기로 `def forward(self, x): return ...`을 정의하세요."),
         "forward"),
    Rule("missing super().__init__()",
         [r"cannot assign (?:module|parameters?|buffers?) before Module\.__init__\(\) call",
          r"object has no attribute '_(?:parameters|modules|buffers|non_persistent_buffers_set|is_full_backward_hook|"
          r"(?:forward|backward)(?:_pre)?_hooks(?:_with_kwargs|_always_called)?|"
          r"(?:load_)?state_dict(?:_pre|_post)?_hooks)'"],   # only nn.Module's own: yours may mention a hook
         ("The __init__ of nn.Module never ran, so the model has no place to keep its layers.",
          "nn.Module의 __init__이 실행되지 않아서 모델에 층을 보관할 곳이 없어요."),
         ("call `super().__init__()` as the first line of your model's `__init__`.",
          "모델의 `__init__` 첫 줄에서 `super().__init__()`을 호출하세요."), "super"),
    Rule(".numpy() on a tensor that requires grad", [r"Can't call numpy\(\) on Tensor that requires grad"],
         ("NumPy cannot take a tensor that is part of the autograd graph (it requires grad).",
          "NumPy는 자동 미분 그래프에 속한 텐서(requires grad인 텐서)를 받을 수 없어요."),
         ("t.detach().cpu().numpy() (detach leaves the graph, cpu() leaves the GPU); for a model's outputs, "
          "compute them inside `with torch.no_grad():`.",
          "t.detach().cpu().numpy()를 쓰세요(detach는 그래프에서, cpu()는 GPU에서 떼어 내요). 모델의 출력이라면 "
          "`with torch.no_grad():` 안에서 계산하세요."), "numpy_grad"),
    Rule(".numpy() on a GPU tensor", [r"can't convert (?P<device>\S+?)(?: device type)? tensor to numpy"],
         ("NumPy only reads CPU memory, and this tensor lives on {device}.",
          "NumPy는 CPU 메모리만 읽는데, 이 텐서는 {device}에 있어요."),
         ("copy it to the CPU first: t.detach().cpu().numpy().",
          "먼저 CPU로 복사하세요: t.detach().cpu().numpy()."), "numpy_gpu"),
    Rule("tensors on different devices",
         [r"Expected all tensors to be on the same device, but found at least two devices, "
          r"(?P<a>[\w:]+) and (?P<b>[\w:]+)",
          r"Expected all tensors to be on the same device, but got \w+ is on (?P<a>[\w:]+), different from "
          r"other tensors on (?P<b>[\w:]+)",
          r"Expected all tensors to be on the same device",
          r"Input type \((?P<a>torch\.cuda\.\w+)\) and weight type \((?P<b>torch\.\w+)\) should be the same",
          r"Input type \((?P<a>torch\.\w+)\) and weight type \((?P<b>torch\.cuda\.\w+)\) should be the same",
          r"Tensor on device (?P<a>[\w:]+) is not on the expected device (?P<b>[\w:]+)",
          r"is on CPU, but expected (?:it|them) to be on GPU",
          r"Expected object of device type (?P<a>\w+) but got device type (?P<b>\w+)",
          r"Placeholder storage has not been allocated on MPS device",
          r"indices should be either on cpu or on the same device as the indexed tensor"],
         ("one operation got tensors on two different devices{devices}: the model and the data (or the "
          "targets) are not in the same place.",
          "한 연산이 서로 다른 두 장치{devices}의 텐서를 받았어요: 모델과 데이터(또는 정답)가 같은 곳에 있지 않아요."),
         ("move everything to one device: model.to(device) once, and X, y = X.to(device), y.to(device) for "
          "every batch (the model's device is next(model.parameters()).device).",
          "모두 한 장치로 옮기세요: model.to(device)는 한 번, 배치마다 X, y = X.to(device), y.to(device)"
          "(모델의 장치는 next(model.parameters()).device예요)."), "devices"),
    Rule("float class labels for cross-entropy",
         [r"expected target dtype to be Long or Byte, but got (?P<got>\w+)",
          r"expected scalar type Long but found (?P<got>\w+)",
          r"Expected object of scalar type Long but got scalar type (?P<got>\w+) for argument #2 'target'"],
         ("CrossEntropyLoss and NLLLoss take class labels as integers (int64, 'Long'), but these are {got}.",
          "CrossEntropyLoss와 NLLLoss는 클래스 레이블을 정수(int64, 'Long')로 받는데, 이 레이블은 {got}이에요."),
         ("class labels must be integer: y.long() (and they must run 0, 1, ..., C-1). Float targets are for "
          "BCEWithLogitsLoss and MSELoss.",
          "클래스 레이블은 정수여야 해요: y.long()(그리고 0, 1, ..., C-1이어야 해요). 실수 정답은 "
          "BCEWithLogitsLoss와 MSELoss에 써요."), "labels"),
    Rule("labels of shape (N, 1) for cross-entropy", [r"0D or 1D target tensor expected, multi-target not supported"],
         ("CrossEntropyLoss wants one class label per sample, shape (N,), but the labels have a second axis "
          "(a column (N, 1), or one-hot (N, C)).",
          "CrossEntropyLoss는 샘플마다 클래스 레이블 하나, 모양 (N,)을 원하는데 레이블에 두 번째 축이 있어요"
          "(열 (N, 1) 또는 원-핫 (N, C))."),
         ("y.squeeze(1) for a column of labels; y.argmax(1) for one-hot labels.",
          "레이블이 열이면 y.squeeze(1), 원-핫이면 y.argmax(1)을 쓰세요."), "cross_entropy"),
    Rule("integer targets for BCE or MSE",
         [r"result type Float can't be cast to the desired output type (?P<got>Long|Int|Short|Byte|Bool)",
          r"Found dtype (?P<got>Long|Int|Short|Byte|Bool) but expected Float"],
         ("BCEWithLogitsLoss, BCELoss and MSELoss compute with floats, but the targets are integers ({got}).",
          "BCEWithLogitsLoss, BCELoss, MSELoss는 실수로 계산하는데 정답이 정수({got})예요."),
         ("y.float(), with the shape of the output (y.float().reshape(-1, 1) for an (N, 1) output).",
          "출력과 같은 모양의 y.float()를 쓰세요((N, 1) 출력이면 y.float().reshape(-1, 1))."), "bce_dtype"),
    Rule("class label out of range",
         [r"Target (?P<t>-?\d+) is out of bounds", r"t >= 0 && t < n_classes"],
         ("a class label is {t}, but the model has outputs for classes 0 to C-1 only.",
          "클래스 레이블이 {t}인데, 모델의 출력은 클래스 0부터 C-1까지만 있어요."),
         ("labels must run from 0 to C-1: subtract 1 if they start at 1 (y - 1), or give the last layer one "
          "output per class.",
          "레이블은 0부터 C-1까지여야 해요: 1부터 시작하면 1을 빼거나(y - 1), 마지막 층에 클래스마다 출력 하나를 주세요."), "label_range"),
    Rule("CUDA device-side assert", [r"device-side assert triggered"],
         ("a CUDA kernel found a bad value, most often a class label outside 0..C-1 (or an index out of range); "
          "CUDA reports it late and without details.",
          "CUDA 커널이 잘못된 값을 찾았어요. 대개 0..C-1 밖의 클래스 레이블(또는 범위를 벗어난 인덱스)이에요. "
          "CUDA는 이를 늦게, 자세한 설명 없이 알려요."),
         ("run the same code on the CPU (DLSTUDY_DEVICE=cpu, then restart the kernel) to get the real message; "
          "after this error the kernel must be restarted anyway.",
          "같은 코드를 CPU에서 실행해(DLSTUDY_DEVICE=cpu로 두고 커널 재시작) 진짜 메시지를 보세요. "
          "이 오류 뒤에는 어차피 커널을 다시 시작해야 해요."), "label_range"),
    Rule("target shape for BCE",
         [r"Target size \((?P<t>.*?)\) must be the same as input size \((?P<i>.*)\)"],
         ("the loss got targets of shape {t} for outputs of shape {i}.",
          "손실 함수가 모양 {i}인 출력에 모양 {t}인 정답을 받았어요."),
         ("make them match: y.reshape(-1, 1) (or y.unsqueeze(1)) for an (N, 1) output, or y_hat.squeeze(1).",
          "모양을 맞추세요: (N, 1) 출력이면 y.reshape(-1, 1)(또는 y.unsqueeze(1)), 아니면 y_hat.squeeze(1)."),
         "bce_shape"),
    Rule("BCELoss on logits", [r"all elements of input should be between 0 and 1"],
         ("BCELoss takes probabilities in [0, 1], but got values outside that range (logits?).",
          "BCELoss는 [0, 1] 사이의 확률을 받는데, 그 범위 밖의 값(로짓?)을 받았어요."),
         ("give the raw outputs to nn.BCEWithLogitsLoss (no sigmoid), or apply torch.sigmoid first.",
          "원래 출력을 nn.BCEWithLogitsLoss에 주거나(시그모이드 없이), 먼저 torch.sigmoid를 적용하세요."), "bce_logits"),
    Rule("uint8 images",
         [r"Input type \((?P<a>unsigned char)\) and (?:bias|weight) type \((?P<b>\w+)\) should be the same",
          r"mat1 and mat2 must have the same dtype, but got (?P<a>Byte) and (?P<b>\w+)"],
         ("the images are {a} (0-255) but the model's weights are {b}.",
          "이미지는 {a}(0-255)인데 모델의 가중치는 {b}예요."), _dtype_fix, "uint8"),
    Rule("float64 (or integer) data into a float32 model",
         [r"mat1 and mat2 must have the same dtype, but got (?P<a>\w+) and (?P<b>\w+)",
          r"expected m1 and m2 to have the same dtype, but got: (?P<a>\w+) != (?P<b>\w+)",
          r"expected scalar type (?P<b>\w+) but found (?P<a>\w+)",
          r"Input type \((?P<a>[\w ]+)\) and (?:bias|weight) type \((?P<b>[\w ]+)\) should be the same",
          r"Input type \((?P<a>torch\.\w+)\) and weight type \((?P<b>torch\.\w+)\) should be the same"],
         ("the data is {a} but the model's weights are {b}; one operation needs one dtype.",
          "데이터는 {a}인데 모델의 가중치는 {b}예요. 한 연산에는 한 가지 dtype이 필요해요."), _dtype_fix, "float64"),
    Rule("missing channel axis",
         [r"expected input\[(?P<shape>[\d, ]+)\] to have (?P<want>\d+) channels, but got (?P<got>\d+) channels",
          r"Expected \d-dimensional input for \d-dimensional weight \[(?P<w>[\d, ]+)\], but got \d-dimensional "
          r"input of size \[(?P<shape>[\d, ]+)\]"],
         ("a convolution reads images as (N, C, H, W), channels on axis 1, but the input has shape [{shape}].",
          "합성곱은 이미지를 (N, C, H, W), 즉 채널을 축 1에 두고 읽는데, 입력의 모양이 [{shape}]예요."),
         ("add the channel axis with x.unsqueeze(1) for gray images (N, H, W); move it with "
          "x.permute(0, 3, 1, 2) for channels-last images (N, H, W, C).",
          "흑백 이미지 (N, H, W)라면 x.unsqueeze(1)로 채널 축을 더하고, 채널이 마지막인 이미지 (N, H, W, C)라면 "
          "x.permute(0, 3, 1, 2)로 옮기세요."), "channels"),
    Rule("shape mismatch in a matrix product",
         [r"mat1 and mat2 shapes cannot be multiplied \((?P<a>\d+)x(?P<b>\d+) and (?P<c>\d+)x(?P<d>\d+)\)",
          r"size mismatch, m1: \[(?P<a>\d+) x (?P<b>\d+)\], m2: \[(?P<c>\d+) x (?P<d>\d+)\]"],
         ("a matrix product (an nn.Linear layer, or @) got {b} values per sample, but it expects {c} "
          "(shapes {a}x{b} and {c}x{d}).",
          "행렬 곱(nn.Linear 층 또는 @)이 샘플마다 값 {b}개를 받았는데, {c}개를 기대해요(모양 {a}x{b}와 {c}x{d})."), _matmul_fix, "in_features"),
    Rule("shape mismatch in a matrix product (other forms)",
         [r"size mismatch, got input \(\d+\), mat \(\d+x\d+\), vec \(\d+\)",
          r"Expected size for first two dimensions of batch2 tensor",
          r"inconsistent tensor size, expected tensor \[\d+\] and src \[\d+\]"],
         ("a matrix product got shapes whose inner sizes differ.",
          "행렬 곱이 안쪽 크기가 서로 다른 모양을 받았어요."), _matmul_fix, "shapes"),
    Rule("shapes that do not broadcast",
         [r"The size of tensor a \((?P<a>\d+)\) must match the size of tensor b \((?P<b>\d+)\) at non-singleton "
          r"dimension (?P<dim>\d+)"],
         ("two tensors were combined element by element, but their sizes on axis {dim} are {a} and {b}, and "
          "broadcasting only stretches axes of size 1.",
          "두 텐서를 원소별로 계산했는데 축 {dim}의 크기가 {a}와 {b}예요. 브로드캐스팅은 크기가 1인 축만 늘려요."),
         ("print both .shape values and reshape one of them (e.g. y.reshape(-1, 1)) so that each axis is "
          "equal or 1.",
          "두 .shape를 출력해 보고, 축마다 크기가 같거나 1이 되도록 하나를 reshape하세요(예: y.reshape(-1, 1))."), "broadcast"),
    Rule("backward() on a non-scalar", [r"grad can be implicitly created only for scalar outputs"],
         ("backward() was called on a tensor with more than one number; autograd starts from one number, a loss.",
          "숫자가 여러 개인 텐서에서 backward()를 불렀어요. 자동 미분은 숫자 하나, 곧 손실에서 출발해요."),
         ("reduce it first: out.sum().backward() or out.mean().backward() (a loss function already returns "
          "one number).",
          "먼저 하나로 줄이세요: out.sum().backward() 또는 out.mean().backward()(손실 함수는 이미 숫자 하나를 돌려줘요)."), "scalar"),
    Rule("backward through the graph a second time", [r"Trying to backward through the graph a second time"],
         ("backward() ran twice through the same graph, and the first call freed the values it needed.",
          "backward()가 같은 그래프를 두 번 지나갔는데, 첫 호출이 필요한 값을 이미 해제했어요."),
         ("recompute the forward pass before each backward() (y_hat = model(X) inside the loop); only if you "
          "really need two passes, call backward(retain_graph=True) the first time.",
          "backward()마다 순전파를 다시 계산하세요(반복문 안에서 y_hat = model(X)). 정말 두 번 지나가야 할 때만 "
          "첫 번째에 backward(retain_graph=True)를 부르세요."), "twice"),
    Rule("in-place change of a leaf that requires grad",
         [r"a leaf Variable that requires grad (?:is being|has been) used in an in-place operation"],
         ("a tensor with requires_grad=True (a weight) was changed in place (w -= ..., w[0] = ...) while "
          "autograd was recording.",
          "자동 미분이 기록하는 동안 requires_grad=True인 텐서(가중치)를 제자리에서 바꿨어요(w -= ..., w[0] = ...)."),
         ("update weights inside `with torch.no_grad():` (or let optimizer.step() do it).",
          "가중치는 `with torch.no_grad():` 안에서 업데이트하세요(또는 optimizer.step()에 맡기세요)."), "inplace"),
    Rule("in-place change of a saved tensor",
         [r"one of the variables needed for gradient computation has been modified by an inplace operation"],
         ("a tensor that autograd saved for backward() was changed in place afterwards (x += ..., x[...] = ..., "
          ".mul_(), nn.ReLU(inplace=True)).",
          "자동 미분이 backward()를 위해 저장한 텐서를 나중에 제자리에서 바꿨어요(x += ..., x[...] = ..., "
          ".mul_(), nn.ReLU(inplace=True))."),
         ("write the out-of-place form (x = x + 1, nn.ReLU() without inplace=True), or .clone() before changing "
          "it.",
          "제자리가 아닌 형태로 쓰거나(x = x + 1, inplace=True 없는 nn.ReLU()), 바꾸기 전에 .clone()하세요."), "inplace"),
    Rule("nothing requires grad", [r"element 0 of tensors does not require grad and does not have a grad_fn"],
         ("backward() found nothing to differentiate: no tensor in this computation requires grad (or it ran "
          "inside torch.no_grad(), or after .detach()).",
          "backward()가 미분할 것을 찾지 못했어요: 이 계산의 어떤 텐서도 requires grad가 아니에요"
          "(또는 torch.no_grad() 안에서, 혹은 .detach() 뒤에 계산했어요)."),
         ("create the tensors you want gradients for with requires_grad=True, and compute the loss outside "
          "torch.no_grad().",
          "기울기가 필요한 텐서는 requires_grad=True로 만들고, 손실은 torch.no_grad() 밖에서 계산하세요."), "requires_grad"),
    Rule("gradients of an integer tensor",
         [r"Only Tensors of floating point(?: and complex)? dtype can require gradients"],
         ("only floating-point tensors can have gradients, and this one holds integers.",
          "기울기는 부동소수점 텐서만 가질 수 있는데, 이 텐서에는 정수가 들어 있어요."),
         ("write floats (torch.tensor([1.0, 2.0], requires_grad=True)) or pass dtype=torch.float32.",
          "실수로 쓰거나(torch.tensor([1.0, 2.0], requires_grad=True)) dtype=torch.float32를 넘기세요."), "int_grad"),
    Rule("view on a non-contiguous tensor", [r"view size is not compatible with input tensor's size and stride"],
         ("view() cannot reinterpret this tensor's memory (after .T or permute, rows are not one block).",
          "view()는 이 텐서의 메모리를 다시 해석할 수 없어요(.T나 permute 뒤에는 행들이 한 덩어리가 아니에요)."),
         ("use .reshape(...) (it copies when it must) or .contiguous().view(...).",
          ".reshape(...)(필요하면 복사해요)나 .contiguous().view(...)를 쓰세요."), "view"),
    Rule("optimizer without parameters", [r"optimizer got an empty parameter list"],
         ("the optimizer found no parameters: the model keeps no layers as attributes (layers created in "
          "forward, or kept in a plain Python list).",
          "옵티마이저가 파라미터를 찾지 못했어요: 모델이 층을 속성으로 갖고 있지 않아요(forward에서 만든 층이거나 "
          "평범한 파이썬 리스트에 담은 층)."),
         ("create the layers in __init__ as self.name = nn.Linear(...) (nn.ModuleList for a list of layers), "
          "then torch.optim.SGD(model.parameters(), lr=...).",
          "층은 __init__에서 self.name = nn.Linear(...)로 만들고(층 목록은 nn.ModuleList), "
          "그다음 torch.optim.SGD(model.parameters(), lr=...)를 쓰세요."), "layers"),
    Rule("the model given to an optimizer",
         [r"'(?P<cls>\w+)' object is not iterable",
          r"params argument given to the optimizer should be an iterable of Tensors or dicts"],
         ("the optimizer was given something that is not a list of parameters (the model itself?).",
          "옵티마이저가 파라미터 목록이 아닌 것(모델 자체?)을 받았어요."),
         ("pass the parameters: torch.optim.SGD(model.parameters(), lr=0.1).",
          "파라미터를 넘기세요: torch.optim.SGD(model.parameters(), lr=0.1)."), "optimizer_params",
         "torch/optim"),
]


class Advice(str):
    """The advice text; shows as plain lines (not a quoted string) in a notebook."""

    def __repr__(self):
        return str(self)


def _see(key):
    """'See chapter 07, Common mistakes, 4 "The wrong in_features after Flatten".' for a key of SEE."""
    chapter, kind, text = SEE[key]
    number, _, title = text.replace("`", "").rstrip(".").partition(" ")
    number = number.rstrip(".")
    if kind == "section":
        return tr(f'See chapter {chapter}, section {number} "{title}".', f'{chapter}장 {number}절 "{title}"을 보세요.')
    return tr(f'See chapter {chapter}, Common mistakes, {number} "{title}".',
              f'{chapter}장 자주 하는 실수 {number}번 "{title}"을 보세요.')


def _shapes(text):
    """torch.Size([4, 1]) -> (4, 1) and torch.Size([4]) -> (4,), as the course writes shapes."""
    return re.sub(r"torch\.Size\(\[([\d, ]*)\]\)",
                  lambda m: f"({m.group(1)}{',' if ',' not in m.group(1) and m.group(1) else ''})", text)


def _frames(error):
    return [frame.filename.replace("\\", "/") for frame in traceback.extract_tb(error.__traceback__)]


def _match(error):
    text = str(error)
    for rule in RULES:
        if rule.when and not any(rule.when in name for name in _frames(error)):
            continue
        for pattern in rule.patterns:
            found = re.search(pattern, text)
            if found:
                return rule, {k: v for k, v in found.groupdict().items() if v is not None}
    if isinstance(error, NotImplementedError) and any("_forward_unimplemented" in f.name
                                                      for f in traceback.extract_tb(error.__traceback__)):
        return RULES[0], {}                          # older torch: NotImplementedError without a message
    return None, None


@declare(named={"error": Optional(Instance(BaseException, "an exception", "error, from except Exception as error:"))})
def explain(error=None):
    """Course-worded advice for a raw PyTorch error (what happened, the fix, where it is taught), or None.

    ``error`` is the exception (``except Exception as error: print(explain(error))``); without
    it, the last error of the notebook is explained. Unknown errors give ``None``.

    >>> explain(ValueError("something else")) is None
    True
    """
    if error is None:
        error = getattr(sys, "last_exc", None) or getattr(sys, "last_value", None)
        if error is None:
            return None
    rule, groups = _match(error)
    if rule is None:
        return None
    values = {"devices": _devices(groups), "device": tr("another device", "다른 장치"),
              "got": tr("not int64", "int64가 아님"), "t": tr("out of range", "범위 밖"), **groups}
    values = {k: _shapes(v) for k, v in values.items()}
    what = tr(*rule.what).format(**values)
    fix = rule.fix(groups) if callable(rule.fix) else tr(*rule.fix).format(**values)
    first = what.split(" ", 1)[0]
    what = what[0].upper() + what[1:] if first.isalpha() and first.islower() else what   # not "Backward()"
    return Advice(f"dlstudy.explain ({rule.name}): {what}\n{tr('Fix', '고치는 법')}: {fix}\n{_see(rule.see)}")


# ---------------------------------------------------------------- IPython

_installed = []      # the shells we installed the handler on


def _handler(shell, etype, value, tb, tb_offset=None):
    """Show the usual traceback, then the advice (if any)."""
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
    try:
        advice = explain(value)
    except Exception:                                 # never hide the learner's own error
        advice = None
    if advice:
        print(advice)


def enable():
    """In IPython / Jupyter: show the advice under every traceback it knows (``disable()`` undoes it).

    Returns True when the hook was installed, False outside IPython.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    shell.set_custom_exc((Exception,), _handler)
    if shell not in _installed:
        _installed.append(shell)
    return True


def disable():
    """Remove the hook that ``enable()`` installed; tracebacks are shown as before."""
    while _installed:
        shell = _installed.pop()
        shell.set_custom_exc((), None)
