using Dealwire.Engine.Model;

namespace Dealwire.Engine.Core;

/// <summary>
/// The state hash of each record, field by field. Named fields, not reflection-based JSON: a property added
/// to a record changes no hash until it is added here (<c>RecordHashCoverageTests</c> fails until it is), so
/// an old snapshot never looks corrupt because a record grew. Lists are hashed with their count and
/// nullables with a presence flag, so null, empty and default never collide. Derived values (computed
/// properties, a trade's <see cref="TradeRecord.Digits"/> copied from its symbol) are left out.
/// </summary>
internal static class RecordHash
{
    public static void Add(StateHasher h, EngineSettings s)
    {
        h.Add(s.FirstLogin);
        h.Add(s.RolloverTime.Ticks);
        h.Add(s.OutOfOrderToleranceMs);
        h.Add(s.IdempotencyKeysKept);
        h.Add(s.IdempotencyWindowMs);
        // Hashed only once changed: the state hash of an engine (and of every snapshot) that never saw UpdateConfig stays as it was.
        if (s.Server != DefaultServerConfig) Add(h, s.Server);
    }

    private static readonly ServerConfig DefaultServerConfig = new();

    public static void Add(StateHasher h, ServerConfig c)
    {
        h.Add(c.Name);
        h.Add(c.Owner);
        h.Add(c.Brand);
        h.Add(c.AccountUrl);
        h.Add(c.TimeZone);
        h.Add(c.DaylightCorrection);
        h.Add(c.TypeOfDemo);
        h.Add(c.TimeOfDemo);
        h.Add(c.AntiFlood);
        h.Add(c.FloodControl);
        h.Add(c.FeederTimeout);
        h.Add((long)c.RolloversMode);
        h.Add(c.KeepTicks);
        h.Add(c.MonthlyStateMode);
        h.Add(c.StatementMode);
        h.Add(c.StatementWeekend);
        h.Add(c.TimeBackup);
    }

    public static void Add(StateHasher h, SymbolGroupConfig g)
    {
        h.Add(g.Index);
        h.Add(g.ParentIndex);
        h.Add(g.Name);
        h.Add(g.Description);
        h.Add(g.TradeAllowed);
        h.Add(g.Show);
        h.Add(g.SortIndex);
    }

    public static void Add(StateHasher h, SymbolConfig s)
    {
        h.Add(s.Name);
        h.Add(s.Description);
        h.Add(s.Source);
        h.Add(s.SecurityIndex);
        h.Add(s.SymbolIndex);
        h.Add(s.SortIndex);
        h.Add(s.Digits);
        h.Add(s.ContractSize);
        h.Add(s.TickSize);
        h.Add(s.TickValue);
        h.Add((long)s.ProfitMode);
        h.Add((long)s.MarginMode);
        h.Add(s.BaseCurrency);
        h.Add(s.ProfitCurrency);
        h.Add(s.MarginCurrency);
        h.Add((long)s.TradeMode);
        h.Add(s.LongOnly);
        h.Add(s.StopsLevel);
        h.Add(s.FreezeLevel);
        h.Add(s.Spread);
        h.Add(s.SpreadBalance);
        h.Add(s.MarginInitial);
        h.Add(s.MarginHedged);
        h.Add(s.MarginDivider);
        h.Add(s.SwapEnabled);
        h.Add((long)s.SwapType);
        h.Add(s.SwapLong);
        h.Add(s.SwapShort);
        h.Add((long)s.TripleSwapDay);
        h.Add(s.SwapDaily);
        h.Add(s.MaxVolume);
        h.Add(s.Sessions is not null);
        if (s.Sessions is not null)
        {
            h.Add(s.Sessions.Count);
            foreach (var day in s.Sessions) Add(h, day);
        }
        h.Add(s.Holidays.Count);
        foreach (var off in s.Holidays) Add(h, off);
    }

    public static void Add(StateHasher h, DaySessions d)
    {
        h.Add(d.Quote.Count);
        foreach (var i in d.Quote) Add(h, i);
        h.Add(d.Trade.Count);
        foreach (var i in d.Trade) Add(h, i);
    }

    public static void Add(StateHasher h, SessionInterval i)
    {
        h.Add(i.OpenMinute);
        h.Add(i.CloseMinute);
    }

    public static void Add(StateHasher h, DayOff d)
    {
        h.Add(d.FromMs);
        h.Add(d.ToMs);
        h.Add(d.Description);
    }

