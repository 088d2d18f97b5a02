"""PyTorch reference for the TypeScript port: d2l.ai v0.17 (PyTorch), section 10.7 "Transformer".

This file mirrors, as closely as possible, the code the book writes (and the
`d2l` package helpers it relies on) so that the golden fixtures produced by
`make_fixtures.py` reflect the book's exact behaviour, quirks included.  It is
self-contained: nothing is imported from the `d2l` package.

Deliberate additions (everything else is the book's code):

* ``PositionalEncoding.forward(X, offset=0)`` adds ``P[:, offset:offset+T]``.
  ``offset=0`` is exactly the book.
* ``TransformerDecoder.forward(X, state, pos_offset=0)`` forwards that offset
  to its positional encoding (again ``0`` is the book).
* ``predict_seq2seq(..., pos_mode='book')``: ``'book'`` reproduces the book,
  where every single-token decoder input gets the encoding of position 0;
  ``'correct'`` passes the step index as the offset, so the token decoded at
  step t gets position t's encoding (as it did during teacher forcing).
* ``xavier_init_weights`` is lifted out of ``train_seq2seq`` (where the book
  defines it as a local function) so fixtures can apply the same init.
* ``load_data_nmt(..., path=...)`` reads a local ``fra.txt`` instead of
  downloading it, and ``train_seq2seq`` returns its metrics instead of
  plotting them.
* ``MultiHeadAttention.head_mask`` (``None`` = the book) multiplies each
  head's output by its gate before ``W_o``, as in Michel, Levy & Neubig
  (2019), "Are Sixteen Heads Really Better than One?"; ``set_head_mask(net,
  mask)`` sets it on every layer.  0 switches a head off.
* ``use_additive_attention(net, dropout)`` / ``make_additive_transformer``
  swap the scoring function of every ``MultiHeadAttention`` from
  ``DotProductAttention`` to the book's ``AdditiveAttention(d, d, d,
  dropout)`` with ``d = num_hiddens / num_heads`` (a variant the book does
  not build; the TypeScript port's ``attentionFunction: 'additive'``).

Quirks of the book that are kept on purpose (a port must reproduce them):

* ``tokenize_nmt`` uses ``i > num_examples`` so it yields num_examples + 1 pairs.
* ``MaskedSoftmaxCELoss`` averages over *all* num_steps positions (padded
  positions contribute 0 but still count in the denominator).
* ``masked_softmax`` masks with -1e6 (not -inf).
* In training mode every ``DecoderBlock`` builds causal valid lengths
  1..T; in eval mode it uses ``None`` (the key/value cache only holds the
  past, so this is causal too).
* The decoder's key/value cache ``state[2][i]`` stores the *input* of block i
  (for block 0: the embedded + position-encoded tokens).
* ``predict_seq2seq`` appends ``<eos>`` to the source tokens and uses the
  un-truncated length as the encoder valid length.
"""

import collections
import math
import sys
import time

import torch
from torch import nn
from torch.utils import data

# ---------------------------------------------------------------------------
# Attention (d2l §10.3, §10.5)
# ---------------------------------------------------------------------------


def sequence_mask(X, valid_len, value=0):
    """Mask irrelevant entries in sequences (in place, and returns X)."""
    maxlen = X.size(1)
    mask = torch.arange((maxlen), dtype=torch.float32,
                        device=X.device)[None, :] < valid_len[:, None]
    X[~mask] = value
    return X


def masked_softmax(X, valid_lens):
    """Perform softmax operation by masking elements on the last axis."""
    # `X`: 3D tensor, `valid_lens`: 1D or 2D tensor
    if valid_lens is None:
        return nn.functional.softmax(X, dim=-1)
    else:
        shape = X.shape
        if valid_lens.dim() == 1:
            # One valid length per batch element: repeat it for every query.
            valid_lens = torch.repeat_interleave(valid_lens, shape[1])
        else:
            # One valid length per (batch element, query).
            valid_lens = valid_lens.reshape(-1)
        # On the last axis, replace masked elements with a very large negative
        # value, whose exponentiation outputs 0
        X = sequence_mask(X.reshape(-1, shape[-1]), valid_lens, value=-1e6)
        return nn.functional.softmax(X.reshape(shape), dim=-1)


