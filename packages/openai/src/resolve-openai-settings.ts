import { ConfigurationError } from '@tenantvec/core';
import { parseSettings } from '@tenantvec/core/backend';
import { z } from 'zod';
import OpenAI, { type ClientOptions } from 'openai';
import { API_LIMITS, factsOf, knownModels } from './embedding-models.js';
import {
  settingNames,
  type EmbeddingsClient,
  type EmbeddingsRequestOptions,
  type EmbeddingUsage,
  type OpenAIEmbedderSettings,
} from './openai-settings.js';
import { estimateTokens } from './token-estimate.js';

const settingNamesSchema = z.strictObject(Object.fromEntries(settingNames.map((name) => [name, z.unknown().optional()])));

/** Settings checked, defaulted and turned into a client. */
export interface ResolvedSettings {
  model: string;
  dimension: number;
  /** The request's `dimensions` field, when one is sent. */
  requestDimensions: number | undefined;
  maxBatchSize: number;
  maxTokensPerRequest: number;
  maxTokensPerInput: number;
  countTokens: (text: string) => number;
  requestOptions: Omit<EmbeddingsRequestOptions, 'signal'>;
  onUsage: ((usage: EmbeddingUsage) => void) | undefined;
  client: EmbeddingsClient;
  /** Strings no error message may contain (the API key). */
  secrets: string[];
}

function problem(message: string): never {
  throw new ConfigurationError(`openaiEmbedder: ${message}`);
}

function integerSetting(name: string, value: unknown, range: { min: number; max?: number }): number | undefined {
  if (value === undefined) return undefined;
  const { min, max } = range;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || (max !== undefined && value > max)) {
    problem(`${name} must be an integer from ${min}${max === undefined ? ' up' : ` to ${max}`}.`);
  }
  return value;
}

function stringSetting(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) problem(`${name} must be a non-empty string.`);
  return value;
}

function functionSetting<F>(name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') problem(`${name} must be a function.`);
  return value as F;
}

/** The vector length, and whether it goes into requests, from the model and `dimensions`. */
function dimensionOf(model: string, dimensions: number | undefined): { dimension: number; requestDimensions: number | undefined } {
  const facts = factsOf(model);
  if (facts === undefined) {
    if (dimensions === undefined) {
      problem(`model ${JSON.stringify(model)} is not one this package knows (${Object.keys(knownModels).join(', ')}); set dimensions to the length of its vectors.`);
    }
    return { dimension: dimensions, requestDimensions: dimensions };
  }
  if (dimensions === undefined) return { dimension: facts.nativeDimension, requestDimensions: undefined };
  if (!facts.acceptsDimensions) {
    problem(`${model} always makes ${facts.nativeDimension}-dimensional vectors and does not accept dimensions; use a text-embedding-3 model to choose the length.`);
  }
  if (dimensions > facts.nativeDimension) problem(`${model} makes at most ${facts.nativeDimension} dimensions; got ${dimensions}.`);
  return { dimension: dimensions, requestDimensions: dimensions };
}

function clientOf(settings: Record<string, unknown>, requestOptions: ResolvedSettings['requestOptions']): { client: EmbeddingsClient; secrets: string[] } {
  const given = settings['client'];
  if (given !== undefined) {
    const clashing = ['apiKey', 'baseURL', 'organization', 'fetch'].filter((name) => settings[name] !== undefined);
    if (clashing.length > 0) problem(`pass either client or ${clashing.join(', ')}, not both: a ready client brings its own.`);
    const create = (given as { embeddings?: { create?: unknown } } | null)?.embeddings?.create;
    if (typeof create !== 'function') problem('client must be an OpenAI client (it has no embeddings.create).');
    const ownKey = (given as { apiKey?: unknown }).apiKey;
    return { client: given as EmbeddingsClient, secrets: typeof ownKey === 'string' && ownKey.length > 0 ? [ownKey] : [] };
  }
  // An empty string counts as unset: an unfilled `${OPENAI_API_KEY}` often ends up as one.
  const apiKey = stringSetting('apiKey', settings['apiKey'] === '' ? undefined : settings['apiKey']) ?? (process.env['OPENAI_API_KEY'] || undefined);
  if (apiKey === undefined) {
    problem('no API key: pass apiKey, set OPENAI_API_KEY in the environment, or pass a ready client.');
  }
  const baseURL = stringSetting('baseURL', settings['baseURL']);
  const organization = stringSetting('organization', settings['organization']);
  const fetch = functionSetting<ClientOptions['fetch']>('fetch', settings['fetch']);
  const client = new OpenAI({
    apiKey,
    ...(baseURL === undefined ? {} : { baseURL }),
    ...(organization === undefined ? {} : { organization }),
    ...(fetch === undefined ? {} : { fetch }),
    ...requestOptions,
  });
  return { client, secrets: [apiKey] };
}

/**
 * Checks every setting before anything is sent. A missing API key is reported here, when the
 * store is created, rather than at the first `embed`: a deployment without its key should fail
 * as it boots, not hours later on some tenant's first upsert. Creating the client does no I/O.
 */
export function resolveSettings(input: OpenAIEmbedderSettings): ResolvedSettings {
  if (typeof input !== 'object' || input === null) problem('settings must be an object with at least a model.');
  const settings = input as unknown as Record<string, unknown>;
  // Names first, with the nearest known one for a typo; types and ranges are checked one by one below.
  parseSettings({ schema: settingNamesSchema, settings, root: 'openaiEmbedder' });
  const model = stringSetting('model', settings['model']) ?? problem('model is required, for example "text-embedding-3-small".');
  const dimensions = integerSetting('dimensions', settings['dimensions'], { min: 1 });
  const maxBatchSize = integerSetting('maxBatchSize', settings['maxBatchSize'], { min: 1, max: API_LIMITS.inputsPerRequest }) ?? API_LIMITS.inputsPerRequest;
  const maxTokensPerRequest = integerSetting('maxTokensPerRequest', settings['maxTokensPerRequest'], { min: 1 }) ?? API_LIMITS.tokensPerRequest;
  const maxTokensPerInput =
    integerSetting('maxTokensPerInput', settings['maxTokensPerInput'], { min: 1, max: maxTokensPerRequest }) ??
    Math.min(API_LIMITS.tokensPerInput, maxTokensPerRequest);
  const maxRetries = integerSetting('maxRetries', settings['maxRetries'], { min: 0 });
  const timeout = integerSetting('timeout', settings['timeout'], { min: 1 });
  const requestOptions = { ...(maxRetries === undefined ? {} : { maxRetries }), ...(timeout === undefined ? {} : { timeout }) };
  const { client, secrets } = clientOf(settings, requestOptions);
  return {
    model,
    ...dimensionOf(model, dimensions),
    maxBatchSize,
    maxTokensPerRequest,
    maxTokensPerInput,
    countTokens: functionSetting<(text: string) => number>('countTokens', settings['countTokens']) ?? estimateTokens,
    requestOptions,
    onUsage: functionSetting<(usage: EmbeddingUsage) => void>('onUsage', settings['onUsage']),
    client,
    secrets,
  };
}
