/**
 * What a session runs: a tool's binary with its default and the user's extra arguments, or
 * a shell. Always an argv array; nothing is ever joined into a command line.
 */
import type { Settings } from '../config/settings';
import { findTool } from '../tools/registry';

/** The target that opens a plain shell instead of a tool. */
export const SHELL_TARGET = 'shell';

export function sessionArgv(settings: Settings, target: string): string[] {
    // Not a login shell: Debian's /etc/profile would reset PATH and lose the tools' prefix.
    if (target === SHELL_TARGET) return ['bash'];
    const tool = findTool(target);
    return [tool.binary, ...tool.defaultArgs, ...(settings.tools[tool.id]?.extraArgs ?? [])];
}

export function sessionLabel(target: string): string {
    return target === SHELL_TARGET ? 'Shell' : findTool(target).label;
}

/** Variables every interactive session gets, before the caller's own. */
export const TERMINAL_ENV: Readonly<Record<string, string>> = {
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    // Without a UTF-8 locale bash and readline show "é" as M-CM-) in prompts and input.
    LANG: 'C.UTF-8',
};
