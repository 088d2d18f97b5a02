"""Write the golden JSON fixtures the TypeScript parity tests read.

    /usr/bin/python3 test/reference/make_fixtures.py [--data PATH] [--out DIR]

Writes (into test/fixtures/ by default):

* parity-dot.json      -- the d2l v0.17 Transformer (dot-product multi-head
                          attention) on a tiny config: params, forward
                          intermediates in train mode, loss, grads, 3 Adam
                          steps, and greedy decoding in both pos modes.
* parity-additive.json -- AdditiveAttention forward + grads.
* data-600.json        -- the book's data pipeline (600 examples, 10 steps)
                          on the real corpus, plus BLEU cases.
* parity-additive-model.json -- the same tiny Transformer with the book's
                          AdditiveAttention inside every MultiHeadAttention
                          (d2l.make_additive_transformer): params, train-mode
                          forward, attention weights, loss, grads.  Written
                          last, from its own seed, so the files above do not
                          depend on it.
* parity-head-mask.json -- heads switched off before W_o, written after all
                          of these by make_head_mask_fixture.py (see there).

Conventions:
* A tensor is ``{"shape": [...], "data": [flat row-major values]}``.  Float
  tensors are float32; each value is written as the shortest decimal string
  that round-trips the float32 exactly (``Math.fround(v)`` in JS recovers the
  exact bits).  Integer tensors (ids, valid lengths) hold ints.
* Token-id lists that are not batch tensors (srcIds, outputIds) are plain
  JSON arrays.
* Everything is deterministic: fixed seeds, float32, one CPU thread.
"""

import argparse
import copy
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import d2l_transformer as d2l  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, 'test', 'fixtures')
DEFAULT_DATA = '/work/shared/data/fra-eng/fra.txt'

UNK, PAD, BOS, EOS = 0, 1, 2, 3


# ---------------------------------------------------------------------------
# Serialization helpers
# ---------------------------------------------------------------------------


def f32_values(arr):
    """float32 array -> list of Python floats, each the shortest decimal that
    round-trips the float32 value (numpy's float32 repr is shortest)."""
    if isinstance(arr, torch.Tensor):
        arr = arr.detach().cpu().numpy()
    arr = np.asarray(arr, dtype=np.float32).ravel()
    out = [float(str(x)) for x in arr]
    # Guard: parsing back and rounding to float32 must give the same bits.
    back = np.asarray(out, dtype=np.float64).astype(np.float32)
    assert np.array_equal(back.view(np.uint32), arr.view(np.uint32)), \
        'float32 round-trip failed'
    return out


def tj(t):
    """Tensor (or numpy array) -> {"shape", "data"}."""
    if isinstance(t, torch.Tensor):
        t = t.detach().cpu().numpy()
    a = np.asarray(t)
    shape = list(a.shape)
    if np.issubdtype(a.dtype, np.integer) or a.dtype == np.bool_:
        data = [int(x) for x in a.ravel()]
    else:
        data = f32_values(a)
    return {'shape': shape, 'data': data}


def write_json(path, obj):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f, separators=(',', ':'), ensure_ascii=False,
                  allow_nan=False)
        f.write('\n')
    # Sanity: it parses.
    with open(path, encoding='utf-8') as f:
        json.load(f)
    print(f'wrote {path} ({os.path.getsize(path)} bytes)')


def global_grad_norm(net):
    """The norm grad_clipping computes (same summation order)."""
    params = [p for p in net.parameters() if p.requires_grad]
    return torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))


# ---------------------------------------------------------------------------
# a) parity-dot.json
# ---------------------------------------------------------------------------

CONFIG = {
    'srcVocab': 12, 'tgtVocab': 14, 'numHiddens': 16, 'numHeads': 4,
    'ffnNumHiddens': 24, 'numLayers': 2, 'dropout': 0, 'numSteps': 6,
    'batch': 3,
}


