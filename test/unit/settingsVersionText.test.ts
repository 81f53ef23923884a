import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseSettings, SettingsError } from '../../src/config/settings';
import { buildArgs } from '../../src/image/buildContext';

// semver.valid('2.1.330 ') is '2.1.330': a version pasted with a blank passed the settings
// check and failed only at build time, after the engine was contacted, without the
// "Open Settings" button.
it('a version with blanks or a "v" is refused by the settings, not later by the build', () => {
    for (const bad of ['2.1.330 ', ' 2.1.330', '2.1.330\n', 'v2.1.330', '=2.1.330']) {
        assert.throws(
            () => parseSettings({ 'tools.claude.version': bad }),
            (error: unknown) =>
                error instanceof SettingsError &&
                error.key === 'agentContainers.tools.claude.version',
            JSON.stringify(bad),
        );
    }
    for (const good of ['2.1.330', '2.1.330-beta.1', 'latest', 'next']) {
        const settings = parseSettings({ 'tools.claude.version': good });
        const inputs = { baseImage: 'node:22', versions: { claude: good }, caCertificates: [] };
        assert.equal(settings.tools.claude.version, good);
        assert.doesNotThrow(() => buildArgs(inputs), good);
    }
});
