/**
 * package.json's contributions hang together: every command a menu, keybinding or walkthrough
 * names is declared and registered (src/commands/), every %key% has its English string in
 * package.nls.json, and every file a view container or walkthrough shows ships in the .vsix.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '..', '..');
const pkgText = readFileSync(path.join(ROOT, 'package.json'), 'utf8');
const pkg = JSON.parse(pkgText) as {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; key: string; when?: string }[];
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; icon?: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    walkthroughs: {
      steps: { completionEvents: string[]; media: { markdown?: string; svg?: string } }[];
    }[];
  };
};
const c = pkg.contributes;
const nls = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')) as Record<
  string,
  string
>;

/** The ids src/commands/ registers (`id: '…'` of each Command, after `transformerExplorer.`). */
function registeredCommands(dir = path.join(ROOT, 'src', 'commands')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return registeredCommands(file);
    const ids = [...readFileSync(file, 'utf8').matchAll(/^\s+id: '([\w.]+)',$/gm)];
    return ids.map((m) => `transformerExplorer.${m[1]}`);
  });
}

describe('package.json contributions', () => {
  const declared = c.commands.map((x) => x.command);

  it('declares exactly the commands src/commands registers, each in the Transformer category', () => {
    assert.deepEqual([...declared].sort(), registeredCommands().sort());
    for (const command of c.commands)
      assert.equal(command.category, 'Transformer', command.command);
  });

  it('names only declared commands in menus, keybindings and walkthrough completion events', () => {
    const named = [
      ...Object.values(c.menus).flatMap((entries) => entries.map((e) => e.command)),
      ...c.keybindings.map((k) => k.command),
      ...c.walkthroughs.flatMap((w) =>
        w.steps.flatMap((s) => s.completionEvents.map((e) => e.replace(/^onCommand:/, ''))),
      ),
    ];
    for (const id of named) assert.ok(declared.includes(id), `${id} is not declared`);
  });

  it('places Train and Stop on the Runs view title, shown by the training context key', () => {
    const title = c.menus['view/title'];
    const train = title.find((e) => e.command === 'transformerExplorer.train');
    const stop = title.find((e) => e.command === 'transformerExplorer.stopTraining');
    assert.match(train?.when ?? '', /!transformerExplorer\.training/);
    assert.match(stop?.when ?? '', /(^|[^!])transformerExplorer\.training/);
    assert.equal(
      c.commands.find((x) => x.command === 'transformerExplorer.train')?.icon,
      '$(play)',
    );
    assert.equal(
      c.commands.find((x) => x.command === 'transformerExplorer.stopTraining')?.icon,
      '$(debug-stop)',
    );
  });

  it('offers Translate Selection only where text is selected, with a keybinding', () => {
    for (const menu of ['editor/context', 'editor/title']) {
      const entry = c.menus[menu].find((e) => e.command.endsWith('.translateSelection'));
      assert.match(entry?.when ?? '', /editorHasSelection/, menu);
    }
    const key = c.keybindings.find((k) => k.command.endsWith('.translateSelection'));
    assert.match(key?.when ?? '', /editorHasSelection/);
  });

  it('has an English string in package.nls.json for every %key%', () => {
    const keys = [...pkgText.matchAll(/"%([\w.]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 20);
    for (const key of keys) assert.equal(typeof nls[key], 'string', `%${key}% has no string`);
  });

  it('ships every file the view container, views and walkthrough show', async () => {
    const { VSIX_FILES } = (await import(
      pathToFileURL(path.join(ROOT, 'scripts', 'package-contents.mjs')).href
    )) as { VSIX_FILES: string[] };
    const files = [
      ...c.viewsContainers.activitybar.map((v) => v.icon),
      ...Object.values(c.views).flatMap((views) => views.flatMap((v) => (v.icon ? [v.icon] : []))),
      ...c.walkthroughs.flatMap((w) =>
        w.steps.flatMap((s) => [s.media.markdown, s.media.svg].filter((f) => f !== undefined)),
      ),
    ];
    for (const file of files) {
      assert.ok(existsSync(path.join(ROOT, file)), `${file} does not exist`);
      assert.ok(VSIX_FILES.includes(`extension/${file}`), `${file} is not in the .vsix allow-list`);
    }
  });

  it('has welcome content for the Runs view (shown while there are no runs)', () => {
    const welcome = c.viewsWelcome.find((w) => w.view === 'transformerExplorer.runs');
    assert.match(
      nls[welcome?.contents.slice(1, -1) ?? ''] ?? '',
      /command:transformerExplorer\.train/,
    );
  });
});