def build_small_model(make=d2l.make_transformer):
    """The parity config built by `make` (the book's Transformer, or
    make_additive_transformer), initialised as train_seq2seq does."""
    c = CONFIG
    net = make(
        c['srcVocab'], c['tgtVocab'], num_hiddens=c['numHiddens'],
        num_layers=c['numLayers'], dropout=c['dropout'],
        ffn_num_hiddens=c['ffnNumHiddens'], num_heads=c['numHeads'])
    # What train_seq2seq does first: Xavier-uniform on every nn.Linear weight.
    net.apply(d2l.xavier_init_weights)
    # Perturb LayerNorm affine params so they are not trivially 1 / 0.
    with torch.no_grad():
        for name, p in net.named_parameters():
            if '.ln.' in name:
                if name.endswith('weight'):
                    p.copy_(1.0 + 0.1 * torch.randn_like(p))
                else:
                    p.copy_(0.1 * torch.randn_like(p))
    return net


def make_inputs():
    """A fixed teacher-forcing batch (ids drawn from a seeded generator)."""
    c = CONFIG
    B, T = c['batch'], c['numSteps']
    g = torch.Generator().manual_seed(1234)
    enc_valid = torch.tensor([6, 3, 1])
    enc_X = torch.randint(4, c['srcVocab'], (B, T), generator=g)
    for b in range(B):
        enc_X[b, enc_valid[b] - 1] = EOS          # like build_array_nmt
        enc_X[b, enc_valid[b]:] = PAD
    lab_valid = torch.tensor([6, 4, 2])
    labels = torch.randint(4, c['tgtVocab'], (B, T), generator=g)
    for b in range(B):
        labels[b, lab_valid[b] - 1] = EOS
        labels[b, lab_valid[b]:] = PAD
    bos = torch.tensor([BOS] * B).reshape(-1, 1)
    dec_X = torch.cat([bos, labels[:, :-1]], 1)  # teacher forcing, as the book
    return enc_X, enc_valid, dec_X, labels, lab_valid


def masked_softmax_cases():
    g = torch.Generator().manual_seed(7)
    cases = []
    for vl in (torch.tensor([2, 3]), torch.tensor([[1, 3], [2, 4]])):
        x = torch.rand((2, 2, 4), generator=g)
        # masked_softmax masks a view of its input in place -> pass a clone.
        out = d2l.masked_softmax(x.clone(), vl)
        cases.append({'input': tj(x), 'validLens': tj(vl), 'output': tj(out)})
    return cases


def train_section(net, enc_X, enc_valid, dec_X, labels, lab_valid):
    """Forward/backward in .train() mode (dropout 0 => deterministic)."""
    net.train()
    captured = {'encEmb': None, 'decEmb': None, 'enc': [], 'dec': []}
    hooks = [
        net.encoder.pos_encoding.register_forward_hook(
            lambda m, i, o: captured.__setitem__('encEmb', o)),
        net.decoder.pos_encoding.register_forward_hook(
            lambda m, i, o: captured.__setitem__('decEmb', o)),
    ]
    for blk in net.encoder.blks:
        hooks.append(blk.register_forward_hook(
            lambda m, i, o: captured['enc'].append(o)))
    for blk in net.decoder.blks:
        # DecoderBlock returns (X, state)
        hooks.append(blk.register_forward_hook(
            lambda m, i, o: captured['dec'].append(o[0])))

    net.zero_grad()
    Y_hat, _ = net(enc_X, dec_X, enc_valid)
    loss = d2l.MaskedSoftmaxCELoss()
    l = loss(Y_hat, labels, lab_valid)
    l.sum().backward()
    for h in hooks:
        h.remove()
    grad_norm = global_grad_norm(net)

    return {
        'encoderEmbedded': tj(captured['encEmb']),
        'decoderEmbedded': tj(captured['decEmb']),
        'encoderBlockOutputs': [tj(x) for x in captured['enc']],
        'encoderAttention': [tj(w) for w in net.encoder.attention_weights],
        'decoderBlockOutputs': [tj(x) for x in captured['dec']],
        'decoderSelfAttention': [tj(w) for w in
                                 net.decoder.attention_weights[0]],
        'decoderEncDecAttention': [tj(w) for w in
                                   net.decoder.attention_weights[1]],
        'logits': tj(Y_hat),
        'lossPerSequence': tj(l),
        'lossSum': f32_values(l.sum())[0],
        'grads': {n: tj(p.grad) for n, p in net.named_parameters()},
        'gradNorm': f32_values(grad_norm)[0],
    }


