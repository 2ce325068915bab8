// The back-office commands of issue #15 the way a vendor client calls them: request lines matched by extID, table
// rows read by the positions the reply's "structure" names. Chart edits, manager records, and a user's own export.
// Usage: node admin-client.mjs <serverApiPort> <httpPort> <adminToken> <userLogin>   (the user's password is secret1)
import net from 'node:net';

const [port, httpPort, adminToken, loginText] = process.argv.slice(2);
const login = Number(loginText);
const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
socket.setEncoding('utf8');
let buffer = '';
const pending = new Map();
let sent = 0;
socket.on('data', (chunk) => {
  buffer += chunk;
  let i;
  while ((i = buffer.indexOf('\r\n')) >= 0) {
    const line = buffer.slice(0, i);
    buffer = buffer.slice(i + 2);
    const msg = JSON.parse(line);
    if (!Array.isArray(msg) && msg.extID && pending.has(msg.extID)) {
      pending.get(msg.extID)(msg);
      pending.delete(msg.extID);
    }
  }
});

function send(command, data, token = adminToken) {
  const extID = `adm${sent++}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command}: no reply in 10 s`)), 10_000);
    pending.set(extID, (msg) => { clearTimeout(timer); resolve(msg); });
    socket.write(JSON.stringify({ command, data, extID, __token: token }) + '\r\n');
  });
}

const problems = [];
const expect = (what, reply, status = 200, error = undefined) => {
  if (reply.status !== status || (error !== undefined && reply.error !== error)) problems.push(`${what}: ${JSON.stringify(reply)}`);
  return reply;
};

// Candles of USDJPY on 2020-01-06 (a day no other test charts), read by the structure's names.
const day = 1578268800;
async function candles() {
  const reply = expect('GetChartData', await send('GetChartData', { symbol: 'USDJPY', from: day, to: day + 3600, frame: '1M' }));
  const at = Object.fromEntries(reply.data.structure.map((name, i) => [name, i]));
  return reply.data.data.map((row) => ({ open: row[at.open], high: row[at.high], low: row[at.low], close: row[at.close], time: row[at.time] }));
}

try {
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });

  // Charts (§7.8): import, update, fix a spike, delete one candle, delete the period; sync is refused as documented.
  expect('ImportChartData', await send('ImportChartData', {
    symbol: 'USDJPY', flushData: 0,
    candles: [[150.1, 150.3, 150.0, 150.2, 4, day], [150.2, 150.9, 150.1, 150.25, 2, day + 60], [150.25, 150.4, 150.2, 150.3, 5, day + 120]],
  }));
  if ((await candles()).length !== 3) problems.push('import: expected 3 candles');
  expect('UpdateChartCandle', await send('UpdateChartCandle', { symbol: 'USDJPY', candle: [150.1, 150.35, 150.0, 150.15, 6, day] }));
  const updated = (await candles())[0];
  if (updated.high !== 150.35 || updated.close !== 150.15) problems.push(`update: ${JSON.stringify(updated)}`);
  expect('FixSpikeCandle', await send('FixSpikeCandle', { symbol: 'USDJPY', time: day + 60 }));
  const fixed = (await candles())[1];
  if (fixed.high > 150.25 || fixed.open !== 150.2 || fixed.close !== 150.25) problems.push(`fix spike: ${JSON.stringify(fixed)}`);
  expect('DeleteChartCandle', await send('DeleteChartCandle', { symbol: 'USDJPY', candle: [150.25, 150.4, 150.2, 150.3, day + 120, 5] }));
  if ((await candles()).length !== 2) problems.push('delete candle: expected 2 candles');
  expect('DeleteChartPeriod', await send('DeleteChartPeriod', { symbol: 'USDJPY', from: day, to: day + 3600 }));
  if ((await candles()).length !== 0) problems.push('delete period: expected no candle');
  expect('SyncChartData', await send('SyncChartData', { index: 0, flushData: 0, sec_index: 0, symbol: 'USDJPY' }), 400, 'CHART_SYNC_UNAVAILABLE');

  // Managers: add, sign in with the record's password, list, change, delete; the deleted one cannot sign in.
  const name = `node-${process.pid}`;
  const email = `${name}@broker.test`;
  const added = expect('AddManager', await send('AddManager', { name, email, password: 'node-pass-1', groups: 'demo*', see_accounts: 1 }));
  const id = added.data.id;
  const signedIn = expect('AuthManager', await send('AuthManager', { email, password: 'node-pass-1' }, ''));
  if (typeof signedIn.data.__token !== 'string' || 'password' in signedIn.data) problems.push(`AuthManager reply: ${JSON.stringify(signedIn.data)}`);
  const list = expect('GetManagers', await send('GetManagers', {}));
  const rows = Array.isArray(list.data.rows) ? list.data.rows : [];
  if (!rows.some((r) => (Array.isArray(r) ? r.includes(id) : r.id === id))) problems.push(`GetManagers lacks ${id}`);
  expect('UpdateManager', await send('UpdateManager', { id, see_accounts: 0 }));
  expect('DeleteManager', await send('DeleteManager', { id }));
  expect('AuthManager after delete', await send('AuthManager', { email, password: 'node-pass-1' }, ''), 403, 'USER_NOT_FOUND_OR_INCORRECT');

  // A trader exports its own trades to Excel and downloads the file with its own token.
  const user = expect('AuthUser', await send('AuthUser', { login, password: 'secret1' }, ''));
  const exported = expect('ExportTradesByLogin', await send('ExportTradesByLogin', { tradeType: 0, format: 'excel' }, user.data.__token));
  const response = await fetch(`http://127.0.0.1:${httpPort}/storage/${exported.data.file_name}`, { headers: { authorization: `Bearer ${user.data.__token}` } });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 200 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) problems.push(`xlsx download: ${response.status}`);
} catch (e) {
  problems.push(String(e));
}
socket.destroy();
console.log(JSON.stringify({ ok: problems.length === 0, problems }));
process.exit(problems.length === 0 ? 0 : 1);
