namespace Dealwire.Engine.Commands;

/// <summary>
/// Moves the daily rollover (swaps and end of day) to another UTC time of day. Journaled like any
/// command, so a replay switches schedule at the same point of the command stream as the live engine.
/// </summary>
public sealed record SetRolloverTime(TimeSpan TimeOfDay) : EngineCommand<Core.EngineSettings>;
