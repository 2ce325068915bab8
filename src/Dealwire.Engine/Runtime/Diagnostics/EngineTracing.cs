using System.Diagnostics;
using Dealwire.Engine.Commands;

namespace Dealwire.Engine.Runtime.Diagnostics;

/// <summary>
/// Carries a command's trace from the gateway to the engine thread: the parent is captured when the command is
/// queued (the caller's <see cref="Activity.Current"/>), and the apply span is opened on the engine thread under
/// it. Only sampled commands pay anything; the engine core never sees an activity.
/// </summary>
public static class EngineTracing
{
    public const string SourceName = "Dealwire.Engine";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The queued command's parent span, or default when the caller is not traced.</summary>
    internal static ActivityContext CaptureParent() =>
        Activity.Current is { Recorded: true } current ? current.Context : default;

    /// <summary>Opens <c>engine.apply</c> under <paramref name="parent"/>; null when the command is not traced.</summary>
    internal static Activity? StartApply(ActivityContext parent, EngineCommand command)
    {
        if (parent == default || !Source.HasListeners()) return null;
        var activity = Source.StartActivity("engine.apply", ActivityKind.Internal, parent);
        activity?.SetTag("dealwire.engine.command", command.GetType().Name);
        return activity;
    }
}
