// A throwaway npm registry for the install test: Verdaccio on a free localhost port, @robusta/* published to it and
// everything else proxied from the public registry, with its storage in a temp folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const verdaccioDir = dirname(require.resolve('verdaccio/package.json'));
const VERDACCIO = join(verdaccioDir, (require('verdaccio/package.json') as { bin: string }).bin);

export interface Registry {
  url: string;
  /** An npm user config holding a token for the registry (Verdaccio lets anyone publish @robusta/* here). */
  npmrc: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  await new Promise((ok) => server.close(ok));
  return port;
}

/** Starts Verdaccio with its storage under `dir`; `upstream` is the registry it proxies for other packages. */
export async function startRegistry(dir: string, upstream: string): Promise<Registry> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(dir, 'verdaccio.yaml');
  await writeFile(
    config,
    [
      `storage: ${join(dir, 'storage')}`,
      'uplinks:',
      `  upstream: { url: ${JSON.stringify(upstream)}, timeout: 60s }`,
      'packages:',
      "  '@robusta/*': { access: $all, publish: $all }",
      "  '**': { access: $all, proxy: upstream }",
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const npmrc = join(dir, 'npmrc');
  await writeFile(npmrc, `//127.0.0.1:${port}/:_authToken=robusta-install-test\n`);
  const child: ChildProcess = spawn(
    process.execPath,
    [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d));
  child.stderr?.on('data', (d: Buffer) => (log += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${log}`);
    await new Promise((ok) => setTimeout(ok, 200));
  }
  return {
    url,
    npmrc,
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((ok) => child.once('exit', ok));
    },
  };
}
