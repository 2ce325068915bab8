// CRM calls the way a vendor-client back office makes them: request lines matched by extID, replies read by field name.
// Usage: node customer-client.mjs <serverApiPort> <token> <login>
import net from 'node:net';

const [port, token, loginText] = process.argv.slice(2);
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
  const extID = `crm${sent++}`;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command}: no reply in 10 s`)), 10_000);
    pending.set(extID, (msg) => { clearTimeout(timer); resolve(msg); });
    socket.write(JSON.stringify({ command, data, extID, __token: token }) + '\r\n');
  });
}

const problems = [];
let customerId = null;
try {
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject); });
  const desk = `NODE${Date.now() % 1_000_000}`;
  const deskReply = await send('MngAddDesk', { code: desk, name: 'Node desk' });
  if (deskReply.status !== 200) throw new Error(JSON.stringify(deskReply));
  const added = await send('MngAddCustomer', { desk, first_name: 'Grace', last_name: 'Hopper', email: `grace.${desk}@example.com`, password: 'cobol-1959' });
  if (added.status !== 200) throw new Error(JSON.stringify(added));
  customerId = added.data.customer_id;
  if (!Number.isInteger(customerId) || customerId <= 0) problems.push(`customer_id ${customerId}`);
  if ('password' in added.data) problems.push('the reply carries the password');
  if (added.data.full_name !== 'Grace Hopper') problems.push(`full_name ${added.data.full_name}`);
  const linked = await send('MngLinkAccountToCustomer', { login, customer_id: customerId });
  if (linked.status !== 200) throw new Error(JSON.stringify(linked));
  const keys = Object.keys(linked.data).join(',');
  if (keys !== 'login,customer_id,brand,update_time') problems.push(`link reply keys ${keys}`);
  const duplicate = await send('MngAddCustomer', { email: `GRACE.${desk}@example.com` });
  if (duplicate.status !== 409 || duplicate.error !== 'RET_DUPLICATE_RECORD') problems.push(`duplicate e-mail: ${JSON.stringify(duplicate)}`);
  const account = await send('GetAccountByLogin', { login });
  if (account.data.customer_id !== customerId) problems.push(`account customer_id ${account.data.customer_id}`);
} catch (e) {
  problems.push(String(e));
}
socket.destroy();
console.log(JSON.stringify({ ok: problems.length === 0, customerId, problems }));
process.exit(problems.length === 0 ? 0 : 1);
