import { ConfigurationError } from '@tenantvec/core';
import { describe, expect, it } from 'vitest';
import { developmentSecret, readServiceSettings } from './service-settings.js';

describe('readServiceSettings and the public development secret', () => {
  it('refuses JWT_SECRET set to the development secret unless development is asked for', () => {
    expect(() => readServiceSettings({ JWT_SECRET: developmentSecret })).toThrow(ConfigurationError);
    expect(() => readServiceSettings({ JWT_SECRET: developmentSecret })).toThrow(/public development secret.*--development/);
  });

  it('accepts it with --development or RAG_SERVICE_DEVELOPMENT=1, and then says development mode is on', () => {
    expect(readServiceSettings({ JWT_SECRET: developmentSecret }, ['--development'])).toMatchObject({ secret: developmentSecret, development: true });
    expect(readServiceSettings({ JWT_SECRET: developmentSecret, RAG_SERVICE_DEVELOPMENT: '1' })).toMatchObject({ development: true });
  });

  it('keeps a real secret out of development mode', () => {
    expect(readServiceSettings({ JWT_SECRET: 'a-real-secret-of-enough-length-0123456789' })).toMatchObject({ development: false });
  });
});
