using Dealwire.Engine.Commands;
using Dealwire.Engine.Events;
using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>The server configuration (UpdateConfig) and the rollover modes that reopen positions.</summary>
public sealed partial class TradingEngine
{
    public ServerConfig ServerConfig => Settings.Server;

    private (ReturnCode, string, object?) UpdateConfig(UpdateServerConfig c)
    {
        var cfg = c.Config;
        if (ValidateConfig(cfg) is { } problem) return Reject(ReturnCode.InvalidData, problem);
        if (cfg == Settings.Server) return Unchanged(cfg);
        Settings = Settings with { Server = cfg };
        Emit(new ServerConfigEvent(cfg));
        return Ok(cfg);
    }

    private static string? ValidateConfig(ServerConfig c)
    {
        if (string.IsNullOrWhiteSpace(c.Name) || c.Name.Length > 64) return "name must be 1-64 characters";
        if (c.Owner.Length > 128 || c.Brand.Length > 64 || c.AccountUrl.Length > 256 || c.TimeBackup.Length > 64) return "a text field is too long";
        if (c.TimeZone is < -12 or > 14) return "timezone must be between -12 and 14 hours";
        if (!Enum.IsDefined(c.RolloversMode)) return "rollovers_mode must be 0 (normal), 1 (by close) or 2 (by bid)";
        if (c.FloodControl < 0 || c.FloodControl > 1_000_000) return "floodcontrol must be 0 to 1000000 commands per second";
        if (c.AntiFlood is not (0 or 1) || c.DaylightCorrection is not (0 or 1)) return "antiflood and daylightcorrection must be 0 or 1";
        if (c.KeepTicks < 0 || c.TimeOfDemo < 0 || c.FeederTimeout < 0) return "keepticks, timeofdemo and feeder_timeout must not be negative";
        return null;
    }

    /// <summary>
    /// Reopen modes: books the position's floating profit (at the reopen price) and its accumulated swap to the
    /// balance — each as a finance record of its own ticket, so history still adds up to the balance — and moves
    /// its open price to the reopen price. Called by the rollover after the night's swap is on the position.
    /// </summary>
    private bool Reopen(Trade t, RolloverMode mode)
    {
        if (!t.Symbol.Raw.IsSet) return false;
        var account = t.Account;
        var group = account.GroupConfig;
        var price = mode == RolloverMode.ByClose ? t.Symbol.Raw.Bid : GroupQuote(t.Symbol, group).Bid;
        var rate = FindConverter(t.Symbol.Config.ProfitCurrency, group.Currency).Rate();
        if (!rate.IsKnown) return false;
        var digits = group.CurrencyDigits;
        var profit = Money.Round(t.ProfitAt(price, t.Volume, rate), digits);
        var swap = t.Swap;
        if (profit != 0) BookFinance(account, LedgerKind.TradingResult, profit, $"rollover #{t.Ticket} profit");
        if (swap != 0)
        {
            BookFinance(account, LedgerKind.Swap, swap, $"rollover #{t.Ticket} swap");
            account.FloatingSwap -= swap;
            t.Swap = 0;
        }
        if (price == t.OpenPrice && profit == 0 && swap == 0) return false;
        ReshapePosition(t, t.Volume, price);
        t.UpdateTime = Now;
        return true;
    }
}
