#!/usr/bin/env node
'use strict';
/*
 * netlink-ts bin prologue (tools/bin-prologue.cjs; tools/bin-prologue-build.mjs writes one copy
 * per bin, dist/bundle/<bin>.cjs, naming its bundle and the bundle's content hash).
 *
 * Start-up (issue 16): the bin is a CommonJS bundle (dist/bundle/bin/<bin>.cjs: no ESM loader,
 * no module graph to resolve, one file read), compiled through vm.Script with a V8 code cache,
 * so a second run deserialises the bytecode of every function the first run compiled instead of
 * parsing and compiling them again.
 *
 * The cache is an optimisation only; whatever its state, the bin runs the same code:
 * - It lives in a directory of the user's (NETLINK_TS_CACHE_DIR, else $XDG_CACHE_HOME/netlink-ts,
 *   else ~/.cache/netlink-ts), never beside the bundle: installs may be read-only or another
 *   user's. That directory (and the file) must be owned by the user and not writable by group or
 *   others, else the cache is neither read nor written (a cache is code).
 * - A cache file names the bundle's build hash; its header repeats the hash, the bundle's size
 *   and mtime, node's version and arch, and the payload's length and CRC-32. Any mismatch (stale,
 *   truncated, corrupt, another node) and the bundle is compiled normally; so is a cache V8
 *   itself rejects (other V8 flags). After such a run the cache is written again, atomically
 *   (temporary file + rename): concurrent runs never see half a file.
 * - Any failure to read or write is ignored: the command's output and exit status never depend on it.
 * - NETLINK_TS_CODE_CACHE=0 turns it off; NETLINK_TS_CODE_CACHE=debug reports its state on stderr
 *   (one "netlink-ts code cache: …" line per run).
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');

const NAME = '__NLTS_BIN_NAME__';
const BUNDLE = path.join(__dirname, '__NLTS_BUNDLE__');
const BUILD = '__NLTS_BUNDLE_HASH__';
const MAGIC = 'nlts-code-cache 1\n';
const MAX_CACHE = 64 << 20;
/**
 * What this run exercises (the subcommand, the CNI command): a cache written by `--version`
 * holds little of what `link` compiles, so a hit from a run of another kind is rewritten once
 * with this run's functions added (up to 32 kinds).
 */
const PROFILE = `${process.env.CNI_COMMAND || ''}:${process.argv[2] || ''}`.slice(0, 40);

const mode = process.env.NETLINK_TS_CODE_CACHE;
const debug = mode === 'debug';
const state = { read: 'none', write: 'not needed', profiles: [] };

/** The cache directory, or undefined (no usable base). */
function cacheDir() {
  const env = process.env;
  if (env.NETLINK_TS_CACHE_DIR) return path.isAbsolute(env.NETLINK_TS_CACHE_DIR) ? env.NETLINK_TS_CACHE_DIR : undefined;
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'netlink-ts');
  let home = env.HOME;
  if (!home) { try { home = require('node:os').homedir(); } catch { home = undefined; } }
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'netlink-ts') : undefined;
}

/** Owned by us, not group/other-writable, and (for directories) not a symlink. */
function safe(st, dir) {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  return (dir ? st.isDirectory() : st.isFile()) && st.uid === uid && (st.mode & 0o022) === 0;
}

function crc(buf) {
  return require('node:zlib').crc32(buf) >>> 0;
}

