// `nx release publish` runs this for each public package (the nx-release-publish target): `npm publish` with the
// registry, tag and dry-run it was given. @robusta/native goes out with its per-platform packages: each staged
// binary is published first, then native with them as optionalDependencies (added to its package.json only while it
// is packed, as napi-rs's prepublish does), so npm installs the one binary that matches the user's machine.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    registry: { type: 'string' },
    tag: { type: 'string' },
    dryRun: { type: 'string' },
    otp: { type: 'string' },
    access: { type: 'string' },
    firstRelease: { type: 'string' },
  },
});
const dir = positionals[0];
if (!dir)
  throw new Error(
    'usage: node scripts/release/publish.mjs <package folder> [--registry URL] [--tag T] [--dryRun=true]',
  );
const dryRun = values.dryRun === 'true';
const flags = [
  '--access',
  'public',
  ...(values.registry ? ['--registry', values.registry] : []),
  ...(values.tag ? ['--tag', values.tag] : []),
  ...(values.otp ? ['--otp', values.otp] : []),
  ...(dryRun ? ['--dry-run'] : []),
  // provenance needs an OIDC identity (GitHub Actions with id-token: write); elsewhere npm would refuse it
  ...(process.env.GITHUB_ACTIONS === 'true' && process.env.ACTIONS_ID_TOKEN_REQUEST_URL ? ['--provenance'] : []),
];

const ignoreScripts = /^(true|1)$/i.test(process.env.npm_config_ignore_scripts ?? '');

function publish(folder) {
  // prepack copies it too; with scripts off it would be missing
  copyFileSync('LICENSE', join(folder, 'LICENSE'));
  console.log(`npm publish ${folder} ${flags.join(' ')}`);
  // an absolute path: npm reads `packages/cli-kit` as a GitHub repository
  execFileSync('npm', ['publish', resolve(folder), ...flags], { stdio: 'inherit' });
}

const platformRoot = join(dir, 'npm');
if (!existsSync(platformRoot)) {
  publish(dir);
} else {
  const manifestPath = join(dir, 'package.json');
  const original = readFileSync(manifestPath, 'utf8');
  const pkg = JSON.parse(original);
  // this machine's binary: built (a cache hit when nothing changed), unless scripts are off (npm's ignore-scripts:
  // publish what is built, as the install test does), and copied into its platform package
  if (!ignoreScripts)
    execFileSync('npx', ['nx', 'run', `${pkg.name}:build`, '--outputStyle=static'], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(dir, 'scripts', 'stage-binary.mjs')], { stdio: 'inherit' });
  const optional = { ...pkg.optionalDependencies };
  for (const triple of readdirSync(platformRoot).sort()) {
    const folder = join(platformRoot, triple);
    const platform = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    if (!existsSync(join(folder, platform.main))) {
      console.log(`${platform.name}: no binary staged in ${folder} (built on another machine?), not published`);
      continue;
    }
    if (platform.version !== pkg.version)
      throw new Error(`${folder}/package.json: version ${platform.version}, ${pkg.name} is at ${pkg.version}`);
    publish(folder);
    optional[platform.name] = platform.version;
  }
  if (Object.keys(optional).length === 0)
    throw new Error(`${pkg.name}: no per-platform binary staged under ${platformRoot}`);
  writeFileSync(manifestPath, `${JSON.stringify({ ...pkg, optionalDependencies: optional }, null, 2)}\n`);
  try {
    publish(dir);
  } finally {
    writeFileSync(manifestPath, original);
  }
}
