import { defineConfig } from 'tsup';

/**
 * The one build every package shares, for Node 20: ESM and CommonJS side by side (index.js and
 * index.cjs, with index.d.ts and index.d.cts), so `require('@tenantvec/core')` works in a
 * CommonJS project as `import` does in an ESM one. `esmOnly` is for entries that cannot be
 * CommonJS, such as the CLI with its top-level await.
 */
export function packageBuild(entry: string[] = ['src/index.ts'], options: { esmOnly?: boolean } = {}) {
  return defineConfig({ entry, format: options.esmOnly === true ? ['esm'] : ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'node20' });
}