def adam_section(net, enc_X, enc_valid, dec_X, labels, lab_valid, steps=3):
    """Exactly train_seq2seq's inner loop, repeated on one batch."""
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.005)
    loss = d2l.MaskedSoftmaxCELoss()
    loss_sums, grad_norms = [], []
    for _ in range(steps):
        optimizer.zero_grad()
        Y_hat, _ = net(enc_X, dec_X, enc_valid)
        l = loss(Y_hat, labels, lab_valid)
        l.sum().backward()
        grad_norms.append(f32_values(global_grad_norm(net))[0])
        d2l.grad_clipping(net, 1)
        optimizer.step()
        loss_sums.append(f32_values(l.sum())[0])
    return {
        'lr': 0.005, 'betas': [0.9, 0.999], 'eps': 1e-8, 'clipTheta': 1,
        'steps': steps,
        'lossSums': loss_sums,            # before each step
        'gradNorms': grad_norms,          # before clipping, each step
        'paramsAfter': {n: tj(p) for n, p in net.named_parameters()},
    }


@torch.no_grad()
def greedy_trace(net, src_ids, num_steps, pos_mode):
    """predict_seq2seq's loop, but on ids, recording everything and NOT
    stopping at <eos> (so the whole num_steps trajectory is comparable)."""
    net.eval()
    enc_valid_len = torch.tensor([len(src_ids)])
    src = d2l.truncate_pad(list(src_ids), num_steps, PAD)
    enc_X = torch.tensor(src, dtype=torch.long).unsqueeze(0)
    enc_outputs = net.encoder(enc_X, enc_valid_len)
    enc_att = [tj(w) for w in net.encoder.attention_weights]
    dec_state = net.decoder.init_state(enc_outputs, enc_valid_len)
    dec_X = torch.tensor([BOS], dtype=torch.long).unsqueeze(0)
    out_ids, step_logits, self_att, cross_att = [], [], [], []
    for step in range(num_steps):
        offset = step if pos_mode == 'correct' else 0
        Y, dec_state = net.decoder(dec_X, dec_state, offset)
        dec_X = Y.argmax(dim=2)
        out_ids.append(int(dec_X.squeeze(dim=0).item()))
        step_logits.append(Y[0, 0])
        self_att.append([tj(w) for w in net.decoder.attention_weights[0]])
        cross_att.append([tj(w) for w in net.decoder.attention_weights[1]])
    return {
        'posMode': pos_mode,
        'srcIds': list(src_ids),
        'encValidLen': len(src_ids),
        'encX': src,
        'outputIds': out_ids,
        'stepLogits': tj(torch.stack(step_logits)),
        'encoderAttention': enc_att,
        'decoderSelfAttention': self_att,
        'encDecAttention': cross_att,
    }


