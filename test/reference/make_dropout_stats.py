"""Distribution of the book's training-mode loss over dropout masks, for the
dropout-placement test.

    /usr/bin/python3 test/reference/make_dropout_stats.py [--out test/fixtures/dropout-stats.json]

The masks themselves cannot be shared between PyTorch and TypeScript, but
where dropout acts (positional encoding, attention weights, each AddNorm's
sub-layer output), at which rate and with which 1/(1-p) scaling all shape the
distribution of the loss over masks.  This takes the weights and the batch of
test/fixtures/parity-dot.json (the book's model, 2 layers), sets every dropout
rate to RATE, and records the mean and standard deviation of the summed
training loss (MaskedSoftmaxCELoss(...).sum(), what train_seq2seq
backpropagates) and of the global gradient norm over DRAWS masks, and the
mean and variance over the masks of every gradient coordinate of COORDS.
test/parity/dropout-stats.test.ts draws as many masks with the TypeScript
training step and compares: mean loss and gradient norm within 5 standard
errors, and chi2/d = sum over the coordinates of (mean difference)^2 / (its
variance), divided by their number d, near 1.

It also records what placements the book does NOT have would give (one kind
of dropout site switched off, or dropout without rescaling) against the
book's, and the book against itself with other masks, so the test can show
that its bound tells them apart.
"""

import argparse
import json
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import d2l_transformer as d2l  # noqa: E402

RATE = 0.5
DRAWS = 400
# Parameters whose gradient coordinates are compared: both ends of the
# encoder and the decoder's output layer.
COORDS = ['encoder.embedding.weight',
          'encoder.blks.block0.attention.W_q.weight',
          'decoder.dense.weight', 'decoder.dense.bias']
HERE = os.path.dirname(os.path.abspath(__file__))


class UnscaledDropout(nn.Module):
    """A wrong dropout: zeroes units but does not rescale the kept ones."""

    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, X):
        if not self.training:
            return X
        return X * (torch.rand_like(X) >= self.p).to(X.dtype)


def book_model(fx):
    c = fx['config']
    net = d2l.make_transformer(c['srcVocab'], c['tgtVocab'],
                               num_hiddens=c['numHiddens'],
                               num_layers=c['numLayers'], dropout=RATE,
                               ffn_num_hiddens=c['ffnNumHiddens'],
                               num_heads=c['numHeads'])
    net.load_state_dict({n: torch.tensor(t['data'], dtype=torch.float32)
                        .reshape(t['shape']) for n, t in fx['params'].items()})
    return net


def sites(net, kind):
    """The nn.Dropout modules of one kind of site."""
    for name, m in net.named_modules():
        if not isinstance(m, nn.Dropout):
            continue
        if (kind == 'positional' and 'pos_encoding' in name) or \
           (kind == 'attention' and name.endswith('attention.dropout')) or \
           (kind == 'addnorm' and 'addnorm' in name):
            yield name, m


def variant(fx, change):
    net = book_model(fx)
    if change == 'unscaled':
        for name, m in list(sites(net, 'positional')) + \
                list(sites(net, 'attention')) + list(sites(net, 'addnorm')):
            parent = net.get_submodule(name.rsplit('.', 1)[0])
            setattr(parent, name.rsplit('.', 1)[1], UnscaledDropout(RATE))
    elif change is not None:
        for _, m in sites(net, change):
            m.p = 0.0
    return net


def draws(net, fx, seed):
    """Loss, gradient norm and COORDS gradients of DRAWS training-mode passes."""
    torch.manual_seed(seed)
    x = {k: torch.tensor(v['data'], dtype=torch.long).reshape(v['shape'])
         for k, v in fx['inputs'].items()}
    loss = d2l.MaskedSoftmaxCELoss()
    params = dict(net.named_parameters())
    net.train()
    losses, norms, coords = [], [], []
    for _ in range(DRAWS):
        net.zero_grad()
        y_hat, _ = net(x['encX'], x['decX'], x['encValidLens'])
        l = loss(y_hat, x['labels'], x['labelValidLens']).sum()
        l.backward()
        losses.append(l.item())
        norms.append(torch.sqrt(sum((p.grad ** 2).sum()
                                    for p in net.parameters())).item())
        coords.append(torch.cat([params[n].grad.reshape(-1) for n in COORDS]))
    return (torch.tensor(losses, dtype=torch.double),
            torch.tensor(norms, dtype=torch.double),
            torch.stack(coords).double())


def summary(d):
    losses, norms, coords = d
    return {'lossMean': losses.mean().item(), 'lossStd': losses.std().item(),
            'gradNormMean': norms.mean().item(),
            'gradNormStd': norms.std().item()}


def chi2_per_coord(a, b):
    """sum (mean_a - mean_b)^2 / (var_a / n + var_b / n) over the coordinates
    that vary, divided by their number (about 1 for the same distribution)."""
    va, vb = a.var(0), b.var(0)
    keep = (va + vb) > 0
    d = (a.mean(0) - b.mean(0))[keep]
    return ((d ** 2) / ((va + vb)[keep] / DRAWS)).mean().item()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(HERE, '..', 'fixtures',
                                                  'dropout-stats.json'))
    args = ap.parse_args()
    with open(os.path.join(HERE, '..', 'fixtures', 'parity-dot.json')) as f:
        fx = json.load(f)
    book = draws(variant(fx, None), fx, 0)
    coords = book[2]
    wrong = {
        'noPositionalDropout': draws(variant(fx, 'positional'), fx, 1),
        'noAttentionDropout': draws(variant(fx, 'attention'), fx, 2),
        'noAddNormDropout': draws(variant(fx, 'addnorm'), fx, 3),
        'unscaledDropout': draws(variant(fx, 'unscaled'), fx, 4),
    }
    out = {
        'generator': 'test/reference/make_dropout_stats.py',
        'source': 'parity-dot.json',
        'rate': RATE,
        'draws': DRAWS,
        'coords': COORDS,
        'book': {**summary(book),
                 'coordMean': [float(f'{v:.7g}') for v in coords.mean(0).tolist()],
                 'coordVar': [float(f'{v:.7g}') for v in coords.var(0).tolist()]},
        'bookAgainstItself': chi2_per_coord(coords, draws(variant(fx, None), fx, 5)[2]),
        'wrongPlacements': {k: {**summary(d), 'chi2PerCoord': chi2_per_coord(coords, d[2])}
                            for k, d in wrong.items()},
    }
    with open(args.out, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(json.dumps({k: v for k, v in out.items() if k != 'book'}, indent=1))


if __name__ == '__main__':
    main()
