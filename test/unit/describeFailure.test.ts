import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFailure, describeForLog } from '../../src/commands/describeFailure';
import { SettingsError } from '../../src/config/settings';
import { EngineError, type EngineAction, type EngineFailure } from '../../src/docker/engineError';

const labels = (title: string, error: unknown) =>
    describeFailure(title, error)?.buttons.map((button) => button.label);

test('each engine failure gets the button that fits it and Show Logs', () => {
    const cases: [EngineFailure, EngineAction, string][] = [
        ['notInstalled', 'installDocker', 'Install Docker'],
        ['notRunning', 'startDocker', 'Start Docker'],
        ['permissionDenied', 'fixPermissions', 'Fix Permissions'],
        ['apiTooOld', 'updateDocker', 'Update Docker'],
        ['other', 'showLogs', 'Open Settings'],
    ];
    for (const [kind, action, label] of cases) {
        const error = new EngineError(kind, `Docker: ${kind}`, action);
        assert.deepEqual(labels('Open Claude', error), [label, 'Show Logs'], kind);
        assert.equal(describeFailure('Open Claude', error)?.message, `Docker: ${kind}`);
    }
});

test('an invalid setting opens the settings at its key', () => {
    const error = new SettingsError('agentContainers.tools.claude.version', 'must be a version');
    const failure = describeFailure('Open Claude', error);
    assert.ok(failure);
    assert.match(failure.message, /^Open Claude failed: Setting agentContainers\.tools\.claude/);
    assert.deepEqual(failure.buttons[0], {
        label: 'Open Settings',
        kind: 'openSettings',
        query: 'agentContainers.tools.claude.version',
    });
});

test('cancellation is silent', () => {
    const aborted = new AbortController();
    aborted.abort();
    assert.equal(describeFailure('Build image', aborted.signal.reason), undefined);
    const canceled = Object.assign(new Error('Canceled'), { name: 'Canceled' });
    assert.equal(describeFailure('Build image', canceled), undefined);
    const abortError = Object.assign(new Error('The operation was aborted'), {
        name: 'AbortError',
    });
    assert.equal(describeFailure('Build image', abortError), undefined);
});

test('a toast is one short line, never a stack trace', () => {
    const error = new Error(
        'build failed:\nstep 3/12: npm ERR! 404\n    at Object.<anonymous> (x.js:1:1)',
    );
    const failure = describeFailure('Build image', error);
    assert.equal(failure?.message, 'Build image failed: build failed');
    assert.deepEqual(labels('Build image', error), ['Show Logs']);

    const long = describeFailure('Open Codex', new Error('x'.repeat(1000)));
    assert.ok(long && long.message.length <= 300 && !long.message.includes('\n'));
    assert.equal(
        describeFailure('Open Codex', 'plain string')?.message,
        'Open Codex failed: plain string',
    );
});

test('the log gets the causes', () => {
    const root = new Error('connect EACCES /var/run/docker.sock');
    const error = new EngineError(
        'permissionDenied',
        'No permission on the Docker socket',
        'fixPermissions',
        root,
    );
    const wrapped = new Error('Open Claude failed', { cause: error });
    assert.equal(
        describeForLog(wrapped),
        [
            'Open Claude failed',
            '  caused by: No permission on the Docker socket',
            '  caused by: connect EACCES /var/run/docker.sock',
        ].join('\n'),
    );
});
