"""The round trip with the book's PyTorch code (make_interop_fixtures.py runs it).

1. The book trains: a small d2l Transformer (make_transformer; 2 layers, 16
   hidden, 4 heads, FFN 32) on CORPUS with the book's train_seq2seq (Adam
   0.005, 300 epochs, one batch), saved as the book's notebook saves it
   (book-trained.pt, num_steps 10). Its greedy translations of every source
   line (the book's predict_seq2seq, pos_mode 'book' and 'correct') go to
   roundtrip.json, with its forward pass on the parity sentences (below):
   test/parity/interop-roundtrip.test.ts opens the file with src/interop and
   must produce the same translations, attention weights and logits.

2. We export: test/reference/write_our_models.ts builds our own models
   (src/model's initialisation from a seed, dot-product and additive, with
   book-trained's vocabularies) and writes them with exportPt. PyTorch loads
   each (torch.load, the book's strict load_state_dict) and runs the book's
   forward pass (dropout off, causal decoder) on the parity sentences (the book's four seed
   pairs, teacher-forced); roundtrip.json keeps the attention weights of every
   layer, the logits and the SHA-256 of the file PyTorch loaded. The parity
   test rebuilds our model, checks its export has that SHA-256, and compares
   its attention weights and logits with PyTorch's within 1e-5.
"""

import hashlib
import json
import os
import subprocess

import torch

import d2l_transformer as d2l

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

CORPUS = (
    "Go.\tVa !\nI lost.\tJ'ai perdu.\nHe's calm.\tIl est calme.\n"
    "I'm home.\tJe suis chez moi.\nI'm calm.\tJe suis calme.\n"
    "He's home.\tIl est chez lui.\nGo home.\tRentre chez toi !\n"
)
SPEC = dict(hidden=16, layers=2, heads=4, ffn=32, dropout=0.1, num_steps=10)
# Our models (test/helpers/interopRoundtrip.ts OUR_MODELS says how they are built).
OURS = ['ours-dot', 'ours-additive']


# The parity sentences: the book's four seed pairs (CORPUS's first lines), teacher-forced,
# padded to 6 steps (the longest pair has 6 tokens with <eos>), to keep roundtrip.json small.
PARITY_PAIRS, PARITY_STEPS = 4, 6


def tensor_json(t):
    """8 significant digits: float32 holds about 7, and the test's tolerance is 1e-5."""
    return {'shape': list(t.shape), 'data': [float('%.8g' % x) for x in t.detach().reshape(-1)]}


def train_book_model(out):
    torch.manual_seed(3)
    source, target = d2l.tokenize_nmt(d2l.preprocess_nmt(CORPUS))
    reserved = ['<pad>', '<bos>', '<eos>']
    src_vocab = d2l.Vocab(source, min_freq=0, reserved_tokens=reserved)
    tgt_vocab = d2l.Vocab(target, min_freq=0, reserved_tokens=reserved)
    X, X_valid = d2l.build_array_nmt(source, src_vocab, SPEC['num_steps'])
    Y, Y_valid = d2l.build_array_nmt(target, tgt_vocab, SPEC['num_steps'])
    net = d2l.make_transformer(len(src_vocab), len(tgt_vocab), num_hiddens=SPEC['hidden'],
                               num_layers=SPEC['layers'], dropout=SPEC['dropout'],
                               ffn_num_hiddens=SPEC['ffn'], num_heads=SPEC['heads'])
    result = d2l.train_seq2seq(net, [(X, X_valid, Y, Y_valid)], 0.005, 300, tgt_vocab,
                               torch.device('cpu'), verbose=False)
    torch.save({'net': net.state_dict(), 'src_vocab': src_vocab.idx_to_token,
                'tgt_vocab': tgt_vocab.idx_to_token, 'num_heads': SPEC['heads'],
                'num_steps': SPEC['num_steps']}, os.path.join(out, 'book-trained.pt'))
    lines = [' '.join(s) for s in source]
    translations = {}
    for mode in ('book', 'correct'):
        translations[mode] = [
            d2l.predict_seq2seq(net, line, src_vocab, tgt_vocab, SPEC['num_steps'],
                                torch.device('cpu'), pos_mode=mode)[0]
            for line in lines]
    return {'sources': lines, 'targets': [' '.join(t) for t in target],
            'finalLoss': float(result['loss']), 'translations': translations}