class AdditiveAttention(nn.Module):
    """Additive attention (d2l §10.3.2)."""

    def __init__(self, key_size, query_size, num_hiddens, dropout, **kwargs):
        super(AdditiveAttention, self).__init__(**kwargs)
        self.W_k = nn.Linear(key_size, num_hiddens, bias=False)
        self.W_q = nn.Linear(query_size, num_hiddens, bias=False)
        self.w_v = nn.Linear(num_hiddens, 1, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, queries, keys, values, valid_lens):
        queries, keys = self.W_q(queries), self.W_k(keys)
        # After dimension expansion, shape of `queries`: (`batch_size`, no. of
        # queries, 1, `num_hiddens`) and shape of `keys`: (`batch_size`, 1,
        # no. of key-value pairs, `num_hiddens`). Sum them up with
        # broadcasting
        features = queries.unsqueeze(2) + keys.unsqueeze(1)
        features = torch.tanh(features)
        # There is only one output of `self.w_v`, so we remove the last
        # one-dimensional entry from the shape. Shape of `scores`:
        # (`batch_size`, no. of queries, no. of key-value pairs)
        scores = self.w_v(features).squeeze(-1)
        self.attention_weights = masked_softmax(scores, valid_lens)
        # Shape of `values`: (`batch_size`, no. of key-value pairs, value
        # dimension)
        return torch.bmm(self.dropout(self.attention_weights), values)


class DotProductAttention(nn.Module):
    """Scaled dot product attention (d2l §10.3.3)."""

    def __init__(self, dropout, **kwargs):
        super(DotProductAttention, self).__init__(**kwargs)
        self.dropout = nn.Dropout(dropout)

    # Shape of `queries`: (`batch_size`, no. of queries, `d`)
    # Shape of `keys`: (`batch_size`, no. of key-value pairs, `d`)
    # Shape of `values`: (`batch_size`, no. of key-value pairs, value
    # dimension)
    # Shape of `valid_lens`: (`batch_size`,) or (`batch_size`, no. of queries)
    def forward(self, queries, keys, values, valid_lens=None):
        d = queries.shape[-1]
        # Set `transpose_b=True` to swap the last two dimensions of `keys`
        scores = torch.bmm(queries, keys.transpose(1, 2)) / math.sqrt(d)
        self.attention_weights = masked_softmax(scores, valid_lens)
        return torch.bmm(self.dropout(self.attention_weights), values)


class MultiHeadAttention(nn.Module):
    """Multi-head attention (d2l §10.5)."""

    def __init__(self, key_size, query_size, value_size, num_hiddens,
                 num_heads, dropout, bias=False, **kwargs):
        super(MultiHeadAttention, self).__init__(**kwargs)
        self.num_heads = num_heads
        self.attention = DotProductAttention(dropout)
        self.W_q = nn.Linear(query_size, num_hiddens, bias=bias)
        self.W_k = nn.Linear(key_size, num_hiddens, bias=bias)
        self.W_v = nn.Linear(value_size, num_hiddens, bias=bias)
        self.W_o = nn.Linear(num_hiddens, num_hiddens, bias=bias)
        # ADDITION: a (num_heads,) gate per head, or None (the book).
        self.head_mask = None

    def forward(self, queries, keys, values, valid_lens):
        # Shape of `queries`, `keys`, or `values`:
        # (`batch_size`, no. of queries or key-value pairs, `num_hiddens`)
        # Shape of `valid_lens`:
        # (`batch_size`,) or (`batch_size`, no. of queries)
        # After transposing, shape of output `queries`, `keys`, or `values`:
        # (`batch_size` * `num_heads`, no. of queries or key-value pairs,
        # `num_hiddens` / `num_heads`)
        queries = transpose_qkv(self.W_q(queries), self.num_heads)
        keys = transpose_qkv(self.W_k(keys), self.num_heads)
        values = transpose_qkv(self.W_v(values), self.num_heads)

        if valid_lens is not None:
            # On axis 0, copy the first item (scalar or vector) for
            # `num_heads` times, then copy the next item, and so on
            valid_lens = torch.repeat_interleave(
                valid_lens, repeats=self.num_heads, dim=0)

        # Shape of `output`: (`batch_size` * `num_heads`, no. of queries,
        # `num_hiddens` / `num_heads`)
        output = self.attention(queries, keys, values, valid_lens)

        # Shape of `output_concat`:
        # (`batch_size`, no. of queries, `num_hiddens`)
        output_concat = transpose_output(output, self.num_heads)
        if self.head_mask is not None:
            # ADDITION: each head's columns (heads side by side) times its
            # gate, before the output projection.
            b, q, _ = output_concat.shape
            output_concat = (output_concat.reshape(b, q, self.num_heads, -1)
                             * self.head_mask.reshape(1, 1, -1, 1)
                             ).reshape(b, q, -1)
        return self.W_o(output_concat)


