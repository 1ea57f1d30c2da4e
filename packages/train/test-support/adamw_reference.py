# torch.optim.AdamW in float64: the independent reference for the trainer's AdamW (one JSON case on stdin: parameters
# by HF name, each step's gradients and learning rate, betas, eps, weight decay; prints parameters and moments).
# Which parameters decay is decided here from the names, as Hugging Face's Trainer groups RoBERTa's parameters:
# biases and the weights of LayerNorm modules (named LayerNorm in the encoder and embeddings, layer_norm in lm_head)
# get weight_decay 0, everything else the configured decay.
import json
import sys

import torch

torch.set_num_threads(1)  # a few small tensors: threads only add start-up and contention


def no_decay(name):
    return name.endswith("bias") or name.endswith(("LayerNorm.weight", "layer_norm.weight"))


def main():
    case = json.load(sys.stdin)
    params = {
        name: torch.tensor(p["values"], dtype=torch.float64).reshape(p["shape"]).requires_grad_(True)
        for name, p in case["params"].items()
    }
    groups = [
        {"params": [p for n, p in params.items() if not no_decay(n)], "weight_decay": case["weight_decay"]},
        {"params": [p for n, p in params.items() if no_decay(n)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(
        groups, lr=case["lrs"][0], betas=(case["beta1"], case["beta2"]), eps=case["eps"], foreach=False
    )
    for lr, grads in zip(case["lrs"], case["grads"]):
        for g in opt.param_groups:
            g["lr"] = lr
        for name, p in params.items():
            p.grad = torch.tensor(grads[name], dtype=torch.float64).reshape(p.shape)
        opt.step()
    out = {
        name: {
            "param": p.detach().ravel().tolist(),
            "exp_avg": opt.state[p]["exp_avg"].ravel().tolist(),
            "exp_avg_sq": opt.state[p]["exp_avg_sq"].ravel().tolist(),
        }
        for name, p in params.items()
    }
    json.dump({"decayed": sorted(n for n in params if not no_decay(n)), "params": out}, sys.stdout)


if __name__ == "__main__":
    main()
