// Reads candles the way the vendor clients do: a GetChartData request line, the reply matched by extID, rows
// taken by the positions the reply's "structure" names. Usage: node chart-client.mjs <port> <token> <fromSeconds>
import net from 'node:net';

const [port, token, fromText] = process.argv.slice(2);
const from = Number(fromText);
const socket = net.connect({ host: '127.0.0.1', port: Number(port) });
socket.setEncoding('utf8');
let buffer = '';
const pending = new Map();
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

function send(command, data) {
  const extID = `chart${pending.size}${Date.now()}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command}: no reply in 10 s`)), 10_000);
    pending.set(extID, (msg) => { clearTimeout(timer); resolve(msg); });
    socket.write(JSON.stringify({ command, data, extID, __token: token }) + '\r\n');
  });
}

const problems = [];
let first = null;
try {
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  const reply = await send('GetChartData', { symbol: 'EURUSD', from, to: from + 3600, frame: '1M', count: 10 });
  if (reply.status !== 200) throw new Error(JSON.stringify(reply));
  const { structure, data } = reply.data;
  const at = Object.fromEntries(structure.map((name, i) => [name, i]));
  for (const name of ['open', 'high', 'low', 'close', 'volume', 'time']) if (!(name in at)) problems.push(`structure lacks ${name}`);
  if (!Array.isArray(data) || data.length !== 2) problems.push(`expected 2 candles, got ${JSON.stringify(data)}`);
  for (const row of data) {
    if (row.length !== structure.length) problems.push(`row length ${row.length}`);
    if (row[at.high] < row[at.low]) problems.push('high below low');
    if (!Number.isInteger(row[at.time]) || row[at.time] > 9_999_999_999) problems.push('time must be Unix seconds');
  }
  first = data[0];
  const missing = await send('GetChartData', { symbol: 'NOPE', from, to: from + 60, frame: 'M1' });
  if (missing.status !== 404 || missing.error !== 'RET_SYMBOL_NOT_FOUND') problems.push(`unknown symbol: ${JSON.stringify(missing)}`);
} catch (e) {
  problems.push(String(e));
}
socket.destroy();
console.log(JSON.stringify({ ok: problems.length === 0, first, problems }));
process.exit(problems.length === 0 ? 0 : 1);
