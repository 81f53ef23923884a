// Bundles the extension into one CommonJS file that the editor loads.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// The benchmark builds the shipped bundle elsewhere, to measure it without touching dist/.
const outfile =
    process.argv.find((arg) => arg.startsWith('--outfile='))?.slice('--outfile='.length) ??
    'dist/extension.js';

const options = {
    entryPoints: ['src/extension.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    outfile,
    // ssh2 (pulled in by docker-modem for ssh:// hosts) loads two optional native add-ons
    // inside try/catch and falls back to pure JavaScript; leaving them out of the bundle
    // keeps that fallback working instead of breaking the bundle.
    external: ['vscode', 'cpu-features', './crypto/build/Release/sshcrypto.node'],
    sourcemap: !production,
    minify: production,
    metafile: true,
    logLevel: 'info',
};

if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
} else {
    const result = await esbuild.build(options);
    const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
    console.log(`bundle: ${(bytes / 1024).toFixed(0)} KiB`);
}
