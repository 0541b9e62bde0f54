"""What ``dlstudy.watch`` says about each silent mistake, and the rules that decide when to say it.

``judge(seen)`` takes the plain numbers that a watch collected (a dict, see ``Watch.seen``)
and returns one ``(kind, message, seen, why, fix, see)`` per kind of mistake found, each text
an ``(English, Korean)`` pair that ``dlstudy.watch`` turns into the learner's language. The
thresholds are module constants, chosen by measuring the course's correct loops against
buggy ones (tests/test_watch_bugs.py, tests/test_watch_course.py, and blind reviews' loops in
tests/test_watch_review3.py and tests/test_watch_review4.py).

>>> [kind for kind, *texts in judge({"steps": 20, "backwards": 20, "stale_grad_checks": 5, "stale_grads": 5})]
['zero_grad']
"""

import math
import statistics

__all__ = ["SEE", "KINDS", "THRESHOLDS", "judge"]

# Where the course teaches each fix: (chapter, "section" or "mistake", the heading as written in the chapter).
SEE = {
    "zero_grad": ("06", "mistake", "5. Forgetting `optimizer.zero_grad()` in your own loop"),
    "loop": ("06", "section", "5. The training loop by hand"),
    "optimizer": ("08", "mistake", "1. Passing the model instead of its parameters."),
    "softmax": ("05", "mistake", "5. A softmax before `CrossEntropyLoss` (silent)."),
    "modes": ("06", "section", "6. `model.train()` and `model.eval()`: what actually changes"),
    "dropout_eval": ("06", "mistake", "2. Evaluating with dropout still on"),
    "no_grad": ("01", "section", "8. Switching gradients off: `torch.no_grad()` and `detach()`"),
    "standardize": ("06", "section", "3. Preprocessing: standardization fitted on the training split only"),
    "shuffle": ("06", "section", "4. `DataLoader`: mini-batches, shuffling, workers"),
    "chance": ("11", "section", "2. Sanity check 1: the loss at initialization"),
    "lr": ("04", "section", "5. The learning rate: too large diverges, too small stalls"),
    "diagnostics": ("11", "section", "7. Diagnostics: reading a network's health while it trains"),
    "dead_relu": ("02", "section", "7. Dying ReLU"),
    "vanishing": ("02", "section", "5. Why the sigmoid makes deep networks stop learning"),
}

# Chosen by measurement (tests/test_watch.py prints the margins): the course's correct loops vs buggy loops.
THRESHOLDS = {
    "input_scale": 20.0,        # largest feature RMS; standardized data is about 1, 0-1 pixels at most 1
    "feature_ratio": 100.0,     # the largest range (max - min) of a feature / the smallest (pixels: the median)
    "ratio_high": 0.15,         # update-to-weight ratio per step (Karpathy's healthy value: about 1e-3) that, with a
                                # loss that rose, spiked or did not fall, blames the lr (Adam at 1e-2: up to 0.1)
    "ratio_start_high": 1.0,    # the same over the first probes: with a loss that ends no lower than it began, the lr
    "ratio_low": 1e-5,          # ... over the first probe steps (a run that converges ends near 0 anyway)
    "spike": 10.0,              # a later probe's loss / the first one: one overshoot, on its own
    "rising": 1.5,              # the mean loss of the last probes / of the first probes
    "stalled": 0.98,            # the same: "did not fall"
    "chance_band": 0.05,        # |loss at the end / ln C - 1| for "stuck at chance"
    "chance_fall": 0.02,        # ... and the loss fell less than this share since the first probes
    "dead_fraction": 0.8,       # share of a ReLU layer's units that were 0 on every input
    "vanishing": 1e-3,          # gradient RMS of the first weight layer / of the last
    "sorted_classes": 0.7,      # classes per batch / the number expected from shuffled data
}


def _both(en, ko):
    """A text in both languages; dlstudy.watch picks one with dlstudy.lang.tr when it shows a finding."""
    return en, ko


def _see(key):
    chapter, kind, text = SEE[key]
    number, _, title = text.replace("`", "").rstrip(".").partition(" ")
    number = number.rstrip(".")
    if kind == "section":
        return _both(f'See chapter {chapter}, section {number} "{title}".', f'참고: {chapter}장 {number}절 "{title}".')
    return _both(f'See chapter {chapter}, Common mistakes, {number} "{title}".',
              f'참고: {chapter}장 Common mistakes {number} "{title}".')


def _about(x):
    """A number as stable text: two significant digits, no float noise.

    >>> _about(123.503), _about(99.5), _about(0.00123)
    ('120', '100', '0.0012')
    """
    rounded = float(f"{x:.2g}")                    # 123.5 -> 120: a third digit would sit on rounding noise
    if abs(rounded) >= 1e5:
        return f"{x:.1e}"
    return f"{rounded:.0f}" if abs(rounded) >= 100 else f"{x:.2g}"


