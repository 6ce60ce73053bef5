// The package entry point exposes the layers a user needs, by name.
import t from 'tap';
import * as api from '../../src/index.js';

t.test('public API: handles, socket, errors, schema engine, tables', async (t) => {
  for (const name of ['RouteHandle', 'NetlinkSocket', 'ReplayTransport', 'RecordingTransport', 'LiveTransport', 'NetlinkError', 'SyscallError',
    'DecodeError', 'DumpInterruptedError', 'BulkError', 'attrs', 'nested', 'union', 'struct', 'IFLA', 'IFA', 'RTA', 'setBackend', 'loadBackend']) {
    t.ok((api as Record<string, unknown>)[name], `exports ${name}`);
  }
  t.equal(api.RTM_NEWLINK, 16);
  t.equal(api.NLM_F_CREATE, 0x400);
  t.same(api.BACKENDS, ['koffi', 'ffi-napi']);
  t.equal(api.IFLA.entry('IFLA_MTU')?.type, 4);
});

t.test('NETLINK_TS_FFI selects the default backend; a bad value is a RangeError', async (t) => {
  t.throws(() => api.setBackend('nope' as never), RangeError);
  t.equal(api.setBackend('ffi-napi').backend, 'ffi-napi');
  t.equal(api.libc().backend, 'ffi-napi');
  t.equal(api.setBackend('koffi').backend, 'koffi');
});
