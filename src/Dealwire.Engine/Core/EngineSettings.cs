namespace Dealwire.Engine.Core;

/// <summary>Server-wide dealing settings. Part of the engine state (snapshot and hash).</summary>
public sealed record EngineSettings
{
    /// <summary>First login handed out when an account is created without one.</summary>
    public long FirstLogin { get; init; } = 1000;

    /// <summary>
    /// Time of the (UTC) day when swaps roll over and the trading day ends (00:00 by default). Changed only
    /// by the journaled <see cref="Commands.SetRolloverTime"/>, so a replay rolls over when the live engine did.
    /// </summary>
    public TimeSpan RolloverTime { get; init; }

    /// <summary>A tick older than the last accepted one by more than this is out of order (ms).</summary>
    public long OutOfOrderToleranceMs { get; init; }

    /// <summary>
    /// Most idempotency keys remembered; the oldest is forgotten first. With <see cref="IdempotencyWindowMs"/>
    /// this is the window within which a retried command answers its original outcome.
    /// </summary>
    public int IdempotencyKeysKept { get; init; } = 100_000;

    /// <summary>How long (engine time, ms) an idempotency key is remembered after the command that used it: 24 h.</summary>
    public long IdempotencyWindowMs { get; init; } = 86_400_000;

    /// <summary>The server configuration of GetConfig / UpdateConfig (name, rollover mode, flood control, …).</summary>
    public Model.ServerConfig Server { get; init; } = new();
}
