import { InvalidSourceError } from './errors.js';

/** Longest source path accepted, in characters. */
export const MAX_SOURCE_LENGTH = 1024;

/**
 * Normalises a hierarchical source path such as `kb/finance/q4-report`. Paths are segments
 * joined by '/'; a trailing '/' is dropped, so `kb/finance/` and `kb/finance` name the same
 * folder. Empty, `.` and `..` segments are refused: each would let two spellings name one path.
 */
export function normalizeSource(source: unknown, what = 'source'): string {
  if (typeof source !== 'string') {
    throw new InvalidSourceError(`A ${what} must be a string, got ${source === null ? 'null' : typeof source}.`);
  }
  const trimmed = source.endsWith('/') ? source.slice(0, -1) : source;
  if (trimmed.length === 0 || trimmed.length > MAX_SOURCE_LENGTH) {
    throw new InvalidSourceError(`A ${what} must be 1 to ${MAX_SOURCE_LENGTH} characters long.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new InvalidSourceError(`A ${what} may not contain control characters.`);
  }
  for (const segment of trimmed.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new InvalidSourceError(
        `${JSON.stringify(source)} is not a valid ${what}: segments between '/' must be non-empty and not '.' or '..'.`,
      );
    }
  }
  return trimmed;
}

/** Every segment prefix of a path, shortest first: `a/b/c` → `a`, `a/b`, `a/b/c`. */
export function sourceAncestors(path: string): string[] {
  const segments = path.split('/');
  return segments.map((_, index) => segments.slice(0, index + 1).join('/'));
}

/**
 * Whether `path` lies in the folder `prefix`, segment by segment: `kb/fin` holds `kb/fin` and
 * `kb/fin/q4` but not `kb/finance`. Matching is exact; no character is a wildcard.
 */
export function isWithinSource(path: string | undefined, prefix: string): boolean {
  return path !== undefined && (path === prefix || path.startsWith(`${prefix}/`));
}

export function joinSource(parent: string, child: string | undefined): string {
  return child === undefined ? parent : `${parent}/${child}`;
}
