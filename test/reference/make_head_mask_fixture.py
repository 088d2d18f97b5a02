"""Write test/fixtures/parity-head-mask.json: the book's Transformer with heads
switched off (``d2l.set_head_mask``: each head's output times its gate before
W_o, Michel, Levy & Neubig 2019), for both attention functions.

    /usr/bin/python3 test/reference/make_head_mask_fixture.py [--out DIR]

(make_fixtures.py runs it last, after its own files.)  For each model of the
parity config (``make_fixtures.CONFIG``), initialised as make_fixtures does
from its own seed, on make_fixtures' teacher-forcing batch:

* ``train``: model.train() with dropout 0 (causal decoder self-attention),
  the head mask ``MASK``: the attention weights of every layer, the logits,
  the per-sequence loss, and the gradient of the summed loss with respect to
  the gates (``maskGrads``, per kind (layers, heads));
* ``importance``: the same gradient with every gate 1 -- Michel et al.'s
  head importance |xi * dL/dxi| at xi = 1 is its absolute value;
* ``predict``: greedy decoding with the mask, as make_fixtures' traces (no
  early stop at <eos>), in both position modes.
"""

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import d2l_transformer as d2l  # noqa: E402
import make_fixtures as mf  # noqa: E402

KINDS = ('encoderSelf', 'decoderSelf', 'encoderDecoder')

# Rows are layers, columns heads (CONFIG: 2 layers, 4 heads); 0 = off.
MASK = {
    'encoderSelf': [[1, 0, 1, 1], [0, 1, 1, 0]],
    'decoderSelf': [[1, 1, 1, 1], [1, 1, 0, 1]],
    'encoderDecoder': [[1, 1, 0, 1], [0, 1, 1, 1]],
}


def gates(values):
    """The mask as leaf tensors that collect the loss's gradient."""
    return {k: torch.tensor(values[k], dtype=torch.float32,
                            requires_grad=True) for k in KINDS}


def masked_train(net, mask_values, inputs):
    """Train-mode forward and backward with the gates `mask_values`."""
    enc_X, enc_valid, dec_X, labels, lab_valid = inputs
    net.train()
    xi = gates(mask_values)
    d2l.set_head_mask(net, xi)
    net.zero_grad()
    Y_hat, _ = net(enc_X, dec_X, enc_valid)
    l = d2l.MaskedSoftmaxCELoss()(Y_hat, labels, lab_valid)
    l.sum().backward()
    d2l.set_head_mask(net, None)
    return {
        'encoderAttention': [mf.tj(w) for w in net.encoder.attention_weights],
        'decoderSelfAttention': [mf.tj(w) for w in
                                 net.decoder.attention_weights[0]],
        'decoderEncDecAttention': [mf.tj(w) for w in
                                   net.decoder.attention_weights[1]],
        'logits': mf.tj(Y_hat),
        'lossPerSequence': mf.tj(l),
        'maskGrads': {k: mf.tj(xi[k].grad) for k in KINDS},
    }


def masked_model_section(seed, make, note):
    torch.manual_seed(seed)
    net = mf.build_small_model(make)
    params = {n: mf.tj(t) for n, t in net.state_dict().items()}
    inputs = mf.make_inputs()
    enc_X, enc_valid, dec_X, labels, lab_valid = inputs
    train = masked_train(net, MASK, inputs)
    ones = {k: [[1] * len(r) for r in MASK[k]] for k in KINDS}
    importance = masked_train(net, ones, inputs)['maskGrads']
    d2l.set_head_mask(net, {k: torch.tensor(MASK[k], dtype=torch.float32)
                            for k in KINDS})
    sources = [[5, 7, 9, mf.EOS], [4, 6, 8, 10, 11, mf.EOS]]
    with torch.no_grad():
        predict = [mf.greedy_trace(net, s, mf.CONFIG['numSteps'], mode)
                   for s in sources for mode in ('book', 'correct')]
    d2l.set_head_mask(net, None)
    return {
        'note': note,
        'params': params,
        'inputs': {
            'encX': mf.tj(enc_X), 'encValidLens': mf.tj(enc_valid),
            'decX': mf.tj(dec_X), 'labels': mf.tj(labels),
            'labelValidLens': mf.tj(lab_valid),
        },
        'train': train,
        'importance': importance,
        'predict': predict,
    }


def make_parity_head_mask():
    return {
        'meta': {
            'source': 'test/reference/make_head_mask_fixture.py '
                      '(d2l v0.17 §10.7 with head_mask before W_o)',
            'torch': torch.__version__,
            'notes': [
                'Init and inputs as make_fixtures.py; dot from seed 3, '
                'additive (make_additive_transformer) from seed 4.',
                'Attention tensors (batch*heads, queries, keys), '
                'row = b*heads + h.',
                'maskGrads / importance: d(sum of lossPerSequence) / '
                'd(gate), per kind (layers, heads).',
            ],
        },
        'config': mf.CONFIG,
        'mask': MASK,
        'models': {
            'dotProduct': masked_model_section(
                3, d2l.make_transformer, 'make_transformer'),
            'additive': masked_model_section(
                4, d2l.make_additive_transformer,
                'make_additive_transformer'),
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=mf.DEFAULT_OUT)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    os.makedirs(args.out, exist_ok=True)
    mf.write_json(os.path.join(args.out, 'parity-head-mask.json'),
                  make_parity_head_mask())


if __name__ == '__main__':
    main()
