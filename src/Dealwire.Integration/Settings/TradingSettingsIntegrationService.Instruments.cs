using Dealwire.Engine.Commands;
using Dealwire.Engine.Model;
using Dealwire.Integration.Contracts.Settings;
using Grpc.Core;

namespace Dealwire.Integration.Settings;

/// <summary>
/// Instruments are symbols: Name = symbol, Base/Quote = base and profit currency, LotSize = contract size,
/// GroupId = symbol group name, Weight = sort index, TradingDisabled = trade mode disabled, DaysOff = the weekly
/// sessions' closed stretches. SwapScheduleId, DayTimeout and NightTimeout have no counterpart and are not kept.
/// </summary>
public sealed partial class TradingSettingsIntegrationService
{
    public override async Task<TradingInstrumentGrpcModel> InsertOrReplaceInstrument(TradingInstrumentGrpcModel request, ServerCallContext context)
    {
        var caller = SettingsAccess.Writer(context);
        var ct = context.CancellationToken;
        if (request.Name.Length is 0 or > 32) throw SettingsAccess.Invalid("Name must be 1-32 characters");
        if (request.Digits is < 0 or > 10) throw SettingsAccess.Invalid("Digits must be 0-10");
        var view = gateway.View;
        var existing = view.GetSymbol(request.Name);
        var securityIndex = existing?.SecurityIndex ?? 0;
        if (request.HasGroupId)
        {
            securityIndex = view.GetSymbolGroups().FirstOrDefault(g => g.Name == request.GroupId)?.Index
                ?? throw SettingsAccess.NotFound($"instrument group '{request.GroupId}' does not exist");
        }
        SettingsAccess.RequireSymbolScope(caller, view, request.Name, securityIndex, existing?.SecurityIndex ?? securityIndex);
        var tickSize = Decimal(request.TickSize, "TickSize");
        var lotSize = Decimal(request.LotSize, "LotSize");
        if (tickSize < 0 || lotSize <= 0) throw SettingsAccess.Invalid("TickSize must not be negative and LotSize must be positive");
        var symbol = (existing ?? new SymbolConfig { Name = request.Name }) with
        {
            Digits = request.Digits,
            BaseCurrency = request.Base,
            ProfitCurrency = request.Quote,
            TickSize = tickSize,
            ContractSize = lotSize,
            SecurityIndex = securityIndex,
            SortIndex = request.HasWeight ? request.Weight : existing?.SortIndex ?? 0,
            TradeMode = request.TradingDisabled ? SymbolTradeMode.Disabled : SymbolTradeMode.Full,
            Sessions = WeekSessions.FromDaysOff(request.DaysOff),
        };
        var result = await gateway.SubmitAsync(new UpsertSymbol(symbol) { Actor = caller.Actor }, ct);
        if (!result.IsOk || result.Value is null) throw SettingsAccess.Refused(result.Code, result.Message);
        var stored = await gateway.ReadAfterAsync(result.Sequence, v => v.GetSymbol(request.Name), ct) ?? result.Value;
        return Instrument(stored);
    }

    public override Task GetInstruments(GetInstrumentsFilterRequest request, IServerStreamWriter<TradingInstrumentGrpcModel> responseStream, ServerCallContext context)
    {
        SettingsAccess.Reader(context);
        var symbols = gateway.View.GetSymbols().Where(s =>
            (!request.HasSymbol || s.Name == request.Symbol) && (!request.HasGroupId || GroupName(s.SecurityIndex) == request.GroupId));
        return StreamAsync(symbols, Instrument, responseStream, context.CancellationToken);
    }

    private string GroupName(int securityIndex) => gateway.View.GetSymbolGroups().FirstOrDefault(g => g.Index == securityIndex)?.Name ?? "";

    private TradingInstrumentGrpcModel Instrument(SymbolConfig s)
    {
        var model = new TradingInstrumentGrpcModel
        {
            Name = s.Name,
            Digits = s.Digits,
            Base = s.BaseCurrency,
            Quote = s.ProfitCurrency,
            TickSize = (double)s.EffectiveTickSize,
            GroupId = GroupName(s.SecurityIndex),
            Weight = s.SortIndex,
            TradingDisabled = s.TradeMode == SymbolTradeMode.Disabled,
            LotSize = (double)s.ContractSize,
        };
        model.DaysOff.Add(WeekSessions.ToDaysOff(s.Sessions));
        return model;
    }
}
