using Dealwire.Engine.Commands;
using Dealwire.Integration.Contracts.Settings;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EngineGroup = Dealwire.Engine.Model.GroupConfig;

namespace Dealwire.Integration.Settings;

/// <summary>
/// Trading groups are groups: Id = the group's name, Name = its company name (the only free display name a group
/// has), TradingDisabled = not enabled. A group is its own trading, swap and markup profile, so it reports its own
/// name as all three ids; naming another group's profile in an insert copies that profile into this group.
/// </summary>
public sealed partial class TradingSettingsIntegrationService
{
    public override async Task<TradingGroupGrpcModel> InsertOrReplaceTradingGroup(TradingGroupGrpcModel request, ServerCallContext context)
    {
        var caller = SettingsAccess.Writer(context);
        var ct = context.CancellationToken;
        if (request.Id.Length is 0 or > 64) throw SettingsAccess.Invalid("Id (the group's name) must be 1-64 characters");
        SettingsAccess.RequireGroup(caller, request.Id);
        var view = gateway.View;
        var group = (view.GetGroup(request.Id) ?? new EngineGroup { Name = request.Id }) with
        {
            Company = request.Name.Length > 0 ? request.Name : request.Id,
            Enabled = !request.TradingDisabled,
        };
        group = CopyProfile(caller, group, request.TradingProfileId, ProfileCopy.Trading);
        group = CopyProfile(caller, group, request.SwapProfileId, ProfileCopy.Swaps);
        if (request.HasMarkupProfileId) group = CopyProfile(caller, group, request.MarkupProfileId, ProfileCopy.Markups);
        var result = await gateway.SubmitAsync(new UpsertGroup(group) { Actor = caller.Actor }, ct);
        if (!result.IsOk || result.Value is null) throw SettingsAccess.Refused(result.Code, result.Message);
        var stored = await gateway.ReadAfterAsync(result.Sequence, v => v.GetGroup(request.Id), ct) ?? result.Value;
        return TradingGroup(stored);
    }

    public override Task GetTradingGroups(Empty request, IServerStreamWriter<TradingGroupGrpcModel> responseStream, ServerCallContext context)
    {
        var caller = SettingsAccess.Reader(context);
        return StreamAsync(gateway.View.GetGroups().Where(g => caller.Sees(g.Name)), TradingGroup, responseStream, context.CancellationToken);
    }

    private static TradingGroupGrpcModel TradingGroup(EngineGroup g) => new()
    {
        Id = g.Name,
        Name = g.Company,
        TradingProfileId = g.Name,
        SwapProfileId = g.Name,
        MarkupProfileId = g.Name,
        TradingDisabled = !g.Enabled,
    };

    private enum ProfileCopy { Trading, Swaps, Markups }

    /// <summary>Takes the named group's profile into <paramref name="group"/>; its own name (or empty) keeps what it has.</summary>
    private EngineGroup CopyProfile(Auth.Caller caller, EngineGroup group, string profileId, ProfileCopy what)
    {
        if (profileId.Length == 0 || profileId == group.Name) return group;
        var source = gateway.View.GetGroup(profileId);
        if (source is null || !caller.Sees(source.Name)) throw SettingsAccess.NotFound($"{what} profile '{profileId}' does not exist");
        return what switch
        {
            ProfileCopy.Trading => group with
            {
                Currency = source.Currency,
                CurrencyDigits = source.CurrencyDigits,
                DefaultLeverage = source.DefaultLeverage,
                DefaultDeposit = source.DefaultDeposit,
                MarginCall = source.MarginCall,
                StopOut = source.StopOut,
                Securities = source.Securities,
            },
            ProfileCopy.Swaps => group with { SymbolOverrides = MergeOverrides(group, source, swaps: true) },
            _ => group with { SymbolOverrides = MergeOverrides(group, source, swaps: false) },
        };
    }

    /// <summary>The group's overrides with the swap (or markup) part of each replaced by <paramref name="source"/>'s.</summary>
    private static List<Engine.Model.GroupSymbolOverride> MergeOverrides(EngineGroup group, EngineGroup source, bool swaps)
    {
        var symbols = group.SymbolOverrides.Select(o => o.Symbol).Union(source.SymbolOverrides.Select(o => o.Symbol)).ToList();
        return symbols.Select(symbol =>
        {
            var mine = group.FindOverride(symbol) ?? new Engine.Model.GroupSymbolOverride { Symbol = symbol };
            var theirs = source.FindOverride(symbol) ?? new Engine.Model.GroupSymbolOverride { Symbol = symbol };
            return swaps
                ? mine with { SwapEnabled = theirs.SwapEnabled, SwapLong = theirs.SwapLong, SwapShort = theirs.SwapShort, SwapType = theirs.SwapType }
                : mine with { BidMarkup = theirs.BidMarkup, AskMarkup = theirs.AskMarkup };
        }).ToList();
    }
}
