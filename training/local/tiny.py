"""A tiny causal LM with random weights and a tokenizer trained on the spot, without any download.

Tests and the GPU benchmark must not reach the Hugging Face Hub, yet the training path needs a real
model directory (``config.json``, weights, a tokenizer with a chat template) to exercise. This writes
one in a few seconds: a byte-level BPE tokenizer trained on the given texts, a ChatML-style chat
template, and a Llama or Qwen2 model built from a config (random weights). Such a model learns the
data's surface in a few steps, which is all a test needs to see the loss fall.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: ChatML, the layout Qwen uses; the prompt rendered with ``add_generation_prompt`` is a prefix of
#: the prompt plus answer, which completion-only loss relies on.
CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def build_tokenizer(texts: Iterable[str], vocab_size: int = 400) -> Any:
    """A byte-level BPE tokenizer trained on ``texts``, with ChatML special tokens and template."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    core.train_from_iterator(list(texts), trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=["<|im_start|>"],
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def model_config(kind: str, vocab_size: int, *, size: str = "tiny") -> Any:
    """A model config: ``tiny`` (2 layers, width 64) or ``qwen2.5-0.5b`` (that model's shapes)."""
    from transformers import LlamaConfig, Qwen2Config

    if size == "qwen2.5-0.5b":
        return Qwen2Config(
            vocab_size=151936,
            hidden_size=896,
            intermediate_size=4864,
            num_hidden_layers=24,
            num_attention_heads=14,
            num_key_value_heads=2,
            max_position_embeddings=32768,
            rope_theta=1000000.0,  # type: ignore[call-arg]  # still a Qwen2 config key; transformers 5's stubs moved it
            tie_word_embeddings=True,
            eos_token_id=2,
            pad_token_id=0,
        )
    shapes: dict[str, Any] = dict(
        vocab_size=vocab_size,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=1024,
        eos_token_id=2,
        pad_token_id=0,
        bos_token_id=None,
    )
    return Qwen2Config(**shapes) if kind == "qwen2" else LlamaConfig(**shapes)


def write_tiny_model(out_dir: Path, texts: Iterable[str], *, kind: str = "llama", size: str = "tiny",
                     vocab_size: int = 400, seed: int = 0) -> Path:
    """Write a random-weight causal LM and its tokenizer to ``out_dir``; returns ``out_dir``.

    ``vocab_size`` bounds the tokenizer's vocabulary; a larger one (a few thousand) gives sequence
    lengths closer to a real model's tokenizer on German text.
    """
    import torch
    from transformers import AutoModelForCausalLM

    from training.local.deps import quiet_libraries

    quiet_libraries()
    torch.manual_seed(seed)
    tokenizer = build_tokenizer(texts, vocab_size)
    config = model_config(kind, len(tokenizer), size=size)
    config.eos_token_id = tokenizer.eos_token_id
    config.pad_token_id = tokenizer.pad_token_id
    model = AutoModelForCausalLM.from_config(config)
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    out_dir = Path(out_dir)
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir
