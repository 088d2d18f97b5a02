/**
 * The settings table (src/config/settings.ts) against package.json's contributes.configuration,
 * so that the editor's schema and what the extension and the CLI accept cannot drift apart; and
 * the table's one check, as the extension and the CLI use it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_HYPERPARAMETERS, LIMITS } from '../../src/config/hyperparameters';
import { usage } from '../../src/cli/help';
import { isChoiceLimit, isTextLimit } from '../../src/config/settingLimits';
import {
  RUN_SETTINGS,
  SECTION,
  SETTINGS,
  SETTING_CATEGORIES,
  SETTING_SCOPES,
  checkRunSetting,
} from '../../src/config/settings';

interface SchemaEntry {
  type?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
  pattern?: string;
  scope?: string;
  order?: number;
  markdownDescription?: string;
  enumDescriptions?: string[];
  patternErrorMessage?: string;
}

interface Section {
  id: string;
  title: string;
  order: number;
  properties: Record<string, SchemaEntry>;
}

const ROOT = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: Section[] };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const sections = manifest.contributes.configuration;
const properties: Record<string, SchemaEntry> = Object.assign(
  {},
  ...sections.map((s) => s.properties),
);
const nls = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<
  string,
  string
>;

/** The schema's entry of `key`, by its name under the section. */
const schemaOf = (key: string): SchemaEntry => properties[`${SECTION}.${key}`];

describe("settings table (src/config/settings.ts) and package.json's schema", () => {
  it('have the same settings', () => {
    const inSchema = Object.keys(properties)
      .filter((name) => name.startsWith(`${SECTION}.`))
      .map((name) => name.slice(SECTION.length + 1));
    assert.deepEqual([...inSchema].sort(), Object.keys(SETTINGS).sort());
  });

  for (const [key, entry] of Object.entries(SETTINGS)) {
    it(`agree on ${SECTION}.${key}`, () => {
      const schema = schemaOf(key);
      assert.ok(schema, `package.json has no ${SECTION}.${key}`);
      assert.deepEqual(schema.default, entry.default, 'default');
      if (isChoiceLimit(entry)) {
        assert.equal(schema.type, 'string');
        assert.deepEqual(schema.enum, [...entry.choices], 'enum');
      } else if (isTextLimit(entry)) {
        assert.equal(schema.type, 'string');
        // The table may check more than the schema (the URL's scheme), never something else.
        if (schema.pattern !== undefined) assert.equal(schema.pattern, entry.pattern?.source);
      } else {
        assert.equal(schema.type, entry.integer ? 'integer' : 'number', 'type');
        assert.equal(schema.minimum, entry.min, 'minimum');
        if (entry.max === Infinity) assert.equal(schema.maximum, undefined, 'no maximum');
        else if (!entry.maxExclusive) assert.equal(schema.maximum, entry.max, 'maximum');
        else {
          // JSON schema's maximum is inclusive: the largest value it allows is below the bound.
          assert.ok(schema.maximum! < entry.max && schema.maximum! >= entry.min, 'maximum');
        }
      }
    });
  }

  it("hold the book's hyperparameters as the defaults", () => {
    for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
      assert.equal(SETTINGS[key].default, DEFAULT_HYPERPARAMETERS[key], key);
    }
  });

  it("give every table flag to the CLI's usage", () => {
    const flags = Object.values(SETTINGS).flatMap((e) => ('flag' in e && e.flag ? [e.flag] : []));
    assert.equal(flags.length, 15, flags.join(' '));
    for (const flag of flags) assert.match(usage('cli.js'), new RegExp(`\\[--${flag} `), flag);
  });
});

