/**
 * What the .vsix ships, as vsce itself lists it: every file the image build reads from
 * media/ (a missing one breaks the build on users' machines), and nothing of the sources,
 * tests, dependencies or the README's screenshots.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { MEDIA_FILES } from '../../src/image/buildContext';

test('the package holds the extension, the image files and the docs, and nothing else', () => {
    const listed = execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' })
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);

    for (const { path: file } of MEDIA_FILES) {
        assert.ok(listed.includes(`media/${file}`), `media/${file} is not shipped`);
    }
    for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
        assert.ok(listed.includes(file), `${file} is not shipped`);
    }
    const unexpected = listed.filter((file) =>
        /^(src|test|bench|scripts|node_modules|\.ci|media\/screenshots)\//.test(file),
    );
    assert.deepEqual(unexpected, []);
});
