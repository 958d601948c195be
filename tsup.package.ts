import { defineConfig } from 'tsup';

/** The one build every package shares: ESM for Node 20 with declarations and source maps. */
export function packageBuild(entry: string[] = ['src/index.ts']) {
  return defineConfig({ entry, format: ['esm'], dts: true, sourcemap: true, clean: true, target: 'node20' });
}