def transpose_qkv(X, num_heads):
    """Transposition for parallel computation of multiple attention heads."""
    # Shape of input `X`:
    # (`batch_size`, no. of queries or key-value pairs, `num_hiddens`).
    # Shape of output `X`:
    # (`batch_size`, no. of queries or key-value pairs, `num_heads`,
    # `num_hiddens` / `num_heads`)
    X = X.reshape(X.shape[0], X.shape[1], num_heads, -1)

    # Shape of output `X`:
    # (`batch_size`, `num_heads`, no. of queries or key-value pairs,
    # `num_hiddens` / `num_heads`)
    X = X.permute(0, 2, 1, 3)

    # Shape of `output`:
    # (`batch_size` * `num_heads`, no. of queries or key-value pairs,
    # `num_hiddens` / `num_heads`)
    return X.reshape(-1, X.shape[2], X.shape[3])


def transpose_output(X, num_heads):
    """Reverse the operation of `transpose_qkv`."""
    X = X.reshape(-1, num_heads, X.shape[1], X.shape[2])
    X = X.permute(0, 2, 1, 3)
    return X.reshape(X.shape[0], X.shape[1], -1)


class PositionalEncoding(nn.Module):
    """Positional encoding (d2l §10.6.3).

    ``P`` is a plain tensor attribute (not a buffer), so it is not part of
    ``state_dict()``.  It is computed in float32:
    ``P[0, i, 2j] = sin(i / 10000^(2j/d))``, ``P[0, i, 2j+1] = cos(...)``.
    """

    def __init__(self, num_hiddens, dropout, max_len=1000):
        super(PositionalEncoding, self).__init__()
        self.dropout = nn.Dropout(dropout)
        # Create a long enough `P`
        self.P = torch.zeros((1, max_len, num_hiddens))
        X = torch.arange(max_len, dtype=torch.float32).reshape(
            -1, 1) / torch.pow(10000, torch.arange(
                0, num_hiddens, 2, dtype=torch.float32) / num_hiddens)
        self.P[:, :, 0::2] = torch.sin(X)
        self.P[:, :, 1::2] = torch.cos(X)

    def forward(self, X, offset=0):
        # ADDITION: `offset` (default 0 = the book) selects which rows of P
        # are added, so a single decoding step can get its true position.
        X = X + self.P[:, offset:offset + X.shape[1], :].to(X.device)
        return self.dropout(X)


# ---------------------------------------------------------------------------
# Encoder-decoder interfaces (d2l §9.6, §10.4)
# ---------------------------------------------------------------------------


class Encoder(nn.Module):
    """The base encoder interface for the encoder-decoder architecture."""

    def __init__(self, **kwargs):
        super(Encoder, self).__init__(**kwargs)

    def forward(self, X, *args):
        raise NotImplementedError


class Decoder(nn.Module):
    """The base decoder interface for the encoder-decoder architecture."""

    def __init__(self, **kwargs):
        super(Decoder, self).__init__(**kwargs)

    def init_state(self, enc_outputs, *args):
        raise NotImplementedError

    def forward(self, X, state):
        raise NotImplementedError


class AttentionDecoder(Decoder):
    """The base attention-based decoder interface."""

    def __init__(self, **kwargs):
        super(AttentionDecoder, self).__init__(**kwargs)

    @property
    def attention_weights(self):
        raise NotImplementedError


class EncoderDecoder(nn.Module):
    """The base class for the encoder-decoder architecture."""

    def __init__(self, encoder, decoder, **kwargs):
        super(EncoderDecoder, self).__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, enc_X, dec_X, *args):
        enc_outputs = self.encoder(enc_X, *args)
        dec_state = self.decoder.init_state(enc_outputs, *args)
        return self.decoder(dec_X, dec_state)


# ---------------------------------------------------------------------------
# Transformer (d2l §10.7)
# ---------------------------------------------------------------------------


class PositionWiseFFN(nn.Module):
    """Positionwise feed-forward network."""

    def __init__(self, ffn_num_input, ffn_num_hiddens, ffn_num_outputs,
                 **kwargs):
        super(PositionWiseFFN, self).__init__(**kwargs)
        self.dense1 = nn.Linear(ffn_num_input, ffn_num_hiddens)
        self.relu = nn.ReLU()
        self.dense2 = nn.Linear(ffn_num_hiddens, ffn_num_outputs)

    def forward(self, X):
        return self.dense2(self.relu(self.dense1(X)))


