/** What a command writes to and how it ends; tests pass their own. */
export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  environment: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress bars only there). */
  interactive: boolean;
}

/** Exit codes: 0 done, 1 the operation failed, 2 the command line or its input was wrong. */
export const exitCodes = { ok: 0, failed: 1, usage: 2 } as const;

/** Stable codes of the command line's own errors, printed with every message. */
export type CommandErrorCode = 'USAGE' | 'INPUT_NOT_FOUND' | 'OUTPUT_FOLDER_NOT_FOUND' | 'OUTPUT_EXISTS' | 'NOTHING_TO_DROP';

/**
 * A mistake on the command line or a refusal, told in one line with a stable code and never a
 * stack trace: a user acts on the message, not on our call stack.
 */
export class CommandError extends Error {
  readonly code: CommandErrorCode;
  readonly exitCode: number;

  constructor(code: CommandErrorCode, message: string, exitCode: number = exitCodes.usage) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

export class UsageError extends CommandError {
  constructor(message: string) {
    super('USAGE', message);
    this.name = 'UsageError';
  }
}

export function processIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    environment: process.env,
    interactive: process.stderr.isTTY === true,
  };
}
