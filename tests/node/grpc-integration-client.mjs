// A third-party client of Dealwire's gRPC integration services: @grpc/grpc-js with @grpc/proto-loader loading the
// repository's protos/yft files at run time (no code generation, no Dealwire code). Started by
// tests/Dealwire.Integration.Tests/NodeClientTests.cs with: <port> <manager key> <new account id>.
// Prints one JSON line with what it saw; exits non-zero on any unexpected answer.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [port, key, accountId] = process.argv.slice(2);
const protoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'protos', 'yft');
const definition = protoLoader.loadSync(
  ['AccountsIntegration.proto', 'EngineIntegration.proto', 'TradingSettingsIntegration.proto'],
  { includeDirs: [protoDir], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true },
);
const loaded = grpc.loadPackageDefinition(definition);
const address = `127.0.0.1:${port}`;
const credentials = grpc.credentials.createInsecure();
const accounts = new loaded.cfd_integration_accounts.AccountsIntegrationGrpcService(address, credentials);
const engine = new loaded.cfd_integration_engine.EngineIntegrationGrpcService(address, credentials);
const settings = new loaded.cfd_integration_trading_settings.TradingSettingsIntegrationGrpcService(address, credentials);

const auth = new grpc.Metadata();
auth.set('authorization', `Bearer ${key}`);

const unary = (client, method, request, metadata = auth) => new Promise((resolve, reject) => {
  client[method](request, metadata, (error, response) => (error ? reject(error) : resolve(response)));
});
const stream = (client, method, request, metadata = auth) => new Promise((resolve, reject) => {
  const items = [];
  const call = client[method](request, metadata);
  call.on('data', (item) => items.push(item));
  call.on('error', reject);
  call.on('end', () => resolve(items));
});
const expect = (condition, what) => { if (!condition) throw new Error(`unexpected: ${what}`); };

const trader = `node-${accountId}`;
const created = await unary(accounts, 'CreateAccount', {
  TraderId: trader, AccountId: accountId, Leverage: 100, Currency: 'USD', ProcessId: `node-create-${accountId}`,
  TradingGroup: 'demo', Metadata: { source: 'grpc-js' },
});
expect(created.Code === 'Ok', `CreateAccount ${created.Code}`);
const funded = await unary(accounts, 'UpdateAccountBalance', {
  TraderId: trader, AccountId: accountId, Delta: 750.25, Comment: 'node deposit', ProcessId: `node-fund-${accountId}`, Reason: 'Deposit',
});
expect(funded.Result === 'Ok', `UpdateAccountBalance ${funded.Result}`);
const repeated = await unary(accounts, 'UpdateAccountBalance', {
  TraderId: trader, AccountId: accountId, Delta: 750.25, Comment: 'node deposit', ProcessId: `node-fund-${accountId}`, Reason: 'Deposit',
});
const listed = await stream(accounts, 'GetAccounts', { TraderId: trader });
const opened = await unary(engine, 'OpenPosition', {
  TraderId: trader, AccountId: accountId, ProcessId: `node-open-${accountId}`, Instrument: 'EURUSD', Lots: 0.05, Side: 'Sell',
});
expect(opened.Status === 'Ok', `OpenPosition ${opened.Status}`);
const positions = await stream(engine, 'GetActivePositions', { AccountId: accountId });
const instruments = await stream(settings, 'GetInstruments', { Symbol: 'EURUSD' });

let unauthenticated = null;
try {
  await unary(accounts, 'UpdateAccount', { TraderId: trader, AccountId: accountId, Leverage: 10, ProcessId: 'node-anon' }, new grpc.Metadata());
} catch (error) {
  unauthenticated = error.code === grpc.status.UNAUTHENTICATED;
}

console.log(JSON.stringify({
  ok: true,
  created: created.Account.Id,
  metadata: created.Account.Metadata.source,
  balance: funded.Account.Balance,
  repeated: repeated.Result,
  repeatedOperation: repeated.OperationId === funded.OperationId,
  listed: listed.map((a) => a.Id),
  side: opened.Position.Side,
  openPrice: opened.Position.OpenPrice,
  positions: positions.map((p) => p.Id),
  positionId: opened.Position.Id,
  lotSize: instruments.map((i) => i.LotSize),
  unauthenticated,
}));
accounts.close();
engine.close();
settings.close();
