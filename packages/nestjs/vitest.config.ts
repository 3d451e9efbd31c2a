import { mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// The test apps use TypeScript's legacy decorators, as Nest apps do. Vite 8 transforms with Oxc,
// which does not read them from a tsconfig that leaves test/ out: turn them (and the metadata Nest
// reads for constructor injection by type) on here.
export default mergeConfig(project('nestjs'), {
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
});