def make_parity_dot():
    torch.manual_seed(0)
    net = build_small_model()
    initial = copy.deepcopy(net)  # untouched copy for Adam and predict
    params = {n: tj(t) for n, t in net.state_dict().items()}
    enc_X, enc_valid, dec_X, labels, lab_valid = make_inputs()
    P = d2l.PositionalEncoding(CONFIG['numHiddens'], 0).P[0, :12, :]

    train = train_section(net, enc_X, enc_valid, dec_X, labels, lab_valid)
    adam = adam_section(copy.deepcopy(initial), enc_X, enc_valid, dec_X,
                        labels, lab_valid)
    # Source rows for decoding. srcIds is exactly what predict_seq2seq would
    # hand to truncate_pad: the sentence ids WITH the <eos> (3) it appends.
    sources = [[5, 7, 9, EOS], [4, 6, 8, 10, 11, EOS]]
    predict = [greedy_trace(initial, s, CONFIG['numSteps'], mode)
               for s in sources for mode in ('book', 'correct')]

    return {
        'meta': {
            'source': 'test/reference/make_fixtures.py (d2l v0.17 §10.7)',
            'torch': torch.__version__,
            'ids': {'unk': UNK, 'pad': PAD, 'bos': BOS, 'eos': EOS},
            'notes': [
                'Linear weights Xavier-uniform (train_seq2seq init); other '
                'params PyTorch defaults; LayerNorm weight=1+0.1*N(0,1), '
                'bias=0.1*N(0,1).',
                'Attention tensors have shape (batch*heads, queries, keys), '
                'row index = b*heads + h (repeat_interleave order).',
                'train: model.train() with dropout 0, so decoder self-'
                'attention uses causal valid lengths 1..T.',
                'predict: model.eval() with the initial params; srcIds '
                'already include the <eos> predict_seq2seq appends; padded '
                'with <pad> to numSteps (encX); no early stop at <eos>.',
            ],
        },
        'config': CONFIG,
        'params': params,
        'inputs': {
            'encX': tj(enc_X), 'encValidLens': tj(enc_valid),
            'decX': tj(dec_X), 'labels': tj(labels),
            'labelValidLens': tj(lab_valid),
        },
        'maskedSoftmax': masked_softmax_cases(),
        'positionalEncoding': tj(P),
        'train': train,
        'adam': adam,
        'predict': predict,
    }


# ---------------------------------------------------------------------------
# b) parity-additive.json
# ---------------------------------------------------------------------------


def make_parity_additive():
    torch.manual_seed(1)
    key_size, query_size, num_hiddens = 5, 4, 6
    att = d2l.AdditiveAttention(key_size, query_size, num_hiddens, dropout=0)
    att.eval()
    queries = torch.randn(2, 3, query_size, requires_grad=True)
    keys = torch.randn(2, 5, key_size, requires_grad=True)
    values = torch.randn(2, 5, 3, requires_grad=True)
    valid_lens = torch.tensor([2, 4])
    params = {n: tj(p) for n, p in att.state_dict().items()}
    out = att(queries, keys, values, valid_lens)
    out.sum().backward()
    return {
        'config': {'keySize': key_size, 'querySize': query_size,
                   'numHiddens': num_hiddens, 'dropout': 0},
        'params': params,   # W_k.weight, W_q.weight, w_v.weight (out, in)
        'queries': tj(queries), 'keys': tj(keys), 'values': tj(values),
        'validLens': tj(valid_lens),
        'output': tj(out),
        'attentionWeights': tj(att.attention_weights),
        'grads': {n: tj(p.grad) for n, p in att.named_parameters()},
        'inputGrads': {'queries': tj(queries.grad), 'keys': tj(keys.grad),
                       'values': tj(values.grad)},
    }


# ---------------------------------------------------------------------------
# c) data-600.json
# ---------------------------------------------------------------------------

BLEU_CASES = [
    # The book's four seed sentences (exact matches).
    ('va !', 'va !', 2),
    ("j'ai perdu .", "j'ai perdu .", 2),
    ('il est calme .', 'il est mouillé .', 2),
    ('je suis chez moi .', 'je suis chez moi .', 2),
    # Partial matches / brevity penalty / longer pred.
    ('je suis .', 'je suis chez moi .', 2),
    ('il est riche .', 'il est calme .', 2),
    ('va , maintenant !', 'va !', 2),
    ('je suis chez moi .', 'je suis chez moi .', 3),
    ('nous sommes chez nous .', 'je suis chez moi .', 1),
    # Repeated tokens (clipped counts).
    ('la la la la', 'la chat', 2),
    ('la la la la', 'la chat', 1),
    ('il il est est .', 'il est .', 2),
    # No n-gram matches at all -> 0.
    ('bonjour tout le monde', 'va !', 2),
    # Length mismatch, single-token pred with k=1.
    ('va', 'va !', 1),
]


