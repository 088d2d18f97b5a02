"""The book's default Transformer experiment (d2l v0.17 §10.7.5) on CPU,
as a benchmark peer for the TypeScript trainer.

    /usr/bin/python3 test/reference/train_book.py \
        --data /work/shared/data/fra-eng/fra.txt --epochs 200 --threads 2 [--seed 0]

Hyperparameters are the book's: num_hiddens 32, num_layers 2, dropout 0.1,
batch 64, num_steps 10, lr 0.005, ffn 64, heads 4, 600 examples.  After
training it translates the book's four seed sentences (greedy, the book's
predict_seq2seq) and scores them with BLEU k=2.

Progress goes to stderr; the LAST stdout line is one JSON object:
  loss             -- loss per token of the last epoch (what the book prints)
  tokensPerSecond  -- sum of target valid lengths over all epochs / seconds
  seconds          -- wall time of the training loop (sum of epoch timers,
                      data loading included, as the book's timer)
  msPerStep        -- seconds * 1000 / steps
  steps            -- optimizer steps (epochs * ceil(601 / 64))
  epochs, threads, seed, layers, dropout, lrScale, attention, posMode
  bleu             -- one per sentence; null where the book's bleu() would
                      divide by zero (translation shorter than k tokens)
  translations     -- the decoded strings
  history          -- [epoch, loss per token] every 10 epochs (the book's plot)
  heldOut          -- with --held-out-count N > 0: the source lines and greedy
                      translations of corpus lines FROM .. FROM+N-1 (0-based),
                      scored by the caller (scripts/seedStudy.ts uses the
                      TypeScript BLEU, so both sides are scored alike)
  examples, large  -- with --max-batches N: the first N batches of one epoch
                      of --examples pairs (see large_figures)
  blas             -- the BLAS shared library this process loaded (from
                      /proc/self/maps; Debian's torch links the generic
                      libblas.so.3, which the alternatives system points at
                      OpenBLAS or the slow reference BLAS)
"""

import argparse
import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import d2l_transformer as d2l  # noqa: E402