class AddNorm(nn.Module):
    """Residual connection followed by layer normalization (eps 1e-5)."""

    def __init__(self, normalized_shape, dropout, **kwargs):
        super(AddNorm, self).__init__(**kwargs)
        self.dropout = nn.Dropout(dropout)
        self.ln = nn.LayerNorm(normalized_shape)

    def forward(self, X, Y):
        return self.ln(self.dropout(Y) + X)


class EncoderBlock(nn.Module):
    """Transformer encoder block."""

    def __init__(self, key_size, query_size, value_size, num_hiddens,
                 norm_shape, ffn_num_input, ffn_num_hiddens, num_heads,
                 dropout, use_bias=False, **kwargs):
        super(EncoderBlock, self).__init__(**kwargs)
        self.attention = MultiHeadAttention(
            key_size, query_size, value_size, num_hiddens, num_heads, dropout,
            use_bias)
        self.addnorm1 = AddNorm(norm_shape, dropout)
        self.ffn = PositionWiseFFN(
            ffn_num_input, ffn_num_hiddens, num_hiddens)
        self.addnorm2 = AddNorm(norm_shape, dropout)

    def forward(self, X, valid_lens):
        Y = self.addnorm1(X, self.attention(X, X, X, valid_lens))
        return self.addnorm2(Y, self.ffn(Y))


class TransformerEncoder(Encoder):
    """Transformer encoder."""

    def __init__(self, vocab_size, key_size, query_size, value_size,
                 num_hiddens, norm_shape, ffn_num_input, ffn_num_hiddens,
                 num_heads, num_layers, dropout, use_bias=False, **kwargs):
        super(TransformerEncoder, self).__init__(**kwargs)
        self.num_hiddens = num_hiddens
        self.embedding = nn.Embedding(vocab_size, num_hiddens)
        self.pos_encoding = PositionalEncoding(num_hiddens, dropout)
        self.blks = nn.Sequential()
        for i in range(num_layers):
            self.blks.add_module("block" + str(i),
                                 EncoderBlock(key_size, query_size, value_size,
                                              num_hiddens, norm_shape,
                                              ffn_num_input, ffn_num_hiddens,
                                              num_heads, dropout, use_bias))

    def forward(self, X, valid_lens, *args):
        # Since positional encoding values are between -1 and 1, the embedding
        # values are multiplied by the square root of the embedding dimension
        # to rescale before they are summed up
        X = self.pos_encoding(self.embedding(X) * math.sqrt(self.num_hiddens))
        self.attention_weights = [None] * len(self.blks)
        for i, blk in enumerate(self.blks):
            X = blk(X, valid_lens)
            self.attention_weights[
                i] = blk.attention.attention.attention_weights
        return X


class DecoderBlock(nn.Module):
    # The `i`-th block in the decoder
    def __init__(self, key_size, query_size, value_size, num_hiddens,
                 norm_shape, ffn_num_input, ffn_num_hiddens, num_heads,
                 dropout, i, **kwargs):
        super(DecoderBlock, self).__init__(**kwargs)
        self.i = i
        self.attention1 = MultiHeadAttention(
            key_size, query_size, value_size, num_hiddens, num_heads, dropout)
        self.addnorm1 = AddNorm(norm_shape, dropout)
        self.attention2 = MultiHeadAttention(
            key_size, query_size, value_size, num_hiddens, num_heads, dropout)
        self.addnorm2 = AddNorm(norm_shape, dropout)
        self.ffn = PositionWiseFFN(ffn_num_input, ffn_num_hiddens,
                                   num_hiddens)
        self.addnorm3 = AddNorm(norm_shape, dropout)

    def forward(self, X, state):
        enc_outputs, enc_valid_lens = state[0], state[1]
        # During training, all the tokens of any output sequence are processed
        # at the same time, so `state[2][self.i]` is `None` as initialized.
        # When decoding any output sequence token by token during prediction,
        # `state[2][self.i]` contains representations of the decoded output at
        # the `i`-th block up to the current time step
        if state[2][self.i] is None:
            key_values = X
        else:
            key_values = torch.cat((state[2][self.i], X), axis=1)
        state[2][self.i] = key_values
        if self.training:
            batch_size, num_steps, _ = X.shape
            # Shape of `dec_valid_lens`: (`batch_size`, `num_steps`), where
            # every row is [1, 2, ..., `num_steps`]
            dec_valid_lens = torch.arange(
                1, num_steps + 1, device=X.device).repeat(batch_size, 1)
        else:
            dec_valid_lens = None

        # Self-attention
        X2 = self.attention1(X, key_values, key_values, dec_valid_lens)
        Y = self.addnorm1(X, X2)
        # Encoder-decoder attention. Shape of `enc_outputs`:
        # (`batch_size`, `num_steps`, `num_hiddens`)
        Y2 = self.attention2(Y, enc_outputs, enc_outputs, enc_valid_lens)
        Z = self.addnorm2(Y, Y2)
        return self.addnorm3(Z, self.ffn(Z)), state


