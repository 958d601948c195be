import type { CommandIo } from './command-io.js';

/**
 * Progress on stderr: one line redrawn in place on a terminal, a plain line at most every few
 * seconds otherwise (CI logs), and nothing with --json (stdout stays machine-readable).
 */
export function progressLine(io: CommandIo, enabled: boolean) {
  let lastPlain = 0;
  return {
    update(text: string) {
      if (!enabled) return;
      if (io.interactive) {
        io.stderr(`\r\u001b[2K${text}`);
      } else if (Date.now() - lastPlain > 2_000) {
        lastPlain = Date.now();
        io.stderr(`${text}\n`);
      }
    },
    done(text: string) {
      if (!enabled) return;
      io.stderr(io.interactive ? `\r\u001b[2K${text}\n` : `${text}\n`);
    },
  };
}
