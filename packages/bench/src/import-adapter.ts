import { ConfigurationError } from '@tenantvec/core';

export type Module = Record<string, unknown>;

/** Imports an optional adapter package, saying how to install it when it is missing. */
export async function importAdapter(packageName: string, backend: string): Promise<Module> {
  try {
    return (await import(packageName)) as Module;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(packageName)) {
      throw new ConfigurationError(`The ${backend} backend needs ${packageName}, which is not installed: npm install ${packageName}`, { cause: error });
    }
    throw error;
  }
}
