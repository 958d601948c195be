import { defaultBenchSettings, runBench, type BenchSettings } from '@tenantvec/bench';
import { afterAll, describe, expect, it } from 'vitest';
import { startPineconeEmulator, type PineconeEmulator } from '@tenantvec/emulators/pinecone';
import { startQdrantEmulator, type QdrantEmulator } from '@tenantvec/emulators/qdrant';
import { startWeaviateEmulator, type WeaviateEmulator } from '@tenantvec/emulators/weaviate';

/**
 * The bench's backend table reaches each adapter by name with the settings of a config file; these
 * runs drive it against the in-repo wire emulators, tiny sizes, every strategy.
 */
const tiny: Omit<BenchSettings, 'backend' | 'backendSettings'> = {
  ...defaultBenchSettings,
  tenants: 5,
  records: 1_500,
  dimension: 8,
  queries: 12,
  onboardingSamples: 2,
  offboardingSamples: 2,
  leakProbes: 4,
  overheadSamples: 4,
  warmupQueries: 2,
};

const running: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const emulator of running) await emulator.stop();
});

function expectSound(results: Awaited<ReturnType<typeof runBench>>) {
  expect(results.problems).toEqual([]);
  for (const result of results.strategies) {
    expect([result.strategy, result.status]).toEqual([result.strategy, 'ok']);
    expect(result.queries!.all.recall).toBe(1);
  }
}

describe('tenantvec bench on emulated services', () => {
  it('runs every strategy on Qdrant', async () => {
    const emulator: QdrantEmulator = await startQdrantEmulator();
    running.push(emulator);
    const results = await runBench({ ...tiny, backend: 'qdrant', backendSettings: { url: emulator.url } });
    expectSound(results);
  });

  it('runs every strategy on Pinecone', async () => {
    const emulator: PineconeEmulator = await startPineconeEmulator();
    running.push(emulator);
    const results = await runBench({ ...tiny, backend: 'pinecone', backendSettings: { apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl } });
    expectSound(results);
  });

  it('runs every strategy on Weaviate', async () => {
    const emulator: WeaviateEmulator = await startWeaviateEmulator();
    running.push(emulator);
    const { httpHost, httpPort, grpcHost, grpcPort } = emulator;
    const results = await runBench({ ...tiny, backend: 'weaviate', backendSettings: { httpHost, httpPort, grpcHost, grpcPort } });
    expectSound(results);
  });
});
