"""Write the model-file fixtures of src/interop, and check our exports with PyTorch.

    /usr/bin/python3 test/reference/make_interop_fixtures.py [--out DIR]

1. Builds small d2l Transformers (d2l_transformer.py's classes, initialised as
   train_seq2seq does) and saves each as the book's notebook would:

       torch.save({'net': net.state_dict(), 'src_vocab': src_vocab.idx_to_token,
                   'tgt_vocab': tgt_vocab.idx_to_token, 'num_heads': num_heads,
                   'num_steps': num_steps}, 'model.pt')

   and as model.safetensors + model.json (the sidecar with the same keys).
   There is no safetensors package here: save_safetensors writes the format
   with struct and json, tensors sorted by name as the safetensors library
   sorts tensors of one dtype.

   * tiny-dot: 2 layers, 8 hidden, 2 heads, FFN 16, vocabularies of 12 / 11.
   * other-additive: 3 layers, 8 hidden, 4 heads, FFN 12, additive attention,
     saved without num_steps (the reader's default, 10, applies).
   * tiny-dot-views.pt: tiny-dot's weights, with decoder.dense.weight stored
     transposed (strides (1, 8)) and the LayerNorm weight and bias of each
     AddNorm saved as views of one storage (offsets 0 and 8).
   * tiny-dot-half.pt: tiny-dot in float16 (net.half()).
   * tiny-dot-bf16.safetensors (+ .json): tiny-dot in bfloat16.
   * bare-state-dict.pt, vocab-object.pt, os-system.pt: files the reader must
     refuse (a state_dict alone; the Vocab object instead of its token list;
     a pickle whose __reduce__ would run os.system).

   expected.json lists, per model, the config, vocabularies, num_steps, and
   every tensor in state_dict order as [name, shape, digest], the digest being
   the first 16 hex digits of the SHA-256 of its values as little-endian
   float32 (half and bfloat16 converted exactly), so a test compares every
   value bit for bit.

2. Runs test/reference/write_interop_exports.ts (npx tsx), which reads the .pt
   fixtures with src/interop and writes them back (.pt, .safetensors, .json)
   into a temporary folder; then loads each with torch.load (also with
   weights_only=True) and the book's net.load_state_dict (strict), checks every
   tensor equals the reference bit for bit and the logits of a batch are equal,
   and records the SHA-256 of each verified file in verified-exports.json. The
   unit tests (no PyTorch in CI) recompute the exports and compare the hashes.

3. The round trip (interop_roundtrip.py): a model the book's code trained
   (book-trained.pt) with its translations, and our own models' exports run
   by PyTorch (attention weights and logits), in roundtrip.json.
"""

import argparse
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import d2l_transformer as d2l  # noqa: E402
import interop_roundtrip  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, 'test', 'fixtures', 'interop')
RESERVED = ['<unk>', '<pad>', '<bos>', '<eos>']

MODELS = {
    'tiny-dot': dict(layers=2, hidden=8, heads=2, ffn=16, additive=False,
                     src=['va', 'je', 'tu', 'été', 'ça', '.', '!', '👋'],
                     tgt=['go', 'i', 'you', '.', '!', 'naïve', '“quoted”'],
                     num_steps=8, seed=11),
    'other-additive': dict(layers=3, hidden=8, heads=4, ffn=12, additive=True,
                           src=['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'],
                           tgt=['x', 'y', 'z', 'w', 'v', 'u'],
                           num_steps=None, seed=12),
}


def build(spec):
    torch.manual_seed(spec['seed'])
    make = d2l.make_additive_transformer if spec['additive'] else d2l.make_transformer
    net = make(len(RESERVED) + len(spec['src']), len(RESERVED) + len(spec['tgt']),
               num_hiddens=spec['hidden'], num_layers=spec['layers'], dropout=0.1,
               ffn_num_hiddens=spec['ffn'], num_heads=spec['heads'])
    net.apply(d2l.xavier_init_weights)
    with torch.no_grad():  # LayerNorm params that are not trivially 1 / 0
        for name, p in net.named_parameters():
            if '.ln.' in name:
                p.copy_((1.0 if name.endswith('weight') else 0.0) + 0.1 * torch.randn_like(p))
    return net.eval()


def book_dict(net, spec):
    saved = {'net': net.state_dict(), 'src_vocab': RESERVED + spec['src'],
             'tgt_vocab': RESERVED + spec['tgt'], 'num_heads': spec['heads']}
    if spec['num_steps'] is not None:
        saved['num_steps'] = spec['num_steps']
    return saved


