// The hosting CI's workflows cannot run here; what they must contain is checked instead: CI runs
// `npm test`; the release workflow tests first, then changesets/action opens the version pull
// request with `pnpm version-packages` or publishes with `pnpm release`, with the permissions npm
// provenance needs. The scripts they call are the ones the release rehearsal runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { publishedPackages, root } from '../src/workspace.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
}

const workflow = (name: string) =>
  parse(readFileSync(join(root, '.github', 'workflows', name), 'utf8')) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((job) => job.steps);
const scripts = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

describe('.github/workflows', () => {
  it('ci.yml runs npm test on pushes to main and on pull requests, on Linux x64', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    expect(Object.values(ci.jobs).every((job) => job['runs-on'] === 'ubuntu-latest')).toBe(true);
    expect(steps(ci).some((step) => step.run === 'npm test')).toBe(true);
  });

  it('release.yml tests, then changesets/action versions or publishes, with provenance permissions', () => {
    const release = workflow('release.yml');
    expect(release.on).toEqual({ push: { branches: ['main'] } });
    expect(release.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', 'id-token': 'write' });
    const all = steps(release);
    const test = all.findIndex((step) => step.run === 'npm test');
    const changesets = all.findIndex((step) => step.uses?.startsWith('changesets/action@'));
    expect(test).toBeGreaterThanOrEqual(0);
    expect(changesets).toBeGreaterThan(test);
    const action = all[changesets] as Step;
    expect(action.with).toMatchObject({ version: 'pnpm version-packages', publish: 'pnpm release' });
    expect(action.env).toMatchObject({ NPM_CONFIG_PROVENANCE: true });
    // pnpm must be on PATH for the action's commands.
    expect(all.slice(test, changesets).some((step) => step.run?.includes('.tools/node_modules/.bin'))).toBe(
      true,
    );
  });

  it('the scripts they call: version-packages is changeset version, release builds and runs changeset publish', () => {
    expect(scripts['version-packages']).toBe('changeset version');
    expect(scripts.release).toMatch(/^turbo run build\b.*&& changeset publish$/);
    // Every published package asks for provenance; only the rehearsal turns it off.
    for (const p of publishedPackages()) expect(p.manifest.publishConfig?.provenance, p.name).toBe(true);
  });

  it('the local CI entry point runs the same npm test', () => {
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