def parity_batch(src_vocab, tgt_vocab, sources, targets):
    """The parity pairs teacher-forced, as train_seq2seq feeds them."""
    sources, targets = sources[:PARITY_PAIRS], targets[:PARITY_PAIRS]
    X, X_valid = d2l.build_array_nmt([s.split(' ') for s in sources], src_vocab, PARITY_STEPS)
    Y, _ = d2l.build_array_nmt([t.split(' ') for t in targets], tgt_vocab, PARITY_STEPS)
    bos = torch.full((Y.shape[0], 1), tgt_vocab['<bos>'])
    return X, X_valid, torch.cat([bos, Y[:, :-1]], 1)


def torch_forward(path, sources, targets):
    """PyTorch's forward pass on a .pt (ours, or book-trained.pt): attention weights, logits."""
    with open(path, 'rb') as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    checkpoint = torch.load(path, weights_only=True)
    src_vocab = d2l.Vocab([], reserved_tokens=checkpoint['src_vocab'][1:])
    tgt_vocab = d2l.Vocab([], reserved_tokens=checkpoint['tgt_vocab'][1:])
    additive = 'encoder.blks.block0.attention.attention.W_k.weight' in checkpoint['net']
    make = d2l.make_additive_transformer if additive else d2l.make_transformer
    net = make(len(src_vocab), len(tgt_vocab), num_hiddens=SPEC['hidden'],
               num_layers=SPEC['layers'], dropout=SPEC['dropout'], ffn_num_hiddens=SPEC['ffn'],
               num_heads=checkpoint['num_heads'])
    net.load_state_dict(checkpoint['net'])  # strict
    # Training mode with dropout off: the decoder's self-attention is causal, as in training and
    # in predict_seq2seq's one-step-at-a-time decoding (the book's eval mode drops the causal
    # mask on a teacher-forced batch, a pass the book never makes).
    net.train()
    for m in net.modules():
        if isinstance(m, torch.nn.Dropout):
            m.p = 0.0
    enc_X, enc_valid, dec_X = parity_batch(src_vocab, tgt_vocab, sources, targets)
    with torch.no_grad():
        logits, _ = net(enc_X, dec_X, enc_valid)
    return {
        'sha256': sha,
        'encX': tensor_json(enc_X), 'encValidLens': tensor_json(enc_valid),
        'decX': tensor_json(dec_X),
        'encoderAttention': [tensor_json(w) for w in net.encoder.attention_weights],
        'decoderSelfAttention': [tensor_json(w) for w in net.decoder.attention_weights[0]],
        'decoderEncDecAttention': [tensor_json(w) for w in net.decoder.attention_weights[1]],
        'logits': tensor_json(logits),
    }


def write_roundtrip(out):
    book = train_book_model(out)
    print(f"book-trained.pt: loss {book['finalLoss']:.4f}, "
          f"translations {book['translations']['book']}")
    subprocess.run(['npx', 'tsx', os.path.join(HERE, 'write_our_models.ts'), out],
                   cwd=REPO, check=True)
    ours = {}
    for name in OURS:
        path = os.path.join(out, f'{name}.pt')
        ours[name] = torch_forward(path, book['sources'], book['targets'])
        os.remove(path)  # the test rebuilds it (and checks its SHA-256)
        print(f'{name}.pt: PyTorch loaded our export and ran the parity batch')
    book['forward'] = torch_forward(os.path.join(out, 'book-trained.pt'), book['sources'],
                                    book['targets'])
    with open(os.path.join(out, 'roundtrip.json'), 'w', encoding='utf-8') as f:
        json.dump({'spec': SPEC, 'book': book, 'ourExports': ours}, f,
                  ensure_ascii=False, separators=(',', ':'))
        f.write('\n')
