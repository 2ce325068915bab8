using Microsoft.Extensions.Configuration;

namespace Dealwire.Host.Configuration;

/// <summary>How the host drives engine time (configuration section <c>Engine</c>, beside the runner's queue settings).</summary>
public sealed class EngineClockSettings
{
    public const string Section = "Engine";

    /// <summary>
    /// UTC time of day when swaps roll over and the trading day ends ("00:00" by default, "22:00" for a New York
    /// close). Applied at start as a journaled engine command, so a replay rolls over when the live server did.
    /// </summary>
    public TimeSpan RolloverTime { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How often the host lets engine time pass (an <c>AdvanceTime</c> command), so rollovers, end of day and
    /// pending-order expiry happen on time on quiet symbols and during feed outages. One second by default.
    /// </summary>
    public TimeSpan TimeAdvanceInterval { get; set; } = TimeSpan.FromSeconds(1);

    public static EngineClockSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<EngineClockSettings>() ?? new EngineClockSettings();
        settings.Validate();
        return settings;
    }

    private void Validate()
    {
        if (RolloverTime < TimeSpan.Zero || RolloverTime >= TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException($"Engine:RolloverTime must be a UTC time of day from 00:00:00 to 23:59:59, not {RolloverTime}.");
        }
        if (TimeAdvanceInterval < TimeSpan.FromMilliseconds(10) || TimeAdvanceInterval > TimeSpan.FromMinutes(1))
        {
            throw new InvalidOperationException($"Engine:TimeAdvanceInterval must be from 00:00:00.010 to 00:01:00, not {TimeAdvanceInterval}.");
        }
    }
}