def sidecar(saved):
    return {k: v for k, v in saved.items() if k != 'net'}


def save_safetensors(path, state_dict, dtype='F32'):
    torch_dtype = {'F32': torch.float32, 'BF16': torch.bfloat16}[dtype]
    header, chunks, at = {}, [], 0
    for name in sorted(state_dict):
        t = state_dict[name].to(torch_dtype).contiguous()
        raw = t.view(torch.int16).numpy().tobytes() if dtype == 'BF16' else \
            t.numpy().astype('<f4').tobytes()
        header[name] = {'dtype': dtype, 'shape': list(t.shape), 'data_offsets': [at, at + len(raw)]}
        chunks.append(raw)
        at += len(raw)
    header['__metadata__'] = {'format': 'pt'}
    text = json.dumps(header, separators=(',', ':')).encode()
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)) + text + b''.join(chunks))


def write_json(path, obj, indent=None):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent)
        f.write('\n')


def digest(t):
    """The first 16 hex digits of the SHA-256 of the values as little-endian float32."""
    raw = t.detach().float().contiguous().numpy().astype('<f4').tobytes()
    return hashlib.sha256(raw).hexdigest()[:16]


def expectation(net_or_sd, saved, spec, files):
    sd = net_or_sd if isinstance(net_or_sd, dict) else net_or_sd.state_dict()
    return {
        'files': files,
        'config': {'numLayers': spec['layers'], 'numHiddens': spec['hidden'],
                   'numHeads': spec['heads'], 'ffnNumHiddens': spec['ffn'],
                   'srcVocabSize': len(saved['src_vocab']), 'tgtVocabSize': len(saved['tgt_vocab']),
                   'attentionFunction': 'additive' if spec['additive'] else 'dotProduct'},
        'numSteps': spec['num_steps'] or 10,
        'srcVocab': saved['src_vocab'], 'tgtVocab': saved['tgt_vocab'],
        'params': [[k, list(v.shape), digest(v)] for k, v in sd.items()],
    }


def views_state_dict(sd):
    """tiny-dot's tensors, one stored transposed and the LayerNorm pairs as views."""
    out = dict(sd)
    w = sd['decoder.dense.weight']
    out['decoder.dense.weight'] = w.t().contiguous().t()
    assert out['decoder.dense.weight'].stride() == (1, w.shape[0])
    for name in sd:
        if name.endswith('.ln.weight'):
            bias = name[:-len('weight')] + 'bias'
            both = torch.cat([sd[name], sd[bias]])
            n = sd[name].numel()
            out[name], out[bias] = both[:n], both[n:]
    return out


def write_models(out):
    expected, nets = {}, {}
    for key, spec in MODELS.items():
        net = build(spec)
        nets[key] = net
        saved = book_dict(net, spec)
        torch.save(saved, os.path.join(out, f'{key}.pt'))
        save_safetensors(os.path.join(out, f'{key}.safetensors'), saved['net'])
        write_json(os.path.join(out, f'{key}.json'), sidecar(saved))
        expected[key] = expectation(net, saved, spec, [f'{key}.pt', f'{key}.safetensors'])
    spec, net = MODELS['tiny-dot'], nets['tiny-dot']
    saved = book_dict(net, spec)
    torch.save(dict(saved, net=views_state_dict(saved['net'])),
               os.path.join(out, 'tiny-dot-views.pt'))
    expected['tiny-dot']['files'].append('tiny-dot-views.pt')
    half = {k: v.half() for k, v in saved['net'].items()}
    torch.save(dict(saved, net=half), os.path.join(out, 'tiny-dot-half.pt'))
    expected['tiny-dot-half'] = expectation(half, saved, spec, ['tiny-dot-half.pt'])
    save_safetensors(os.path.join(out, 'tiny-dot-bf16.safetensors'), saved['net'], 'BF16')
    write_json(os.path.join(out, 'tiny-dot-bf16.json'), sidecar(saved))
    bf16 = {k: v.bfloat16() for k, v in saved['net'].items()}
    expected['tiny-dot-bf16'] = expectation(bf16, saved, spec, ['tiny-dot-bf16.safetensors'])
    with open(os.path.join(out, 'expected.json'), 'w', encoding='utf-8') as f:
        models = [f' {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, separators=(",", ":"))}'
                  for k, v in expected.items()]
        f.write('{\n' + ',\n'.join(models) + '\n}\n')  # one line per model
    return nets


