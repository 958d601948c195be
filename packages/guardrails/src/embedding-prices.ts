/**
 * Prices of OpenAI embedding models, standard (non-batch) tier, in US dollars per million input
 * tokens. Source: https://openai.com/api/pricing/ and https://platform.openai.com/docs/pricing,
 * as read on 2026-11-23. Prices change: pass your own table to `meteringHooks({ prices })`.
 */
export const embeddingPrices = {
  source: 'https://platform.openai.com/docs/pricing',
  asOf: '2026-11-23',
  currency: 'USD',
  perMillionTokens: {
    'text-embedding-3-small': 0.02,
    'text-embedding-3-large': 0.13,
    'text-embedding-ada-002': 0.1,
  } as Readonly<Record<string, number>>,
} as const;

export type PriceTable = Readonly<Record<string, number>>;

/** Cost in US dollars of `tokens` for `model`; undefined when the table has no price for it. */
export function embeddingCost(model: string, tokens: number, prices: PriceTable = embeddingPrices.perMillionTokens): number | undefined {
  const price = prices[model];
  return price === undefined ? undefined : (tokens * price) / 1_000_000;
}
