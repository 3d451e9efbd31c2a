import { expect, test } from 'vitest';
import { placeholder } from '@org/entra-core';
test('resolves source', () => { expect(placeholder).toBe(1); });
