// Runs one or all of the test suites with Node's own test runner and ends with a line
// "N passed, N failed" that CI reads.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const suites = { unit: 'test/unit', integration: 'test/integration', e2e: 'test/e2e' };
const wanted = process.argv[2] ?? 'all';
const chosen = wanted === 'all' ? Object.keys(suites) : [wanted];
if (!chosen.every((name) => name in suites)) {
    console.error(`unknown suite "${wanted}"; use one of: all, ${Object.keys(suites).join(', ')}`);
    process.exit(2);
}

function testFiles(dir) {
    return readdirSync(dir)
        .sort()
        .flatMap((name) => {
            const path = join(dir, name);
            if (statSync(path).isDirectory()) return testFiles(path);
            return name.endsWith('.test.ts') ? [path] : [];
        });
}

const files = chosen.flatMap((name) => testFiles(suites[name]));
const filter = process.env.TEST_FILTER;
const selected = filter ? files.filter((f) => f.includes(filter)) : files;

// Files run one at a time: the integration and end-to-end suites share one Docker engine.
const args = [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./test/support/summary-reporter.mjs',
    '--test-reporter-destination=stdout',
    ...selected,
];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
