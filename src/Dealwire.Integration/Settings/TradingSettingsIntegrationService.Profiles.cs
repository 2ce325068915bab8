using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Integration.Contracts.Settings;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace Dealwire.Integration.Settings;

/// <summary>
/// Trading, swap and markup profiles are parts of a group, addressed by the group's name:
/// - trading profile: StopOutPercent/MarginCallPercent = the group's stop-out and margin-call levels, Leverages = its
///   default leverage (the first one given), CollateralCurrencies = its one currency, InitialDeposit = its default
///   deposit; Instruments are reported (lot limits and commission of each symbol the group trades) but set over the
///   Server API's secgroups, as are HedgeMarginCoefficient and CommissionPerLot; IsABook is always false.
/// - swap profile: per-instrument swap overrides of the group (Points = points, Percent = annual interest).
/// - markup profile: per-instrument bid/ask markups of the group; Disabled clears them; Min/MaxSpread are not kept.
/// </summary>
public sealed partial class TradingSettingsIntegrationService
{
    public override async Task<TradingProfileGrpcModel> InsertOrReplaceTradingProfile(TradingProfileGrpcModel request, ServerCallContext context)
    {
        var caller = SettingsAccess.Writer(context);
        var group = RequireGroup(request.Id);
        SettingsAccess.RequireGroup(caller, group.Name);
        if (request.IsABook) throw SettingsAccess.Invalid("IsABook: Dealwire has no A-book routing; every group is B-book");
        if (request.CollateralCurrencies.Count > 1) throw SettingsAccess.Invalid("CollateralCurrencies: a Dealwire group has exactly one currency");
        int? leverage = null;
        if (request.Leverages.Count > 0)
        {
            var first = Decimal(request.Leverages[0], "Leverages");
            if (first != decimal.Truncate(first) || first is < 1 or > 10_000) throw SettingsAccess.Invalid("Leverages: the first (the default) must be a whole number 1-10000");
            leverage = (int)first;
        }
        var stopOut = Decimal(request.StopOutPercent, "StopOutPercent");
        var deposit = Decimal(request.InitialDeposit, "InitialDeposit");
        if (stopOut < 0 || deposit < 0) throw SettingsAccess.Invalid("StopOutPercent and InitialDeposit must not be negative");
        var patch = new GroupPatch
        {
            StopOut = stopOut,
            MarginCall = request.HasMarginCallPercent ? Decimal(request.MarginCallPercent, "MarginCallPercent") : null,
            DefaultLeverage = leverage,
            Currency = request.CollateralCurrencies.Count == 1 ? request.CollateralCurrencies[0] : null,
            DefaultDeposit = deposit,
        };
        return TradingProfile(await PatchGroupAsync(caller, group.Name, patch, context.CancellationToken));
    }

    public override Task GetTradingProfiles(Empty request, IServerStreamWriter<TradingProfileGrpcModel> responseStream, ServerCallContext context)
    {
        var caller = SettingsAccess.Reader(context);
        return StreamAsync(gateway.View.GetGroups().Where(g => caller.Sees(g.Name)), TradingProfile, responseStream, context.CancellationToken);
    }

    private TradingProfileGrpcModel TradingProfile(GroupConfig g)
    {
        var model = new TradingProfileGrpcModel
        {
            Id = g.Name,
            StopOutPercent = (double)g.StopOut,
            MarginCallPercent = (double)g.MarginCall,
            InitialDeposit = (double)g.DefaultDeposit,
            IsABook = false,
        };
        model.Leverages.Add(g.DefaultLeverage);
        model.CollateralCurrencies.Add(g.Currency);
        foreach (var symbol in gateway.View.GetSymbols())
        {
            var security = g.Securities is null ? new GroupSecurity { SecurityIndex = symbol.SecurityIndex } : g.FindSecurity(symbol.SecurityIndex);
            if (security is not { TradeAllowed: true }) continue;
            model.Instruments.Add(new TradingProfileInstrumentGrpcModel
            {
                Id = symbol.Name,
                MinOperationVolume = security.LotMin / 100.0,
                MaxOperationVolume = security.LotMax / 100.0,
                MaxPositionVolume = security.LotMax / 100.0,
                CommissionPerLot = security.CommissionType == CommissionType.Money && security.CommissionBase == CommissionBase.PerLot ? (double)security.Commission : 0,
            });
        }
        return model;
    }

