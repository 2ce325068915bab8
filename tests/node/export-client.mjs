// Exports the way a vendor-client back office does: a MngExportTradesByFilter request line matched by extID, then
// the file fetched over HTTP with the same token. Usage: node export-client.mjs <serverApiPort> <httpPort> <token> <login>
import net from 'node:net';

const [port, httpPort, token, loginText] = process.argv.slice(2);
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

function send(command, data) {
  const extID = `export${sent++}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command}: no reply in 10 s`)), 10_000);
    pending.set(extID, (msg) => { clearTimeout(timer); resolve(msg); });
    socket.write(JSON.stringify({ command, data, extID, __token: token }) + '\r\n');
  });
}

const problems = [];
let fileName = null;
try {
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  const reply = await send('MngExportTradesByFilter', {
    groupFilter: '*', tradeType: 0, format: 'csv', where: [['login', '=', login]], select: ['order', 'volume', 'profit'], total: ['profit'],
  });
  if (reply.status !== 200) throw new Error(JSON.stringify(reply));
  fileName = reply.data.file_name;
  if (!/^[0-9a-f]{32}\.csv$/.test(fileName)) problems.push(`file_name ${fileName}`);
  const response = await fetch(`http://127.0.0.1:${httpPort}/storage/${fileName}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) problems.push(`download status ${response.status}`);
  const text = (await response.text()).replace(/^\uFEFF/, '');
  const lines = text.split('\r\n');
  if (lines.pop() !== '') problems.push('file must end with CRLF');
  if (lines[0] !== 'order,volume,profit') problems.push(`header ${lines[0]}`);
  if (lines.length !== reply.data.count + 2) problems.push(`${lines.length} lines for count ${reply.data.count}`);
  if (!lines.at(-1).startsWith('Total:,,')) problems.push(`total row ${lines.at(-1)}`);
  const bad = await send('MngExportTradesByFilter', { groupFilter: '*', tradeType: 0, format: 'pdf' });
  if (bad.status !== 400 || bad.error !== 'INVALID_DATA') problems.push(`bad format: ${JSON.stringify(bad)}`);
} catch (e) {
  problems.push(String(e));
}
socket.destroy();
console.log(JSON.stringify({ ok: problems.length === 0, fileName, problems }));
process.exit(problems.length === 0 ? 0 : 1);
