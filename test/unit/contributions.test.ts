import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { isRestrictedSetting } from '../../src/config/readSettings';
import { SETTING_DEFAULTS } from '../../src/config/settings';
import { TOOLS } from '../../src/tools/registry';

interface Property {
    readonly markdownDescription?: string;
    readonly default?: unknown;
    readonly enum?: string[];
    readonly enumDescriptions?: string[];
    readonly scope?: string;
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const nls: Record<string, string> = JSON.parse(readFileSync('package.nls.json', 'utf8'));
const properties: Record<string, Property> = pkg.contributes.configuration.properties;
const commands: { command: string; title: string; category: string }[] = pkg.contributes.commands;
const PREFIX = 'agentContainers.';

/** The text behind a "%key%" placeholder. */
function localized(value: string | undefined): string | undefined {
    const match = /^%(.+)%$/.exec(value ?? '');
    return match ? nls[match[1]] : value;
}

test('package.json and package.nls.json are what the generator makes', () => {
    const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/contributions.mjs', '--check'],
        { encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stderr);
});

test('every registry tool has its commands and settings', () => {
    for (const tool of TOOLS) {
        const open = commands.find((c) => c.command === `${PREFIX}open.${tool.id}`);
        assert.equal(localized(open?.title), `Open ${tool.label} in Container`);
        const remove = commands.find((c) => c.command === `${PREFIX}removeVolumes.${tool.id}`);
        assert.equal(localized(remove?.title), `Remove ${tool.label} Volumes…`);
        assert.equal(properties[`${PREFIX}tools.${tool.id}.version`]?.default, tool.defaultVersion);
        assert.deepEqual(properties[`${PREFIX}tools.${tool.id}.extraArgs`]?.default, []);
    }
});

test('the settings are exactly the schema keys, with the schema defaults', () => {
    const contributed = Object.keys(properties).map((key) => key.slice(PREFIX.length));
    assert.deepEqual(contributed.sort(), Object.keys(SETTING_DEFAULTS).sort());
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
        assert.deepEqual(properties[PREFIX + key].default, value, key);
    }
});

test('every setting is described, and every enum value too', () => {
    for (const [key, property] of Object.entries(properties)) {
        assert.ok(localized(property.markdownDescription), key);
        if (property.enum) {
            const descriptions = property.enumDescriptions?.map(localized) ?? [];
            assert.equal(descriptions.length, property.enum.length, key);
            assert.ok(descriptions.every(Boolean), key);
        }
    }
});

test('hosts, images, certificates and mounts are machine settings', () => {
    for (const key of [
        'image.baseImage',
        'image.name',
        'image.caCertificates',
        'docker.host',
        'container.workspaceMountPath',
    ]) {
        assert.match(properties[PREFIX + key].scope ?? '', /^machine(-overridable)?$/, key);
    }
});

test('untrusted workspaces restrict the same settings the reader ignores', () => {
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    const expected = Object.keys(properties).filter((key) =>
        isRestrictedSetting(key.slice(PREFIX.length)),
    );
    assert.deepEqual([...restricted].sort(), expected.sort());
});

test('every command has the category, a title and a palette condition', () => {
    const palette: { command: string; when: string }[] = pkg.contributes.menus.commandPalette;
    for (const command of commands) {
        assert.equal(command.category, 'Agent Containers', command.command);
        assert.ok(localized(command.title), command.command);
        const when = palette.find((entry) => entry.command === command.command)?.when;
        if (command.command !== `${PREFIX}showLogs`) assert.ok(when, command.command);
    }
});

test('the editor range stays at 1.90', () => {
    assert.equal(pkg.engines.vscode, '^1.90.0');
});