class TransformerDecoder(AttentionDecoder):
    def __init__(self, vocab_size, key_size, query_size, value_size,
                 num_hiddens, norm_shape, ffn_num_input, ffn_num_hiddens,
                 num_heads, num_layers, dropout, **kwargs):
        super(TransformerDecoder, self).__init__(**kwargs)
        self.num_hiddens = num_hiddens
        self.num_layers = num_layers
        self.embedding = nn.Embedding(vocab_size, num_hiddens)
        self.pos_encoding = PositionalEncoding(num_hiddens, dropout)
        self.blks = nn.Sequential()
        for i in range(num_layers):
            self.blks.add_module("block" + str(i),
                                 DecoderBlock(key_size, query_size, value_size,
                                              num_hiddens, norm_shape,
                                              ffn_num_input, ffn_num_hiddens,
                                              num_heads, dropout, i))
        self.dense = nn.Linear(num_hiddens, vocab_size)

    def init_state(self, enc_outputs, enc_valid_lens, *args):
        return [enc_outputs, enc_valid_lens, [None] * self.num_layers]

    def forward(self, X, state, pos_offset=0):
        # ADDITION: `pos_offset` (default 0 = the book) is passed to the
        # positional encoding; see `predict_seq2seq(pos_mode=...)`.
        X = self.pos_encoding(self.embedding(X) * math.sqrt(self.num_hiddens),
                              pos_offset)
        self._attention_weights = [[None] * len(self.blks) for _ in range(2)]
        for i, blk in enumerate(self.blks):
            X, state = blk(X, state)
            # Decoder self-attention weights
            self._attention_weights[0][
                i] = blk.attention1.attention.attention_weights
            # Encoder-decoder attention weights
            self._attention_weights[1][
                i] = blk.attention2.attention.attention_weights
        return self.dense(X), state

    @property
    def attention_weights(self):
        return self._attention_weights


def make_transformer(src_vocab_size, tgt_vocab_size, num_hiddens=32,
                     num_layers=2, dropout=0.1, ffn_num_hiddens=64,
                     num_heads=4):
    """Build the model exactly as §10.7.5 does (key/query/value sizes and
    ffn_num_input all equal num_hiddens, norm_shape = [num_hiddens])."""
    key_size = query_size = value_size = num_hiddens
    ffn_num_input = num_hiddens
    norm_shape = [num_hiddens]
    encoder = TransformerEncoder(
        src_vocab_size, key_size, query_size, value_size, num_hiddens,
        norm_shape, ffn_num_input, ffn_num_hiddens, num_heads,
        num_layers, dropout)
    decoder = TransformerDecoder(
        tgt_vocab_size, key_size, query_size, value_size, num_hiddens,
        norm_shape, ffn_num_input, ffn_num_hiddens, num_heads,
        num_layers, dropout)
    return EncoderDecoder(encoder, decoder)


def use_additive_attention(net, dropout):
    """ADDITION: replace ``self.attention`` of every MultiHeadAttention in
    ``net`` by ``AdditiveAttention(d, d, d, dropout)``, d = num_hiddens /
    num_heads (the per-head query/key size).  Assigning an existing
    submodule keeps its place in ``_modules``, so the state_dict names are
    ``...attention.attention.W_k.weight`` etc., listed before ``W_q``.
    Returns ``net``."""
    for m in net.modules():
        if isinstance(m, MultiHeadAttention):
            d = m.W_q.out_features // m.num_heads
            m.attention = AdditiveAttention(d, d, d, dropout)
    return net


def set_head_mask(net, mask):
    """ADDITION: set ``head_mask`` on every MultiHeadAttention of the
    EncoderDecoder ``net``.  ``mask`` maps 'encoderSelf', 'decoderSelf' and
    'encoderDecoder' to a (num_layers, num_heads) tensor (row i for block i;
    a tensor that requires grad gives the gradient of the loss with respect
    to the gates), or is None to clear every mask.  Returns ``net``."""
    def row(kind, i):
        return None if mask is None else mask[kind][i]

    for i, blk in enumerate(net.encoder.blks):
        blk.attention.head_mask = row('encoderSelf', i)
    for i, blk in enumerate(net.decoder.blks):
        blk.attention1.head_mask = row('decoderSelf', i)
        blk.attention2.head_mask = row('encoderDecoder', i)
    return net