def make_data_600(path):
    num_examples, num_steps = 600, 10
    raw = d2l.read_data_nmt(path)
    text = d2l.preprocess_nmt(raw)
    source, target = d2l.tokenize_nmt(text, num_examples)
    _, src_vocab, tgt_vocab = d2l.load_data_nmt(
        64, num_steps, num_examples=num_examples, path=path)
    src_array, src_valid_len = d2l.build_array_nmt(source, src_vocab,
                                                   num_steps)
    tgt_array, tgt_valid_len = d2l.build_array_nmt(target, tgt_vocab,
                                                   num_steps)
    bleu_cases = [{'pred': p, 'label': lab, 'k': k,
                   'bleu': d2l.bleu(p, lab, k)} for p, lab, k in BLEU_CASES]
    return {
        'numExamples': num_examples,
        'numSteps': num_steps,
        'numPairs': len(source),
        'srcVocab': src_vocab.idx_to_token,
        'tgtVocab': tgt_vocab.idx_to_token,
        'srcTokens': source,
        'tgtTokens': target,
        'srcArray': tj(src_array),
        'srcValidLen': tj(src_valid_len),
        'tgtArray': tj(tgt_array),
        'tgtValidLen': tj(tgt_valid_len),
        'preprocessedHead': text[:3000],
        'bleuCases': bleu_cases,
    }


# ---------------------------------------------------------------------------
# d) parity-additive-model.json
# ---------------------------------------------------------------------------


def make_parity_additive_model():
    """The parity-dot config and inputs, additive attention in every
    MultiHeadAttention; train mode (dropout 0), forward + backward."""
    torch.manual_seed(2)
    # Same init as the dot-product fixture: Xavier on every nn.Linear weight
    # (the additive W_k, W_q, w_v included), perturbed LayerNorm params.
    net = build_small_model(d2l.make_additive_transformer)
    params = {n: tj(t) for n, t in net.state_dict().items()}
    enc_X, enc_valid, dec_X, labels, lab_valid = make_inputs()
    train = train_section(net, enc_X, enc_valid, dec_X, labels, lab_valid)
    return {
        'meta': {
            'source': 'test/reference/make_fixtures.py '
                      '(d2l v0.17 §10.7, additive attention)',
            'torch': torch.__version__,
            'ids': {'unk': UNK, 'pad': PAD, 'bos': BOS, 'eos': EOS},
            'notes': [
                'd2l.make_additive_transformer: every MultiHeadAttention '
                'scores with AdditiveAttention(d, d, d), d = numHiddens / '
                'numHeads, shared by the heads.',
                'Init as parity-dot.json (seed 2): Xavier-uniform Linear '
                'weights, LayerNorm weight=1+0.1*N(0,1), bias=0.1*N(0,1).',
                'Inputs are those of parity-dot.json.',
                'train: model.train() with dropout 0; attention tensors '
                '(batch*heads, queries, keys), row = b*heads + h.',
            ],
        },
        'config': dict(CONFIG, attentionFunction='additive'),
        'params': params,
        'inputs': {
            'encX': tj(enc_X), 'encValidLens': tj(enc_valid),
            'decX': tj(dec_X), 'labels': tj(labels),
            'labelValidLens': tj(lab_valid),
        },
        'train': train,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--out', default=DEFAULT_OUT)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    os.makedirs(args.out, exist_ok=True)
    write_json(os.path.join(args.out, 'parity-dot.json'), make_parity_dot())
    write_json(os.path.join(args.out, 'parity-additive.json'),
               make_parity_additive())
    write_json(os.path.join(args.out, 'data-600.json'),
               make_data_600(args.data))
    write_json(os.path.join(args.out, 'parity-additive-model.json'),
               make_parity_additive_model())
    import make_head_mask_fixture  # here: it imports this module
    write_json(os.path.join(args.out, 'parity-head-mask.json'),
               make_head_mask_fixture.make_parity_head_mask())


if __name__ == '__main__':
    main()