class RunsShell:
    """What a hostile .pt might hold: unpickling it would call os.system."""

    def __reduce__(self):
        return (os.system, ('echo this must never run',))


def write_refusals(out):
    tiny = torch.nn.Linear(2, 2).state_dict()
    torch.save(tiny, os.path.join(out, 'bare-state-dict.pt'))
    vocab = d2l.Vocab([['a']], reserved_tokens=['<pad>', '<bos>', '<eos>'])
    torch.save({'net': tiny, 'src_vocab': vocab, 'tgt_vocab': vocab.idx_to_token,
                'num_heads': 1}, os.path.join(out, 'vocab-object.pt'))
    torch.save({'net': tiny, 'src_vocab': RunsShell(), 'tgt_vocab': ['<unk>'], 'num_heads': 1},
               os.path.join(out, 'os-system.pt'))


def verify_exports(out, nets):
    """Our exports, read by PyTorch as the book's code reads a model; returns file -> sha256."""
    verified = {}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(['npx', 'tsx', os.path.join(HERE, 'write_interop_exports.ts'), out, tmp],
                       cwd=REPO, check=True)
        for key, spec in MODELS.items():
            ref = nets[key]
            saved = book_dict(ref, spec)
            pt = os.path.join(tmp, f'{key}.pt')
            for weights_only in (False, True):
                check_loaded(torch.load(pt, weights_only=weights_only), ref, saved, spec)
            st = os.path.join(tmp, f'{key}.safetensors')
            check_safetensors(st, ref)
            with open(os.path.join(tmp, f'{key}.json'), encoding='utf-8') as f:
                meta = json.load(f)
            check_meta(meta, saved, spec)
            for name in (f'{key}.pt', f'{key}.safetensors', f'{key}.json'):
                with open(os.path.join(tmp, name), 'rb') as f:
                    verified[name] = hashlib.sha256(f.read()).hexdigest()
            print(f'verified our export of {key} with torch.load + load_state_dict')
    write_json(os.path.join(out, 'verified-exports.json'), verified, indent=1)


def check_meta(loaded, saved, spec):
    assert loaded['src_vocab'] == saved['src_vocab'] and loaded['tgt_vocab'] == saved['tgt_vocab']
    assert loaded['num_heads'] == spec['heads']
    assert loaded['num_steps'] == (spec['num_steps'] or 10)


def check_loaded(checkpoint, ref, saved, spec):
    check_meta(checkpoint, saved, spec)
    make = d2l.make_additive_transformer if spec['additive'] else d2l.make_transformer
    net = make(len(saved['src_vocab']), len(saved['tgt_vocab']), num_hiddens=spec['hidden'],
               num_layers=spec['layers'], dropout=0.1, ffn_num_hiddens=spec['ffn'],
               num_heads=spec['heads'])
    net.load_state_dict(checkpoint['net'])  # strict: same names, same shapes
    for (name, a), (_, b) in zip(net.state_dict().items(), ref.state_dict().items()):
        assert torch.equal(a, b), name
    net.eval()
    g = torch.Generator().manual_seed(5)
    enc_x = torch.randint(0, len(saved['src_vocab']), (2, 5), generator=g)
    dec_x = torch.randint(0, len(saved['tgt_vocab']), (2, 4), generator=g)
    valid = torch.tensor([5, 3])
    with torch.no_grad():
        assert torch.equal(net(enc_x, dec_x, valid)[0], ref(enc_x, dec_x, valid)[0])


def check_safetensors(path, ref):
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    sd = ref.state_dict()
    assert set(header) - {'__metadata__'} == set(sd)
    for name, t in sd.items():
        e = header[name]
        assert e['dtype'] == 'F32' and e['shape'] == list(t.shape), name
        b, end = e['data_offsets']
        got = np.frombuffer(data[b:end], dtype='<f4').reshape(t.shape)
        assert np.array_equal(got.view(np.uint32), t.numpy().view(np.uint32)), name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', default=DEFAULT_OUT)
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    nets = write_models(args.out)
    write_refusals(args.out)
    verify_exports(args.out, nets)
    interop_roundtrip.write_roundtrip(args.out)
    for name in sorted(os.listdir(args.out)):
        print(f'{name}: {os.path.getsize(os.path.join(args.out, name))} bytes')


if __name__ == '__main__':
    main()
