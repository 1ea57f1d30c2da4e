# PyTorch peer for the model benchmark: the same RoBERTa MLM step (forward + backward at masked positions, float32)
# built from torch's own modules; serves "step" lines on stdin so process start-up is not timed.
# B batch, T tokens, H hidden, A heads, F FFN size, V vocab, L layers, N masked positions.
import json
import sys

import torch
import torch.nn.functional as F

cfg = json.loads(sys.argv[1])
torch.set_num_threads(cfg["threads"])
torch.manual_seed(0)
H, V, L, B, T = cfg["hidden"], cfg["vocab"], cfg["layers"], cfg["batch"], cfg["tokens"]

word = torch.nn.Embedding(V, H, padding_idx=1)
pos = torch.nn.Embedding(T + 2, H, padding_idx=1)
ln = torch.nn.LayerNorm(H, eps=1e-5)
layers = torch.nn.ModuleList(
    torch.nn.TransformerEncoderLayer(H, cfg["heads"], cfg["ffn"], dropout=0.1, activation="gelu", batch_first=True)
    for _ in range(L)
)
dense, head_ln = torch.nn.Linear(H, H), torch.nn.LayerNorm(H, eps=1e-5)
bias = torch.nn.Parameter(torch.zeros(V))
params = [p for m in (word, pos, ln, layers, dense, head_ln) for p in m.parameters()] + [bias]

ids = torch.randint(3, V, (B, T))
positions = torch.arange(2, T + 2).expand(B, T)
flat = torch.randperm(B * T)[: int(0.15 * B * T)]
labels = ids.view(-1)[flat]


def step():
    x = F.dropout(ln(word(ids) + pos(positions)), 0.1, True)
    for layer in layers:
        x = layer(x)
    h = x.reshape(B * T, H)[flat]
    logits = head_ln(F.gelu(dense(h))) @ word.weight.T + bias
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    for p in params:
        p.grad = None
    return loss.item()


for line in sys.stdin:
    if line.strip() == "step":
        step()
        print("ok", flush=True)
