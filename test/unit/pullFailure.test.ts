import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pullFailure } from '../../src/image/pullFailure';

const NAME = 'registry.example/team/agent:1';

function engineError(statusCode: number, message: string): Error {
    // The shape dockerode gives: its own prefix in message, the engine's body in json.
    return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), {
        statusCode,
        json: { message },
    });
}

test('a missing tag names the image and says what to check, in one line', () => {
    const cause = engineError(
        404,
        `manifest for ${NAME} not found: manifest unknown: manifest unknown`,
    );
    const error = pullFailure(NAME, cause);
    assert.equal(
        error.message,
        `Could not pull image ${NAME}: manifest for ${NAME} not found: manifest unknown. ` +
            'Check agentContainers.image.name (name and tag) and that you are logged in to ' +
            'its registry.',
    );
    assert.equal(error.cause, cause);
});

test('an unreachable registry says to check that it is reachable', () => {
    const error = pullFailure(
        NAME,
        engineError(500, 'Get "https://registry.example/v2/": dial tcp: connection refused'),
    );
    assert.match(error.message, /^Could not pull image registry\.example\/team\/agent:1: Get /);
    assert.match(error.message, /registry is reachable from Docker\.$/);
    assert.ok(!error.message.includes('\n'));
});

test('an error from the progress stream keeps only its first line', () => {
    const error = pullFailure(NAME, new Error('unexpected EOF\nmore detail'));
    assert.match(error.message, /: unexpected EOF\. Check /);
});
