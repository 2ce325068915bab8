// Zero-dependency Server API test client. It classifies every incoming line exactly as the official
// clients do (scaletrade-tcp §1.1) and fails on anything they would drop or mis-route, while running a
// scenario that subscribes, trades, deposits and receives a notification.
// Usage: node classify-client.mjs <port> <adminToken> <login>
import net from 'node:net';
import { randomUUID } from 'node:crypto';

const [port, token, loginText] = process.argv.slice(2);
const login = Number(loginText);
const problems = [];
const counts = { t: 0, n: 0, sr: 0, sc: 0, event: {}, response: 0 };
const pending = new Map();
const seenNotifyTokens = new Set();
let buffer = '';

function fail(reason, line) {
  problems.push(`${reason}: ${line.slice(0, 300)}`);
}

// §1.1, in the clients' order: arrays by marker, then objects with "event", then objects with "extID".
function classify(line) {
  if (line.trim() === '') return; // clients ignore empty lines
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return fail('not JSON (clients would try a lossy repair)', line);
  }
  if (Array.isArray(msg)) {
    switch (msg[0]) {
      case 't':
        if (msg.length < 4) return fail('"t" shorter than 4', line);
        if (msg.length !== 5) return fail('"t" must have exactly 5 elements', line);
        if (typeof msg[1] !== 'string' || typeof msg[2] !== 'number' || typeof msg[3] !== 'number') return fail('"t" element types', line);
        if (!Number.isInteger(msg[4]) || msg[4] > 9_999_999_999) return fail('"t" time must be Unix seconds', line);
        counts.t++;
        return;
      case 'n': {
        if (msg.length < 8) return fail('"n" shorter than 8', line);
        // JS: typeof arr[8] === "object" decides whether data is present; null would be taken as data.
        const hasData = typeof msg[8] === 'object';
        if (hasData && msg[8] === null) return fail('"n" with null data slot', line);
        const code = hasData ? msg[9] : msg[8];
        if (msg.length !== (hasData ? 10 : 9)) return fail('"n" length must be 9 without data, 10 with', line);
        if (!Number.isInteger(code)) return fail('"n" code must be an integer', line);
        if (seenNotifyTokens.has(msg[3])) return fail('"n" token repeated (clients drop it)', line);
        seenNotifyTokens.add(msg[3]);
        counts.n++;
        return;
      }
      case 'sr':
      case 'sc':
        if (msg.length !== 2) return fail(`"${msg[0]}" must have exactly 2 elements`, line);
        counts[msg[0]]++;
        return;
      default:
        return fail('unknown array marker (logged and dropped)', line);
    }
  }
  if (msg === null || typeof msg !== 'object') return fail('neither array nor object', line);
  if ('event' in msg) {
    if ('extID' in msg) return fail('event object carries extID', line);
    if (typeof msg.type !== 'number' || typeof msg.data !== 'object') return fail('event without numeric type / data object', line);
    counts.event[msg.event] = (counts.event[msg.event] ?? 0) + 1;
    return;
  }
  if ('extID' in msg) {
    const waiter = pending.get(msg.extID);
    if (!waiter) return fail('response for no pending request (PHP drops it)', line);
    pending.delete(msg.extID);
    counts.response++;
    waiter(msg);
    return;
  }
  fail('unknown message (dropped)', line);
}

const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
socket.setNoDelay(true);
socket.setEncoding('utf8');
socket.on('data', (chunk) => {
  buffer += chunk;
  let i;
  while ((i = buffer.indexOf('\r\n')) >= 0) {
    const line = buffer.slice(0, i);
    buffer = buffer.slice(i + 2);
    if (line.includes('\n') || line.includes('\r')) fail('raw newline inside a message', line);
    classify(line);
  }
});

function send(command, data) {
  const extID = randomUUID().replace(/-/g, '').slice(0, 12);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command}: no reply in 10 s`)), 10_000);
    pending.set(extID, (msg) => {
      clearTimeout(timer);
      if (msg.status !== 200) reject(new Error(`${command}: ${JSON.stringify(msg)}`));
      else resolve(msg.data);
    });
    socket.write(JSON.stringify({ command, data, extID, __token: token }) + '\r\n');
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check, what) {
  for (let i = 0; i < 100 && !check(); i++) await sleep(50);
  if (!check()) problems.push(`never received ${what}`);
}

try {
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  await send('Subscribe', { chanels: ['EURUSD', 'GBPUSD'] });
  await send('SubscribeAll', {});
  const trade = await send('MngOpenTradeSync', { login, cmd: 0, volume: 10, symbol: 'EURUSD', sl: 0, tp: 0 });
  await send('MngCloseTrade', { login, order: trade.order });
  const deposit = await send('BalanceIn', { login, amount: 25 });
  if (deposit.accepted !== true || deposit.state !== 10) problems.push('BalanceIn ack shape');
  await send('MngAddNotify', { user_id: login, token: `node-${Date.now()}`, message: 'Hi', type: 0, level: 10, status: 0 });
  await send('MngAddNotify', { user_id: login, token: `node-d-${Date.now()}`, message: 'Data', type: 0, level: 20, status: 0, data: { a: 1 } });
  await send('AddSymbolGroup', { trade: 1, show: 1, name: 'NodeGroup', description: 'from node' });
  // Issue #15 (admin15): the audit log lists the deposit just made, newest first, in the documented shape.
  const logs = await send('GetLogs', { from: 0, to: 4102444800, limit: 5, offset: 0, action: 'ledger.post' });
  if (logs.structure?.join() !== 'time,actor_type,actor_id,action,status,source,detail' || !(logs.rows?.length >= 1) || logs.rows[0][3] !== 'ledger.post'
    || typeof logs.count !== 'number') problems.push(`GetLogs shape: ${JSON.stringify(logs).slice(0, 300)}`);
  const config = await send('GetConfig', {});
  if (typeof config.name !== 'string' || ![0, 1, 2].includes(config.rollovers_mode) || typeof config.tcp_port !== 'number') problems.push(`GetConfig shape: ${JSON.stringify(config).slice(0, 300)}`);
  const updated = await send('UpdateConfig', { ...config, owner: 'node client' });
  if (updated !== 'OK') problems.push(`UpdateConfig reply: ${JSON.stringify(updated)}`);
  const cross = await send('GetCrossPairSymbols', { symbol: 'EURUSD' });
  if (!(cross.rows?.length >= 1) || cross.rows[0].symbol !== 'EURUSD' || !Array.isArray(cross.rows[0].profit_chain)) problems.push(`GetCrossPairSymbols shape: ${JSON.stringify(cross).slice(0, 300)}`);
  // Wait for a quote while still subscribed: unsubscribing first would race the server's ticks.
  await waitFor(() => counts.t > 0, 'a quote');
  await send('UnsubscribeAll', {});
  await waitFor(() => counts.n >= 2, 'two notifications');
  await waitFor(() => (counts.event['trade:event'] ?? 0) > 0, 'a trade:event');
  await waitFor(() => (counts.event['balance:event'] ?? 0) > 0, 'a balance:event');
  await waitFor(() => counts.sc > 0, 'an "sc" array');
} catch (e) {
  problems.push(String(e));
}
socket.destroy();
console.log(JSON.stringify({ ok: problems.length === 0, counts, problems }));
process.exit(problems.length === 0 ? 0 : 1);
