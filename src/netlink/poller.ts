/**
 * Poller: wait for sockets to become readable without holding the event loop, and with at
 * most ONE libuv pool thread for the whole process (per FFI backend), however many sockets
 * wait. Node cannot watch a netlink fd itself (libuv only adopts TCP, UDP, pipe and TTY fds),
 * so the waiting is a poll(2) run on a pool thread (`Libc.pollAsync`). One poll per socket
 * would take a pool thread each — four waiting sockets would starve every fs and dns call
 * (UV_THREADPOOL_SIZE defaults to 4) — so every waiter shares one poll over all their fds plus
 * an eventfd; adding or cancelling a waiter writes the eventfd, and the loop re-polls with the
 * new set. With no waiter left the loop ends, its eventfd is closed, and no thread is held.
 */
import { SyscallError, errnoNumber } from '../ffi/errors.js';
import { EFD_CLOEXEC, EFD_NONBLOCK, type Libc, POLLIN } from '../ffi/libc.js';

const EINTR = errnoNumber('EINTR');
const EAGAIN = errnoNumber('EAGAIN');
const POLLFD = 8; // struct pollfd { int fd; short events; short revents; }

interface Waiter {
  readonly fd: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** A wait in progress: `promise` resolves when the fd is readable (or in error / hung up). */
export interface PollWait {
  readonly promise: Promise<void>;
  /**
   * Stop waiting: `promise` never settles, and the shared poll is kicked so it lets go of the
   * fd before the caller closes it (a poll queued on a busy pool sees -1 in the fd's slot).
   */
  cancel(): void;
}

const pollers = new WeakMap<Libc, Poller>();
/** The eventfd increment: a u64 1 (<sys/eventfd.h>). */
const ONE = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
/**
 * A pool-thread poll that keeps failing transiently (reported as EINTR) this many times in a
 * row is a persistent failure: the waiters are rejected rather than re-polled forever.
 */
const MAX_EINTR_IN_A_ROW = 100;

/** The one poll(2) thread of a process: waits on every open notification socket from a libuv pool thread, so the event loop stays free. */
export class Poller {
  readonly #lib: Libc;
  readonly #waiters = new Set<Waiter>();
  #efd = -1;
  /** The pollfd array of the poll in flight, and which waiter each slot (from 1) is. */
  #inflight: { buf: Buffer; slots: Waiter[] } | undefined;
  /** Settles when the loop has exited. */
  #loop: Promise<void> | undefined;
  /** Resolvers of `settled()` calls, run when the poll in flight returns. */
  #roundWaiters: (() => void)[] = [];

  private constructor(lib: Libc) {
    this.#lib = lib;
  }

  /** The process-wide poller of a backend. */
  static for(lib: Libc): Poller {
    let p = pollers.get(lib);
    if (!p) pollers.set(lib, (p = new Poller(lib)));
    return p;
  }

  /** True while a poll(2) runs (or is queued) on a pool thread. */
  get active(): boolean {
    return this.#loop !== undefined;
  }

  /** How many waits are pending. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Wait until `fd` is readable (POLLIN), or reports an error or hang-up. */
  wait(fd: number): PollWait {
    if (!Number.isInteger(fd) || fd < 0) throw new RangeError(`poller.wait: expected an open fd, got ${String(fd)}`);
    let w!: Waiter;
    const promise = new Promise<void>((resolve, reject) => { w = { fd, resolve, reject }; });
    this.#waiters.add(w);
    this.#start();
    return {
      promise,
      cancel: () => {
        if (!this.#waiters.delete(w)) return;
        const f = this.#inflight;
        const i = f ? f.slots.indexOf(w) : -1;
        if (f && i >= 0) f.buf.writeInt32LE(-1, (i + 1) * POLLFD);
        this.#kick();
      },
    };
  }

  /**
   * Resolves once the poll in flight (if any) has returned — after a `cancel()`, the moment the
   * pool thread has let go of the cancelled fd — or, when no wait is left, once the loop has
   * ended and closed its eventfd; at once when nothing is in flight.
   */
  settled(): Promise<void> {
    if (!this.#loop) return Promise.resolve();
    // Nobody waits any more: the loop ends with this round, and closes its eventfd.
    if (this.#waiters.size === 0) return this.#loop.then(() => undefined, () => undefined);
    if (!this.#inflight) return Promise.resolve();
    return new Promise((r) => { this.#roundWaiters.push(r); });
  }

  #start(): void {
    if (this.#loop) { this.#kick(); return; }
    this.#efd = this.#lib.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    // #run() reports every failure to the waiters; a throw that still escapes it (a bug) must
    // not become an unhandled rejection: the waiters of that round are rejected with it.
    this.#loop = this.#run().catch((err: unknown) => {
      for (const w of [...this.#waiters]) { this.#waiters.delete(w); w.reject(err); }
    }).finally(() => {
      this.#loop = undefined;
      const fd = this.#efd;
      this.#efd = -1;
      if (fd >= 0) this.#lib.close(fd);
      // A wait() that came in as the loop ended.
      if (this.#waiters.size) this.#start();
    });
  }

  #kick(): void {
    if (this.#efd < 0) return;
    try { this.#lib.write(this.#efd, ONE, 8); } catch { /* EAGAIN: the counter is already non-zero */ }
  }

  async #run(): Promise<void> {
    const drain = Buffer.alloc(8);
    let eintr = 0;
    while (this.#waiters.size) {
      const slots = [...this.#waiters];
      // A fresh array per round: the previous one may still be read by a poll that is returning.
      const buf = Buffer.alloc((slots.length + 1) * POLLFD);
      buf.writeInt32LE(this.#efd, 0);
      buf.writeInt16LE(POLLIN, 4);
      slots.forEach((w, i) => { buf.writeInt32LE(w.fd, (i + 1) * POLLFD); buf.writeInt16LE(POLLIN, (i + 1) * POLLFD + 4); });
      this.#inflight = { buf, slots };
      let failure: unknown;
      try {
        await this.#lib.pollAsync(buf, slots.length + 1, -1);
        eintr = 0;
      } catch (err) {
        if (!(err instanceof SyscallError && err.errno === EINTR) || ++eintr >= MAX_EINTR_IN_A_ROW) failure = err;
      }
      this.#inflight = undefined;
      const done = this.#roundWaiters;
      this.#roundWaiters = [];
      for (const r of done) r();
      if (failure !== undefined) {
        for (const w of slots) if (this.#waiters.delete(w)) w.reject(failure);
        continue;
      }
      if (buf.readInt16LE(6) !== 0) {
        try { this.#lib.read(this.#efd, drain, 8); } catch (err) {
          if (!(err instanceof SyscallError && err.errno === EAGAIN)) {
            for (const w of slots) if (this.#waiters.delete(w)) w.reject(err);
            continue;
          }
        }
      }
      slots.forEach((w, i) => {
        // Any revents (POLLIN, POLLERR — e.g. ENOBUFS pending —, POLLHUP, POLLNVAL) ends the wait:
        // the reader finds out which by reading.
        if (buf.readInt16LE((i + 1) * POLLFD + 6) !== 0 && this.#waiters.delete(w)) w.resolve();
      });
    }
  }
}
