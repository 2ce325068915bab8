// A FIX 4.4 market-data provider built on jspurefix (a third-party FIX engine), for Dealwire's end-to-end tests
// of its FIX initiator. jspurefix runs the whole session layer (logon, heartbeats, sequence checks, resend
// requests answered from its message store); this script only answers MarketDataRequest with a full refresh per
// symbol and sends incremental refreshes when told to on stdin.
// Usage: node fix-md-acceptor.mjs <port> <acceptorCompId> <initiatorCompId> <storeDir>
// stdin, one command per line:
//   price <SYMBOL> <bid> <ask>   incremental refresh (X) changing both sides
//   gap <n>                      skip n outgoing sequence numbers (the next message shows the initiator a gap)
//   drop                         destroy the TCP connection without a Logout
// stdout: one JSON event per line ({"event":"ready"|"logon"|"mdr"|"resend-request"|"sent"|"error", ...}).
import 'reflect-metadata';
import readline from 'node:readline';
import jspurefix from 'jspurefix';

const { AsciiSession, SessionLauncher, MsgType, MsgTag } = jspurefix;
const [port, acceptorCompId, initiatorCompId, storeDir] = process.argv.slice(2);
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const prices = new Map(); // provider symbol -> { bid, ask }
let current = null; // the live session

class MarketDataProvider extends AsciiSession {
  constructor (config) {
    super(config);
    this.logReceivedMsgs = false;
    this.subscribed = [];
    this.reqId = '';
    current = this;
  }

  onApplicationMsg (msgType, view) {
    if (msgType !== MsgType.MarketDataRequest) return;
    const request = view.toObject();
    this.reqId = request.MDReqID;
    this.subscribed = request.InstrmtMDReqGrp.map(g => g.Instrument.Symbol);
    emit({ event: 'mdr', reqId: this.reqId, symbols: this.subscribed, depth: request.MarketDepth });
    for (const symbol of this.subscribed) {
      const p = prices.get(symbol) ?? { bid: 1.1, ask: 1.1001 };
      prices.set(symbol, p);
      this.send(MsgType.MarketDataSnapshotFullRefresh, {
        MDReqID: this.reqId,
        Instrument: { Symbol: symbol },
        MDFullGrp: [{ MDEntryType: '0', MDEntryPx: p.bid, MDEntrySize: 1000000 }, { MDEntryType: '1', MDEntryPx: p.ask, MDEntrySize: 1000000 }]
      });
      emit({ event: 'sent', type: 'W', symbol, seq: this.nextSeq() - 1 });
    }
  }

  price (symbol, bid, ask) {
    prices.set(symbol, { bid, ask });
    this.send(MsgType.MarketDataIncrementalRefresh, {
      MDReqID: this.reqId,
      MDIncGrp: [
        { MDUpdateAction: '1', MDEntryType: '0', Instrument: { Symbol: symbol }, MDEntryPx: bid, MDEntrySize: 1000000 },
        { MDUpdateAction: '1', MDEntryType: '1', Instrument: { Symbol: symbol }, MDEntryPx: ask, MDEntrySize: 1000000 }
      ]
    });
    emit({ event: 'sent', type: 'X', symbol, seq: this.nextSeq() - 1 });
  }

  nextSeq () { return this.transport?.transmitter?.msgSeqNum ?? 0; }

  gap (n) {
    const transmitter = this.transport.transmitter;
    const skippedFrom = transmitter.msgSeqNum;
    transmitter.msgSeqNum += n;
    emit({ event: 'gap', from: skippedFrom, to: transmitter.msgSeqNum - 1 });
  }

  drop () {
    emit({ event: 'dropping', nextSeq: this.nextSeq() });
    this.transport.duplex.destroy();
  }

  onDecoded (msgType, txt) {
    if (msgType === MsgType.ResendRequest) {
      const fields = Object.fromEntries(txt.split(/[\x01|]/).filter(f => f).map(f => f.split('=')));
      emit({ event: 'resend-request', begin: Number(fields[MsgTag.BeginSeqNo]), end: Number(fields[MsgTag.EndSeqNo]) });
    } else if (msgType === MsgType.Logon) {
      const fields = Object.fromEntries(txt.split(/[\x01|]/).filter(f => f).map(f => f.split('=')));
      emit({ event: 'logon', seq: Number(fields[MsgTag.MsgSeqNum]) });
    } else if (msgType === MsgType.SequenceReset) {
      const fields = Object.fromEntries(txt.split(/[\x01|]/).filter(f => f).map(f => f.split('=')));
      emit({ event: 'sequence-reset', seq: Number(fields[MsgTag.MsgSeqNum]), newSeq: Number(fields[MsgTag.NewSeqNo]) });
    }
  }

  onEncoded () {}
  onReady () { emit({ event: 'ready' }); }
  onStopped (error) { emit({ event: 'stopped', error: error?.message ?? null }); }
  onLogon () { return true; }
}

class Launcher extends SessionLauncher {
  makeFactory () {
    return { makeSession: (config) => new MarketDataProvider(config) };
  }
}

const description = {
  application: { type: 'acceptor', name: 'md-provider', tcp: { host: '127.0.0.1', port: Number(port) }, protocol: 'ascii', dictionary: 'repo44' },
  EncryptMethod: 0,
  ResetSeqNumFlag: false,
  HeartBtInt: 30,
  SenderCompId: acceptorCompId,
  TargetCompID: initiatorCompId,
  BeginString: 'FIX.4.4',
  store: { type: 'file', directory: storeDir }
};

const quiet = { logger: () => ({ info () {}, warning () {}, debug () {}, error (e) { emit({ event: 'error', message: String(e?.message ?? e) }); } }), plain: () => ({ info () {} }) };
const launcher = new Launcher(null, description, quiet);
launcher.run().catch(e => { emit({ event: 'error', message: String(e?.message ?? e) }); process.exit(1); });
emit({ event: 'listening', port: Number(port) });

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, ...args] = line.trim().split(/\s+/);
  try {
    if (!current) throw new Error('no session yet');
    if (command === 'price') current.price(args[0], Number(args[1]), Number(args[2]));
    else if (command === 'gap') current.gap(Number(args[0]));
    else if (command === 'drop') current.drop();
    else throw new Error('unknown command ' + command);
  } catch (e) {
    emit({ event: 'error', message: String(e?.message ?? e) });
  }
}).on('close', () => process.exit(0));
