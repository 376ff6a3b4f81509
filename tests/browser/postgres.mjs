// A throwaway PostgreSQL cluster for a browser test, as tests/common/postgres.rs makes
// for the Rust tests: Debian's `postgresql` binaries (`/usr/lib/postgresql/<version>/bin`,
// or PG_BINDIR), a fresh data dir in a temp dir, a free loopback port, trust
// authentication, no fsync (the tests kill tabletop, never PostgreSQL). As root (CI), the
// cluster runs as the `postgres` user the package creates: PostgreSQL refuses to run as
// root. `scripts/test` installs the package when it is missing.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const MISSING = 'PostgreSQL is not installed: scripts/test installs Debian\'s postgresql (apt-get install postgresql)';

function bindir() {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  let entries;
  try {
    entries = fs.readdirSync('/usr/lib/postgresql');
  } catch {
    throw new Error(MISSING);
  }
  const versions = entries
    .map((name) => ({ v: Number(name), bin: path.join('/usr/lib/postgresql', name, 'bin') }))
    .filter(({ v, bin }) => Number.isInteger(v) && fs.existsSync(path.join(bin, 'initdb')))
    .sort((a, b) => a.v - b.v);
  if (!versions.length) throw new Error(`${MISSING} (no /usr/lib/postgresql/<version>/bin/initdb)`);
  return versions[versions.length - 1].bin;
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/// Runs a PostgreSQL program (as `postgres` when we are root); returns spawnSync's result.
function command(program, args) {
  const [file, argv] = isRoot() ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  return spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000 });
}

/// Runs a PostgreSQL program; throws with its output on failure.
function run(program, args) {
  const r = command(program, args);
  if (r.error) throw new Error(`${program}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${program} ${JSON.stringify(args)} exited ${r.status ?? r.signal}: ${r.stdout}${r.stderr}`);
}

/// A free loopback port (bound, read and released).
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/// Creates and starts a cluster; resolves once it accepts connections with
/// `{ url: 'postgres://postgres@127.0.0.1:PORT/postgres', stop() }`. `stop()` stops it
/// (immediate) and removes its dir; it also runs if this process exits first.
export async function startPostgres() {
  const bin = bindir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tabletop-pg-'));
  const data = path.join(dir, 'data');
  let started = false;
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    if (started) command(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', stop);
  try {
    if (isRoot()) {
      const chown = spawnSync('chown', ['postgres:postgres', dir], { encoding: 'utf8' });
      if (chown.status !== 0) throw new Error(`chown the cluster's dir to postgres: ${chown.stderr}`);
    }
    run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`;
    started = true;
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'postgres.log'), '-o', options, '-w', 'start']);
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop: async () => stop() };
  } catch (e) {
    stop();
    throw e;
  }
}
