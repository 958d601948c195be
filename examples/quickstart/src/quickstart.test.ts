import { memoryBackend } from '@tenantvec/core';
import { describe, expect, it } from 'vitest';
import { documents, runQuickstart, strategies } from './quickstart.js';

describe('quickstart', () => {
  it('shows each tenant only its own documents under every strategy', async () => {
    const answers = await runQuickstart(() => memoryBackend());
    expect(answers).toHaveLength(Object.keys(strategies).length * Object.keys(documents).length);
    for (const answer of answers) {
      const own = documents[answer.tenant as keyof typeof documents].map((record) => record.text as string);
      for (const hit of answer.hits) expect(own).toContain(hit.text);
      expect(answer.hits).toHaveLength(2);
      const finance = documents[answer.tenant as keyof typeof documents].filter((record) => record.source.startsWith('kb/finance/'));
      expect(answer.financeHits).toEqual(finance.map((record) => record.id));
    }
  });
});