    public override async Task<SwapProfileGrpcModel> InsertOrReplaceTradingSwapProfile(SwapProfileGrpcModel request, ServerCallContext context)
    {
        var caller = SettingsAccess.Writer(context);
        var group = RequireGroup(request.Id);
        SettingsAccess.RequireGroup(caller, group.Name);
        var swaps = new Dictionary<string, GroupSymbolOverride>(StringComparer.Ordinal);
        foreach (var (instrument, swap) in request.InstrumentsSwaps)
        {
            if (gateway.View.GetSymbol(instrument) is null) throw SettingsAccess.NotFound($"instrument '{instrument}' does not exist");
            var (values, type) = swap.SwapTypeCase switch
            {
                SwapScheduleTypeGrpcModel.SwapTypeOneofCase.Points => (swap.Points, SwapType.Points),
                SwapScheduleTypeGrpcModel.SwapTypeOneofCase.Percent => (swap.Percent, SwapType.Interest),
                _ => throw SettingsAccess.Invalid($"InstrumentsSwaps[{instrument}] sets neither Points nor Percent"),
            };
            swaps[instrument] = new GroupSymbolOverride
            {
                Symbol = instrument, SwapEnabled = true, SwapType = type,
                SwapLong = Decimal(values.Long, "Long"), SwapShort = Decimal(values.Short, "Short"),
            };
        }
        // Replace: instruments left out fall back to the symbol's own swaps.
        var overrides = Replace(group, swaps.Keys, o => swaps.TryGetValue(o.Symbol, out var s)
            ? o with { SwapEnabled = s.SwapEnabled, SwapLong = s.SwapLong, SwapShort = s.SwapShort, SwapType = s.SwapType }
            : o with { SwapEnabled = null, SwapLong = null, SwapShort = null, SwapType = null });
        return SwapProfile(await UpsertOverridesAsync(caller, group, overrides, context.CancellationToken));
    }

    public override Task GetTradingSwapProfiles(Empty request, IServerStreamWriter<SwapProfileGrpcModel> responseStream, ServerCallContext context)
    {
        var caller = SettingsAccess.Reader(context);
        return StreamAsync(gateway.View.GetGroups().Where(g => caller.Sees(g.Name)), SwapProfile, responseStream, context.CancellationToken);
    }

    private static SwapProfileGrpcModel SwapProfile(GroupConfig g)
    {
        var model = new SwapProfileGrpcModel { Id = g.Name, Name = g.Name };
        foreach (var o in g.SymbolOverrides.Where(o => o.SwapLong is not null || o.SwapShort is not null))
        {
            var values = new SwapProfileInstrumentGrpcModel { Long = (double)(o.SwapLong ?? 0), Short = (double)(o.SwapShort ?? 0) };
            model.InstrumentsSwaps[o.Symbol] = o.SwapType is SwapType.Interest ? new SwapScheduleTypeGrpcModel { Percent = values } : new SwapScheduleTypeGrpcModel { Points = values };
        }
        return model;
    }

    public override async Task<MarkupProfileGrpcModel> InsertOrReplaceTradingMarkupProfile(MarkupProfileGrpcModel request, ServerCallContext context)
    {
        var caller = SettingsAccess.Writer(context);
        var group = RequireGroup(request.Name);
        SettingsAccess.RequireGroup(caller, group.Name);
        foreach (var instrument in request.Instruments.Keys)
        {
            if (gateway.View.GetSymbol(instrument) is null) throw SettingsAccess.NotFound($"instrument '{instrument}' does not exist");
        }
        var overrides = Replace(group, request.Instruments.Keys, o => !request.Disabled && request.Instruments.TryGetValue(o.Symbol, out var m)
            ? o with { BidMarkup = m.MarkupBid, AskMarkup = m.MarkupAsk }
            : o with { BidMarkup = 0, AskMarkup = 0 });
        return MarkupProfile(await UpsertOverridesAsync(caller, group, overrides, context.CancellationToken));
    }

    public override Task GetTradingMarkupProfiles(Empty request, IServerStreamWriter<MarkupProfileGrpcModel> responseStream, ServerCallContext context)
    {
        var caller = SettingsAccess.Reader(context);
        return StreamAsync(gateway.View.GetGroups().Where(g => caller.Sees(g.Name)), MarkupProfile, responseStream, context.CancellationToken);
    }

    private static MarkupProfileGrpcModel MarkupProfile(GroupConfig g)
    {
        var model = new MarkupProfileGrpcModel { Name = g.Name };
        foreach (var o in g.SymbolOverrides.Where(o => o.BidMarkup != 0 || o.AskMarkup != 0))
        {
            model.Instruments[o.Symbol] = new MarkupInstrumentGrpcModel { MarkupBid = o.BidMarkup, MarkupAsk = o.AskMarkup };
        }
        model.Disabled = model.Instruments.Count == 0;
        return model;
    }

    /// <summary>Every override of the group plus one per named instrument, each passed through <paramref name="change"/>.</summary>
    private static List<GroupSymbolOverride> Replace(GroupConfig group, IEnumerable<string> instruments, Func<GroupSymbolOverride, GroupSymbolOverride> change)
    {
        var symbols = group.SymbolOverrides.Select(o => o.Symbol).Union(instruments, StringComparer.Ordinal);
        return symbols.Select(s => change(group.FindOverride(s) ?? new GroupSymbolOverride { Symbol = s })).ToList();
    }

    /// <summary>
    /// The whole group with its new overrides (UpsertGroup): a patch cannot clear an override's swap fields back to
    /// "the symbol's". The group was read from the live view just before, as the Server API's UpdateGroup does.
    /// </summary>
    private async Task<GroupConfig> UpsertOverridesAsync(Auth.Caller caller, GroupConfig group, List<GroupSymbolOverride> overrides, CancellationToken ct)
    {
        var result = await gateway.SubmitAsync(new UpsertGroup(group with { SymbolOverrides = overrides }) { Actor = caller.Actor }, ct);
        if (!result.IsOk || result.Value is null) throw SettingsAccess.Refused(result.Code, result.Message);
        return await gateway.ReadAfterAsync(result.Sequence, v => v.GetGroup(group.Name), ct) ?? result.Value;
    }
}
