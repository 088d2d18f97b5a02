/**
 * Reading the model files the book's PyTorch code writes (test/fixtures/interop, written by
 * test/reference/make_interop_fixtures.py with torch.save): every tensor must equal the
 * reference's bit for bit, every size must be inferred, and unsafe or incomplete files refused.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { InteropError, parameterLayout, readModelFile } from '../../src/interop';
import { INTEROP_FIXTURES, expectedModels, float32Digest } from '../helpers/interopFixtures';

const expected = expectedModels();

async function open(file: string) {
  return readModelFile(path.join(INTEROP_FIXTURES, file));
}

async function refusal(file: string): Promise<string> {
  const err = await open(file).then(
    () => assert.fail(`${file} was read`),
    (e: unknown) => e,
  );
  assert.ok(err instanceof InteropError, `${file}: ${String(err)}`);
  assert.ok(err.message.startsWith(`${file}: `), err.message);
  return err.message;
}

describe('interop: reading the reference model files', () => {
  for (const [key, model] of Object.entries(expected)) {
    for (const file of model.files) {
      it(`${file}: sizes, vocabularies and every tensor of ${key}`, async () => {
        const m = await open(file);
        assert.equal(m.format, file.endsWith('.pt') ? 'pt' : 'safetensors');
        assert.deepEqual(
          { ...m.config, dropout: undefined },
          { ...model.config, dropout: undefined },
        );
        assert.equal(m.config.dropout, 0.1, "the book's dropout when the file has none");
        assert.equal(m.numSteps, model.numSteps);
        assert.deepEqual(m.srcVocab, model.srcVocab);
        assert.deepEqual(m.tgtVocab, model.tgtVocab);
        // Our order, which is PyTorch's registration order, hence the state_dict's.
        assert.deepEqual(
          m.params.map((p) => p.name),
          parameterLayout(m.config).map((p) => p.name),
        );
        assert.deepEqual(
          m.params.map((p) => [p.name, p.shape, float32Digest(p.data)]),
          model.params,
        );
      });
    }
  }

  it('reads num_steps as 10 when the .pt has none (other-additive)', async () => {
    assert.equal((await open('other-additive.pt')).numSteps, 10);
  });

  it('the float16, bfloat16 and strided files hold the float32 model within their precision', async () => {
    const full = await open('tiny-dot.pt');
    for (const [file, tolerance] of [
      ['tiny-dot-half.pt', 2 ** -11],
      ['tiny-dot-bf16.safetensors', 2 ** -8],
      ['tiny-dot-views.pt', 0],
    ] as const) {
      const m = await open(file);
      m.params.forEach((p, i) => {
        p.data.forEach((v, j) => {
          const want = full.params[i].data[j];
          assert.ok(Math.abs(v - want) <= tolerance * Math.abs(want), `${file} ${p.name}[${j}]`);
        });
      });
    }
  });

  it('refuses a pickle that would run os.system, naming the global', async () => {
    const message = await refusal('os-system.pt');
    assert.match(message, /posix\.system, which is refused/);
  });

  it('refuses a Vocab object, saying to save idx_to_token', async () => {
    assert.match(await refusal('vocab-object.pt'), /d2l_transformer\.Vocab.*idx_to_token/);
  });

  it('refuses a bare state_dict, giving the snippet that saves the vocabularies', async () => {
    assert.match(await refusal('bare-state-dict.pt'), /a bare state_dict.*'src_vocab'/);
  });

  it('says when a .safetensors file has no sidecar', async () => {
    const err = await readModelFile(path.join(INTEROP_FIXTURES, 'nothing.safetensors')).catch(
      (e: unknown) => e,
    );
    assert.ok(err instanceof InteropError);
    assert.match(err.message, /nothing\.safetensors does not exist/);
  });
});