def _zero_grad(s):
    checks, stale = s.get("stale_grad_checks", 0), s.get("stale_grads", 0)
    if checks and not s.get("closure_optimizer") and stale >= max(1, checks // 2):
        return (_both("gradients are never cleared: each step adds the new gradient to all the old ones.",
                   "기울기를 지우지 않아요: 매 step마다 새 기울기가 이전 기울기 전부에 더해져요."),
                _both(f"at {stale} of {checks} checked steps, .grad held more than the last backward() computed.",
                   f"확인한 step {checks}번 중 {stale}번, .grad에 마지막 backward()가 계산한 것보다 많은 값이 있었어요."),
                _both("backward() adds to .grad; without clearing, every step uses the sum of all past gradients, "
                   "so the steps grow and the model does not learn what you think.",
                   "backward()는 .grad에 더해요. 지우지 않으면 매 step이 지난 기울기 전부의 합을 쓰니, step이 "
                   "점점 커지고 모델이 생각과 다르게 학습해요."),
                _both("call optimizer.zero_grad() once per step, before loss.backward().",
                   "step마다 한 번, loss.backward() 전에 optimizer.zero_grad()를 호출하세요."), "zero_grad")
    return None


def _order(s):
    none, checks = s.get("steps_without_backward", 0), max(1, s.get("mode_checks", 0))
    cleared = s.get("steps_after_clear", 0) + s.get("cleared_grads", 0)
    if not (none or cleared):
        return None
    if s.get("backward_reached_no_param") or s.get("closure_optimizer"):          # backward ran but the graph reaches no parameter: no_grad_params
        return None
    if none and cleared:
        seen = _both(f"at {min(checks, none + cleared)} of {checks} checked steps, optimizer.step() found no gradient of "
                  f"its own: {none} came with no gradient from a loss.backward() since the last step, {cleared} after .grad "
                  "was cleared.",
                  f"확인한 step {checks}번 중 {min(checks, none + cleared)}번 optimizer.step()이 자기 기울기를 보지 "
                  f"못했어요: {none}번은 지난 step 이후 loss.backward()에서 온 기울기가 없었고, {cleared}번은 .grad가 "
                  "지워진 뒤였어요.")
    elif none:      # the watch sees gradients arrive, not the call: a backward on a cut-off tensor looks the same
        seen = _both(f"at {none} of {checks} checked steps, optimizer.step() came with no gradient from a loss.backward() "
                  "since the last step.", f"확인한 step {checks}번 중 {none}번은 지난 step 이후 loss.backward()에서 온 "
                  "기울기 없이 optimizer.step()이 호출됐어요.")
    else:
        seen = _both(f"at {cleared} of {checks} checked steps, .grad was cleared after loss.backward() had filled it.",
                  f"확인한 step {checks}번 중 {cleared}번은 loss.backward()가 채운 .grad가 이미 지워진 뒤였어요.")
    return (_both("optimizer.step() runs before loss.backward(), or zero_grad() sits between them: the step sees no "
               "gradient.", "optimizer.step()이 loss.backward()보다 먼저 오거나, 둘 사이에 zero_grad()가 있어요: "
               "step이 기울기를 보지 못해요."), seen,
            _both("step() uses the gradients that are in .grad at that moment; with none there, the weights do not move "
               "(or move with last step's gradient).", "step()은 그 순간 .grad에 있는 기울기를 써요. 없으면 가중치가 "
               "움직이지 않아요(또는 지난 step의 기울기로 움직여요)."),
            _both("keep the order: zero_grad(), forward, loss, loss.backward(), optimizer.step().",
               "순서를 지키세요: zero_grad(), forward, loss, loss.backward(), optimizer.step()."), "loop")


def _no_step(s):
    if s.get("optimizer_given", True) and s.get("backwards", 0) >= 2 and s.get("steps", 0) == 0:
        return (_both("loss.backward() ran, but the optimizer you gave watch never stepped.",
                   "loss.backward()는 실행됐지만 watch에 준 optimizer는 한 번도 step하지 않았어요."),
                _both(f"{s['backwards']} backward passes and 0 steps of the optimizer you gave watch.",
                   f"backward {s['backwards']}번, watch에 준 optimizer의 step 0번."),
                _both("backward() only computes gradients; step() changes the weights, and an optimizer created anew "
                   "inside the loop forgets its state (momentum, Adam's averages) at every step.",
                   "backward()는 기울기를 계산할 뿐이고 가중치는 step()이 바꿔요. 루프 안에서 새로 만든 optimizer는 "
                   "매 step 상태(momentum, Adam의 평균)를 잊어요."),
                _both("call optimizer.step() after loss.backward() in every step (on the optimizer built once, before "
                   "the loop, from model.parameters()).", "매 step loss.backward() 다음에 optimizer.step()을 호출하세요"
                   "(루프 전에 model.parameters()로 한 번 만든 optimizer로)."), "loop")
    return None


def _not_optimized(s):
    missing, total = s.get("params_not_in_optimizer", 0), s.get("model_params", 0)
    if s.get("model_frozen"):
        return (_both("every parameter of the model has requires_grad=False: nothing can learn.",
                   "모델의 모든 파라미터가 requires_grad=False예요: 아무것도 배울 수 없어요."),
                _both(f"0 of {s.get('model_tensors', 0)} parameter tensors can get a gradient.",
                   f"파라미터 텐서 {s.get('model_tensors', 0)}개 중 기울기를 받을 수 있는 것은 0개예요."),
                _both("a frozen parameter gets no gradient, so no optimizer can change it.",
                   "얼린(frozen) 파라미터는 기울기를 받지 못하니 어떤 optimizer도 바꿀 수 없어요."),
                _both("unfreeze what should learn: p.requires_grad_(True) for its parameters.",
                   "배워야 할 부분을 풀어 주세요: 그 파라미터에 p.requires_grad_(True)."), "optimizer")
    if missing and s.get("steps", 0) + s.get("backwards", 0) >= 1:
        return (_both("the optimizer does not hold the model's parameters: it was built for another model, or before "
                   "the model (or a layer) was replaced.", "optimizer가 이 모델의 파라미터를 갖고 있지 않아요: 다른 "
                   "모델로 만들었거나, 모델(또는 층)을 바꾸기 전에 만들었어요."),
                _both(f"{missing} of {total} trainable parameter tensors of the model are not in the optimizer.",
                   f"모델의 학습 가능한 파라미터 텐서 {total}개 중 {missing}개가 optimizer에 없어요."),
                _both("step() only changes the tensors it was given; the model's own weights never move.",
                   "step()은 받은 텐서만 바꿔요. 모델의 가중치는 움직이지 않아요."),
                _both("build the optimizer after the model is final: optimizer = torch.optim.SGD(model.parameters(), "
                   "lr=lr).", "모델을 다 만든 뒤에 optimizer를 만드세요: optimizer = torch.optim.SGD("
                   "model.parameters(), lr=lr)."), "optimizer")
    return None


def _unchanged(s):
    frozen, total = s.get("params_unchanged", 0), s.get("optimizer_params", 0)
    if s.get("steps", 0) >= 2 and total and frozen == total:
        return (_both("the parameters never changed, although optimizer.step() ran.",
                   "optimizer.step()이 실행됐는데도 파라미터가 전혀 바뀌지 않았어요."),
                _both(f"all {total} parameter tensors end exactly as they started, after {s['steps']} steps.",
                   f"step {s['steps']}번 뒤에도 파라미터 텐서 {total}개가 모두 처음과 똑같아요."),
                _both("a model whose weights do not move cannot learn (a learning rate of 0, frozen parameters, or "
                   "steps that never see a gradient).", "가중치가 움직이지 않는 모델은 배울 수 없어요(학습률 0, 얼린 "
                   "파라미터, 또는 기울기를 보지 못하는 step)."),
                _both("check lr > 0, that the parameters require grad, and the order zero_grad, forward, loss, "
                   "backward, step.", "lr > 0인지, 파라미터가 requires_grad인지, 그리고 zero_grad, forward, loss, "
                   "backward, step 순서를 확인하세요."), "loop")
    return None


def _softmax(s):
    probes, hits = s.get("output_probes", 0), s.get("probability_outputs", 0)
    if not (probes and hits == probes):
        return None
    loss = s.get("loss_name", "the loss")
    if loss == "BCEWithLogitsLoss":
        if not s.get("output_spread"):
            return None
        if s.get("steps", 0) == 0 or s.get("params_unchanged") or probes < 8:   # an untrained net's logits may all
            return None                                                           # lie in [0, 1]: ask for 8 probes
        if _lr_low(s) or _vanishing(s):             # a net that barely moved keeps its first logits, in [0, 1] by
            return None                             # chance: the small lr or the vanishing gradient is the finding
        what, fix = ("sigmoid", _both("remove the final sigmoid (nn.BCEWithLogitsLoss applies it itself); use "
                     "torch.sigmoid(y_hat) only to read probabilities.", "마지막 sigmoid를 빼세요(nn.BCEWithLogitsLoss"
                     "가 직접 적용해요). 확률을 읽을 때만 torch.sigmoid(y_hat)를 쓰세요."))
        seen = _both(f"every output given to {loss} was in [0, 1], on all {probes} checked batches.",
                  f"확인한 배치 {probes}개 모두에서 {loss}에 들어간 출력이 [0, 1] 안에 있었어요.")
    elif loss == "NLLLoss":
        what, fix = ("softmax", _both("use torch.log_softmax(y_hat, dim=1) (nn.LogSoftmax) before NLLLoss, or give the "
                                   "raw outputs to nn.CrossEntropyLoss.", "NLLLoss 앞에는 torch.log_softmax(y_hat, dim=1)"
                                   "(nn.LogSoftmax)를 쓰거나, 날 출력을 nn.CrossEntropyLoss에 주세요."))
        seen = _both(f"the outputs given to {loss} were probabilities (in [0, 1], each row summing to 1) on all {probes} "
                  "checked batches.", f"확인한 배치 {probes}개 모두에서 {loss}에 들어간 출력이 확률이었어요([0, 1] 안, "
                  "행마다 합이 1).")
    else:
        what, fix = ("softmax", _both("remove the softmax: give the raw outputs (logits) to nn.CrossEntropyLoss, and use "
                                   "softmax or argmax only to read predictions.", "softmax를 빼세요: 날 출력(logit)을 "
                                   "nn.CrossEntropyLoss에 주고, softmax나 argmax는 예측을 읽을 때만 쓰세요."))
        seen = _both(f"the outputs given to {loss} were probabilities (in [0, 1], each row summing to 1) on all {probes} "
                  "checked batches.", f"확인한 배치 {probes}개 모두에서 {loss}에 들어간 출력이 확률이었어요([0, 1] 안, "
                  "행마다 합이 1).")
    if loss == "NLLLoss":
        return (_both("a softmax before NLLLoss, which expects log-probabilities (log_softmax), not probabilities.",
                   "log-확률(log_softmax)을 기대하는 NLLLoss 앞에 (log가 아닌) softmax가 있어요."), seen,
                _both("NLLLoss only picks -output[label]: on probabilities that is a number between -1 and 0, so the loss "
                   "no longer measures how wrong an answer is and the gradients stay small.", "NLLLoss는 "
                   "-output[label]을 고를 뿐이에요: 확률에서는 -1과 0 사이의 수라서 손실이 답이 얼마나 틀렸는지 재지 "
                   "못하고 기울기가 작게 남아요."), fix, "softmax")
    return (_both(f"a {what} before {loss}, which expects raw scores (logits).",
               f"logit(날 점수)을 기대하는 {loss} 앞에 {what}가 있어요."), seen,
            _both(f"{loss} applies its own {'sigmoid' if what == 'sigmoid' else 'log-softmax'}; a second one squashes "
               "the scores, so even perfect answers keep a large loss and the gradients become small.",
               f"{loss}는 {'sigmoid' if what == 'sigmoid' else 'log-softmax'}를 스스로 적용해요. 한 번 더 하면 점수가 "
               "눌려서, 완벽한 답도 손실이 크고 기울기가 작아져요."), fix, "softmax")


def _log_softmax(s):
    probes, raw = s.get("output_probes", 0), s.get("not_log_probabilities", 0)
    if s.get("loss_name") == "NLLLoss" and probes and raw == probes and s.get("probability_outputs", 0) < probes:
        return (_both("NLLLoss got raw scores: it expects log-probabilities (log_softmax).",
                   "NLLLoss가 날 점수를 받았어요: log-확률(log_softmax)을 기대해요."),
                _both(f"on all {probes} checked batches, exp(outputs) did not sum to 1 in each row.",
                   f"확인한 배치 {probes}개 모두에서 exp(출력)의 행 합이 1이 아니었어요."),
                _both("NLLLoss only picks -output[label]; without log_softmax it can be pushed to minus infinity and "
                   "means nothing.", "NLLLoss는 -output[label]을 고를 뿐이에요. log_softmax가 없으면 음의 무한대로 "
                   "갈 수 있고 의미가 없어요."),
                _both("add torch.log_softmax(y_hat, dim=1) before NLLLoss, or use nn.CrossEntropyLoss on the raw outputs.",
                   "NLLLoss 앞에 torch.log_softmax(y_hat, dim=1)를 넣거나, 날 출력에 nn.CrossEntropyLoss를 쓰세요."),
                "softmax")
    return None


def _eval_mode(s):
    checks, bad = s.get("mode_checks", 0), s.get("eval_mode_steps", 0)
    forwards, evals = s.get("grad_forwards", 0), s.get("eval_grad_forwards", 0)
    trained = evals - s.get("unused_grad_forwards", 0)       # eval-mode forwards that a backward pass may have used
    by_forwards = trained >= max(2, s.get("steps", 0) // 4)  # every forward counts: probes cluster in epoch 1
    if (checks and bad >= max(1, checks // 2)) or by_forwards:
        seen = _both(f"{bad} of {checks} checked steps followed a forward pass in eval mode.",
                  f"확인한 step {checks}번 중 {bad}번이 eval 모드의 forward 다음이었어요.") if bad >= max(1, checks // 2) \
            else _both(f"{evals} of {forwards} forward passes with gradients on ran in eval mode, over {s.get('steps', 0)} "
                    "steps.", f"step {s.get('steps', 0)}번 동안 기울기를 켠 forward {forwards}번 중 {evals}번이 eval "
                    "모드였어요.")
        return (_both("the model was in eval mode while it trained: dropout off, batch norm frozen on running statistics.",
                   "학습하는 동안 모델이 eval 모드였어요: dropout이 꺼지고, batch norm은 running 통계로 고정돼요."),
                seen,
                _both("model.eval() stays on until you call model.train(): the regularization you built does nothing, "
                   "and batch norm learns nothing about your data.", "model.eval()은 model.train()을 부를 때까지 "
                   "유지돼요: 넣어 둔 규제가 아무 일도 하지 않고, batch norm은 데이터를 배우지 못해요."),
                _both("call model.train() at the start of every training epoch (after evaluating with model.eval()).",
                   "매 학습 에폭 시작에 model.train()을 호출하세요(model.eval()로 평가한 뒤에도)."), "modes")
    return None


def _train_mode(s):
    unused = s.get("unused_train_grad_forwards", 0)           # evaluations with gradients on, in train mode
    if s.get("train_mode_no_grad_forwards", 0) >= 1 or unused >= 2:
        n, total = s.get("train_mode_no_grad_forwards", 0), s.get("no_grad_forwards", 0)
        seen = _both(f"{n} of {total} forward passes without gradients (evaluation) ran with model.training = True.",
                  f"기울기 없는 forward(평가) {total}번 중 {n}번이 model.training = True로 실행됐어요.") if n else \
            _both(f"{unused} forward passes that no backward() used (evaluations) ran with model.training = True.",
               f"어떤 backward()도 쓰지 않은 forward(평가) {unused}번이 model.training = True로 실행됐어요.")
        return (_both("the model was evaluated in train mode: dropout still on, batch norm using (and updating) batch "
                   "statistics.", "모델을 train 모드로 평가했어요: dropout이 켜져 있고, batch norm이 배치 통계를 쓰고 "
                   "갱신해요."),
                seen,
                _both("every evaluation is then a different random network, and batch norm's running statistics drift "
                   "toward the evaluation data.", "그러면 평가마다 다른 무작위 네트워크가 되고, batch norm의 running "
                   "통계가 평가 데이터 쪽으로 움직여요."),
                _both("call model.eval() before evaluating and model.train() before training again (dlstudy.train.evaluate "
                   "does both).", "평가 전에 model.eval(), 다시 학습하기 전에 model.train()을 호출하세요"
                   "(dlstudy.train.evaluate가 둘 다 해 줘요)."), "dropout_eval")
    return None


def _graph_kept(s):
    checks, alive = s.get("graph_checks", 0), s.get("graphs_kept", 0)
    if checks >= 2 and alive >= max(2, (checks + 1) // 2):
        return (_both("old losses keep their graphs alive (total += loss, or a list of loss tensors): memory grows every "
                   "step.", "지난 loss가 그래프를 붙잡고 있어요(total += loss, 또는 loss 텐서의 리스트): 메모리가 매 "
                   "step 늘어나요."),
                _both(f"at {alive} of {checks} checks, the graph of a loss from 3 steps earlier was still in memory.",
                      f"{checks}번 확인 중 {alive}번, 3 step 전 loss의 그래프가 아직 메모리에 있었어요."),
                _both("a loss tensor remembers the whole computation behind it; summing tensors chains all those graphs "
                   "together, so nothing is ever freed.", "loss 텐서는 그 뒤의 계산 전체를 기억해요. 텐서끼리 더하면 "
                   "그 그래프가 모두 이어져서 아무것도 해제되지 않아요."),
                _both("record numbers, not tensors: total += loss.item() (or loss.detach() to stay on the GPU).",
                   "텐서 말고 숫자를 기록하세요: total += loss.item() (GPU에 두려면 loss.detach())."), "no_grad")
    return None


def _sudden(s):
    """Whether the run turned NaN or Inf out of a healthy state (a bad batch) rather than after a rising loss."""
    at = s.get("nonfinite_at")
    if at is None or s.get("input_nonfinite"):
        return False
    before = s.get("losses", [])[:at]
    ratios = [r for r in s.get("ratios_before_nonfinite", []) if math.isfinite(r)]
    if not before or not ratios:
        return True
    ratios = sorted(ratios)                                   # modest steps (one hard batch may take a larger one),
    if ratios[len(ratios) // 2] <= THRESHOLDS["ratio_high"] and ratios[-1] <= THRESHOLDS["ratio_start_high"]:
        return True                                           # then NaN: a bad batch, whatever the losses did
    k = max(1, len(before) // 4)
    return (sum(before[-k:]) / k <= THRESHOLDS["rising"] * sum(before[:k]) / k
            and max(ratios) <= THRESHOLDS["ratio_start_high"])


def _nonfinite(s):
    if s.get("input_nonfinite"):
        seen = _both("a checked batch had values that are not finite numbers.", "확인한 배치에 유한하지 않은 값이 있었어요.")
    elif _sudden(s):
        before = s.get("losses", [])[:s["nonfinite_at"]]
        seen = _both(f"the loss went from about {_about(before[-1])} straight to NaN or Inf, without rising first (a "
                  "learning rate too large makes it grow first).", f"손실이 약 {_about(before[-1])}에서 오르는 과정 없이 "
                  "바로 NaN이나 Inf가 됐어요(학습률이 너무 크면 먼저 커져요).") if before else \
            _both("the loss was NaN or Inf from the first step on.", "손실이 첫 step부터 NaN이나 Inf였어요.")
    else:
        return None
    return (_both("a batch contains NaN or Inf.", "배치에 NaN이나 Inf가 있어요."), seen,
            _both("one NaN spreads through every sum it touches: the loss and then every weight become NaN.",
               "NaN 하나가 닿는 모든 합으로 퍼져요: loss가, 그다음 모든 가중치가 NaN이 돼요."),
            _both("find it before training: torch.isnan(X).any() and torch.isinf(X).any() (the labels too); fill or drop "
               "missing values, and never divide by a standard deviation of 0.", "학습 전에 찾으세요: "
               "torch.isnan(X).any()와 torch.isinf(X).any()(레이블도). 빠진 값을 채우거나 버리고, 표준편차 0으로 "
               "나누지 마세요."), "standardize")


def _scale(s):
    rms = s.get("input_rms")
    if not rms or s.get("input_nonfinite"):
        return None
    largest, ranges = max(rms), sorted(v for v in s["input_ranges"] if v > 0)
    # A table: the largest range / the smallest. Pixels (images, or 64 and more columns): / the median, since edge
    # pixels that are rarely on legitimately have tiny ranges.
    ratio = max(ranges) / ranges[len(ranges) // 2 if s.get("input_pixels") else 0] if ranges else 1.0
    if largest <= THRESHOLDS["input_scale"] and ratio <= THRESHOLDS["feature_ratio"]:
        return None
    lo, hi = s["input_min"], s["input_max"]
    if largest > THRESHOLDS["input_scale"]:
        lo, hi = f"{lo:.3g}", f"{hi:.3g}"               # pixels end at 255, not "260"
        seen = _both(f"inputs range from {lo} to {hi}; the largest feature's root mean square is "
                  f"{_about(largest)} (standardized features: about 1).", f"입력이 {lo}부터 {hi}까지"
                  f"예요. 가장 큰 특성의 제곱평균제곱근이 {_about(largest)}예요(표준화된 특성은 약 1).")
    else:
        seen = _both(f"the features' scales differ by a factor of about {_about(ratio)}.",
                  f"특성들의 크기가 약 {_about(ratio)}배 차이 나요.")
    return (_both("the inputs are far from standardized.", "입력이 표준화되어 있지 않아요."), seen,
            _both("large or unequal scales make the loss surface steep in some directions: a learning rate that suits "
               "one feature diverges on another, and the first layer's units saturate.", "크거나 서로 다른 크기는 "
               "손실 곡면을 어떤 방향으로 가파르게 만들어요: 한 특성에 맞는 학습률이 다른 특성에서는 발산하고, 첫 층의 "
               "유닛이 포화돼요."),
            _both("standardize with statistics of the training split, (X - mean) / std per feature; scale pixels with "
               "X.float() / 255.", "학습 데이터의 통계로 특성마다 (X - mean) / std로 표준화하세요. 픽셀은 "
               "X.float() / 255로 줄이세요."), "standardize")


def _intercepts(s):
    """Columns of ones fed to a model without biases: the intercept of a design matrix, not a lost feature."""
    if not s.get("weight_layers") or s.get("model_tensors") != s.get("weight_layers"):   # a bias anywhere: not this idiom
        return 0
    ones = sum(r == 0 and abs(rms - 1) < 1e-6 for r, rms in zip(s.get("input_ranges", []), s.get("input_rms", [])))
    return 1 if ones == 1 else 0


def _constant(s):
    const, total = s.get("constant_features", 0), s.get("input_features", 0)
    if const < total:
        const -= _intercepts(s)
    if not const:
        return None
    return (_both("some input features never change.", "어떤 입력 특성은 전혀 변하지 않아요."),
            _both(f"{const} of {total} input features had one value on every checked sample.",
               f"입력 특성 {total}개 중 {const}개가 확인한 모든 샘플에서 같은 값이었어요."),
            _both("a constant feature carries no information; often it is a bug upstream (a wrong column, every row "
               "the same sample, or a standardization that broke).", "변하지 않는 특성은 정보가 없어요. 보통 앞 단계의 "
               "버그예요(잘못된 열, 모든 행이 같은 샘플, 또는 잘못된 표준화)."),
            _both("print X[:5] and X.std(dim=0) before training and find where the values were lost.",
               "학습 전에 X[:5]와 X.std(dim=0)를 출력해서 값이 어디서 사라졌는지 찾으세요."), "standardize")


def _sorted(s):
    batches, seen, expected = s.get("label_batches", 0), s.get("classes_per_batch", 0), s.get("expected_classes", 0)
    if s.get("label_classes", 0) < 2 and batches >= 2:
        return (_both("the labels never vary: every checked batch has the same single class.",
                   "레이블이 전혀 변하지 않아요: 확인한 모든 배치가 같은 한 클래스예요."),
                _both(f"{batches} checked batches, one label value in all of them.", f"확인한 배치 {batches}개, 모두 레이블 "
                   "값이 하나예요."),
                _both("a classifier shown one class learns to always answer it.", "한 클래스만 본 분류기는 늘 그 답만 해요."),
                _both("check how the labels are built (y[:20], y.unique()), and shuffle: DataLoader(..., shuffle=True).",
                   "레이블을 만드는 코드를 확인하고(y[:20], y.unique()), 섞으세요: DataLoader(..., shuffle=True)."),
                "shuffle")
    if batches >= 4 and s.get("label_sizes", 0) >= 4 and seen < THRESHOLDS["sorted_classes"] * expected:
        return (_both("the labels do not vary within a batch: the data looks sorted by class and not shuffled.",
                   "배치 안에서 레이블이 변하지 않아요: 데이터가 클래스 순으로 정렬되어 있고 섞이지 않은 것 같아요."),
                _both(f"a checked batch held {_about(seen)} classes on average; shuffled batches would hold about "
                   f"{_about(expected)}.", f"확인한 배치에는 평균 {_about(seen)}개 클래스가 있었어요. 섞인 배치라면 약 "
                   f"{_about(expected)}개예요."),
                _both("each step then pulls the model toward one class and the next step undoes it: training oscillates "
                   "and ends biased toward the last classes.", "그러면 매 step이 모델을 한 클래스로 당기고 다음 step이 "
                   "되돌려요: 학습이 흔들리고 마지막 클래스 쪽으로 치우쳐 끝나요."),
                _both("shuffle the training data every epoch: DataLoader(train_ds, batch_size=..., shuffle=True).",
                   "매 에폭 학습 데이터를 섞으세요: DataLoader(train_ds, batch_size=..., shuffle=True)."), "shuffle")
    return None


def _loss_ends(s):
    """The mean loss of the first k probes and of the last k: single batches differ too much to be compared."""
    losses = s.get("losses") or []
    if len(losses) < 4:
        return None
    k = max(2, len(losses) // 4)
    return sum(losses[:k]) / k, sum(losses[-k:]) / k


def _all_constant(s):
    """Every input feature had one value: units are on or off for all samples alike, and nothing can be learned."""
    return s.get("input_features", 0) > 0 and s.get("constant_features", 0) == s.get("input_features")


def _chance(s):
    ends, classes = _loss_ends(s), s.get("classes", 0)
    if not ends or classes < 2 or s.get("steps", 0) < 50 or s.get("weight_layers", 0) < 2:   # a line cannot fit XOR
        return None
    if _all_constant(s):                                    # a constant input explains it: constant_input says so
        return None
    chance = math.log(classes)
    # a slow start falls steadily; a stuck loss stays flat. A fresh net often starts 3-7% above ln C and falls onto it
    # within a few steps: the fall is measured from ln C then; a start well above ln C (a slow learner) from the start
    start = min(ends[0], chance) if ends[0] < (1 + 2 * THRESHOLDS["chance_band"]) * chance else ends[0]
    fell = 1 - ends[1] / start
    if abs(ends[1] / chance - 1) < THRESHOLDS["chance_band"] and fell < THRESHOLDS["chance_fall"]:
        return (_both(f"the loss is stuck at ln({classes}) = {chance:.3f}: the network predicts every class as equally "
                   "likely.", f"손실이 ln({classes}) = {chance:.3f}에 멈춰 있어요: 네트워크가 모든 클래스를 같은 확률로 "
                   "예측해요."),
                _both(f"after {s['steps']} steps the loss is still about {chance:.2f}.",
                   f"step {s['steps']}번 뒤에도 손실이 약 {chance:.2f}예요."),
                _both("ln(C) is the loss of a uniform guess; staying there means nothing reached the output (a learning "
                   "rate far too small, labels unrelated to the inputs, or a broken graph).", "ln(C)는 고르게 찍을 때의 "
                   "손실이에요. 거기 머문다는 것은 출력에 아무것도 전해지지 않았다는 뜻이에요(너무 작은 학습률, 입력과 "
                   "상관없는 레이블, 또는 끊어진 그래프)."),
                _both("overfit one small batch first: if the loss does not fall below ln(C) there, look at lr, the labels "
                   "and the forward pass.", "먼저 작은 배치 하나를 과적합해 보세요: 거기서도 손실이 ln(C) 아래로 내려가지 "
                   "않으면 lr, 레이블, forward를 보세요."), "chance")
    return None


def _lr_high(s):
    ends, losses = _loss_ends(s), [x for x in s.get("losses") or [] if math.isfinite(x)]
    ratio, start = s.get("update_ratio") or 0.0, s.get("update_ratio_start") or 0.0
    largest = max(ratio, start)
    diverged = (s.get("loss_nonfinite") or s.get("params_nonfinite")) and not s.get("input_nonfinite") and not _sudden(s)
    # Batch losses differ 2-3x whatever the lr (hard batches, heavy-tailed noise): the loss is only blamed on the lr
    # when the steps are large too, and "rose" / "did not fall" compare means of several probes.
    big = largest > THRESHOLDS["ratio_high"]
    jump = max(losses[1:], default=0.0)
    spiked = big and losses and losses[0] > 0 and jump > THRESHOLDS["spike"] * losses[0]
    k = max(2, len(losses) // 4)
    # the best batches got no better; or the typical late batch (the median: one lucky batch is not a fall) is worse
    # than every early one while the best late batch is not far better than the best early one (outlier batches late
    # in a good run raise the median, but the ordinary batches there are much lower than early on)
    floor = len(losses) >= 4 and (min(losses[-k:]) > THRESHOLDS["stalled"] * min(losses[:k])
                                  or (statistics.median(losses[-k:]) > max(losses[:k])
                                      and min(losses[-k:]) > 0.5 * min(losses[:k])))
    rising = big and ends and floor and ends[1] > THRESHOLDS["rising"] * ends[0]
    stalled = len(losses) >= 8 and s.get("weight_layers", 0) >= 2 and (   # a short run; a line on XOR stays flat
        (ratio > THRESHOLDS["ratio_high"] and floor and ends[1] > THRESHOLDS["stalled"] * ends[0] and not _chance(s))
        or (start > THRESHOLDS["ratio_start_high"] and ends[1] > THRESHOLDS["stalled"] * min(losses[:k])))
    if not (diverged or spiked or rising or stalled):
        return None
    flat_ratio = ratio > THRESHOLDS["ratio_high"]
    if diverged:
        seen = _both("the loss became NaN or infinite.", "손실이 NaN이나 무한대가 됐어요.")
    elif spiked:
        seen = _both(f"the loss jumped from about {_about(losses[0])} at the first checked step to about {_about(jump)}, "
                  f"with steps that changed the weights by about {_about(largest)} of their size.",
                  f"손실이 첫 확인 step의 약 {_about(losses[0])}에서 약 {_about(jump)}로 뛰었고, step마다 가중치가 자기 "
                  f"크기의 약 {_about(largest)}만큼 바뀌었어요.")
    elif rising:
        seen = _both(f"the loss rose from about {_about(ends[0])} (mean of the first checked steps) to about "
                  f"{_about(ends[1])} (mean of the last ones), with steps that changed the weights by about "
                  f"{_about(largest)} of their size.", f"손실이 약 {_about(ends[0])}(처음 확인한 step들의 평균)에서 약 "
                  f"{_about(ends[1])}(마지막 step들의 평균)로 올라갔고, step마다 가중치가 자기 크기의 약 "
                  f"{_about(largest)}만큼 바뀌었어요.")
    elif flat_ratio and ends[1] > THRESHOLDS["stalled"] * ends[0]:
        seen = _both(f"each step changed the weights by about {_about(ratio)} of their size (healthy: about 0.001), "
                  "and the loss did not fall.", f"step마다 가중치가 자기 크기의 약 {_about(ratio)}만큼 바뀌었고(건강한 "
                  "값: 약 0.001) 손실은 내려가지 않았어요.")
    else:
        seen = _both(f"the first steps changed the weights by about {_about(start)} of their size (healthy: about "
                  f"0.001), and the loss ended at about {_about(ends[1])}, no lower than early on.",
                  f"처음 step들이 가중치를 자기 크기의 약 {_about(start)}만큼 바꿨고(건강한 값: 약 0.001), 손실은 약 "
                  f"{_about(ends[1])}로 초반보다 낮지 않게 끝났어요.")
    return (_both("the learning rate is too large.", "학습률이 너무 커요."), seen,
            _both("each step overshoots the minimum, so the loss bounces up or overflows.",
               "step마다 최솟값을 지나쳐서 손실이 튀어 오르거나 넘쳐요."),
            _both("divide lr by 10 until the loss falls steadily (standardized inputs allow larger rates); the LR finder "
               "picks one for you.", "손실이 꾸준히 내려갈 때까지 lr을 10으로 나누세요(표준화된 입력이면 더 큰 값도 "
               "돼요). LR finder가 골라 줄 수도 있어요."), "lr")


def _lr_low(s):
    ratio = s.get("update_ratio_start")
    if ratio is None or ratio >= THRESHOLDS["ratio_low"] or ratio == 0:   # 0: no gradient reached them (dead units,
        return None                                                       # a cut graph), not a small learning rate
    return (_both("the learning rate is too small: the weights hardly move.", "학습률이 너무 작아요: 가중치가 거의 "
               "움직이지 않아요."),
            _both(f"each step changed the weights by about {_about(ratio)} of their size (healthy: about 0.001), and the "
               "loss hardly fell.", f"step마다 가중치가 자기 크기의 약 {_about(ratio)}만큼 바뀌었고(건강한 값: 약 0.001) "
               "손실은 거의 내려가지 않았어요."),
            _both("training will take thousands of times longer than it needs, or stop early looking converged.",
               "학습이 필요한 것보다 수천 배 오래 걸리거나, 수렴한 것처럼 보이며 멈춰요."),
            _both("multiply lr by 10 until the loss falls clearly in the first epoch; the LR finder picks one for you.",
               "첫 에폭에서 손실이 뚜렷이 내려갈 때까지 lr에 10을 곱하세요. LR finder가 골라 줄 수도 있어요."),
            "diagnostics")


def _dead(s):
    if s.get("params_nonfinite") or s.get("loss_nonfinite") or s.get("input_nonfinite"):
        return None                                     # NaN units are not 0: nothing can be said about them
    if _all_constant(s):                                # one input for all: a unit is 0 on all or none of them,
        return None                                     # and the advice (lr, init) would be wrong
    layers = [(name, dead, n) for name, dead, n in s.get("relu_dead", []) if n and dead / n >= THRESHOLDS["dead_fraction"]]
    rows = [(name, dead, n) for name, dead, n in s.get("zero_grad_rows", []) if n and dead / n >= THRESHOLDS["dead_fraction"]]
    if rows and not layers:                             # F.relu / torch.relu: no module to hook, the gradients tell
        name, dead, n = rows[0]
        return (_both("dead ReLU units: most units of a layer get no gradient from any input.", "죽은 ReLU 유닛: 한 층의 "
                   "유닛 대부분이 어떤 입력에서도 기울기를 받지 못해요."),
                _both(f"{dead} of {n} units of layer '{name}' got a gradient of exactly 0 at every checked step (and "
                   f"{len(rows)} layer(s) like it).", f"'{name}' 층의 유닛 {n}개 중 {dead}개가 확인한 모든 step에서 "
                   f"기울기가 정확히 0이었어요(그런 층 {len(rows)}개)."),
                _both("a ReLU unit whose input is below 0 for every sample outputs 0 and passes no gradient, so it can "
                   "never come back: the layer is narrower than you built.", "모든 샘플에서 입력이 0보다 작은 ReLU "
                   "유닛은 0을 내고 기울기를 전하지 않아 다시 살아나지 못해요: 층이 만든 것보다 좁아져요."),
                _both("lower the learning rate, keep the default (Kaiming) initialization and a bias near 0, or try "
                   "nn.LeakyReLU.", "학습률을 낮추고, 기본(Kaiming) 초기화와 0 근처의 bias를 쓰거나, nn.LeakyReLU를 써 "
                   "보세요."), "dead_relu")
    if not layers:
        return None
    name, dead, n = layers[0]
    return (_both("dead ReLU units: most units of a layer output 0 for every input.", "죽은 ReLU 유닛: 한 층의 유닛 대부분이 "
               "모든 입력에 0을 내요."),
            _both(f"{dead} of {n} units after layer '{name}' were 0 on every checked sample (and {len(layers)} layer(s) "
               "like it).", f"'{name}' 층 뒤 유닛 {n}개 중 {dead}개가 확인한 모든 샘플에서 0이었어요(그런 층 "
               f"{len(layers)}개)."),
            _both("a ReLU unit at 0 passes no gradient, so it can never come back: the layer is narrower than you built.",
               "0에 있는 ReLU 유닛은 기울기를 전하지 않아 다시 살아나지 못해요: 층이 만든 것보다 좁아져요."),
            _both("lower the learning rate, keep the default (Kaiming) initialization and a bias near 0, or try "
               "nn.LeakyReLU.", "학습률을 낮추고, 기본(Kaiming) 초기화와 0 근처의 bias를 쓰거나, nn.LeakyReLU를 써 "
               "보세요."), "dead_relu")


def _vanishing(s):
    ratio = s.get("grad_ratio")
    if ratio is None or ratio >= THRESHOLDS["vanishing"]:
        return None
    return (_both("the gradients vanish layer by layer: the first layers hardly learn.",
               "기울기가 층마다 사라져요: 앞쪽 층이 거의 배우지 못해요."),
            _both(f"the first weight layer gets gradients about {_about(ratio)} times the size of the last one's.",
               f"첫 가중치 층의 기울기가 마지막 층의 약 {_about(ratio)}배예요."),
            _both("each sigmoid or tanh multiplies the gradient by at most 0.25 or 1, so a deep stack passes almost "
               "nothing back.", "sigmoid나 tanh는 기울기에 많아야 0.25나 1을 곱해서, 깊게 쌓으면 거의 아무것도 "
               "돌아오지 않아요."),
            _both("use ReLU with Kaiming initialization (or batch norm) in deep networks.",
               "깊은 네트워크에는 Kaiming 초기화와 ReLU(또는 batch norm)를 쓰세요."), "vanishing")


def _never_reached(s):
    """No backward pass reached the loss or any parameter, yet the optimizer stepped at every check."""
    checks = s.get("mode_checks", 0)
    return (checks >= 2 and s.get("steps_without_backward", 0) == checks and not s.get("backwards")
            and not s.get("loss_backwards") and not s.get("closure_optimizer") and not s.get("model_frozen")
            and s.get("optimizer_params", 0) > 0 and s.get("params_unchanged", 0) == s.get("optimizer_params"))


def _no_grad_params(s):
    names = s.get("params_without_grad", [])
    if not names and _never_reached(s):
        total, checks = s["optimizer_params"], s["mode_checks"]
        return (_both("no parameter ever got a gradient: loss.backward() never reached the model.",
                   "어떤 파라미터도 기울기를 받지 못했어요: loss.backward()가 모델까지 닿지 않았어요."),
                _both(f"all {total} parameter tensors had .grad = None at all {checks} checked steps, and no checked "
                   "output of the loss function got a backward pass.", f"파라미터 텐서 {total}개 모두 확인한 step "
                   f"{checks}번 내내 .grad = None이었고, 확인한 손실 함수의 출력은 backward를 한 번도 받지 않았어요."),
                _both("either loss.backward() is never called (written without parentheses?), or it runs on a tensor cut "
                   "from the model: torch.tensor(loss.item(), requires_grad=True) or loss.detach().requires_grad_() "
                   "makes a new leaf with no graph behind it.", "loss.backward()를 호출하지 않았거나(괄호 없이 썼나요?), "
                   "모델과 끊긴 텐서에 호출했어요: torch.tensor(loss.item(), requires_grad=True)나 "
                   "loss.detach().requires_grad_()는 뒤에 그래프가 없는 새 leaf를 만들어요."),
                _both("call loss.backward() on the tensor that the loss function returned, unchanged.",
                   "손실 함수가 돌려준 텐서 그대로 loss.backward()를 호출하세요."), "no_grad")
    if not names:
        return None
    shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
    return (_both("some parameters never get a gradient: the graph is broken inside the forward pass.",
               "어떤 파라미터는 기울기를 전혀 받지 못해요: forward 안에서 그래프가 끊겼어요."),
            _both(f"{len(names)} parameter tensor(s) had .grad = None at every checked step: {shown}.",
               f"파라미터 텐서 {len(names)}개가 확인한 모든 step에서 .grad = None이었어요: {shown}."),
            _both(".detach(), .item(), .numpy() or torch.tensor(...) inside forward cut autograd's record, so the layers "
               "before the cut never learn (a layer that forward never uses shows the same).", "forward 안의 "
               ".detach(), .item(), .numpy(), torch.tensor(...)는 autograd의 기록을 끊어서, 끊긴 곳 앞의 층이 배우지 "
               "못해요(forward가 쓰지 않는 층도 같아요)."),
            _both("keep forward in torch operations from input to output; compute numbers for printing outside it.",
               "forward는 입력부터 출력까지 torch 연산으로 두고, 출력용 숫자는 밖에서 계산하세요."), "no_grad")


def _eval_grad(s):
    n = s.get("unused_grad_forwards", 0)
    if n >= 2:
        return (_both("evaluation ran with gradients on: torch.no_grad() is missing.",
                   "기울기를 켠 채로 평가했어요: torch.no_grad()가 빠졌어요."),
                _both(f"{n} forward passes recorded a graph that no backward() ever used.",
                   f"forward {n}번이 그래프를 기록했지만 어떤 backward()도 쓰지 않았어요."),
                _both("autograd keeps every activation for a backward pass that never comes: memory and time wasted.",
                   "autograd가 오지 않을 backward를 위해 활성값을 모두 붙잡아요: 메모리와 시간 낭비예요."),
                _both("wrap evaluation in `with torch.no_grad():` (and model.eval()).",
                   "평가를 `with torch.no_grad():`로 감싸세요(그리고 model.eval())."), "no_grad")
    return None


RULES = {"nonfinite_input": _nonfinite, "zero_grad": _zero_grad, "order": _order, "no_step": _no_step,
         "not_optimized": _not_optimized, "no_grad_params": _no_grad_params, "unchanged": _unchanged,
         "softmax": _softmax, "log_softmax": _log_softmax, "eval_mode": _eval_mode, "train_mode": _train_mode,
         "graph_kept": _graph_kept, "eval_grad": _eval_grad, "input_scale": _scale, "constant_input": _constant,
         "sorted_labels": _sorted, "chance_loss": _chance, "lr_high": _lr_high, "lr_low": _lr_low,
         "dead_relu": _dead, "vanishing": _vanishing}
KINDS = tuple(RULES)
# A finding that explains another one: keep only the first (e.g. steps without gradients leave the weights unchanged).
EXPLAINS = {"order": {"unchanged", "chance_loss", "lr_low", "lr_high", "dead_relu"},    # zero .grad at the step
            "no_step": {"unchanged", "chance_loss", "lr_high", "lr_low"},
            "not_optimized": {"unchanged", "chance_loss", "no_grad_params", "order"},
            "nonfinite_input": {"lr_high", "dead_relu", "chance_loss", "vanishing", "lr_low"},
            "vanishing": {"chance_loss", "lr_high", "lr_low"}, "softmax": {"chance_loss"},
            "unchanged": {"chance_loss", "lr_low", "lr_high"}, "zero_grad": {"lr_high"},
            "lr_high": {"chance_loss"}, "lr_low": {"chance_loss", "lr_high"},      # never both lr_high and lr_low
            "dead_relu": {"lr_low"},                                               # no gradient, not a small lr
            "no_grad_params": {"unchanged", "chance_loss", "lr_low"}}


def judge(seen):
    """``(kind, message, seen, why, fix, see)`` for what a watch saw (plain numbers), one per kind, most basic first."""
    found = {}
    for kind, rule in RULES.items():
        result = rule(seen)
        if result is not None:
            message, what, why, fix, see = result
            found[kind] = (kind, message, what, why, fix, _see(see))
    hidden = set().union(*(EXPLAINS.get(kind, set()) for kind in found))
    return [finding for kind, finding in found.items() if kind not in hidden]
