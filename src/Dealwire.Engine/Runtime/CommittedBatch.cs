using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;

namespace Dealwire.Engine.Runtime;

/// <summary>
/// One journal batch after it became durable: the record of the committed event stream. It carries the
/// commands exactly as journaled (so a standby can apply them) and the events they produced (so a
/// projection need not run an engine). Sequences are contiguous across batches: a batch starts at the
/// previous batch's <see cref="LastSequence"/> + 1. Immutable once published; safe to share between threads.
/// </summary>
public sealed record CommittedBatch(long FirstSequence, long LastSequence, IReadOnlyList<EngineCommand> Commands, IReadOnlyList<EngineEvent> Events);