    public static void Add(StateHasher h, GroupConfig g)
    {
        h.Add(g.Name);
        h.Add(g.Company);
        h.Add(g.Brand);
        h.Add(g.Currency);
        h.Add(g.CurrencyDigits);
        h.Add(g.Enabled);
        h.Add(g.IsReal);
        h.Add(g.DefaultLeverage);
        h.Add(g.DefaultDeposit);
        h.Add(g.MarginCall);
        h.Add(g.StopOut);
        h.Add((long)g.MarginLevelUnit);
        h.Add((long)g.FreeMarginMode);
        h.Add((long)g.Accounting);
        h.Add(g.HedgeLargeLeg);
        h.Add(g.StopOutSkipHedged);
        h.Add((long)g.NegativeBalancePolicy);
        h.Add(g.PartialCloseAllowed);
        h.Add(g.UseSwap);
        h.Add(g.MaxPositions);
        h.Add(g.SlTpSlippage);
        h.Add(g.Securities is not null);
        if (g.Securities is not null)
        {
            h.Add(g.Securities.Count);
            foreach (var s in g.Securities) Add(h, s);
        }
        h.Add(g.SymbolOverrides.Count);
        foreach (var o in g.SymbolOverrides) Add(h, o);
    }

    public static void Add(StateHasher h, GroupSecurity s)
    {
        h.Add(s.SecurityIndex);
        h.Add(s.Show);
        h.Add(s.TradeAllowed);
        h.Add(s.LotMin);
        h.Add(s.LotMax);
        h.Add(s.LotStep);
        h.Add(s.SpreadDiff);
        h.Add(s.Commission);
        h.Add((long)s.CommissionType);
        h.Add((long)s.CommissionBase);
        h.Add((long)s.CommissionCharge);
        h.Add(s.AgentCommission);
        h.Add((long)s.AgentCommissionType);
        h.Add((long)s.AgentCommissionBase);
        h.Add(s.TradeRights);
    }

    public static void Add(StateHasher h, GroupSymbolOverride o)
    {
        h.Add(o.Symbol);
        h.Add(o.SwapEnabled.HasValue);
        h.Add(o.SwapEnabled ?? false);
        h.Add(o.SwapLong);
        h.Add(o.SwapShort);
        h.Add(o.SwapType.HasValue);
        h.Add((long)(o.SwapType ?? 0));
        h.Add(o.MarginDivider);
        h.Add(o.FixedSpread.HasValue);
        h.Add(o.FixedSpread ?? 0);
        h.Add(o.SpreadBalance);
        h.Add(o.BidMarkup);
        h.Add(o.AskMarkup);
    }

    public static void Add(StateHasher h, AccountProfile p)
    {
        h.Add(p.Login);
        h.Add(p.Group);
        h.Add(p.Name);
        h.Add(p.Email);
        h.Add(p.Phone);
        h.Add(p.Country);
        h.Add(p.City);
        h.Add(p.State);
        h.Add(p.ZipCode);
        h.Add(p.Address);
        h.Add(p.Comment);
        h.Add(p.ExternalId);
        h.Add(p.LeadSource);
        h.Add(p.Status);
        h.Add(p.UserColor);
        h.Add(p.ApiData);
        h.Add(p.Leverage);
        h.Add(p.Enabled);
        h.Add(p.ReadOnly);
        h.Add(p.ChangePasswordAllowed);
        h.Add(p.SendReports);
        h.Add(p.OtpEnabled);
        h.Add(p.AgentAccount);
        h.Add(p.Magic);
        h.Add(p.CustomerId);
        h.Add(p.PasswordHash);
        h.Add(p.InvestorPasswordHash);
        h.Add(p.RegistrationTime);
        h.Add(p.UpdateTime);
        h.Add(p.RegistrationSequence);
    }

    public static void Add(StateHasher h, TradeRecord r)
    {
        h.Add(r.Ticket);
        h.Add(r.Login);
        h.Add(r.Symbol);
        h.Add((long)r.Command);
        h.Add(r.Volume);
        h.Add((long)r.State);
        h.Add(r.OpenTime);
        h.Add(r.OpenPrice);
        h.Add(r.StopLimitPrice);
        h.Add(r.StopLoss);
        h.Add(r.TakeProfit);
        h.Add(r.TrailingDistance);
        h.Add((long)r.ExpirationMode);
        h.Add(r.Expiration);
        h.Add(r.CloseTime);
        h.Add(r.ClosePrice);
        h.Add(r.Commission);
        h.Add(r.AgentCommission);
        h.Add(r.Swap);
        h.Add(r.Profit);
        h.Add(r.Taxes);
        h.Add(r.MarginInitial);
        // MarginRate and LastSwapTime are not hashed: informational fields that move no money, added after snapshots
        // were first written. A position restored from an older snapshot lacks them while a replay from the first
        // command has them; hashing them would report that upgrade as a divergence (RecordHashCoverageTests.NotHashed).
        h.Add(r.OpenRate);
        h.Add(r.CloseRate);
        h.Add((long)r.Reason);
        h.Add((long)r.Activation);
        h.Add(r.Magic);
        h.Add(r.Comment);
        h.Add(r.ParentTicket);
        h.Add(r.ClosedVolume);
        h.Add(r.ClosedByTicket);
        h.Add(r.CloseOrderTicket);
        h.Add(r.ActivatedFrom is not null);
        if (r.ActivatedFrom is { } origin) Add(h, origin);
        h.Add(r.UpdateTime);
        h.Add(r.ChangedBy);
        h.Add(r.GatewayOrder);
        h.Add(r.GatewaySource);
        h.Add(r.GatewayUuid);
        h.Add(r.ApiData);
    }