def make_additive_transformer(src_vocab_size, tgt_vocab_size, num_hiddens=32,
                              num_layers=2, dropout=0.1, ffn_num_hiddens=64,
                              num_heads=4):
    """ADDITION: ``make_transformer`` with additive attention inside every
    MultiHeadAttention (see ``use_additive_attention``)."""
    net = make_transformer(src_vocab_size, tgt_vocab_size, num_hiddens,
                           num_layers, dropout, ffn_num_hiddens, num_heads)
    return use_additive_attention(net, dropout)


# ---------------------------------------------------------------------------
# Training and prediction (d2l §9.7, §10.4)
# ---------------------------------------------------------------------------


class MaskedSoftmaxCELoss(nn.CrossEntropyLoss):
    """The softmax cross-entropy loss with masks."""

    # `pred` shape: (`batch_size`, `num_steps`, `vocab_size`)
    # `label` shape: (`batch_size`, `num_steps`)
    # `valid_len` shape: (`batch_size`,)
    def forward(self, pred, label, valid_len):
        weights = torch.ones_like(label)
        weights = sequence_mask(weights, valid_len)
        self.reduction = 'none'
        unweighted_loss = super(MaskedSoftmaxCELoss, self).forward(
            pred.permute(0, 2, 1), label)
        # NOTE: mean over all `num_steps` positions, padded ones included.
        weighted_loss = (unweighted_loss * weights).mean(dim=1)
        return weighted_loss


def grad_clipping(net, theta):
    """Clip the gradient (global L2 norm over all parameters)."""
    if isinstance(net, nn.Module):
        params = [p for p in net.parameters() if p.requires_grad]
    else:
        params = net.params
    norm = torch.sqrt(sum(torch.sum((p.grad ** 2)) for p in params))
    if norm > theta:
        for param in params:
            param.grad[:] *= theta / norm


def xavier_init_weights(m):
    """The init `train_seq2seq` applies (defined inline there in the book).

    Only nn.Linear weights are re-initialized (Glorot uniform); Linear
    biases, embeddings (N(0, 1)) and LayerNorm (1 / 0) keep PyTorch defaults.
    """
    if type(m) == nn.Linear:
        nn.init.xavier_uniform_(m.weight)
    if type(m) == nn.GRU:
        for param in m._flat_weights_names:
            if "weight" in param:
                nn.init.xavier_uniform_(m._parameters[param])


class Timer:
    """Record running time (the part of d2l.Timer used here)."""

    def __init__(self):
        self.start()

    def start(self):
        self.tik = time.time()

    def stop(self):
        return time.time() - self.tik


class Accumulator:
    """For accumulating sums over `n` variables."""

    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]


