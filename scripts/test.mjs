#!/usr/bin/env node
// `pnpm test`: every check, in the order a failure is cheapest to read. Build first (the packaging and runtime suites
// load dist/), then the formatter's check, lint and typecheck, then every test file on this Node, then every suite
// again on each other Node major we support (from the npm registry's `node` package, through npx). A failing step
// does not stop the ones after it, so one run shows everything that is wrong; the exit code is non-zero if any step
// failed.
//
// KEYGUARD_TEST_NODES: the other Node majors, space-separated (default "22 24 26"); "none" runs this Node only.
// Suites about other runtimes and about installing the tarballs (test/runtimes, test/packaging/published*) run once,
// on this Node: what they prove does not depend on the Node that starts them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const currentMajor = Number(process.versions.node.split('.')[0]);
const requested = (process.env.KEYGUARD_TEST_NODES ?? '22 24 26').trim();
const otherMajors =
  requested === 'none'
    ? []
    : requested
        .split(/[\s,]+/)
        .map(Number)
        .filter((major) => major !== currentMajor);
const ONCE_ONLY = ['test/runtimes/**', 'test/packaging/published*'];

const startedAt = Date.now();
const failures = [];
const resultFiles = [];

function run(title, command, args, { stopOnFailure = false } = {}) {
  const started = Date.now();
  console.log(`\n== ${title}`);
  const { status, error } = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (status === 0) {
    console.log(`== ${title}: ok (${seconds} s)`);
    return;
  }
  console.log(`== ${title}: FAILED (${error ? error.message : `exit ${status}`}, ${seconds} s)`);
  failures.push(title);
  if (stopOnFailure) finish();
}

// The first line of a failure's message, so that a run's tail also says why. A message may quote a value under test,
// so anything shaped like a key or a secret (a prefixed token, a long opaque run) is masked and the line is cut short.
function failureReason(test) {
  const first = String(test.failureMessages?.[0] ?? '').split('\n')[0] ?? '';
  const masked = first
    .replace(/\b[a-z]{1,12}_[A-Za-z0-9_-]{6,}/g, '[masked]')
    .replace(/[A-Za-z0-9+/=_-]{24,}/g, '[masked]');
  return masked.length > 240 ? `${masked.slice(0, 240)}…` : masked;
}

// The names of failed tests, each with its reason, so that the last lines of a run say what failed even when only its
// tail is kept.
function failedTestNames(results) {
  const names = [];
  for (const suite of results.testResults ?? []) {
    const file = suite.name ? suite.name.replace(root, '') : '?';
    const failedTests = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
    if (failedTests.length === 0 && suite.status === 'failed') names.push(`${file} (the file itself failed)`);
    for (const test of failedTests) {
      const reason = failureReason(test);
      names.push(`${file} > ${test.fullName ?? test.title}${reason ? `\n      ${reason}` : ''}`);
    }
  }
  return names;
}

function finish() {
  let passed = 0;
  let failed = 0;
  const failedTests = [];
  for (const file of resultFiles) {
    if (!existsSync(file)) {
      failed += 1; // a suite run that wrote no results (it crashed or never started) counts as a failure
      failedTests.push(`${file}: no results written`);
      continue;
    }
    const results = JSON.parse(readFileSync(file, 'utf8'));
    const failedSuites = results.numFailedTestSuites ?? 0;
    passed += results.numPassedTests;
    failed += results.numFailedTests + (results.numFailedTests === 0 && failedSuites > 0 ? failedSuites : 0);
    for (const name of failedTestNames(results)) failedTests.push(`${file}: ${name}`);
  }
  if (failedTests.length > 0) console.log(`\nfailed tests:\n${failedTests.map((name) => `  ${name}`).join('\n')}`);
  if (failures.length > 0) console.log(`\nfailed steps: ${failures.join('; ')}`);
  console.log(`all steps: ${((Date.now() - startedAt) / 60_000).toFixed(1)} min`);
  // The closing line CI reads; failed steps without test results (lint, typecheck) are counted too.
  const stepFailuresWithoutResults = failures.filter((title) => !title.startsWith('tests')).length;
  console.log(`${passed} passed, ${failed + stepFailuresWithoutResults} failed`);
  process.exit(failures.length > 0 ? 1 : 0);
}

for (const file of ['.vitest-results.json', ...otherMajors.map((major) => `.vitest-results-node${major}.json`)])
  rmSync(file, { force: true });

run('build', 'pnpm', ['build'], { stopOnFailure: true });
run('format', 'pnpm', ['format:check']);
run('lint', 'pnpm', ['lint']);
run('typecheck', 'pnpm', ['typecheck']);

const vitest = './node_modules/vitest/vitest.mjs';
resultFiles.push('.vitest-results.json');
run(`tests on Node ${process.versions.node}`, process.execPath, [
  vitest,
  'run',
  '--outputFile.json=.vitest-results.json',
]);

for (const major of otherMajors) {
  const output = `.vitest-results-node${major}.json`;
  resultFiles.push(output);
  const excludes = ONCE_ONLY.flatMap((pattern) => ['--exclude', pattern]);
  run(`tests on Node ${major}`, 'npx', [
    '-y',
    `node@${major}`,
    vitest,
    'run',
    ...excludes,
    `--outputFile.json=${output}`,
  ]);
}

finish();