    public static void Add(StateHasher h, PendingOrigin o)
    {
        h.Add((long)o.Command);
        h.Add(o.PlacedTime);
        h.Add(o.Price);
    }

    public static void Add(StateHasher h, LedgerEntry l)
    {
        h.Add(l.Id);
        h.Add(l.Login);
        h.Add((long)l.Kind);
        h.Add(l.Amount);
        h.Add(l.BalanceAfter);
        h.Add(l.CreditAfter);
        h.Add(l.Ticket);
        h.Add(l.Comment);
        h.Add(l.Time);
        h.Add(l.IdempotencyKey is not null);
        h.Add(l.IdempotencyKey);
        h.Add(l.Reference is not null);
        h.Add(l.Reference);
        h.Add(l.Actor);
        h.Add(l.ReversesId);
    }

    public static void Add(StateHasher h, DeskRecord d)
    {
        h.Add(d.Id);
        h.Add(d.Code);
        h.Add(d.Name);
        h.Add(d.Brand);
        h.Add(d.Enabled);
        h.Add(d.Archived);
        h.Add(d.UpdateTime);
    }

    public static void Add(StateHasher h, CustomerRecord c)
    {
        h.Add(c.CustomerId);
        h.Add(c.ExternalId);
        h.Add(c.Type);
        h.Add(c.Status);
        h.Add(c.Enable);
        h.Add(c.EnableOtp);
        h.Add(c.FirstName);
        h.Add(c.LastName);
        h.Add(c.MiddleName);
        h.Add(c.FullName);
        h.Add(c.BirthDate);
        h.Add(c.Citizenship);
        h.Add(c.CountryOfResidence);
        h.Add(c.Email);
        h.Add(c.Phone);
        h.Add(c.PreferredLanguage);
        h.Add(c.Timezone);
        h.Add(c.Brand);
        h.Add(c.Desk);
        h.Add(c.DeskId);
        h.Add(c.ManagerId);
        h.Add(c.AssignedManagerId);
        h.Add(c.LeadSource);
        h.Add(c.Campaign);
        h.Add(c.AffiliateId);
        h.Add(c.IntroducerId);
        h.Add(c.CrmStage);
        h.Add(c.Segment);
        h.Add(c.TagsJson);
        h.Add(c.EmailVerified);
        h.Add(c.PhoneVerified);
        h.Add(c.MarketingAllowed);
        h.Add(c.TaxId);
        h.Add(c.NationalId);
        h.Add(c.PepStatus);
        h.Add(c.SanctionsStatus);
        h.Add(c.RiskLevel);
        h.Add(c.AmlStatus);
        h.Add(c.KycStatus);
        h.Add(c.SalesStatus);
        h.Add(c.PasswordHash);
        h.Add(c.CreateTime);
        h.Add(c.UpdateTime);
    }

    /// <summary>The hash of one record alone (for the coverage tests).</summary>
    public static string Of(object record)
    {
        using var h = new StateHasher(4096);
        switch (record)
        {
            case EngineSettings x: Add(h, x); break;
            case SymbolGroupConfig x: Add(h, x); break;
            case SymbolConfig x: Add(h, x); break;
            case DaySessions x: Add(h, x); break;
            case SessionInterval x: Add(h, x); break;
            case DayOff x: Add(h, x); break;
            case GroupConfig x: Add(h, x); break;
            case GroupSecurity x: Add(h, x); break;
            case GroupSymbolOverride x: Add(h, x); break;
            case AccountProfile x: Add(h, x); break;
            case TradeRecord x: Add(h, x); break;
            case PendingOrigin x: Add(h, x); break;
            case LedgerEntry x: Add(h, x); break;
            case ServerConfig x: Add(h, x); break;
            case DeskRecord x: Add(h, x); break;
            case CustomerRecord x: Add(h, x); break;
            default: throw new ArgumentException($"{record.GetType().Name} has no state hash", nameof(record));
        }
        return h.Finish();
    }
}
