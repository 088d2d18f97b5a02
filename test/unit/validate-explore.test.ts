/** The attention panel's explore requests and the attentionData it is sent, as checked at the boundary (src/shared/validate.ts). */
import { strict as assert } from 'node:assert';
import { parseHostMessage, parseWebviewMessage } from '../../src/shared/validate';
import { sampleHeadReport } from '../helpers/headReports';

const HEAD = { kind: 'encoderDecoder', layer: 1, head: 3 };

describe('explore requests from the attention panel (maskHeads, walkHead)', () => {
  it('maskHeads: a translation id and the heads off, copied field by field', () => {
    const parsed = parseWebviewMessage({
      type: 'maskHeads',
      translationId: 4,
      off: [{ ...HEAD, extra: 'dropped' }],
    });
    assert.deepEqual(parsed, {
      ok: true,
      message: { type: 'maskHeads', translationId: 4, off: [HEAD] },
    });
    assert.ok(parseWebviewMessage({ type: 'maskHeads', translationId: 4, off: [] }).ok);
  });

  it('walkHead: a head, a query row and the heads off', () => {
    assert.deepEqual(
      parseWebviewMessage({ type: 'walkHead', translationId: 1, query: 2, off: [], ...HEAD }),
      { ok: true, message: { type: 'walkHead', translationId: 1, query: 2, off: [], ...HEAD } },
    );
  });

  it('refuses bad kinds, negative or fractional numbers, sparse or huge lists', () => {
    const sparse: unknown[] = [];
    sparse[1] = HEAD;
    const bad: unknown[] = [
      { type: 'maskHeads', translationId: 1, off: [{ ...HEAD, kind: 'cross' }] },
      { type: 'maskHeads', translationId: 1, off: [{ ...HEAD, layer: -1 }] },
      { type: 'maskHeads', translationId: 1, off: [{ ...HEAD, head: 0.5 }] },
      { type: 'maskHeads', translationId: 1, off: sparse },
      { type: 'maskHeads', translationId: 1, off: new Array(1025).fill(HEAD) },
      { type: 'maskHeads', translationId: '1', off: [] },
      { type: 'maskHeads', translationId: 1 },
      { type: 'walkHead', translationId: 1, off: [], ...HEAD },
      { type: 'walkHead', translationId: 1, query: 0, off: [], ...HEAD, kind: 'x' },
      { type: 'walkHead', translationId: 1, query: -2, off: [], ...HEAD },
    ];
    for (const raw of bad) {
      const parsed = parseWebviewMessage(raw);
      assert.equal(parsed.ok, false, JSON.stringify(raw).slice(0, 120));
    }
  });
});

describe('attentionData with the run’s head report (the statistics’ held-out averages)', () => {
  const data = { type: 'attentionData', current: null, snapshots: [] };

  it('accepts none, null, or a well-formed report with its source', () => {
    assert.ok(parseHostMessage(data).ok);
    assert.ok(parseHostMessage({ ...data, headReport: null }).ok);
    const headReport = { report: sampleHeadReport(2, 4), source: 'Run 1' };
    assert.ok(parseHostMessage({ ...data, headReport }).ok);
  });

  it('refuses a report that is not one, or one without a source', () => {
    const report = sampleHeadReport(1, 2);
    const bad = { ...report, heads: [{ ...report.heads[0], stats: { entropy: 'x' } }] };
    const refused = parseHostMessage({ ...data, headReport: { report: bad, source: 'Run 1' } });
    assert.ok(!refused.ok && /attentionData: heads: bad heads/.test(refused.error));
    const unnamed = parseHostMessage({ ...data, headReport: { report } });
    assert.ok(!unnamed.ok && /without a source/.test(unnamed.error));
  });
});
