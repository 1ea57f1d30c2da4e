# PyTorch CPU peer of train-step.bench.ts: the same small RoBERTa MLM step, driven one step per stdin line.
# B batch, T tokens, H hidden, A heads, D head size (H / A), F FFN size, V vocab, L layers, P positions,
# N masked positions that reach the loss. Protocol: first stdin line is a JSON config and batch; this prints
# {"ready": ...} (or {"unavailable": reason}); then each "step" line runs one step and prints {"loss": x}.
import json
import math
import sys


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


try:
    import torch
    import torch.nn.functional as fn
except Exception as e:  # a missing optional peer is a message, not a crash
    reply({"unavailable": f"import torch failed in {sys.executable}: {e}"})
    sys.exit(0)


def main():
    cfg = json.loads(sys.stdin.readline())
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(cfg["seed"])
    B, T, H, A, F, V, L, P = (cfg[k] for k in ("B", "T", "H", "A", "F", "V", "L", "P"))
    D = H // A
    half = 0.02 * math.sqrt(3)  # uniform init with std 0.02, as the TypeScript side does

    params, decay, no_decay = {}, [], []

    def new(name, shape, init):
        t = torch.empty(shape)
        if init == "normal":
            t.uniform_(-half, half)
        elif init == "ones":
            t.fill_(1.0)
        else:
            t.zero_()
        t.requires_grad_(True)
        params[name] = t
        (decay if init == "normal" else no_decay).append(t)

    new("word", (V, H), "normal")
    new("pos", (P, H), "normal")
    new("type", (1, H), "normal")
    new("emb_ln_w", (H,), "ones")
    new("emb_ln_b", (H,), "zeros")
    for i in range(L):
        for m, (o, n) in {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "up": (F, H), "down": (H, F)}.items():
            new(f"{i}.{m}.w", (o, n), "normal")
            new(f"{i}.{m}.b", (o,), "zeros")
        for ln in ("ln1", "ln2"):
            new(f"{i}.{ln}.w", (H,), "ones")
            new(f"{i}.{ln}.b", (H,), "zeros")
    new("head.w", (H, H), "normal")
    new("head.b", (H,), "zeros")
    new("head_ln.w", (H,), "ones")
    new("head_ln.b", (H,), "zeros")
    new("lm_bias", (V,), "zeros")

    ids = torch.tensor(cfg["ids"], dtype=torch.long)
    positions = torch.tensor(cfg["positions"], dtype=torch.long)
    selected = torch.tensor(cfg["selected"], dtype=torch.long)
    labels = torch.tensor(cfg["labels"], dtype=torch.long)
    p = params
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": cfg["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=cfg["lr"],
        betas=(0.9, 0.999),
        eps=1e-8,
    )

    def norm(x, name):
        return fn.layer_norm(x, (H,), p[f"{name}.w"], p[f"{name}.b"], 1e-5)

    def heads(x):
        return x.view(B, T, A, D).transpose(1, 2)

    def loss_fn():
        x = p["word"][ids] + p["pos"][positions] + p["type"][0]
        x = fn.layer_norm(x, (H,), p["emb_ln_w"], p["emb_ln_b"], 1e-5)
        for i in range(L):
            q, k, v = (heads(fn.linear(x, p[f"{i}.{m}.w"], p[f"{i}.{m}.b"])) for m in ("q", "k", "v"))
            probs = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D), dim=-1)
            probs = fn.dropout(probs, cfg["attentionDropout"], training=True)
            ctx = (probs @ v).transpose(1, 2).reshape(B * T, H)
            x = norm(fn.linear(ctx, p[f"{i}.ao.w"], p[f"{i}.ao.b"]) + x, f"{i}.ln1")
            h = fn.gelu(fn.linear(x, p[f"{i}.up.w"], p[f"{i}.up.b"]))
            x = norm(fn.linear(h, p[f"{i}.down.w"], p[f"{i}.down.b"]) + x, f"{i}.ln2")
        rows = x[selected]  # the MLM head sees only the masked rows: [N, H]
        h = norm(fn.gelu(fn.linear(rows, p["head.w"], p["head.b"])), "head_ln")
        logits = fn.linear(h, p["word"], p["lm_bias"])  # tied decoder: [N, V]
        return fn.cross_entropy(logits, labels)

    reply({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()})
    for line in sys.stdin:
        if line.strip() != "step":
            break
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        opt.step()
        reply({"loss": loss.item()})


main()