/** The cached data for this bundle, or undefined (with the reason in state.read). */
function readCache(file, key) {
  let fd = -1;
  try {
    const dirSt = fs.lstatSync(path.dirname(file));
    if (!safe(dirSt, true)) { state.read = 'unsafe directory'; return undefined; }
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    const st = fs.fstatSync(fd);
    if (!safe(st, false)) { state.read = 'unsafe file'; return undefined; }
    if (st.size > MAX_CACHE) { state.read = 'too large'; return undefined; }
    const data = Buffer.allocUnsafe(st.size);
    let n = 0;
    while (n < data.length) {
      const r = fs.readSync(fd, data, n, data.length - n, n);
      if (r === 0) break;
      n += r;
    }
    const nl = data.indexOf(10, MAGIC.length);
    if (n !== data.length || nl < 0 || data.toString('latin1', 0, MAGIC.length) !== MAGIC) { state.read = 'corrupt'; return undefined; }
    const head = JSON.parse(data.toString('utf8', MAGIC.length, nl));
    const payload = data.subarray(nl + 1);
    if (head.key !== key) { state.read = 'stale'; return undefined; }
    if (head.length !== payload.length || head.crc !== crc(payload)) { state.read = 'corrupt'; return undefined; }
    state.read = 'hit';
    state.profiles = Array.isArray(head.profiles) ? head.profiles.filter((p) => typeof p === 'string') : [];
    return payload;
  } catch (err) {
    const code = err && err.code;
    state.read = code === 'ENOENT' ? 'miss' : code === 'ELOOP' ? 'unsafe file' : code ? `unreadable (${code})` : 'corrupt';
    return undefined;
  } finally {
    if (fd >= 0) try { fs.closeSync(fd); } catch { /* nothing to do */ }
  }
}

function writeCache(file, key, payload) {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!safe(fs.lstatSync(dir), true)) { state.write = 'skipped: unsafe directory'; return; }
  const profiles = state.profiles.includes(PROFILE) ? state.profiles : [...state.profiles, PROFILE];
  const head = JSON.stringify({ key, length: payload.length, crc: crc(payload), profiles });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  try {
    fs.writeSync(fd, `${MAGIC}${head}\n`);
    fs.writeSync(fd, payload);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    try { fs.unlinkSync(tmp); } catch { /* gone */ }
    throw err;
  }
  // Caches of other builds of this bin are dead weight: remove them.
  for (const f of fs.readdirSync(dir)) {
    if (f.startsWith(`${NAME}-`) && f.endsWith('.cache') && f !== path.basename(file)) try { fs.unlinkSync(path.join(dir, f)); } catch { /* another run did */ }
  }
  state.write = 'written';
}

function load() {
  const source = fs.readFileSync(BUNDLE, 'utf8');
  const wrapper = `(function (exports, require, module, __filename, __dirname, __nlts_import_meta_url) {${source}\n})`;
  let file, key, cached;
  if (mode !== '0') {
    const dir = cacheDir();
    if (dir) {
      file = path.join(dir, `${NAME}-${BUILD}.cache`);
      try {
        const st = fs.statSync(BUNDLE);
        key = `${BUILD} ${st.size} ${st.mtimeMs} ${process.version} ${process.arch}`;
        cached = readCache(file, key);
      } catch { state.read = 'error'; }
    } else state.read = 'no cache directory';
  } else state.read = 'off';
  let script;
  try {
    script = new vm.Script(wrapper, { filename: BUNDLE, cachedData: cached });
  } catch (err) {
    if (cached === undefined) throw err; // a real syntax error in the bundle
    state.read = 'unusable';
    cached = undefined;
    script = new vm.Script(wrapper, { filename: BUNDLE });
  }
  if (cached !== undefined && script.cachedDataRejected) state.read = 'rejected by V8';
  const rejected = cached !== undefined && script.cachedDataRejected;
  const newKind = cached !== undefined && !rejected && !state.profiles.includes(PROFILE) && state.profiles.length < 32;
  if (file !== undefined && key !== undefined && (cached === undefined || rejected || newKind)) {
    // Written after the command ran, so the cache holds every function this run compiled.
    process.once('exit', () => {
      if (newKind) state.read = `hit, new kind of run ${JSON.stringify(PROFILE)}`;
      try { writeCache(file, key, script.createCachedData()); } catch (err) { state.write = `failed: ${err && err.code ? err.code : err}`; }
      if (debug) process.stderr.write(`netlink-ts code cache: ${state.read}, ${state.write} (${file})\n`);
    });
  } else if (debug) process.on('exit', () => process.stderr.write(`netlink-ts code cache: ${state.read}, ${state.write}${file ? ` (${file})` : ''}\n`));
  const mod = { exports: {}, filename: BUNDLE, id: BUNDLE };
  script.runInThisContext()(mod.exports, createRequire(BUNDLE), mod, BUNDLE, path.dirname(BUNDLE), pathToFileURL(BUNDLE).href);
  return mod.exports;
}

const exported = load();
module.exports = exported;
if (require.main === module) exported.binMain();
