namespace Dealwire.Engine.Commands;

/// <summary>
/// A command that moves money or positions and may carry the caller's idempotency key. The key is
/// scoped to the caller (<see cref="EngineCommand.Actor"/>): within the engine's window, a repeat with the
/// same key and the same request answers the original outcome and changes nothing; the same key with a
/// different request is refused with <see cref="Model.ReturnCode.ErrDuplicate"/>. Only accepted commands
/// consume a key (rejections are not journaled), so a retry of a rejected attempt is evaluated afresh.
/// </summary>
public interface IIdempotentCommand
{
    /// <summary>The caller's key for this attempt (1–128 characters), or null for none.</summary>
    string? IdempotencyKey { get; }
}
