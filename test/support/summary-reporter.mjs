// A test reporter that prints only the closing "N passed, N failed[, N skipped]" line.
export default async function* summaryReporter(source) {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for await (const event of source) {
        if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
        const { data } = event;
        // Suites and the per-file wrappers are containers, not tests of their own, except
        // when a file fails outside any test (it did not load, or a hook threw).
        const container = data.details?.type === 'suite' || data.name === data.file;
        const ownFailure = data.details?.error?.failureType !== 'subtestsFailed';
        if (container && !(event.type === 'test:fail' && ownFailure)) continue;
        if (data.skip || data.todo) skipped++;
        else if (event.type === 'test:pass') passed++;
        else failed++;
    }
    yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`;
}
