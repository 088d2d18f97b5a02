"""Distribution of the book's initial weights, per parameter, for the init test.

    /usr/bin/python3 test/reference/make_init_stats.py [--out test/fixtures/init-stats.json]

The book's train_seq2seq starts with ``net.apply(xavier_init_weights)``:
every nn.Linear weight is Glorot-uniform, while Linear biases, embeddings
(N(0, 1)) and LayerNorm (1 / 0) keep PyTorch's defaults.  This builds the
§10.7.5 model (4 layers, so that every block's parameters are there; the
default 2-layer model's names are a subset) and the additive-attention variant
(2 layers), applies that init for SEEDS torch seeds, and writes for every
parameter its shape and the statistics of its values pooled over the seeds:
n, mean, std, kurtosis, min, max and the 5 %, 10 %, ..., 95 % quantiles.
test/unit/init-stats.test.ts compares the TypeScript model's initial values
(pooled over as many of its seeds) with these.

Vocabulary sizes are those of the book's 600-pair data (184 English, 201
French tokens).
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import d2l_transformer as d2l  # noqa: E402

SEEDS = 20
SRC_VOCAB, TGT_VOCAB = 184, 201
MODELS = {
    # name: (num_layers, attention)
    'dotProduct4': (4, 'dotProduct'),
    'additive2': (2, 'additive'),
}
QUANTILES = [i / 20 for i in range(1, 20)]


def initialised(num_layers, attention, seed):
    """The book's model as train_seq2seq sees it after its init."""
    torch.manual_seed(seed)
    net = d2l.make_transformer(SRC_VOCAB, TGT_VOCAB, num_hiddens=32,
                               num_layers=num_layers, dropout=0.1,
                               ffn_num_hiddens=64, num_heads=4)
    if attention == 'additive':
        d2l.use_additive_attention(net, 0.1)
    net.apply(d2l.xavier_init_weights)
    return net


def stats(values):
    v = values.double()
    mean = v.mean()
    std = v.std(unbiased=False)
    kurtosis = (((v - mean) / std) ** 4).mean() if std > 0 else torch.tensor(0.)
    q = torch.quantile(v, torch.tensor(QUANTILES, dtype=torch.double))
    return {
        'n': v.numel(),
        'mean': sig(mean.item()),
        'std': sig(std.item()),
        'kurtosis': sig(kurtosis.item()),
        'min': sig(v.min().item()),
        'max': sig(v.max().item()),
        'quantiles': [sig(x) for x in q.tolist()],
    }


def sig(x):
    """7 significant digits: float32 precision, and a fixture a third the size."""
    return float(f'{x:.7g}')


def model_stats(num_layers, attention):
    pooled = {}
    shapes = {}
    for seed in range(SEEDS):
        for name, p in initialised(num_layers, attention, seed).state_dict().items():
            pooled.setdefault(name, []).append(p.detach().reshape(-1))
            shapes[name] = list(p.shape)
    return {
        'numLayers': num_layers,
        'attentionFunction': attention,
        'params': {name: {'shape': shapes[name], **stats(torch.cat(vs))}
                   for name, vs in pooled.items()},
    }


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default=os.path.join(here, '..', 'fixtures',
                                                  'init-stats.json'))
    args = ap.parse_args()
    out = {
        'generator': 'test/reference/make_init_stats.py',
        'torch': torch.__version__,
        'seeds': SEEDS,
        'srcVocabSize': SRC_VOCAB,
        'tgtVocabSize': TGT_VOCAB,
        'quantiles': QUANTILES,
        'models': {k: model_stats(*v) for k, v in MODELS.items()},
    }
    with open(args.out, 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f'wrote {args.out}: ' + ', '.join(
        f'{k} {len(m["params"])} parameters' for k, m in out['models'].items()))


if __name__ == '__main__':
    main()
