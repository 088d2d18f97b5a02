/**
 * The bench's PyTorch peer gets the machine's OpenBLAS settings removed from its own environment
 * only (scripts/bench/peer.ts); this process, the tests and CI keep theirs.
 */
import { strict as assert } from 'node:assert';
import { PEER_UNSET_ENV, peerEnv } from '../../scripts/bench/peer';

describe('bench peer environment', () => {
  it('drops OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for the peer, keeps everything else', () => {
    const env = { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', PATH: '/usr/bin', X: '1' };
    const peer = peerEnv(env);
    assert.deepEqual(peer, { PATH: '/usr/bin', X: '1' });
    assert.deepEqual([...PEER_UNSET_ENV], ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']);
    assert.equal(env.OPENBLAS_CORETYPE, 'Haswell', "the caller's environment is untouched");
  });
});
