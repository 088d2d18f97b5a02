/**
 * The bench's PyTorch peer gets the machine's OpenBLAS settings removed from its own environment
 * only (scripts/bench/peer.ts); this process, the tests and CI keep theirs.
 */
import { strict as assert } from 'node:assert';
import { PEER_UNSET_ENV, peerCommand, peerEnv } from '../../scripts/bench/peer';
import { median } from '../../scripts/bench/table';

describe('bench peer environment', () => {
  it('drops OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for the peer, keeps everything else', () => {
    const env = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', PATH: '/usr/bin', X: '1' };
    const peer = peerEnv(env);
    assert.deepEqual(peer, { PATH: '/usr/bin', X: '1' });
    assert.deepEqual([...PEER_UNSET_ENV], ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']);
    assert.equal(env.OPENBLAS_CORETYPE, 'Haswell', "the caller's environment is untouched");
  });

  it("runs the peer at our training threads' nice value, through nice(1)", () => {
    const args = ['train_book.py', '--epochs', '40'];
    assert.deepEqual(peerCommand({ python: '/usr/bin/python3', nice: 10 }, args), [
      'nice',
      ['-n', '10', '/usr/bin/python3', 'train_book.py', '--epochs', '40'],
    ]);
    assert.deepEqual(peerCommand({ python: '/usr/bin/python3', nice: 0 }, args), [
      '/usr/bin/python3',
      args,
    ]);
    assert.deepEqual(peerCommand({ python: 'python3' }, args), ['python3', args]);
  });
});

describe('bench medians', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });
});