ENGS = ['go .', "i lost .", 'he\'s calm .', 'i\'m home .']
FRAS = ['va !', 'j\'ai perdu .', 'il est calme .', 'je suis chez moi .']


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default='/work/shared/data/fra-eng/fra.txt')
    ap.add_argument('--epochs', type=int, default=200)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--dropout', type=float, default=0.1)
    ap.add_argument('--lr-scale', type=float, default=1.0,
                    help='multiplies the learning rate (1 + 1e-6: a perturbation '
                         'at float32 rounding level, to measure how fast two runs '
                         'that differ only by rounding drift apart)')
    ap.add_argument('--layers', type=int, default=2,
                    help="num_layers (the chapter's exercise 1: deeper)")
    ap.add_argument('--attention', choices=['dotProduct', 'additive'],
                    default='dotProduct',
                    help="exercise 2: AdditiveAttention in every layer")
    ap.add_argument('--pos-mode', choices=['book', 'correct'], default='book',
                    help="decoder positions at inference ('book' = as the "
                         "book: always position 0)")
    ap.add_argument('--held-out-from', type=int, default=10000,
                    help='first corpus line (0-based) of the held-out window')
    ap.add_argument('--held-out-count', type=int, default=0,
                    help='held-out lines to translate (0: none)')
    ap.add_argument('--examples', type=int, default=600,
                    help="num_examples (167130: the whole corpus)")
    ap.add_argument('--max-batches', type=int, default=None,
                    help='large mode: train the first N batches of one epoch '
                         'only; the JSON gets steady* rates over the batches '
                         'after the first tenth, setupSeconds, batchesPerEpoch '
                         'and peakRssMB (as `npm run bench -- --large`)')
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    device = torch.device('cpu')

    # §10.7.5 hyperparameters.
    num_hiddens, num_layers, dropout, batch_size, num_steps = 32, 2, 0.1, 64, 10
    num_layers, dropout = args.layers, args.dropout
    lr, num_epochs = 0.005 * args.lr_scale, args.epochs
    ffn_num_hiddens, num_heads = 64, 4

    setup_start = time.time()
    train_iter, src_vocab, tgt_vocab = d2l.load_data_nmt(
        batch_size, num_steps, num_examples=args.examples, path=args.data)
    net = d2l.make_transformer(len(src_vocab), len(tgt_vocab),
                               num_hiddens=num_hiddens, num_layers=num_layers,
                               dropout=dropout,
                               ffn_num_hiddens=ffn_num_hiddens,
                               num_heads=num_heads)
    if args.attention == 'additive':
        d2l.use_additive_attention(net, dropout)
    setup_seconds = time.time() - setup_start
    warm_batches = max(1, args.max_batches // 10) if args.max_batches else 0
    stats = d2l.train_seq2seq(net, train_iter, lr, num_epochs, tgt_vocab,
                              device, max_batches=args.max_batches,
                              warm_batches=warm_batches)
    large = None
    if args.max_batches:
        large = large_figures(stats, warm_batches, setup_seconds,
                              len(train_iter), src_vocab, tgt_vocab, net)

    translations, bleus = [], []
    for eng, fra in zip(ENGS, FRAS):
        translation, _ = d2l.predict_seq2seq(
            net, eng, src_vocab, tgt_vocab, num_steps, device, True,
            pos_mode=args.pos_mode)
        try:
            score = d2l.bleu(translation, fra, k=2)
        except ZeroDivisionError:  # the book's bleu with len(pred) < k
            score = None
        print(f'{eng} => {translation}, bleu '
              f'{"n/a" if score is None else f"{score:.3f}"}',
              file=sys.stderr)
        translations.append(translation)
        bleus.append(score)

    held_out = None
    if args.held_out_count > 0:
        held_out = translate_window(net, args, src_vocab, tgt_vocab, num_steps,
                                    device)

    seconds = stats['totalSeconds']
    print(json.dumps({
        'loss': stats['loss'],
        'tokensPerSecond': stats['totalTokens'] / seconds,
        'seconds': seconds,
        'msPerStep': seconds * 1000.0 / stats['steps'],
        'steps': stats['steps'],
        'epochs': num_epochs,
        'threads': args.threads,
        'seed': args.seed,
        'layers': num_layers,
        'dropout': dropout,
        'lrScale': args.lr_scale,
        'attention': args.attention,
        'posMode': args.pos_mode,
        'bleu': bleus,
        'translations': translations,
        'history': stats['history'],
        'heldOut': held_out,
        'blas': loaded_blas(),
        'examples': args.examples,
        'large': large,
    }, ensure_ascii=False))


def large_figures(stats, warm_batches, setup_seconds, batches_per_epoch,
                  src_vocab, tgt_vocab, net):
    """Large mode's figures, defined as scripts/benchWorker.ts defines ours."""
    warm_seconds, warm_tokens = stats['warm']
    steady_seconds = stats['totalSeconds'] - warm_seconds
    steady_batches = stats['steps'] - warm_batches
    steady_ms = steady_seconds * 1000.0 / steady_batches
    return {
        'srcVocabSize': len(src_vocab),
        'tgtVocabSize': len(tgt_vocab),
        'parameters': sum(p.numel() for p in net.parameters()),
        'setupSeconds': setup_seconds,
        'batches': stats['steps'],
        'batchesPerEpoch': batches_per_epoch,
        'steadyTokensPerSecond':
            (stats['totalTokens'] - warm_tokens) / steady_seconds,
        'steadyMsPerStep': steady_ms,
        'epochSecondsEstimate':
            setup_seconds + steady_ms * batches_per_epoch / 1000.0,
        'peakRssMB':
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }


def translate_window(net, args, src_vocab, tgt_vocab, num_steps, device):
    """Greedy translations of the corpus lines FROM .. FROM+COUNT-1 (0-based),
    preprocessed and tokenized as the book's load_data_nmt does."""
    text = d2l.preprocess_nmt(d2l.read_data_nmt(args.data))
    window = text.split('\n')[args.held_out_from:
                              args.held_out_from + args.held_out_count]
    source, _ = d2l.tokenize_nmt('\n'.join(window))
    sources = [' '.join(s) for s in source]
    with torch.no_grad():
        outputs = [d2l.predict_seq2seq(net, s, src_vocab, tgt_vocab, num_steps,
                                       device, False, pos_mode=args.pos_mode)[0]
                   for s in sources]
    return {'from': args.held_out_from, 'count': args.held_out_count,
            'sources': sources, 'translations': outputs}


def loaded_blas():
    """The BLAS/LAPACK shared libraries mapped into this process."""
    try:
        with open('/proc/self/maps') as f:
            libs = {line.split()[-1] for line in f if 'blas' in line.lower()}
    except OSError:
        return None
    return sorted(libs)


if __name__ == '__main__':
    main()
