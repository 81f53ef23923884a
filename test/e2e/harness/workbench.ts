/**
 * Drives the code-server workbench in Debian's Chromium the way a user does: the command
 * palette, the terminal, the status bar and notifications. Terminal text is read from the
 * page (`.xterm-rows`), which needs "terminal.integrated.gpuAcceleration": "off".
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const CHROMIUM = process.env.AGENT_TEST_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

export class Workbench {
    private constructor(
        private readonly browser: Browser,
        readonly page: Page,
        private readonly screenshotDir: string,
    ) {}

    /** Opens the folder in the editor and waits until the workbench has loaded. */
    static async open(url: string, folder: string, screenshotDir: string): Promise<Workbench> {
        mkdirSync(screenshotDir, { recursive: true });
        const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
        try {
            const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
            await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
            await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
            // The explorer shows the folder once the workbench has restored its state.
            await page.locator('.explorer-folders-view').waitFor({ timeout: 60_000 });
            await page.evaluate(RECORDER);
            return new Workbench(browser, page, screenshotDir);
        } catch (error) {
            await browser.close();
            throw error;
        }
    }

    /** Runs a command from the palette (F1) by its title, as a user does. */
    async runCommand(title: string): Promise<void> {
        const palette = this.page.locator('.quick-input-widget');
        const input = palette.locator('input.input');
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('F1');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(`>${title}`);
        // The palette matches loosely ("Start Container" also finds "Restart Container"), so
        // pick the entry whose label is exactly the title, with or without its category.
        const label = new RegExp(`(^|: )${escapeRegExp(title)}$`);
        const entry = palette
            .locator('.monaco-list-row')
            .filter({ has: this.page.locator('.label-name', { hasText: label }) })
            .first();
        await entry.waitFor({ timeout: 10_000 });
        await entry.click();
        await palette.waitFor({ state: 'hidden', timeout: 10_000 });
    }

    /** Text of the visible terminal(s), one line per row. */
    async terminalText(): Promise<string> {
        const rows = this.page.locator('.xterm-rows').filter({ visible: true });
        // Runs in the page; the project's type library has no DOM, hence the shape.
        type Rows = { children: ArrayLike<{ textContent: string | null }> };
        const texts = await rows.evaluateAll((elements) =>
            (elements as unknown as Rows[]).map((e) =>
                Array.from(e.children, (row) => row.textContent ?? '').join('\n'),
            ),
        );
        return texts.join('\n');
    }

    /** Waits until the visible terminal shows text matching `pattern`; returns that text. */
    async waitForTerminalText(pattern: RegExp, timeoutMs: number): Promise<string> {
        const deadline = Date.now() + timeoutMs;
        let text = '';
        while (Date.now() < deadline) {
            text = await this.terminalText();
            if (pattern.test(text)) return text;
            await this.failOnErrorNotification();
            await this.page.waitForTimeout(250);
        }
        throw new Error(`terminal never showed ${pattern}; it shows:\n${text.trimEnd()}`);
    }

    /**
     * Every terminal line shown since the last reset, in order of first appearance. A CLI
     * that draws its screen and then prints an error may scroll the screen away between
     * two looks at the page; the recorder in the page sees every change.
     */
    async terminalHistory(): Promise<string> {
        return this.page.evaluate('window.__agentE2e.rows.join("\\n")') as Promise<string>;
    }

    async resetTerminalHistory(): Promise<void> {
        await this.page.evaluate('window.__agentE2e.reset()');
    }

    /**
     * Waits until the terminals have shown text matching `pattern` since the last reset;
     * fails at once when they show `failOn` first (a CLI that exited, say).
     */
    async waitForTerminalHistory(
        pattern: RegExp,
        timeoutMs: number,
        failOn?: RegExp,
    ): Promise<string> {
        const deadline = Date.now() + timeoutMs;
        let text = '';
        while (Date.now() < deadline) {
            text = await this.terminalHistory();
            if (pattern.test(text)) return text;
            if (failOn?.test(text)) throw new Error(`terminal showed ${failOn}:\n${text}`);
            await this.failOnErrorNotification();
            await this.page.waitForTimeout(250);
        }
        throw new Error(`terminal never showed ${pattern}; it showed:\n${text.trimEnd()}`);
    }

    /**
     * Throws once any error notification has shown: a wait for a CLI's screen then ends
     * with the editor's own message instead of running into its timeout.
     */
    async failOnErrorNotification(): Promise<void> {
        const errors = (await this.page.evaluate('window.__agentE2e.errors')) as string[];
        if (errors.length > 0) throw new Error(`the editor showed an error: ${errors.join(' | ')}`);
    }

    /** Every text a notification toast showed since the workbench opened. */
    async notificationHistory(): Promise<string[]> {
        return this.page.evaluate('window.__agentE2e.notes.slice()') as Promise<string[]>;
    }

    /** Names of the terminals in the panel's tab list (or the single terminal's title). */
    async terminalTabs(): Promise<string[]> {
        const tabs = this.page.locator('.terminal-tabs-entry .monaco-icon-label');
        return (await tabs.allTextContents()).map((t) => t.trim());
    }

    /** Types into the active terminal, ending with Enter. */
    async typeInTerminal(line: string): Promise<void> {
        await this.runCommand('Terminal: Focus Terminal');
        await this.page
            .locator('.xterm.focus')
            .filter({ visible: true })
            .waitFor({ timeout: 10_000 });
        // The first key a terminal gets in this browser never reaches the shell. A space
        // and a backspace cancel out whether or not the space was dropped.
        await this.page.keyboard.press('Space');
        await this.page.keyboard.press('Backspace');
        await this.page.keyboard.type(line, { delay: 20 });
        await this.page.keyboard.press('Enter');
    }

    /** The extension's status bar item(s); their DOM id starts with the extension id. */
    statusBarItem(extensionId: string): Locator {
        return this.page.locator(`.statusbar-item[id^="${extensionId}."]`);
    }

    /** Waits until a notification toast shows text matching `pattern`. */
    async waitForNotification(pattern: RegExp, timeoutMs: number): Promise<Locator> {
        const toast = this.page.locator('.notification-toast').filter({ hasText: pattern });
        await toast.first().waitFor({ state: 'visible', timeout: timeoutMs });
        return toast.first();
    }

    async screenshot(name: string): Promise<string> {
        const path = join(this.screenshotDir, `${name}.png`);
        await this.page.screenshot({ path });
        return path;
    }

    async close(): Promise<void> {
        await this.browser.close();
    }
}

// Runs in the page: records each terminal row text and notification text when it first
// appears. Plain JavaScript in a string, as the project's type library has no DOM.
const RECORDER = `(() => {
    const state = { rows: [], notes: [], errors: [], seenRows: new Set(), seenNotes: new Set() };
    state.reset = () => { state.rows.length = 0; state.seenRows.clear(); };
    const add = (list, seen, text) => {
        if (text && text.trim() && !seen.has(text)) { seen.add(text); list.push(text); }
    };
    const collect = () => {
        for (const row of document.querySelectorAll('.xterm-rows > div')) {
            add(state.rows, state.seenRows, row.textContent);
        }
        for (const toast of document.querySelectorAll('.notification-toast')) {
            const message = toast.querySelector('.notification-list-item-message');
            const text = (message || toast).textContent;
            if (toast.querySelector('.codicon-error') && !state.seenNotes.has(text)) {
                state.errors.push(text);
            }
            add(state.notes, state.seenNotes, text);
        }
    };
    let queued = false;
    new MutationObserver(() => {
        if (queued) return;
        queued = true;
        queueMicrotask(() => { queued = false; collect(); });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
    window.__agentE2e = state;
})()`;

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
