import { ConfigurationError } from '../errors.js';

const reference = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${NAME}` in every string of a config with the environment variable's value, so
 * secrets stay out of config files. Errors name the config path and the variable, never a value.
 */
export function substituteEnvironment<T>(value: T, environment: Record<string, string | undefined>, path = 'config'): T {
  if (typeof value === 'string') {
    return value.replace(reference, (_, name: string) => {
      const found = environment[name];
      if (found === undefined) throw new ConfigurationError(`${path} refers to \${${name}}, which is not set in the environment.`);
      return found;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((item, index) => substituteEnvironment(item, environment, `${path}[${index}]`)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteEnvironment(item, environment, `${path}.${key}`)]),
    ) as T;
  }
  return value;
}
