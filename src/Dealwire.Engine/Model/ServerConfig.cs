namespace Dealwire.Engine.Model;

/// <summary>
/// How open positions cross the daily rollover (scaletrade-model <c>Config.rollovers_mode</c>). See docs/server-config.md.
/// </summary>
public enum RolloverMode
{
    /// <summary>Swap accumulates on the position (floating, in equity) and becomes balance when it closes.</summary>
    Normal = 0,

    /// <summary>
    /// Reopen by close price: at the rollover each position's floating profit and accumulated swap are booked to
    /// the balance and it is reopened at the day's closing price — the symbol's feed bid at the rollover (the
    /// price candles close at), for buys and sells alike.
    /// </summary>
    ByClose = 1,

    /// <summary>
    /// Reopen by bid: as <see cref="ByClose"/>, at the bid the account's group quotes at the rollover (feed bid
    /// with the group's spread markup), for buys and sells alike.
    /// </summary>
    ByBid = 2,
}

/// <summary>
/// The server configuration of GetConfig / UpdateConfig (scaletrade-tcp §7.9) that lives in the engine: changed
/// only by the journaled <see cref="Commands.UpdateServerConfig"/>, kept in snapshots and the state hash.
/// Ports and paths are facts of the installation (appsettings.json), not engine state.
/// </summary>
public sealed record ServerConfig
{
    public string Name { get; init; } = "Dealwire";
    public string Owner { get; init; } = "";
    public string Brand { get; init; } = "";
    public string AccountUrl { get; init; } = "";

    /// <summary>Hours from UTC the server's statements and terminals show (−12…14). Engine times stay UTC.</summary>
    public int TimeZone { get; init; }

    /// <summary>1 = the time zone follows daylight saving (reported; statements are not produced by the engine).</summary>
    public int DaylightCorrection { get; init; }

    public int TypeOfDemo { get; init; }

    /// <summary>Days a demo account lives (0 = for ever); reported, demo expiry is not enforced by the engine.</summary>
    public int TimeOfDemo { get; init; }

    /// <summary>1 = flood control is on: a Server API connection is limited to <see cref="FloodControl"/> commands per second.</summary>
    public int AntiFlood { get; init; } = 1;

    /// <summary>Commands per second per Server API connection when <see cref="AntiFlood"/> is on; 0 = the listener's configured limit.</summary>
    public int FloodControl { get; init; }

    /// <summary>Seconds without a quote before a feeder is considered stale (reported).</summary>
    public int FeederTimeout { get; init; } = 60;

    public RolloverMode RolloversMode { get; init; } = RolloverMode.Normal;

    /// <summary>Days of ticks the history store keeps (0 = the store's own default); applied by the tick store.</summary>
    public int KeepTicks { get; init; }

    public int MonthlyStateMode { get; init; }
    public int StatementMode { get; init; }
    public int StatementWeekend { get; init; }

    /// <summary>Backup schedule (cron text), reported as set.</summary>
    public string TimeBackup { get; init; } = "";
}
