# What Hugging Face transformers makes of our files, and files transformers writes for us to read.
# Reads {"ops": [...]} as JSON on stdin and prints one JSON result per op, in order; transformers.ts describes each op.
# B batch, C choices, T tokens, H hidden, V vocab.
import json
import logging
import os
import re
import sys

import torch
import transformers


def tensor(t):
    t = t.detach().to(torch.float32)
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist()}


def run_model(model, batch):
    """Every output of one eval forward pass, hidden states included; `loss` is not asked for, so not computed."""
    model.eval()
    ids = torch.tensor(batch["input_ids"], dtype=torch.long)
    mask = torch.tensor(batch["attention_mask"], dtype=torch.long)
    with torch.no_grad():
        out = model(input_ids=ids, attention_mask=mask, output_hidden_states=True)
    result = {}
    for name, value in out.items():
        if isinstance(value, (tuple, list)):
            result[name] = [tensor(v) for v in value]
        else:
            result[name] = tensor(value)
    return result


def load_model(op):
    """`AutoModel*.from_pretrained(dir)`: which class it built, what it reported, and its outputs on the batch."""
    auto = getattr(transformers, op["auto"])
    model, info = auto.from_pretrained(op["dir"], output_loading_info=True)
    return {
        "class": type(model).__name__,
        "dtype": str(next(model.parameters()).dtype),
        "missing": sorted(info.get("missing_keys", [])),
        "unexpected": sorted(info.get("unexpected_keys", [])),
        "mismatched": sorted(str(m) for m in info.get("mismatched_keys", [])),
        "outputs": run_model(model, op["batch"]),
    }


def save_model(op):
    """A transformers model of class `arch` from `config`, every parameter moved off its init, saved with
    save_pretrained; returns its outputs on the batch."""
    config = transformers.RobertaConfig(**op["config"])
    torch.manual_seed(op["seed"])
    model = getattr(transformers, op["arch"])(config)
    with torch.no_grad():
        # parameters() yields a tied tensor (the decoder is the word embeddings) once
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    model.save_pretrained(op["dir"])
    return {"class": type(model).__name__, "files": sorted(os.listdir(op["dir"])), "outputs": run_model(model, op["batch"])}


def encode_all(tok, op):
    ids = [tok(t)["input_ids"] for t in op["texts"]]
    plain = [tok(t, add_special_tokens=False)["input_ids"] for t in op["texts"]]
    pairs = [tok(a, b)["input_ids"] for a, b in op["pairs"]]
    mask = tok.added_tokens_decoder.get(tok.mask_token_id) if tok.mask_token_id is not None else None
    result = {
        "class": type(tok).__name__,
        "ids": ids,
        "plain": plain,
        "pairs": pairs,
        "mask": None if mask is None else {"content": mask.content, "lstrip": mask.lstrip, "rstrip": mask.rstrip},
    }
    if op.get("batch"):
        b = tok(op["texts"], padding=True)
        result["batch"] = {"input_ids": b["input_ids"], "attention_mask": b["attention_mask"]}
    return result


def tokenize(op):
    """Ids of each text as transformers gives them, from the tokenizer class `with` reads: AutoTokenizer or
    RobertaTokenizerFast on the folder `dir`, or PreTrainedTokenizerFast (tokenizers alone) on the file `file`."""
    if op["with"] == "PreTrainedTokenizerFast":
        tok = transformers.PreTrainedTokenizerFast(tokenizer_file=op["file"])
    else:
        tok = getattr(transformers, op["with"]).from_pretrained(op["dir"])
    return encode_all(tok, op)


def save_tokenizer(op):
    """RoBERTa's recipe: byte-level BPE trained by HF tokenizers on the corpus files, written as vocab.json +
    merges.txt to `files_dir`, read by transformers' RoBERTa tokenizer with `<mask>` as roberta-base holds it (lstrip;
    transformers 4 added that itself, 5 takes it from the files) and saved with save_pretrained to `dir`."""
    from tokenizers import AddedToken, ByteLevelBPETokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train(
        files=op["corpus"],
        vocab_size=op["vocab_size"],
        min_frequency=op["min_frequency"],
        special_tokens=op["special_tokens"],
        show_progress=False,
    )
    os.makedirs(op["files_dir"], exist_ok=True)
    bpe.save_model(op["files_dir"])
    mask = AddedToken("<mask>", lstrip=True, rstrip=False, normalized=False, special=True)
    tok = transformers.RobertaTokenizerFast.from_pretrained(op["files_dir"], mask_token=mask)
    tok.save_pretrained(op["dir"])
    return {"class": type(tok).__name__, "files": sorted(os.listdir(op["dir"])), "vocab_size": len(tok)}


OPS = {"load_model": load_model, "save_model": save_model, "tokenize": tokenize, "save_tokenizer": save_tokenizer}


class Collect(logging.Handler):
    """Keeps transformers' warnings (its loading report among them) to go with an op's error."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(re.sub(r"\x1b\[[0-9;]*m", "", record.getMessage()))


LOG = Collect()


def attempt(op):
    """One op's result, or what it raised with what transformers logged: one failing op fails only its test."""
    LOG.messages.clear()
    try:
        return OPS[op["op"]](op)
    except Exception as e:  # noqa: BLE001 (the test reports it)
        return {"error": "\n".join([f"{type(e).__name__}: {e}", *LOG.messages])}


def main():
    transformers.utils.logging.disable_progress_bar()
    transformers.utils.logging.disable_default_handler()
    transformers.utils.logging.get_logger("transformers").addHandler(LOG)
    request = json.load(sys.stdin)
    results = [attempt(op) for op in request["ops"]]
    json.dump(
        {"versions": {"torch": torch.__version__, "transformers": transformers.__version__}, "results": results},
        sys.stdout,
    )


if __name__ == "__main__":
    main()