def train_seq2seq(net, data_iter, lr, num_epochs, tgt_vocab, device,
                  verbose=True, max_batches=None, warm_batches=0):
    """Train a model for sequence to sequence.

    Same loop as the book.  Instead of animating (progress goes to stderr),
    it returns a dict with the book's printed numbers (loss per token and tokens/sec of the LAST epoch,
    as the book prints them) plus whole-run totals for benchmarking.
    With max_batches (the benchmark's large mode) the epoch stops after that
    many batches; 'warm' then holds the seconds and tokens of the first
    warm_batches, so that a caller can leave the warm-up out of its rate.
    """
    net.apply(xavier_init_weights)
    net.to(device)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    loss = MaskedSoftmaxCELoss()
    net.train()
    total_tokens, total_steps, total_time = 0.0, 0, 0.0
    warm = None
    history = []
    for epoch in range(num_epochs):
        timer = Timer()
        metric = Accumulator(2)  # Sum of training loss, no. of tokens
        for batch in data_iter:
            optimizer.zero_grad()
            X, X_valid_len, Y, Y_valid_len = [x.to(device) for x in batch]
            bos = torch.tensor([tgt_vocab['<bos>']] * Y.shape[0],
                               device=device).reshape(-1, 1)
            dec_input = torch.cat([bos, Y[:, :-1]], 1)  # Teacher forcing
            Y_hat, _ = net(X, dec_input, X_valid_len)
            l = loss(Y_hat, Y, Y_valid_len)
            l.sum().backward()  # Make the loss scalar for `backward`
            grad_clipping(net, 1)
            num_tokens = Y_valid_len.sum()
            optimizer.step()
            with torch.no_grad():
                metric.add(l.sum(), num_tokens)
            total_steps += 1
            if max_batches is not None:
                if total_steps == warm_batches:
                    warm = (timer.stop(), float(metric[1]))
                if total_steps % max(1, max_batches // 10) == 0:
                    print(f'batch {total_steps}/{max_batches} '
                          f'{metric[1] / timer.stop():.0f} tokens/s',
                          file=sys.stderr, flush=True)
                if total_steps >= max_batches:
                    break
        epoch_time = timer.stop()
        total_time += epoch_time
        total_tokens += metric[1]
        if (epoch + 1) % 10 == 0:
            history.append((epoch + 1, metric[0] / metric[1]))
            if verbose:
                print(f'epoch {epoch + 1}, loss {metric[0] / metric[1]:.3f}',
                      file=sys.stderr, flush=True)
    if verbose:
        print(f'loss {metric[0] / metric[1]:.3f}, '
              f'{metric[1] / epoch_time:.1f} tokens/sec on {str(device)}',
              file=sys.stderr, flush=True)
    return {
        'loss': metric[0] / metric[1],               # last epoch, per token
        'tokensPerSecondLastEpoch': metric[1] / epoch_time,
        'totalTokens': total_tokens,
        'totalSeconds': total_time,
        'steps': total_steps,
        'history': history,
        'warm': warm,
    }


def predict_seq2seq(net, src_sentence, src_vocab, tgt_vocab, num_steps,
                    device, save_attention_weights=False, pos_mode='book'):
    """Predict for sequence to sequence.

    pos_mode='book'    -- the book: each one-token decoder input is given the
                          positional encoding of position 0.
    pos_mode='correct' -- the input at step t gets position t's encoding.
    """
    assert pos_mode in ('book', 'correct')
    # Set `net` to eval mode for inference
    net.eval()
    src_tokens = src_vocab[src_sentence.lower().split(' ')] + [
        src_vocab['<eos>']]
    enc_valid_len = torch.tensor([len(src_tokens)], device=device)
    src_tokens = truncate_pad(src_tokens, num_steps, src_vocab['<pad>'])
    # Add the batch axis
    enc_X = torch.unsqueeze(
        torch.tensor(src_tokens, dtype=torch.long, device=device), dim=0)
    enc_outputs = net.encoder(enc_X, enc_valid_len)
    dec_state = net.decoder.init_state(enc_outputs, enc_valid_len)
    # Add the batch axis
    dec_X = torch.unsqueeze(torch.tensor(
        [tgt_vocab['<bos>']], dtype=torch.long, device=device), dim=0)
    output_seq, attention_weight_seq = [], []
    for step in range(num_steps):
        offset = step if pos_mode == 'correct' else 0
        Y, dec_state = net.decoder(dec_X, dec_state, offset)
        # We use the token with the highest prediction likelihood as the input
        # of the decoder at the next time step
        dec_X = Y.argmax(dim=2)
        pred = dec_X.squeeze(dim=0).type(torch.int32).item()
        # Save attention weights (to be covered later)
        if save_attention_weights:
            attention_weight_seq.append(net.decoder.attention_weights)
        # Once the end-of-sequence token is predicted, the generation of the
        # output sequence is complete
        if pred == tgt_vocab['<eos>']:
            break
        output_seq.append(pred)
    return ' '.join(tgt_vocab.to_tokens(output_seq)), attention_weight_seq


def bleu(pred_seq, label_seq, k):
    """Compute the BLEU (raises ZeroDivisionError if len(pred) < k)."""
    pred_tokens, label_tokens = pred_seq.split(' '), label_seq.split(' ')
    len_pred, len_label = len(pred_tokens), len(label_tokens)
    score = math.exp(min(0, 1 - len_label / len_pred))
    for n in range(1, k + 1):
        num_matches, label_subs = 0, collections.defaultdict(int)
        for i in range(len_label - n + 1):
            label_subs[' '.join(label_tokens[i: i + n])] += 1
        for i in range(len_pred - n + 1):
            if label_subs[' '.join(pred_tokens[i: i + n])] > 0:
                num_matches += 1
                label_subs[' '.join(pred_tokens[i: i + n])] -= 1
        score *= math.pow(num_matches / (len_pred - n + 1), math.pow(0.5, n))
    return score


# ---------------------------------------------------------------------------
# Data (d2l §8.2, §9.5)
# ---------------------------------------------------------------------------


def count_corpus(tokens):
    """Count token frequencies."""
    # Here `tokens` is a 1D list or 2D list
    if len(tokens) == 0 or isinstance(tokens[0], list):
        # Flatten a list of token lists into a list of tokens
        tokens = [token for line in tokens for token in line]
    return collections.Counter(tokens)


class Vocab:
    """Vocabulary for text (v0.17).

    Tokens are sorted by frequency, descending; Python's sort is stable, so
    ties keep first-occurrence order (Counter preserves insertion order).
    Index 0 is '<unk>', then the reserved tokens, then tokens with
    freq >= min_freq.
    """

    def __init__(self, tokens=None, min_freq=0, reserved_tokens=None):
        if tokens is None:
            tokens = []
        if reserved_tokens is None:
            reserved_tokens = []
        # Sort according to frequencies
        counter = count_corpus(tokens)
        self._token_freqs = sorted(counter.items(), key=lambda x: x[1],
                                   reverse=True)
        # The index for the unknown token is 0
        self.idx_to_token = ['<unk>'] + reserved_tokens
        self.token_to_idx = {token: idx
                             for idx, token in enumerate(self.idx_to_token)}
        for token, freq in self._token_freqs:
            if freq < min_freq:
                break
            if token not in self.token_to_idx:
                self.idx_to_token.append(token)
                self.token_to_idx[token] = len(self.idx_to_token) - 1

    def __len__(self):
        return len(self.idx_to_token)

    def __getitem__(self, tokens):
        if not isinstance(tokens, (list, tuple)):
            return self.token_to_idx.get(tokens, self.unk)
        return [self.__getitem__(token) for token in tokens]

    def to_tokens(self, indices):
        if not isinstance(indices, (list, tuple)):
            return self.idx_to_token[indices]
        return [self.idx_to_token[index] for index in indices]

    @property
    def unk(self):  # Index for the unknown token
        return 0

    @property
    def token_freqs(self):
        return self._token_freqs


def read_data_nmt(path):
    """Load the English-French dataset (from a local fra.txt)."""
    # The book opens the file without an explicit encoding; UTF-8 is what the
    # file is, so say so to be locale-independent.
    with open(path, 'r', encoding='utf-8') as f:
        return f.read()


def preprocess_nmt(text):
    """Preprocess the English-French dataset."""
    def no_space(char, prev_char):
        return char in set(',.!?') and prev_char != ' '

    # Replace non-breaking space with space, and convert uppercase letters to
    # lowercase ones
    text = text.replace('\u202f', ' ').replace('\xa0', ' ').lower()
    # Insert space between words and punctuation marks
    out = [' ' + char if i > 0 and no_space(char, text[i - 1]) else char
           for i, char in enumerate(text)]
    return ''.join(out)


def tokenize_nmt(text, num_examples=None):
    """Tokenize the English-French dataset."""
    source, target = [], []
    for i, line in enumerate(text.split('\n')):
        # NOTE: `>` (not `>=`): yields num_examples + 1 pairs.
        if num_examples and i > num_examples:
            break
        parts = line.split('\t')
        if len(parts) == 2:
            source.append(parts[0].split(' '))
            target.append(parts[1].split(' '))
    return source, target


def truncate_pad(line, num_steps, padding_token):
    """Truncate or pad sequences."""
    if len(line) > num_steps:
        return line[:num_steps]  # Truncate
    return line + [padding_token] * (num_steps - len(line))  # Pad


def build_array_nmt(lines, vocab, num_steps):
    """Transform text sequences of machine translation into minibatches."""
    lines = [vocab[l] for l in lines]
    lines = [l + [vocab['<eos>']] for l in lines]
    array = torch.tensor([truncate_pad(
        l, num_steps, vocab['<pad>']) for l in lines])
    # Valid length = number of non-<pad> tokens (a truncated row has no
    # <eos> and a valid length of num_steps).
    valid_len = (array != vocab['<pad>']).type(torch.int32).sum(1)
    return array, valid_len


def load_array(data_arrays, batch_size, is_train=True):
    """Construct a PyTorch data iterator (shuffled when training)."""
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


def load_data_nmt(batch_size, num_steps, num_examples=600,
                  path='/work/shared/data/fra-eng/fra.txt'):
    """Return the iterator and the vocabularies of the translation dataset."""
    text = preprocess_nmt(read_data_nmt(path))
    source, target = tokenize_nmt(text, num_examples)
    src_vocab = Vocab(source, min_freq=2,
                      reserved_tokens=['<pad>', '<bos>', '<eos>'])
    tgt_vocab = Vocab(target, min_freq=2,
                      reserved_tokens=['<pad>', '<bos>', '<eos>'])
    src_array, src_valid_len = build_array_nmt(source, src_vocab, num_steps)
    tgt_array, tgt_valid_len = build_array_nmt(target, tgt_vocab, num_steps)
    data_arrays = (src_array, src_valid_len, tgt_array, tgt_valid_len)
    data_iter = load_array(data_arrays, batch_size)
    return data_iter, src_vocab, tgt_vocab