describe("package.json's settings sections and package.nls.json", () => {
  it('are the titled categories of the table, in order, each setting in its order', () => {
    const names = Object.keys(SETTING_CATEGORIES);
    assert.deepEqual(
      sections.map((s) => [s.id, s.title, s.order]),
      names.map((name, i) => [`${SECTION}.${name}`, `%config.category.${name}%`, i + 1]),
    );
    sections.forEach((section, i) => {
      const keys = SETTING_CATEGORIES[names[i]];
      assert.deepEqual(
        Object.entries(section.properties).map(([name, e]) => [name, e.order]),
        keys.map((key, j) => [`${SECTION}.${key}`, j + 1]),
        section.id,
      );
    });
  });

  it('give every setting the scope the table gives it', () => {
    for (const key of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
      assert.equal(schemaOf(key).scope, SETTING_SCOPES[key] ?? 'window', key);
    }
  });

  it('keep the corpus settings restricted in untrusted workspaces', () => {
    assert.deepEqual(
      manifest.capabilities.untrustedWorkspaces.restrictedConfigurations,
      ['corpusPath', 'corpusUrl', 'corpusSha1'].map((k) => `${SECTION}.${k}`),
    );
  });

  it("take every user-facing string from package.nls.json's config.* keys, each used", () => {
    const used = new Set<string>();
    const key = (text: string | undefined, what: string): void => {
      const m = /^%(config\.[\w.]+)%$/.exec(text ?? '');
      assert.ok(m, `${what} is not a %config.…% reference: ${text}`);
      assert.ok(typeof nls[m[1]] === 'string' && nls[m[1]].length > 0, `${m[1]} missing`);
      used.add(m[1]);
    };
    for (const section of sections) key(section.title, `${section.id} title`);
    for (const [name, e] of Object.entries(properties)) {
      key(e.markdownDescription, name);
      e.enumDescriptions?.forEach((d, i) => key(d, `${name} enum ${i}`));
      if (e.patternErrorMessage !== undefined) key(e.patternErrorMessage, `${name} pattern`);
    }
    const unused = Object.keys(nls).filter((k) => k.startsWith('config.') && !used.has(k));
    assert.deepEqual(unused, []);
  });
});

describe('checkRunSetting', () => {
  it('accepts what the table allows, exactly as given', () => {
    assert.deepEqual(checkRunSetting('backend', 'wasm'), { ok: true, value: 'wasm' });
    assert.deepEqual(checkRunSetting('snapshotEvery', 10000), { ok: true, value: 10000 });
    assert.deepEqual(checkRunSetting('heldOutCount', 0), { ok: true, value: 0 });
    assert.deepEqual(checkRunSetting('lengthPenalty', 0.5), { ok: true, value: 0.5 });
    assert.deepEqual(checkRunSetting('runHistoryLimitMB', 1e6), { ok: true, value: 1e6 });
  });

  it('names the setting, what it must be and what it got', () => {
    const error = (key: keyof typeof RUN_SETTINGS, value: unknown) => {
      const checked = checkRunSetting(key, value);
      assert.ok(!checked.ok, `${key} = ${String(value)} was accepted`);
      return checked.error;
    };
    assert.equal(
      error('backend', 'tpu'),
      'transformer.backend (TensorFlow.js backend) must be "auto", "gpu", "wasm" or "cpu" (got "tpu")',
    );
    assert.equal(
      error('trainingThreads', 2),
      'transformer.trainingThreads (training threads) must be "auto", "1" or "2" (got 2)',
    );
    // The schema's maximum is the extension's: VS Code only warns in the editor.
    assert.equal(
      error('snapshotEvery', 10001),
      'transformer.snapshotEvery (epochs between attention snapshots) must be at least 1 and ' +
        'at most 10000 (got 10001)',
    );
    assert.equal(
      error('heldOutCount', 1.5),
      'transformer.heldOutCount must be a whole number (got 1.5)',
    );
    assert.equal(error('beamSize', '3'), 'transformer.beamSize must be a number (got "3")');
    assert.equal(
      error('runHistoryLimitMB', 5),
      'transformer.runHistoryLimitMB (size of the run history) must be at least 10 (got 5)',
    );
    assert.equal(
      error('corpusSha1', 'abc'),
      "transformer.corpusSha1 must be 40 hexadecimal characters (the zip's SHA-1)",
    );
    assert.equal(error('corpusUrl', 'ftp://x'), 'transformer.corpusUrl must be an http(s) URL');
  });
});
