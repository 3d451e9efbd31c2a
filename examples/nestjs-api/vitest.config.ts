import { mergeConfig } from 'vitest/config';
import { project } from '../../vitest.shared.ts';

// Vite 8 transforms TypeScript with Oxc: ask it for Nest's legacy decorators and the metadata Nest
// reads for constructor injection by type (what `nest build`/tsc emit).
export default mergeConfig(project('nestjs-api'), {
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
});
